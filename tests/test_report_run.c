/* `virtbench run`: a short real run writes a complete results directory; a
 * run interrupted with Ctrl-C (SIGINT) leaves a valid results.json marked
 * incomplete, with what finished, and a report that says so. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/proc.h"
#include "core/result.h"
#include "iodirs.h"
#include "suite/suite.h"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp("vb-run", dir, sizeof(dir), &err);
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(dir);
	return 0;
}

static void load(const char *sub, struct vb_result_set *s)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s/results.json", dir, sub);
	struct vb_err err = { 0 };
	if (result_set__load(p, s, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_short_run(void **state)
{
	(void)state;
	char out[4200];
	snprintf(out, sizeof(out), "%s/one", dir);
	char *const argv[] = { (char *)vb_binary(), "run", "-q", "--only", "native.cpu",
			       "--no-gnuplot",	    "-o",  out,	 NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 300000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("run exited %d: %s", r.exit_code, r.errout);
	assert_non_null(strstr(r.out, "report.html"));
	proc__result_free(&r);
	struct vb_result_set s;
	load("one", &s);
	assert_false(s.incomplete);
	assert_non_null(s.host);
	assert_non_null(result_set__find(&s, "cpu", "native", "events_per_sec"));
	/* Everything not selected is simply absent, not skipped. */
	assert_int_equal(s.nskips, 0);
	result_set__free(&s);
	static const char *const files[] = { "report.html",
					     "vm_boot_times.csv",
					     "hypervisor_overhead.csv",
					     "container_startup_times.csv",
					     "container_cpu_performance.csv",
					     "container_memory_performance.csv",
					     "results.csv" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char p[4400];
		snprintf(p, sizeof(p), "%s/%s", out, files[i]);
		if (access(p, R_OK) < 0)
			fail_msg("missing %s", files[i]);
	}
}

/* The interrupt flag raised before the first entry: nothing runs, the file
 * says incomplete, the page too. Deterministic, in-process. */
static void test_interrupt_flag(void **state)
{
	(void)state;
	char out[4200];
	snprintf(out, sizeof(out), "%s/flag", dir);
	struct suite_opts o = { .quiet = true, .no_gnuplot = true, .only = "native.cpu" };
	struct vb_result_set s;
	struct vb_err err = { 0 };
	interrupt__set(true);
	int rc = suite__run(&o, out, &s, &err);
	interrupt__set(false);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_non_null(strstr(err.msg, "marked incomplete"));
	result_set__free(&s);
	struct vb_result_set f;
	load("flag", &f);
	assert_true(f.incomplete);
	assert_int_equal(f.nresults, 0);
	result_set__free(&f);
	char p[4400], *html = NULL;
	size_t len;
	snprintf(p, sizeof(p), "%s/report.html", out);
	assert_int_equal(file__read_all(p, 1 << 24, &html, &len, &err), 0);
	assert_non_null(strstr(html, "Incomplete run"));
	free(html);
}

/* Runs native.fault through the command line, with extra arguments, and
 * returns how many samples each of its results holds (all the same). */
static size_t fault_samples(const char *sub, const char *iterations)
{
	char out[4200];
	snprintf(out, sizeof(out), "%s/%s", dir, sub);
	char *argv[16] = { (char *)vb_binary(), "run", "-q", "--only", "native.fault",
			   "--no-gnuplot",	"-o",  out,  NULL };
	if (iterations) {
		argv[8] = "--iterations";
		argv[9] = (char *)iterations;
	}
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 300000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("run exited %d: %s", r.exit_code, r.errout);
	proc__result_free(&r);
	struct vb_result_set s;
	load(sub, &s);
	assert_true(s.nresults > 0);
	size_t n = s.results[0]->nsamples;
	for (size_t i = 0; i < s.nresults; i++)
		assert_int_equal(s.results[i]->nsamples, n);
	json_t *it = json_object_get(s.extra, "iterations");
	if (iterations)
		assert_int_equal(json_integer_value(it), atoi(iterations));
	else
		assert_null(it);
	result_set__free(&s);
	return n;
}

/* run --iterations N sets every benchmark's count, whatever its own. */
static void test_iterations(void **state)
{
	(void)state;
	size_t own = fault_samples("own", NULL);
	assert_int_not_equal(own, 2);
	assert_int_equal(fault_samples("two", "2"), 2);
	assert_int_equal(fault_samples("nine", "9"), 9);
}

/* A real SIGINT while the native benchmarks run. */
static void test_sigint(void **state)
{
	(void)state;
	char out[4200];
	snprintf(out, sizeof(out), "%s/sig", dir);
	char *const argv[] = { (char *)vb_binary(), "run", "-q", "--only", "native",
			       "--no-gnuplot",	    "-o",  out,	 NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc p;
	struct vb_err err = { 0 };
	assert_int_equal(proc__spawn(&o, &p, &err), 0);
	/* Wait until the first results.json is there, then a little more. */
	char path[4400];
	snprintf(path, sizeof(path), "%s/results.json", out);
	for (int i = 0; i < 300 && access(path, R_OK) < 0; i++)
		usleep(20000);
	usleep(500000);
	kill(p.pid, SIGINT);
	/* Let it unwind on its own: a second signal would force an exit. */
	int status = 0;
	bool done = false;
	for (int i = 0; i < 6000 && !(done = proc__exited(&p, &status)); i++)
		usleep(20000);
	if (!done)
		status = proc__stop(&p, 1000);
	else
		proc__stop(&p, 0);
	/* Exit 1 (interrupted), or 0 if the machine was fast enough to finish. */
	assert_true(WIFEXITED(status));
	int code = WEXITSTATUS(status);
	assert_true(code == 1 || code == 0);
	struct vb_result_set s;
	load("sig", &s);
	assert_int_equal(s.incomplete, code == 1);
	result_set__free(&s);
}

/* The disk tests write under the results directory: a run killed there
 * with SIGKILL leaves its virtbench-io.* directory, which the next run in
 * that directory removes first; a live owner's is kept. The one entry
 * chosen is skipped in a quick run, so nothing is measured. */
static void test_sweeps_io_dirs(void **state)
{
	(void)state;
	/* qemu-user emulates /proc/self/stat: the start time this process
	 * names itself with is not the one its children read for it. */
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "qemu-user: a process's own start time is emulated");
	char out[4200];
	snprintf(out, sizeof(out), "%s/swept", dir);
	assert_int_equal(mkdir(out, 0755), 0);
	char gone[4400], mine[4400], file[4500];
	iodirs_make(out, gone, sizeof(gone), mine, sizeof(mine));
	snprintf(file, sizeof(file), "%s/test-file", gone);
	assert_int_equal(close(open(file, O_CREAT | O_WRONLY, 0600)), 0);

	char *const argv[] = { (char *)vb_binary(), "run", "--only", "qemu.memory",
			       "--no-gnuplot",	    "-o",  out,	     NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 120000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("run exited %d: %s", r.exit_code, r.errout);
	assert_non_null(strstr(r.errout, "temp dir"));
	proc__result_free(&r);
	assert_int_equal(access(gone, F_OK), -1);
	assert_int_equal(access(mine, F_OK), 0);
	rmdir(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_run),      cmocka_unit_test(test_interrupt_flag),
		cmocka_unit_test(test_iterations),     cmocka_unit_test(test_sigint),
		cmocka_unit_test(test_sweeps_io_dirs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
