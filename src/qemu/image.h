/* Cloud images (--image): the user's qcow2 or raw disk is never written. Each
 * boot gets a fresh qcow2 overlay backed by it, so every boot is a first
 * boot, and a NoCloud seed ISO (volume "cidata") whose user-data reports the
 * boot on the protocol serial port once cloud-init has finished (the phases
 * of qemu/bootlog.h, then the ready marker) and powers the guest off when the
 * host sends VBEXIT. */
#ifndef VB_QEMU_IMAGE_H
#define VB_QEMU_IMAGE_H

#include "core/err.h"

/* Checks that `path` is a disk image QEMU can boot: qemu-img reads it, and a
 * raw file carries a partition table. Sets *format ("qcow2", "raw", ...) and
 * *abs (the absolute path, so a ':' in it is never read as a protocol). */
int image__inspect(const char *qemu_img, const char *path, char **format, char **abs,
		   struct vb_err *err);
int image__overlay(const char *qemu_img, const char *abs, const char *format, const char *overlay,
		   struct vb_err *err);
/* Writes user-data and meta-data into dir and packs them into iso_path. */
int image__seed(const char *dir, const char *marker, const char *channel_dev, const char *iso_path,
		struct vb_err *err);
/* Where the seed's user-data installs the script that reports the boot. */
#define IMAGE_READY_SCRIPT "/run/virtbench-ready.sh"
/* The user-data text (for the tests). Caller frees. */
char *image__user_data(const char *marker, const char *channel_dev);

#endif
