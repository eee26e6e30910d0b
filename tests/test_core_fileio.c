/* Files: atomic replacement leaves no temp file and replaces only a regular
 * file (never a symlink's target, a FIFO, a socket, a device or a
 * directory), modes whatever the umask, bounded reads, mkdir -p, and a tree
 * removal that does not follow symlinks. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/fileio.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp("vbtest", dir, sizeof(dir), &err);
}

static int teardown(void **state)
{
	(void)state;
	return file__remove_tree(dir);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_write_atomic(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof(path), "%s/out.json", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, "first version\n", 14, &err), 0);
	assert_int_equal(file__write_atomic(path, "second", 6, &err), 0);
	char *data;
	size_t len;
	assert_int_equal(file__read_all(path, 1024, &data, &len, &err), 0);
	assert_int_equal(len, 6);
	assert_string_equal(data, "second");
	free(data);
	assert_int_equal(count_entries(dir), 1); /* no temp file left */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
}

static void test_write_atomic_error(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof(path), "%s/no/such/dir/out.json", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, "x", 1, &err), -1);
	assert_non_null(strstr(err.msg, "out.json"));
	assert_int_equal(err.errnum, ENOENT);
}

static void test_read_all_bounds(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof(path), "%s/big", dir);
	struct vb_err err = { 0 };
	char buf[5000];
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(file__write_atomic(path, buf, sizeof(buf), &err), 0);
	char *data = NULL;
	size_t len;
	assert_int_equal(file__read_all(path, 4999, &data, &len, &err), -1);
	assert_null(data);
	assert_non_null(strstr(err.msg, "larger than"));
	assert_int_equal(file__read_all(path, 5000, &data, &len, &err), 0);
	assert_int_equal(len, 5000);
	assert_int_equal(data[5000], 0);
	free(data);
	/* Files with no size in stat (procfs) are read too. */
	assert_int_equal(file__read_all("/proc/self/status", 1 << 20, &data, &len, &err), 0);
	assert_non_null(strstr(data, "Name:"));
	free(data);
	assert_int_equal(file__read_all(dir, 100, &data, &len, &err), -1);
}

static void test_read_line(void **state)
{
	(void)state;
	char path[300], buf[64];
	snprintf(path, sizeof(path), "%s/line", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, "always [madvise] never\nmore\n", 28, &err), 0);
	assert_int_equal(file__read_line(path, buf, sizeof(buf)), 22);
	assert_string_equal(buf, "always [madvise] never");
	errno = 0;
	assert_int_equal(file__read_line("/nonexistent/x", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_mkdirs_and_remove(void **state)
{
	(void)state;
	char path[300], outside[300], link[400], file[400];
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(file__mkdirs(path, &err), 0);
	assert_int_equal(file__mkdirs(path, &err), 0); /* exists: fine */
	snprintf(file, sizeof(file), "%s/f", path);
	assert_int_equal(file__write_atomic(file, "x", 1, &err), 0);
	assert_int_equal(file__mkdirs(file, &err), -1); /* a file is in the way */

	/* A symlink to a directory outside: removed, its target untouched. */
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	assert_int_equal(file__mkdirs(outside, &err), 0);
	snprintf(file, sizeof(file), "%s/keep", outside);
	assert_int_equal(file__write_atomic(file, "x", 1, &err), 0);
	snprintf(link, sizeof(link), "%s/a/b/link", dir);
	assert_int_equal(symlink(outside, link), 0);

	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(file__remove_tree(path), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(file, F_OK), 0);
	assert_int_equal(file__remove_tree(path), 0); /* already gone: fine */
}

static void put(const char *name, const char *text, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_content(const char *path, const char *want)
{
	char *data;
	size_t len;
	struct vb_err err = { 0 };
	if (file__read_all(path, 1024, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(data, want);
	free(data);
}

/* Whatever is at the name and is not a regular file stays as it was, the
 * write is refused with the kind named, and no temporary file is left. */
static void expect_refused(const char *path, mode_t kind, const char *what)
{
	struct vb_err err = { 0 };
	int before = count_entries(dir);
	assert_int_equal(file__write_atomic(path, "new", 3, &err), -1);
	if (!strstr(err.msg, what))
		fail_msg("'%s' does not say '%s'", err.msg, what);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & S_IFMT, kind);
	assert_int_equal(count_entries(dir), before);
}

static void test_write_atomic_replaces_only_files(void **state)
{
	(void)state;
	char path[300], target[300], other[300];
	put("target", "keep", target, sizeof(target));
	snprintf(other, sizeof(other), "%s/link.png", dir);
	assert_int_equal(symlink(target, other), 0);
	expect_refused(other, S_IFLNK, "is a symbolic link");
	expect_content(target, "keep");

	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_refused(path, S_IFIFO, "is a FIFO");

	snprintf(path, sizeof(path), "%s/sock", dir);
	int sfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", path);
	assert_int_equal(bind(sfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(sfd);
	expect_refused(path, S_IFSOCK, "is a socket");

	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	expect_refused(path, S_IFDIR, "is a directory");

	/* A device node where the privilege to make one exists (root). */
	snprintf(path, sizeof(path), "%s/null", dir);
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0)
		expect_refused(path, S_IFCHR, "is a character device");

	/* A regular file is replaced, not written through: a hard link to the
	 * old file keeps the old content. */
	put("file", "old", path, sizeof(path));
	snprintf(other, sizeof(other), "%s/hard", dir);
	assert_int_equal(link(path, other), 0);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, "new", 3, &err), 0);
	expect_content(path, "new");
	expect_content(other, "old");
}

/* Results are for others to read: 0644 whatever the umask; the private
 * directory a helper program writes into is 0700. */
static void test_modes_ignore_umask(void **state)
{
	(void)state;
	mode_t old = umask(0);
	char path[300], src[400], tmp[300];
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/out.json", dir);
	assert_int_equal(file__write_atomic(path, "x", 1, &err), 0);
	assert_int_equal(file__mkdtemp_in(dir, ".charts", tmp, sizeof(tmp), &err), 0);
	snprintf(src, sizeof(src), "%s/chart.png", tmp);
	int fd = open(src, O_WRONLY | O_CREAT | O_EXCL, 0666);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "png", 3), 3);
	close(fd);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(tmp, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(strncmp(tmp, dir, strlen(dir)), 0);

	snprintf(path, sizeof(path), "%s/chart.png", dir);
	assert_int_equal(file__move_into(src, path, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	expect_content(path, "png");
	assert_int_equal(access(src, F_OK), -1);
}

static void test_move_into_rules(void **state)
{
	(void)state;
	char src[300], dst[300], target[300];
	struct vb_err err = { 0 };
	put("target", "keep", target, sizeof(target));
	/* A symlink is not moved (its target would be published). */
	snprintf(src, sizeof(src), "%s/src.png", dir);
	assert_int_equal(symlink(target, src), 0);
	snprintf(dst, sizeof(dst), "%s/dst.png", dir);
	assert_int_equal(file__move_into(src, dst, &err), -1);
	assert_int_equal(access(dst, F_OK), -1);
	unlink(src);
	/* Nor moved over anything but a regular file. */
	put("src.png", "png", src, sizeof(src));
	assert_int_equal(mkfifo(dst, 0600), 0);
	assert_int_equal(file__move_into(src, dst, &err), -1);
	assert_non_null(strstr(err.msg, "is a FIFO"));
	struct stat st;
	assert_int_equal(lstat(dst, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	expect_content(src, "png");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_all_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdirs_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_replaces_only_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_modes_ignore_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_into_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
