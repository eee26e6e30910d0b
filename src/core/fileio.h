/* Files: atomic writes (temp file in the same directory, fsync, rename), so a
 * crash never leaves a partial results file, and bounded whole-file reads.
 * Results are written where others' files may lie (copied results
 * directories, /tmp): a write replaces a regular file or nothing, never
 * follows a symlink and never replaces a device, FIFO, socket or directory. */
#ifndef VB_CORE_FILEIO_H
#define VB_CORE_FILEIO_H

#include <stddef.h>

#include "core/err.h"

/* Creates or replaces the regular file path (mode 0644 whatever the umask);
 * anything else at path, a symlink included, is refused, also when it
 * appears while the file is written. */
int file__write_atomic(const char *path, const void *data, size_t len, struct vb_err *err);
/* Renames the regular file src (not a symlink) to dst under the same rules,
 * mode 0644; both on one file system. */
int file__move_into(const char *src, const char *dst, struct vb_err *err);
/* Creates and removes a file in dir: the one test of "can a file be
 * written there" that holds on every file system (procfs, read-only
 * mounts, root's permissions). */
int file__can_create(const char *dir, struct vb_err *err);
/* "a regular file", "a directory", "a character device", ... for messages. */
const char *file__kind(unsigned mode);
/* Reads at most max bytes; larger files are an error. *out is NUL-terminated. */
int file__read_all(const char *path, size_t max, char **out, size_t *len, struct vb_err *err);
/* Reads a small text file (sysfs/procfs) into buf, trims the newline.
 * Returns length, or -1 (errno set) without recording an error. */
int file__read_line(const char *path, char *buf, size_t size);
/* mkdir -p. */
int file__mkdirs(const char *path, struct vb_err *err);
/* Creates a private temp dir (mode 0700) under $TMPDIR (default /tmp);
 * caller removes it. */
int file__mkdtemp(const char *prefix, char *out, size_t size, struct vb_err *err);
/* The same inside dir: <dir>/<prefix>.XXXXXX. */
int file__mkdtemp_in(const char *dir, const char *prefix, char *out, size_t size,
		     struct vb_err *err);
/* rm -rf without following symlinks or crossing mounts. */
int file__remove_tree(const char *path);

#endif
