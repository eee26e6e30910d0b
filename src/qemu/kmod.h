/* Kernel modules into a guest's initramfs: the ones asked for and what they
 * need, in load order, as mod/0.ko, mod/1.ko ... and mod/order (one file
 * name a line). The embedded guest's worker (src/worker/guest_init.c) and the
 * nested L1 guest's /init (busybox insmod) both load mod/order in turn. */
#ifndef VB_QEMU_KMOD_H
#define VB_QEMU_KMOD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "qemu/cpio.h"

#define KMOD_MAX 32

/* The modules a module needs, dependencies first, as paths under
 * /lib/modules/VERSION, from that version's modules.dep text. */
int kmod__order(const char *modules_dep, const char *module, char paths[][256], unsigned max,
		unsigned *n, struct vb_err *err);
/* The kernel version from a kernel file name ("vmlinuz-6.1.0-27-amd64"). */
int kmod__version(const char *kernel, char *out, size_t size, struct vb_err *err);
/* A module file, decompressed when its name says it is compressed. */
int kmod__read(const char *path, char **data, size_t *len, struct vb_err *err);
/* Adds mod/ with the modules (and their dependencies, each once) of the
 * kernel whose modules are in dir (/lib/modules/VERSION); those built into
 * the kernel (modules.builtin) are left out. */
int kmod__add(struct cpio_writer *w, const char *dir, const char *const *modules, unsigned nmod,
	      struct vb_err *err);

#endif
