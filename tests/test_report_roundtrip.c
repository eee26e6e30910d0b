/* What `virtbench run` writes, `report` and `compare` read back: a short run
 * of every benchmark family that runs without /dev/kvm here (native, the
 * container runtimes found; vm.density and vm.boot run where KVM does and
 * are listed as skipped elsewhere) goes through the reader, `report DIR`
 * and `compare DIR DIR -o OUT` with no error. A figure that the reader
 * refused (a negative host memory per VM) once made a whole run unreadable. */
#include "testutil.h"

#include <sys/stat.h>

#include "core/fileio.h"
#include "core/proc.h"
#include "core/result.h"
#include "report/check.h"

#define SELECTED "native.cpu,native.memory,vm.boot,vm.density,container.startup,container.density"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp("vbround", dir, sizeof(dir), &err);
}

static int teardown(void **state)
{
	(void)state;
	return file__remove_tree(dir);
}

static int run_cli(char *const *argv, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 300000 };
	struct vb_err err = { 0 };
	if (proc__run(&o, r, &err) < 0)
		fail_msg("%s", err.msg);
	if (r->exit_code != 0)
		fail_msg("%s %s: exit %d: %s", argv[1], argv[2], r->exit_code, r->errout);
	return r->exit_code;
}

static bool exists(const char *d, const char *name)
{
	char p[512];
	struct stat sb;
	snprintf(p, sizeof(p), "%s/%s", d, name);
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

/* Every selected benchmark left results or a skip with its reason (the
 * native ones name their results "cpu", "memory"). */
static void each_benchmark_accounted(const struct vb_result_set *s)
{
	char list[] = SELECTED;
	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const char *plain = strncmp(name, "native.", 7) ? name : name + 7;
		bool seen = result_set__find(s, name, NULL, NULL) ||
			    result_set__find(s, plain, NULL, NULL);
		for (size_t i = 0; !seen && i < s->nskips; i++)
			seen = !strcmp(s->skips[i].benchmark, name);
		if (!seen)
			fail_msg("%s: neither results nor a skip in results.json", name);
	}
}

static void test_run_report_compare(void **state)
{
	(void)state;
	char run_dir[300], out[300];
	snprintf(run_dir, sizeof(run_dir), "%s/run", dir);
	snprintf(out, sizeof(out), "%s/cmp", dir);
	struct vb_proc_result r;
	char *const run[] = { (char *)vb_binary(),
			      "run",
			      "--quick",
			      "--no-gnuplot",
			      "-q",
			      "--only",
			      SELECTED,
			      "-o",
			      run_dir,
			      NULL };
	run_cli(run, &r);
	proc__result_free(&r);

	char path[400];
	snprintf(path, sizeof(path), "%s/results.json", run_dir);
	struct vb_result_set s;
	struct vb_err err = { 0 };
	if (result_set__load(path, &s, &err) < 0 || check__set(&s, path, false, &err) < 0)
		fail_msg("the reader refused what run wrote: %s", err.msg);
	assert_false(s.incomplete);
	each_benchmark_accounted(&s);
	/* What run measures here is plausible: nothing to warn about. */
	for (size_t i = 0; i < s.nresults; i++)
		if (s.results[i]->warning[0])
			fail_msg("results[%zu] %s %s: %s", i, s.results[i]->benchmark,
				 s.results[i]->metric, s.results[i]->warning);
	result_set__free(&s);

	char *const rep[] = { (char *)vb_binary(), "report", "--no-gnuplot", run_dir, NULL };
	run_cli(rep, &r);
	proc__result_free(&r);
	assert_true(exists(run_dir, "report.html"));

	char *const cmp[] = {
		(char *)vb_binary(), "compare", "--no-gnuplot", run_dir, run_dir, "-o", out, NULL
	};
	run_cli(cmp, &r);
	assert_null(strstr(r.out, "Warnings"));
	proc__result_free(&r);
	assert_true(exists(out, "compare.html"));
	assert_true(exists(out, "compare.csv"));

	/* Against another host's file too (the fixtures' aarch64 set). */
	char other[4096];
	snprintf(other, sizeof(other), "%s", fixture("results/aarch64"));
	char *const cross[] = { (char *)vb_binary(), "compare", run_dir, other, NULL };
	run_cli(cross, &r);
	proc__result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_report_compare),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
