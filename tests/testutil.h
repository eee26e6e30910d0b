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
