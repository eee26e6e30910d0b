/* The one mount table reader: every field of a line, the kernel's octal
 * escapes, lines of any length, lines that are not mounts, and the cgroup
 * layouts of the v1, v2 and hybrid fixture hosts. */
#include "testutil.h"

#include <errno.h>

#include "core/mountinfo.h"

static void parse_ok(const char *text, struct mountinfo *mi)
{
	struct vb_err err = { 0 };
	assert_int_equal(mountinfo__parse(text, mi, &err), 0);
}

static void test_fields(void **state)
{
	(void)state;
	struct mountinfo mi;
	parse_ok("36 25 0:31 /sub /sys/fs/cgroup/cpu rw,relatime shared:15 master:3 - cgroup "
		 "cgroup rw,cpu\n"
		 "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
		 &mi);
	assert_int_equal(mi.n, 2);
	const struct mount_entry *m = &mi.mounts[0];
	assert_int_equal(m->id, 36);
	assert_int_equal(m->parent, 25);
	assert_string_equal(m->dev, "0:31");
	assert_string_equal(m->root, "/sub");
	assert_string_equal(m->point, "/sys/fs/cgroup/cpu");
	assert_string_equal(m->options, "rw,relatime");
	assert_string_equal(m->fstype, "cgroup");
	assert_string_equal(m->source, "cgroup");
	assert_string_equal(m->super_options, "rw,cpu");
	assert_int_equal(mountinfo__cgroup_version(m), 1);
	/* no optional fields, no newline at the end */
	m = &mi.mounts[1];
	assert_int_equal(m->id, 22);
	assert_string_equal(m->point, "/");
	assert_string_equal(m->fstype, "ext4");
	assert_string_equal(m->source, "/dev/vda");
	assert_int_equal(mountinfo__cgroup_version(m), 0);
	mountinfo__free(&mi);
}

static void test_escapes(void **state)
{
	(void)state;
	struct mountinfo mi;
	parse_ok("40 30 0:37 /a\\011b /mnt/my\\040cg rw - cgroup2 my\\012src rw\n"
		 "41 30 0:38 / /mnt/back\\134slash rw - tmpfs tmpfs rw\n"
		 /* a backslash followed by digits: written as \134 by the kernel */
		 "42 30 0:39 / /mnt/x\\134040y rw - tmpfs tmpfs rw\n"
		 /* not escapes: left as they are */
		 "43 30 0:40 / /mnt/a\\9b\\04\\000 rw - tmpfs tmpfs rw\n",
		 &mi);
	assert_int_equal(mi.n, 4);
	assert_string_equal(mi.mounts[0].point, "/mnt/my cg");
	assert_string_equal(mi.mounts[0].root, "/a\tb");
	assert_string_equal(mi.mounts[0].source, "my\nsrc");
	assert_int_equal(mountinfo__cgroup_version(&mi.mounts[0]), 2);
	assert_string_equal(mi.mounts[1].point, "/mnt/back\\slash");
	assert_string_equal(mi.mounts[2].point, "/mnt/x\\040y");
	assert_string_equal(mi.mounts[3].point, "/mnt/a\\9b\\04\\000");
	mountinfo__free(&mi);
}

/* A line far longer than any line buffer: a deep mount point and many
 * optional fields, as on a host with many peer groups. */
static void test_long_line(void **state)
{
	(void)state;
	size_t depth = 3000, peers = 2000;
	size_t size = depth * 2 + peers * 16 + 256;
	char *text = malloc(size);
	char *point = malloc(depth * 2 + 1);
	assert_non_null(text);
	assert_non_null(point);
	for (size_t i = 0; i < depth; i++)
		memcpy(point + 2 * i, "/d", 2);
	point[depth * 2] = '\0';
	size_t len = (size_t)snprintf(text, size,
				      "22 1 254:0 / / rw - ext4 /dev/vda rw\n"
				      "50 22 0:50 / %s rw",
				      point);
	for (size_t i = 0; i < peers; i++)
		len += (size_t)snprintf(text + len, size - len, " shared:%zu", i + 1);
	snprintf(text + len, size - len, " - cgroup2 cgroup2 rw\n");
	assert_true(strlen(text) > 16384);

	struct mountinfo mi;
	parse_ok(text, &mi);
	assert_int_equal(mi.n, 2);
	assert_string_equal(mi.mounts[1].point, point);
	assert_string_equal(mi.mounts[1].fstype, "cgroup2");
	assert_int_equal(mountinfo__cgroup_layout(&mi), CGROUP_V2);
	mountinfo__free(&mi);
	free(point);
	free(text);
}

static void test_not_mounts(void **state)
{
	(void)state;
	struct mountinfo mi;
	parse_ok("", &mi);
	assert_int_equal(mi.n, 0);
	mountinfo__free(&mi);
	parse_ok("x\n\n- - -\n"
		 "1 2 3 4 5 6 no separator\n"
		 "1 2 0:1 / /mnt rw -\n"		/* no fs type */
		 "a 2 0:1 / /mnt rw - tmpfs tmpfs rw\n" /* no mount id */
		 "7 1 0:2 / /ok rw - tmpfs\n",		/* no source: still a mount */
		 &mi);
	assert_int_equal(mi.n, 1);
	assert_string_equal(mi.mounts[0].point, "/ok");
	assert_string_equal(mi.mounts[0].source, "");
	assert_string_equal(mi.mounts[0].super_options, "");
	assert_int_equal(mountinfo__cgroup_layout(&mi), CGROUP_NONE);
	assert_string_equal(mountinfo__cgroup_layout_name(CGROUP_NONE), "none");
	mountinfo__free(&mi);
}

static enum cgroup_layout fixture_layout(const char *host)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "%s/proc/self/mountinfo", host);
	struct mountinfo mi;
	struct vb_err err = { 0 };
	assert_int_equal(mountinfo__read(fixture(rel), &mi, &err), 0);
	assert_true(mi.n > 0);
	enum cgroup_layout l = mountinfo__cgroup_layout(&mi);
	mountinfo__free(&mi);
	return l;
}

static void test_fixture_layouts(void **state)
{
	(void)state;
	assert_int_equal(fixture_layout("this-host"), CGROUP_HYBRID);
	assert_int_equal(fixture_layout("amd-epyc"), CGROUP_V1);
	assert_int_equal(fixture_layout("intel-xeon"), CGROUP_V2);
	assert_string_equal(mountinfo__cgroup_layout_name(CGROUP_HYBRID), "hybrid");
	assert_string_equal(mountinfo__cgroup_layout_name(CGROUP_V1), "v1");
	assert_string_equal(mountinfo__cgroup_layout_name(CGROUP_V2), "v2");
}

static void test_read(void **state)
{
	(void)state;
	struct mountinfo mi;
	struct vb_err err = { 0 };
	assert_int_equal(mountinfo__read(MOUNTINFO_SELF, &mi, &err), 0);
	bool root = false;
	for (size_t i = 0; i < mi.n; i++)
		root |= !strcmp(mi.mounts[i].point, "/");
	assert_true(root);
	mountinfo__free(&mi);

	assert_int_equal(mountinfo__read("/nonexistent/mountinfo", &mi, &err), -1);
	assert_int_equal(err.errnum, ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/mountinfo"));
	assert_int_equal(mi.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_long_line),	cmocka_unit_test(test_not_mounts),
		cmocka_unit_test(test_fixture_layouts), cmocka_unit_test(test_read),
	};
	return cmocka_run_group_tests_name("mountinfo", tests, NULL, NULL);
}
