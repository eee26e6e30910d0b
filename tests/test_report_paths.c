/* Results directories hold files from other machines and are shared: what
 * `report` and `compare -o` write there never goes through a symlink or
 * over a FIFO placed there, is 0644 whatever the umask, and a directory
 * that is /, someone else's, or writable by anyone is refused (exit 2)
 * before anything is read or written. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/proc.h"
#include "report/gnuplot.h"

static char work[4096];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp("vb-paths", work, sizeof(work), &err);
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(work);
	return 0;
}

static void put(const char *path, const char *text)
{
	struct vb_err err = { 0 };
	if (file__write_atomic(path, text, strlen(text), &err) < 0)
		fail_msg("%s", err.msg);
}

static void expect_content(const char *path, const char *want)
{
	char *data;
	size_t len;
	struct vb_err err = { 0 };
	if (file__read_all(path, 1 << 20, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(data, want);
	free(data);
}

/* A results directory under work holding a copy of the x86_64 fixture. */
static void results_dir(const char *name, char *dir, size_t size)
{
	snprintf(dir, size, "%s/%s", work, name);
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdirs(dir, &err), 0);
	char src[4200], dst[4200], *data;
	size_t len;
	snprintf(src, sizeof(src), "%s/results.json", fixture("results/x86_64"));
	snprintf(dst, sizeof(dst), "%s/results.json", dir);
	assert_int_equal(file__read_all(src, 1 << 24, &data, &len, &err), 0);
	assert_int_equal(file__write_atomic(dst, data, len, &err), 0);
	free(data);
}

static int run(char *const *argv, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 300000 };
	struct vb_err err = { 0 };
	if (proc__run(&o, r, &err) < 0)
		fail_msg("%s", err.msg);
	return r->exit_code;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_link(const char *path, const char *target)
{
	char buf[4200];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, target);
}

/* A symlink among the charts: gnuplot's image is not written through it
 * (the chart falls back to SVG with a warning naming the link). */
static void test_chart_symlink(void **state)
{
	(void)state;
	VB_REQUIRE(gnuplot__png_terminal() != NULL, "gnuplot with a png terminal is not installed");
	char dir[4200], victim[4200], link[4300];
	results_dir("chart", dir, sizeof(dir));
	snprintf(victim, sizeof(victim), "%s/victim", work);
	put(victim, "precious\n");
	snprintf(link, sizeof(link), "%s/vm_boot_times.png", dir);
	assert_int_equal(symlink(victim, link), 0);
	char *const argv[] = { (char *)vb_binary(), "report", dir, NULL };
	struct vb_proc_result r;
	assert_int_equal(run(argv, &r), 0);
	assert_non_null(strstr(r.errout, "vm_boot_times.png is a symbolic link"));
	proc__result_free(&r);
	expect_content(victim, "precious\n");
	expect_link(link, victim);
	snprintf(link, sizeof(link), "%s/vm_boot_times.svg", dir);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

/* A symlink or a FIFO at the name of a CSV or the page: refused, one line,
 * left as it was. */
static void test_other_files(void **state)
{
	(void)state;
	char dir[4200], victim[4200], link[4300], fifo[4300];
	results_dir("csv", dir, sizeof(dir));
	snprintf(victim, sizeof(victim), "%s/victim.csv", work);
	put(victim, "precious\n");
	snprintf(link, sizeof(link), "%s/results.csv", dir);
	assert_int_equal(symlink(victim, link), 0);
	char *const argv[] = { (char *)vb_binary(), "report", "--no-gnuplot", dir, NULL };
	struct vb_proc_result r;
	assert_int_equal(run(argv, &r), 1);
	assert_int_equal(count_lines(r.errout), 1);
	assert_non_null(strstr(r.errout, "results.csv is a symbolic link"));
	proc__result_free(&r);
	expect_content(victim, "precious\n");
	expect_link(link, victim);

	assert_int_equal(unlink(link), 0);
	snprintf(fifo, sizeof(fifo), "%s/report.html", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(run(argv, &r), 1);
	assert_non_null(strstr(r.errout, "report.html is a FIFO"));
	proc__result_free(&r);
	struct stat st;
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
}

/* Every file written is 0644 and no private directory is left, whatever
 * the umask; a directory made for compare -o is 0755. */
static void expect_modes(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[4500];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		struct stat st;
		assert_int_equal(lstat(p, &st), 0);
		if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != 0644)
			fail_msg("%s: mode %o", p, (unsigned)st.st_mode);
		n++;
	}
	closedir(d);
	assert_true(n > 10);
}

