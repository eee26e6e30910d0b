/* The built-in runtime's control groups: the layout is read right from
 * mount tables of v1, v2 and hybrid hosts, and on this host a group is
 * made, limited, used and removed without a trace. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/ct_cgroup.h"
#include "core/fileio.h"
#include "host/cgroup.h"
#include "testutil.h"

/* This development machine: v1 controllers plus an empty cgroup2 tree. */
static const char hybrid[] =
	"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	"39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

/* A systemd v1 host: cpu and cpuacct share one mount; optional fields. */
static const char v1[] =
	"25 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
	"28 27 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup "
	"rw,cpu,cpuacct\n"
	"29 27 0:25 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory\n";

static const char v2[] =
	"25 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
	"35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 "
	"cgroup2 rw,nsdelegate,memory_recursiveprot\n";

/* The runtime's layout of a mount table given as text. */
static int layout_of(const char *text, struct cg_layout *l, struct vb_err *err)
{
	struct mountinfo mi;
	assert_int_equal(mountinfo__parse(text, &mi, err), 0);
	int rc = ct_cgroup__from_mounts(&mi, l, err);
	mountinfo__free(&mi);
	return rc;
}

static void test_parse_hybrid(void **state)
{
	(void)state;
	struct cg_layout l;
	struct vb_err err = { 0 };
	assert_int_equal(layout_of(hybrid, &l, &err), 0);
	assert_int_equal(l.mode, CGROUP_HYBRID);
	assert_string_equal(mountinfo__cgroup_layout_name(l.mode), "hybrid");
	assert_string_equal(l.cpu, "/sys/fs/cgroup/cpu");
	assert_string_equal(l.memory, "/sys/fs/cgroup/memory");
	assert_string_equal(l.pids, "/sys/fs/cgroup/pids");
	assert_string_equal(l.unified, "/sys/fs/cgroup/unified");
}

static void test_parse_v1_v2_none(void **state)
{
	(void)state;
	struct cg_layout l;
	struct vb_err err = { 0 };
	assert_int_equal(layout_of(v1, &l, &err), 0);
	assert_int_equal(l.mode, CGROUP_V1);
	assert_string_equal(l.cpu, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(l.memory, "/sys/fs/cgroup/memory");
	assert_string_equal(l.pids, "");
	assert_string_equal(l.unified, "");

	assert_int_equal(layout_of(v2, &l, &err), 0);
	assert_int_equal(l.mode, CGROUP_V2);
	assert_string_equal(l.unified, "/sys/fs/cgroup");
	assert_string_equal(l.cpu, "");

	assert_int_equal(layout_of("25 1 8:1 / / rw - ext4 /dev/sda1 rw\n", &l, &err), -1);
	assert_non_null(strstr(err.msg, "no cgroup"));
	/* Garbage lines are ignored, not fatal. */
	assert_int_equal(layout_of("x\n\n- - -\n", &l, &err), -1);
}

/* `virtbench info` and the runtime read one mount table alike: the
 * cgroup2 mount here has a blank in its name and sits on a line longer
 * than any line buffer (many peer groups). */
static void test_agrees_with_host_view(void **state)
{
	(void)state;
	char text[8192];
	size_t len = (size_t)snprintf(text, sizeof(text),
				      "%s40 30 0:37 / /sys/fs/my\\040unified rw", hybrid);
	/* the hybrid table already mounts cgroup2: take that line out */
	char *own = strstr(text, "40 30 0:37 / /sys/fs/cgroup/unified");
	assert_non_null(own);
	char *own_end = strchr(own, '\n') + 1;
	memmove(own, own_end, strlen(own_end) + 1);
	len = strlen(text);
	for (unsigned i = 1; len < 5000; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, " shared:%u", i);
	snprintf(text + len, sizeof(text) - len, " - cgroup2 cgroup2 rw\n");

	struct cg_layout l;
	struct vb_err err = { 0 };
	assert_int_equal(layout_of(text, &l, &err), 0);
	assert_string_equal(mountinfo__cgroup_layout_name(l.mode), "hybrid");
	assert_string_equal(l.unified, "/sys/fs/my unified");

	struct mountinfo mi;
	assert_int_equal(mountinfo__parse(text, &mi, &err), 0);
	struct host_cgroup cg;
	cgroup__from_mounts(&mi, &cg);
	mountinfo__free(&mi);
	assert_string_equal(cg.layout, "hybrid");
	assert_string_equal(cg.v2_mount, l.unified);

	/* and so on the fixture hosts of each layout */
	const char *hosts[] = { "this-host", "amd-epyc", "intel-xeon" };
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		struct hostfs fs = { .root = fixture(hosts[i]) };
		assert_int_equal(cgroup__read(&fs, &cg), 0);
		char path[4200];
		snprintf(path, sizeof(path), "%s%s", fs.root, MOUNTINFO_SELF);
		assert_int_equal(mountinfo__read(path, &mi, &err), 0);
		assert_int_equal(ct_cgroup__from_mounts(&mi, &l, &err), 0);
		mountinfo__free(&mi);
		assert_string_equal(cg.layout, mountinfo__cgroup_layout_name(l.mode));
		assert_string_equal(cg.v2_mount, l.unified);
	}
}

