/* Shared by the unit tests (cmocka). */
#ifndef VB_TESTUTIL_H
#define VB_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A test that needs something this machine may lack (root, /dev/kvm, a
 * container runtime, QEMU) skips with the reason, except under CI=true where
 * nothing may be silently left out: there the skip is a failure. */
#define VB_REQUIRE(cond, reason)                                                        \
	do {                                                                            \
		if (!(cond)) {                                                          \
			const char *ci_ = getenv("CI");                                 \
			if (ci_ && !strcmp(ci_, "true"))                                \
				fail_msg("required in CI but missing: %s", (reason));   \
			print_message("[  SKIP    ] %s\n", (reason));                   \
			skip();                                                         \
		}                                                                       \
	} while (0)

/* Suites that need /dev/kvm. On a machine without a usable one, `make test`
 * first runs these suites inside the emulated hosts (tests/emulated: x86_64
 * with SVM, arm64 with EL2), which have a real nested /dev/kvm, and then sets
 * VB_KVM_TESTED_IN=<where> for the local run: the local copies skip, even
 * under CI=true, because the same tests have already run and passed there. */
#define VB_REQUIRE_KVM(usable)                                                          \
	do {                                                                            \
		const char *where_ = getenv("VB_KVM_TESTED_IN");                        \
		if (!(usable) && where_ && *where_) {                                   \
			print_message("[  SKIP    ] no usable /dev/kvm here; this suite "  \
				      "ran in %s\n", where_);                           \
			skip();                                                         \
		}                                                                       \
		VB_REQUIRE((usable), "/dev/kvm is not available to open");              \
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

#endif
