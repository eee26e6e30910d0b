/* The embedded default guest's initramfs: the static worker as /init, the
 * mount points it uses and /dev/console (so the kernel gives /init a stdin,
 * stdout and stderr before devtmpfs is mounted). Written uncompressed: the
 * kernel accepts a plain newc archive, it needs no zlib here, and under TCG
 * skipping the decompression is faster than reading fewer bytes. */
#ifndef VB_QEMU_INITRAMFS_H
#define VB_QEMU_INITRAMFS_H

#include "core/err.h"

int initramfs__write(const char *path, const char *init_path, struct vb_err *err);
/* The same with kernel modules the worker loads before it reports ready
 * (the I/O benchmarks' virtio drivers): those of `kernel` in
 * /lib/modules/VERSION (qemu/kmod.h). A kernel whose modules are not
 * installed, or whose file name does not say its version, gets none: what
 * it has built in is all the guest has. */
int initramfs__write_mods(const char *path, const char *init_path, const char *kernel,
			  const char *const *modules, struct vb_err *err);

#endif