static int read_num(const char *dir, const char *file, char *out, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return file__read_line(path, out, size);
}

static void test_create_limit_attach_destroy(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "creating control groups needs root");
	struct cg_layout l;
	struct vb_err err = { 0 };
	assert_int_equal(ct_cgroup__detect(&l, &err), 0);
	int before = ct_cgroup__count_prefix(&l, "virtbench-cgtest");
	char name[64];
	snprintf(name, sizeof(name), "virtbench-cgtest-%d", (int)getpid());
	struct cg_limits lim = { .cpus = 0.5, .memory_bytes = 64ull << 20 };
	struct cg_group g;
	if (ct_cgroup__create(&l, name, &lim, &g, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(g.n >= 1);
	assert_int_equal(ct_cgroup__count_prefix(&l, "virtbench-cgtest"), before + (int)g.n);
	char first[CG_PATH];
	strcpy(first, g.dirs[0]);
	char v[64];
	for (unsigned i = 0; i < g.n; i++) {
		if (l.mode == CGROUP_V2) {
			assert_true(read_num(g.dirs[i], "cpu.max", v, sizeof(v)) > 0);
			assert_string_equal(v, "50000 100000");
		} else if (!strncmp(g.dirs[i], l.cpu, strlen(l.cpu))) {
			assert_true(read_num(g.dirs[i], "cpu.cfs_quota_us", v, sizeof(v)) > 0);
			assert_string_equal(v, "50000");
		} else if (!strncmp(g.dirs[i], l.memory, strlen(l.memory))) {
			assert_true(read_num(g.dirs[i], "memory.limit_in_bytes", v, sizeof(v)) > 0);
			assert_string_equal(v, "67108864");
		}
	}
	/* A child placed in the groups, then gone: the groups go too. */
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	assert_true(pid > 0);
	int rc = ct_cgroup__attach(&g, pid, &err);
	char procs[64] = "";
	read_num(g.dirs[0], "cgroup.procs", procs, sizeof(procs));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(rc, 0);
	char expect[32];
	snprintf(expect, sizeof(expect), "%d", (int)pid);
	assert_string_equal(procs, expect);
	assert_int_equal(ct_cgroup__destroy(&g), 0);
	assert_int_equal(ct_cgroup__count_prefix(&l, "virtbench-cgtest"), before);
	struct stat sb;
	assert_int_equal(stat(first, &sb), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_hybrid),
		cmocka_unit_test(test_parse_v1_v2_none),
		cmocka_unit_test(test_agrees_with_host_view),
		cmocka_unit_test(test_create_limit_attach_destroy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
