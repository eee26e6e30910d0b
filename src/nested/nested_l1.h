/* The L1 guest of a nested run: what goes into its initramfs and how QEMU
 * starts it. */
#ifndef VB_NESTED_L1_H
#define VB_NESTED_L1_H

#include <stdbool.h>

#include "core/err.h"

struct nested_l1 {
	const char *busybox;	    /* static */
	const char *virtbench;	    /* static, of the host's architecture */
	const char *commands;	    /* sourced by /init */
	const char *module;	    /* KVM module to load, NULL when built in */
	const char *kernel_version; /* for /lib/modules/VERSION */
	const char *modules_root;   /* "/lib/modules" (tests use a fixture) */
};

int nested_l1__write_initramfs(const char *path, const struct nested_l1 *l1, struct vb_err *err);

/* Whether an ELF file is statically linked (no program interpreter); an
 * error unless it is a 64-bit executable for arch ("x86_64", "aarch64"; NULL
 * accepts either). */
int nested_l1__is_static(const char *path, const char *arch, bool *is_static, struct vb_err *err);
/* The static virtbench for an L1 guest of arch: the one given, else for this
 * host's architecture this binary when it is static, else virtbench-static
 * next to it or in ../lib/virtbench. Caller frees. */
int nested_l1__find_virtbench(const char *given, const char *arch, bool host_arch, char **out,
			      struct vb_err *err);
/* The kernel version from a kernel file name ("vmlinuz-6.1.0-27-amd64"). */
int nested_l1__kernel_version(const char *kernel, char *out, size_t size, struct vb_err *err);

#endif
