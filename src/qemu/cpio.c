#include "qemu/cpio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cpio__init(struct cpio_writer *w, int fd)
{
	w->fd = fd;
	w->offset = 0;
	w->next_ino = 1;
}

static int write_all(struct cpio_writer *w, const void *data, size_t len, struct vb_err *err)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err__set(err, errno, "writing the initramfs");
		}
		p += n;
		len -= (size_t)n;
		w->offset += (uint64_t)n;
	}
	return 0;
}

static int pad4(struct cpio_writer *w, struct vb_err *err)
{
	static const char zeros[4];
	size_t pad = (size_t)((4 - (w->offset & 3)) & 3);
	return pad ? write_all(w, zeros, pad, err) : 0;
}

/* Every field is 8 hex digits; mtime stays 0 so the archive is reproducible. */
static int entry(struct cpio_writer *w, const char *name, mode_t mode, uint32_t nlink,
		 unsigned rmaj, unsigned rmin, const void *data, size_t len, struct vb_err *err)
{
	size_t namesize = strlen(name) + 1;
	if (len > 0xffffffffu)
		return err__set(err, EFBIG, "initramfs entry %s", name);
	char hdr[111];
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 w->next_ino++, (unsigned)mode, 0u, 0u, nlink, 0u, (unsigned)len, 0u, 0u, rmaj,
		 rmin, (unsigned)namesize, 0u);
	if (write_all(w, hdr, 110, err) < 0 || write_all(w, name, namesize, err) < 0 ||
	    pad4(w, err) < 0)
		return -1;
	if (len && (write_all(w, data, len, err) < 0 || pad4(w, err) < 0))
		return -1;
	return 0;
}

int cpio__add_dir(struct cpio_writer *w, const char *name, mode_t perm, struct vb_err *err)
{
	return entry(w, name, S_IFDIR | (perm & 07777), 2, 0, 0, NULL, 0, err);
}

int cpio__add_file(struct cpio_writer *w, const char *name, mode_t perm, const void *data,
		   size_t len, struct vb_err *err)
{
	return entry(w, name, S_IFREG | (perm & 07777), 1, 0, 0, data, len, err);
}

int cpio__add_node(struct cpio_writer *w, const char *name, mode_t type, mode_t perm, unsigned maj,
		   unsigned min, struct vb_err *err)
{
	return entry(w, name, (type & S_IFMT) | (perm & 07777), 1, maj, min, NULL, 0, err);
}

int cpio__finish(struct cpio_writer *w, struct vb_err *err)
{
	if (entry(w, "TRAILER!!!", 0, 1, 0, 0, NULL, 0, err) < 0)
		return -1;
	/* The kernel reads the archive in 512-byte blocks, as cpio(1) pads. */
	static const char zeros[512];
	size_t pad = (size_t)((512 - (w->offset % 512)) % 512);
	return pad ? write_all(w, zeros, pad, err) : 0;
}
