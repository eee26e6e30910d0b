/* The L1 guest of a nested run: what goes into its initramfs and how QEMU
 * starts it. */
#ifndef VB_NESTED_L1_H
#define VB_NESTED_L1_H

#include <limits.h>
#include <stdbool.h>

#include "core/err.h"
#include "core/proc.h"
#include "nested/nested.h"

struct nested_arch;

struct nested_l1 {
	const char *busybox;	    /* static */
	const char *virtbench;	    /* static, of the host's architecture */
	const char *commands;	    /* sourced by /init */
	const char *module;	    /* KVM module to load, NULL when built in */
	const char *kernel_version; /* for /lib/modules/VERSION */
	const char *modules_root;   /* "/lib/modules" (tests use a fixture) */
	const struct nested_extra *extra;
	unsigned nextra;
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

/* What this host offers an L1 guest (from host__inspect_fast). */
struct nested_host {
	bool usable, nested;
	char flavour[32], why[256], usable_why[256];
};
int nested_host__inspect(struct nested_host *v, struct vb_err *err);
/* KVM or TCG for the L1 guest, from --accel and what the host offers (v is
 * read only when --accel is not tcg). */
int nested__pick_accel(const struct nested_opts *o, const struct nested_arch *a,
		       const struct nested_host *v, bool *kvm, struct vb_err *err);

/* One boot of the L1 guest. Set arch and kvm, abort_slot = -1, then
 * prepare (the tools, a private directory with the initramfs, removed on a
 * forced exit too) and run (QEMU to its end, the console in r->out; on a
 * timeout -1 with r filled). close releases it all, also after an error. */
struct nested_boot {
	const struct nested_arch *arch;
	bool kvm;
	int abort_slot;
	char dir[PATH_MAX], initrd[PATH_MAX + 32];
	char *qemu, *kernel, *virtbench;
};
int nested_boot__prepare(struct nested_boot *b, const struct nested_opts *o,
			 const struct nested_host *v, const char *commands,
			 const struct nested_extra *extra, unsigned nextra, struct vb_err *err);
/* append_more: kernel arguments besides the console and /init; smp 0: the
 * architecture's default. */
int nested_boot__run(const struct nested_boot *b, const struct nested_opts *o,
		     const char *append_more, unsigned smp, struct vb_proc_result *r,
		     struct vb_err *err);
void nested_boot__close(struct nested_boot *b);

#endif
