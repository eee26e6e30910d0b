/* Files: atomic replacement leaves no temp file, bounded reads, mkdir -p, and
 * a tree removal that does not follow symlinks. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_all_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdirs_and_remove, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
