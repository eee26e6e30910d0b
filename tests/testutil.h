/* Shared by the unit tests (cmocka). */
#ifndef VB_TESTUTIL_H
#define VB_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* VB_TEST_FILTER=PATTERN runs only the tests whose names match (cmocka's
 * wildcards), e.g. to run one case of a long suite while working on it. */
__attribute__((constructor)) static void vb_test_filter(void)
{
	const char *pattern = getenv("VB_TEST_FILTER");
	if (pattern && *pattern)
		cmocka_set_test_filter(pattern);
}

/* A test that needs something this machine may lack (root, /dev/kvm, a
 * container runtime, QEMU) skips with the reason, except under CI=true where
 * nothing may be silently left out: there the skip is a failure. */
#define VB_REQUIRE(cond, reason)                                                                   \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			const char *ci_ = getenv("CI");                                            \
			if (ci_ && !strcmp(ci_, "true"))                                           \
				fail_msg("required in CI but missing: %s", (reason));              \
			print_message("[  SKIP    ] %s\n", (reason));                              \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* Suites that need /dev/kvm. On a machine without a usable one, `make test`
 * first runs these suites inside the emulated hosts (tests/emulated: x86_64
 * with SVM, arm64 with EL2), which have a real nested /dev/kvm, and then sets
 * VB_KVM_TESTED_IN=<where> for the local run: the local copies skip, even
 * under CI=true, because the same tests have already run and passed there. */
#define VB_REQUIRE_KVM(usable)                                                                     \
	do {                                                                                       \
		const char *where_ = getenv("VB_KVM_TESTED_IN");                                   \
		if (!(usable) && where_ && *where_) {                                              \
			print_message("[  SKIP    ] no usable /dev/kvm here; this suite "          \
				      "ran in %s\n",                                               \
				      where_);                                                     \
			skip();                                                                    \
		}                                                                                  \
		VB_REQUIRE((usable), "/dev/kvm is not available to open");                         \
	} while (0)

/* Path of a fixture file under tests/fixtures. */
static inline const char *fixture(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("VB_FIXTURES");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", rel);
	return path;
}

/* Path of the virtbench binary of the build under test. */
static inline const char *vb_binary(void)
{
	static char path[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(path, sizeof(path), "%s/virtbench", b ? b : "build");
	return path;
}

/* ---- external programs and a private TMPDIR ---- */
#include <glob.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/proc.h"

static inline bool vb_have(const char *prog)
{
	char *p = proc__which(prog);
	free(p);
	return p != NULL;
}

/* Runs argv for at most 60 s; true when it exited 0. r is filled either
 * way (proc__result_free it). */
static inline bool vb_run_ok(char *const *argv, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000 };
	struct vb_err err = { 0 };
	memset(r, 0, sizeof(*r));
	return proc__run(&o, r, &err) == 0 && r->exit_code == 0;
}

/* Runs argv, which must exit 0 (and, when quiet, print nothing on
 * stderr); its stdout (free it). */
static inline char *vb_run_stdout(char *const *argv, bool quiet)
{
	struct vb_proc_result r;
	if (!vb_run_ok(argv, &r) || (quiet && r.err_len))
		fail_msg("%s: exit %d: %s", argv[0], r.exit_code, r.errout ? r.errout : "");
	char *out = r.out;
	r.out = NULL;
	proc__result_free(&r);
	return out;
}

/* A readable Debian kernel in /boot for QEMU guests (linux-image-*). */
static inline bool vb_have_boot_kernel(void)
{
	glob_t g;
	bool ok = glob("/boot/vmlinuz-*", 0, NULL, &g) == 0 && g.gl_pathc > 0 &&
		  access(g.gl_pathv[0], R_OK) == 0;
	if (ok)
		globfree(&g);
	return ok;
}

/* A docker daemon answers (asked once per process). */
static inline bool vb_docker_ok(void)
{
	static int cached = -1;
	if (cached < 0) {
		char *argv[] = { "docker", "version", NULL };
		struct vb_proc_result r;
		cached = vb_have("docker") && vb_run_ok(argv, &r);
		proc__result_free(&r);
	}
	return cached;
}

/* A fresh TMPDIR under /tmp for this test and what it runs: whatever is in
 * it afterwards was left there. Returns 0, or -1 for a cmocka setup. */
static inline int vb_tmpdir_enter(char *dir, size_t size, const char *prefix)
{
	struct vb_err err = { 0 };
	setenv("TMPDIR", "/tmp", 1);
	if (file__mkdtemp(prefix, dir, size, &err) < 0)
		return -1;
	setenv("TMPDIR", dir, 1);
	return 0;
}

static inline void vb_tmpdir_leave(const char *dir)
{
	file__remove_tree(dir);
	unsetenv("TMPDIR");
}

#endif
