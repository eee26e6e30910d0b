/* The workload core builds freestanding: the fragment src/workload/workload.mk
 * compiles it with -ffreestanding -nostdlib into one relocatable object and
 * links it with a bare _start (no libc, no libgcc) into a self-test. Here:
 * the object references no symbol at all from outside (so no libc), every
 * symbol it defines is ours (wl_ prefix), and the self-test runs clean. */
#include "testutil.h"

#include <unistd.h>

#include "core/proc.h"

static const char *artifact(const char *name)
{
	static char path[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(path, sizeof(path), "%s/wl-free/%s", b ? b : "build", name);
	return path;
}

static void run_nm(const char *flag, struct vb_proc_result *r)
{
	char *nm = proc__which("nm");
	VB_REQUIRE(nm != NULL, "nm (binutils) is not installed");
	free(nm);
	VB_REQUIRE(access(artifact("workload.o"), R_OK) == 0,
		   "the freestanding build is missing; run make first");
	char *argv[] = { "nm", (char *)flag, (char *)artifact("workload.o"), NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 30000 };
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, r, &err), 0);
	assert_int_equal(r->exit_code, 0);
}

static void test_no_undefined_symbols(void **state)
{
	(void)state;
	struct vb_proc_result r;
	run_nm("-u", &r);
	if (r.out_len)
		fail_msg("the workload core references symbols it does not define:\n%s", r.out);
	proc__result_free(&r);
}

static void test_only_own_symbols(void **state)
{
	(void)state;
	struct vb_proc_result r;
	run_nm("-g", &r);
	unsigned n = 0;
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
		/* "<address> <type> <name>" */
		char *name = strrchr(line, ' ');
		assert_non_null(name);
		name++;
		if (strncmp(name, "wl_", 3) != 0)
			fail_msg("symbol outside the wl_ namespace: %s", line);
		n++;
	}
	assert_true(n >= 8); /* wl__run, the workloads, the helpers */
	proc__result_free(&r);
}

static void test_selftest_runs(void **state)
{
	(void)state;
	VB_REQUIRE(access(artifact("wl-selftest"), X_OK) == 0,
		   "the freestanding self-test is missing; run make first");
	char *argv[] = { (char *)artifact("wl-selftest"), NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	/* The exit status names the failed check (tests/workload/selftest.c). */
	assert_int_equal(r.term_signal, 0);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_undefined_symbols),
		cmocka_unit_test(test_only_own_symbols),
		cmocka_unit_test(test_selftest_runs),
	};
	return cmocka_run_group_tests_name("workload freestanding", tests, NULL, NULL);
}
