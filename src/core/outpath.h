/* Where results may be written. Checked when the command line is read, so
 * a wrong -o costs nothing (no benchmark runs for results that cannot be
 * saved), and again when writing. */
#ifndef VB_CORE_OUTPATH_H
#define VB_CORE_OUTPATH_H

#include "core/err.h"

/* -o FILE: not empty; a regular file or nothing there (not a symlink,
 * device, FIFO, socket or directory); its directory exists and takes a new
 * file. Writes nothing that stays. */
int outpath__check_file(const char *path, struct vb_err *err);
/* A results directory before anything runs: an existing one must follow
 * outpath__make_dir's rules and take a new file; a missing one must have
 * an existing directory above it that does. Writes nothing that stays. */
int outpath__check_dir(const char *dir, struct vb_err *err);
/* Creates dir when missing (mkdir -p, 0755), then refuses it when it is
 * the root directory, is not owned by the effective user, or others can
 * write to it without the sticky bit: anyone could then replace the files
 * written there between two runs, or place symlinks for the next. */
int outpath__make_dir(const char *dir, struct vb_err *err);

#endif
