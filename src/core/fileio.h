/* Files: atomic writes (temp file in the same directory, fsync, rename), so a
 * crash never leaves a partial results file, and bounded whole-file reads. */
#ifndef VB_CORE_FILEIO_H
#define VB_CORE_FILEIO_H

#include <stddef.h>

#include "core/err.h"

int file__write_atomic(const char *path, const void *data, size_t len, struct vb_err *err);
/* Reads at most max bytes; larger files are an error. *out is NUL-terminated. */
int file__read_all(const char *path, size_t max, char **out, size_t *len, struct vb_err *err);
/* Reads a small text file (sysfs/procfs) into buf, trims the newline.
 * Returns length, or -1 (errno set) without recording an error. */
int file__read_line(const char *path, char *buf, size_t size);
/* mkdir -p. */
int file__mkdirs(const char *path, struct vb_err *err);
/* Creates a private temp dir under $TMPDIR (default /tmp); caller removes it. */
int file__mkdtemp(const char *prefix, char *out, size_t size, struct vb_err *err);
/* rm -rf without following symlinks or crossing mounts. */
int file__remove_tree(const char *path);

#endif
