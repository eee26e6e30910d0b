/* What a live `vm nested` run needs on this machine, for the suites that
 * boot one (test_nested.c, test_cleanup_signals.c): a kernel with its
 * modules, QEMU of this architecture and the static virtbench of the plain
 * build (sanitizer builds make none). */
#ifndef VB_TESTS_NESTEDUTIL_H
#define VB_TESTS_NESTEDUTIL_H

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* A /boot/vmlinuz-* whose modules are in /lib/modules, into out. */
static inline bool vb_kvm_modules_kernel(char *out, size_t size)
{
	glob_t g;
	bool ok = false;
	if (glob("/boot/vmlinuz-*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && !ok; i++) {
			char dep[512];
			snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep",
				 g.gl_pathv[i] + strlen("/boot/vmlinuz-"));
			ok = access(dep, R_OK) == 0;
			if (ok)
				snprintf(out, size, "%s", g.gl_pathv[i]);
		}
		globfree(&g);
	}
	return ok;
}

static inline bool vb_have_kvm_modules_kernel(void)
{
	char k[512];
	return vb_kvm_modules_kernel(k, sizeof(k));
}

static inline bool vb_plain_build(void)
{
	char p[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(p, sizeof(p), "%s/virtbench-static", b ? b : "build");
	return access(p, X_OK) == 0;
}

/* The static virtbench an L1 guest runs: this build's, else the plain
 * build's (a sanitizer build has none, and the guest's copy need not be
 * sanitized: what is under test runs on the host). False when neither is. */
static inline bool vb_static_virtbench(char *out, size_t size)
{
	const char *b = getenv("VB_BUILD");
	snprintf(out, size, "%s/virtbench-static", b ? b : "build");
	if (access(out, X_OK) == 0)
		return true;
	snprintf(out, size, "build/virtbench-static");
	return access(out, X_OK) == 0;
}

/* NULL when this machine has what a live nested run of its architecture
 * needs (the build aside), else why not. */
static inline const char *vb_nested_missing(void)
{
	if (getenv("VB_QEMU_USER"))
		return "qemu-user cannot boot a guest of the host's kernel";
	struct utsname u;
	char qemu_name[80];
	if (uname(&u) < 0)
		return "uname failed";
	snprintf(qemu_name, sizeof(qemu_name), "qemu-system-%s", u.machine);
	if (!vb_have(qemu_name))
		return "QEMU is not installed";
	if (!vb_have_kvm_modules_kernel())
		return "no /boot/vmlinuz-* with modules (linux-image-*)";
	if (access("/bin/busybox", X_OK) < 0)
		return "no /bin/busybox (busybox-static)";
	return NULL;
}

/* Skips the test unless a live nested run can start here: what is missing
 * fails in CI, a sanitizer build (no static virtbench) only skips. */
#define VB_REQUIRE_NESTED()                                                                        \
	do {                                                                                       \
		const char *missing_ = vb_nested_missing();                                        \
		VB_REQUIRE(!missing_, missing_);                                                   \
		if (!vb_plain_build()) {                                                           \
			print_message("[  SKIP    ] no virtbench-static in this build (the "       \
				      "plain build runs this)\n");                                 \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

#endif