static void test_modes(void **state)
{
	(void)state;
	VB_REQUIRE(gnuplot__png_terminal() != NULL, "gnuplot with a png terminal is not installed");
	char dir[4200], out[4200];
	results_dir("modes", dir, sizeof(dir));
	char src[4200];
	snprintf(src, sizeof(src), "%s", fixture("results/x86_64"));
	snprintf(out, sizeof(out), "%s/new/cmp", work);
	char *const rep[] = { (char *)vb_binary(), "report", "-q", dir, NULL };
	char *const cmp[] = { (char *)vb_binary(), "compare", "-q", src, src, "-o", out, NULL };
	mode_t old = umask(0);
	struct vb_proc_result r1, r2;
	run(rep, &r1);
	run(cmp, &r2);
	umask(old);
	if (r1.exit_code || r2.exit_code)
		fail_msg("report: %s; compare: %s", r1.errout, r2.errout);
	proc__result_free(&r1);
	proc__result_free(&r2);
	expect_modes(dir);
	expect_modes(out);
	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
}

/* One line, exit 2, and nothing written into the directory. */
static void expect_refused(char *const *argv, const char *dir, const char *what)
{
	struct stat before, after;
	assert_int_equal(stat(dir, &before), 0);
	struct vb_proc_result r;
	int rc = run(argv, &r);
	if (rc != 2 || count_lines(r.errout) != 1 || !strstr(r.errout, what))
		fail_msg("%s %s: exit %d, stderr '%s' (wanted '%s')", argv[1], dir, rc, r.errout,
			 what);
	assert_int_equal(r.out_len, 0);
	proc__result_free(&r);
	assert_int_equal(stat(dir, &after), 0);
	assert_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
		    after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}

static void test_refused_dirs(void **state)
{
	(void)state;
	char src[4200];
	snprintf(src, sizeof(src), "%s", fixture("results/x86_64"));
	char *const rep_root[] = { (char *)vb_binary(), "report", "/", NULL };
	expect_refused(rep_root, "/", "/ is the root directory");
	char *const cmp_root[] = { (char *)vb_binary(), "compare", src, src, "-o", "/", NULL };
	expect_refused(cmp_root, "/", "/ is the root directory");
	char *const run_root[] = {
		(char *)vb_binary(), "run", "--only", "native.cpu", "-o", "/", NULL
	};
	expect_refused(run_root, "/", "/ is the root directory");

	/* Writable by anyone without the sticky bit: refused; with it, fine. */
	char dir[4200];
	results_dir("open", dir, sizeof(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	char *const rep[] = { (char *)vb_binary(), "report", "-q", "--no-gnuplot", dir, NULL };
	expect_refused(rep, dir, "can be written by anyone");
	char *const cmp[] = { (char *)vb_binary(), "compare", src, src, "-o", dir, NULL };
	expect_refused(cmp, dir, "can be written by anyone");
	assert_int_equal(chmod(dir, 01777), 0);
	struct vb_proc_result r;
	assert_int_equal(run(rep, &r), 0);
	proc__result_free(&r);

	/* Someone else's directory (made so where this runs as root). */
	results_dir("theirs", dir, sizeof(dir));
	const char *theirs = dir;
	if (geteuid() == 0)
		assert_int_equal(chown(dir, 65534, 65534), 0);
	else
		theirs = "/usr";
	char *const rep2[] = { (char *)vb_binary(), "report", (char *)theirs, NULL };
	expect_refused(rep2, theirs, "not to you");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chart_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_dirs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
