/* The workload core builds freestanding: the fragment src/workload/workload.mk
 * compiles it with -ffreestanding -nostdlib into one relocatable object and
 * links it with a bare _start (no libc, no libgcc) into a self-test. Here:
 * the object references no symbol at all from outside (so no libc), every
 * symbol it defines is ours (wl_ prefix), the self-test runs clean, and the
 * host binary, the worker and the guest image place its functions alike. */
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

/* nm FLAG FILE, which must succeed. */
static void run_nm(const char *flag, const char *file, struct vb_proc_result *r)
{
	char *nm = proc__which("nm");
	VB_REQUIRE(nm != NULL, "nm (binutils) is not installed");
	free(nm);
	VB_REQUIRE(access(file, R_OK) == 0, "a build artifact is missing; run make first");
	char *argv[] = { "nm", (char *)flag, (char *)file, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 30000 };
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, r, &err), 0);
	assert_int_equal(r->exit_code, 0);
}

static void test_no_undefined_symbols(void **state)
{
	(void)state;
	struct vb_proc_result r;
	run_nm("-u", artifact("workload.o"), &r);
	if (r.out_len)
		fail_msg("the workload core references symbols it does not define:\n%s", r.out);
	proc__result_free(&r);
}

static void test_only_own_symbols(void **state)
{
	(void)state;
	struct vb_proc_result r;
	run_nm("-g", artifact("workload.o"), &r);
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

/* Path of a file of the build under test, into out. */
static const char *built(char *out, size_t size, const char *rel)
{
	const char *b = getenv("VB_BUILD");
	snprintf(out, size, "%s/%s", b ? b : "build", rel);
	return out;
}

/* Address of text symbol `name` in nm output `out`, or -1. */
static long long nm_addr(const char *out, const char *name)
{
	size_t len = strlen(name);
	for (const char *line = out; *line;) {
		unsigned long long addr;
		char type;
		int at = 0;
		if (sscanf(line, "%llx %c %n", &addr, &type, &at) == 2 && at &&
		    (type == 'T' || type == 't') && !strncmp(line + at, name, len) &&
		    (line[at + len] == '\n' || line[at + len] == 0))
			return (long long)addr;
		const char *next = strchr(line, '\n');
		if (!next)
			break;
		line = next + 1;
	}
	return -1;
}

/* The same loops at the same offsets within cache lines natively, in the
 * container worker and in the microVM guest: otherwise an overhead can be
 * code placement, not virtualization. Every function the workload core
 * exports starts on a 64-byte line in each of the three. */
static void test_same_alignment_in_every_build(void **state)
{
	(void)state;
	struct vb_proc_result core;
	run_nm("-g", artifact("workload.o"), &core);
	char paths[3][4096];
	const char *files[] = { built(paths[0], sizeof(paths[0]), "virtbench"),
				built(paths[1], sizeof(paths[1]), "virtbench-worker"),
				built(paths[2], sizeof(paths[2]), "vm-guest/guest.elf") };
	struct vb_proc_result bin[3];
	for (int f = 0; f < 3; f++)
		run_nm("--defined-only", files[f], &bin[f]);
	unsigned checked[3] = { 0 };
	for (char *line = strtok(core.out, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long a;
		char type, name[128];
		if (sscanf(line, "%llx %c %127s", &a, &type, name) != 3 || type != 'T')
			continue;
		for (int f = 0; f < 3; f++) {
			long long addr = nm_addr(bin[f].out, name);
			if (addr < 0)
				continue; /* not linked into this one (nothing there calls it) */
			if (addr % 64)
				fail_msg("%s: %s at 0x%llx is not 64-byte aligned (built "
					 "without $(WL_CFLAGS)?)",
					 files[f], name, addr);
			checked[f]++;
		}
	}
	/* wl__run, the workloads and their helpers are in every one */
	for (int f = 0; f < 3; f++)
		if (checked[f] < 8)
			fail_msg("%s: only %u workload functions found", files[f], checked[f]);
	for (int f = 0; f < 3; f++)
		proc__result_free(&bin[f]);
	proc__result_free(&core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_undefined_symbols),
		cmocka_unit_test(test_only_own_symbols),
		cmocka_unit_test(test_selftest_runs),
		cmocka_unit_test(test_same_alignment_in_every_build),
	};
	return cmocka_run_group_tests_name("workload freestanding", tests, NULL, NULL);
}
