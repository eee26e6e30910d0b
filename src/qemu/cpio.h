/* A writer for the "newc" cpio format (the one the Linux kernel unpacks as
 * an initramfs): 110-byte ASCII headers, names and data padded to 4 bytes,
 * closed by a "TRAILER!!!" entry. Entries go straight to a descriptor. */
#ifndef VB_QEMU_CPIO_H
#define VB_QEMU_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

struct cpio_writer {
	int fd;
	uint64_t offset; /* bytes written so far */
	uint32_t next_ino;
};

void cpio__init(struct cpio_writer *w, int fd);
int cpio__add_dir(struct cpio_writer *w, const char *name, mode_t perm, struct vb_err *err);
int cpio__add_file(struct cpio_writer *w, const char *name, mode_t perm, const void *data,
		   size_t len, struct vb_err *err);
/* A device node (S_IFCHR or S_IFBLK in type). */
int cpio__add_node(struct cpio_writer *w, const char *name, mode_t type, mode_t perm, unsigned maj,
		   unsigned min, struct vb_err *err);
int cpio__finish(struct cpio_writer *w, struct vb_err *err);

#endif
