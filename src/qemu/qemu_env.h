/* Finding what a QEMU guest needs on this host: the QEMU binary, qemu-img,
 * a kernel, the static worker and an ISO9660 writer. Each lookup says in
 * one line what is missing and how to provide it. */
#ifndef VB_QEMU_ENV_H
#define VB_QEMU_ENV_H

#include "core/err.h"

/* `opt` is the user's --qemu (NULL: qemu-system-<arch> on PATH). */
int qemu_env__qemu(const char *opt, char **out, struct vb_err *err);
/* qemu-img next to the QEMU binary, else on PATH. */
int qemu_env__qemu_img(const char *qemu, char **out, struct vb_err *err);
/* `opt` is --kernel (NULL: /boot/vmlinuz-$(uname -r), else the newest
 * /boot/vmlinuz-*). Checks it can be read and looks like a kernel. */
int qemu_env__kernel(const char *opt, char **out, struct vb_err *err);
/* The static worker (wclient__find_worker: `opt`, else $VIRTBENCH_WORKER,
 * else next to the running program), which must be statically linked. */
int qemu_env__worker(const char *opt, char **out, struct vb_err *err);

/* A NoCloud seed writer found on PATH. */
enum qemu_iso_tool { ISO_CLOUD_LOCALDS, ISO_GENISOIMAGE, ISO_XORRISO, ISO_MKISOFS };
int qemu_env__iso_tool(enum qemu_iso_tool *tool, char **path, struct vb_err *err);

#endif
