/* The embedded default guest's initramfs: the static worker as /init, the
 * mount points it uses and /dev/console (so the kernel gives /init a stdin,
 * stdout and stderr before devtmpfs is mounted). Written uncompressed: the
 * kernel accepts a plain newc archive, it needs no zlib here, and under TCG
 * skipping the decompression is faster than reading fewer bytes. */
#ifndef VB_QEMU_INITRAMFS_H
#define VB_QEMU_INITRAMFS_H

#include "core/err.h"

int initramfs__write(const char *path, const char *init_path, struct vb_err *err);

#endif
