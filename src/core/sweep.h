/* The start-of-run sweep: what runs that ended without cleaning up (killed
 * with SIGKILL, crashed, power lost) left behind, removed by the next run.
 * Only things whose owner (core/owner.h) is dead are touched. Each area has
 * its own sweeper (ct__sweep, qemu__sweep); this is what they share. */
#ifndef VB_CORE_SWEEP_H
#define VB_CORE_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/owner.h"

enum sweep_kind {
	SWEEP_PROCESS,
	SWEEP_CONTAINER,
	SWEEP_IMAGE,
	SWEEP_CGROUP,
	SWEEP_MOUNT,
	SWEEP_TMPDIR,
	SWEEP_KINDS
};

struct sweep_tally {
	unsigned n[SWEEP_KINDS];
};

/* A work dir holding this file is kept (--keep) even once its owner is
 * gone; what runs from it is still stopped. */
#define SWEEP_KEEP_MARKER ".virtbench-keep"

/* "1 QEMU process, 2 temp dirs" style list of what was removed; "" when
 * nothing was. */
void sweep__describe(const struct sweep_tally *t, char *out, size_t size);

/* Every directory of $TMPDIR (default /tmp) whose name owner_of() accepts
 * and whose owner is dead: first before(path, arg) (stops what runs from
 * it), then whatever is mounted under it is detached and it is removed,
 * unless it holds SWEEP_KEEP_MARKER. */
typedef bool (*sweep_owner_fn)(const char *name, struct vb_owner *o);
typedef void (*sweep_dir_fn)(const char *path, void *arg);
void sweep__tmpdirs(sweep_owner_fn owner_of, sweep_dir_fn before, void *arg, struct sweep_tally *t);
/* The same in another directory (where a benchmark was told to write). */
void sweep__dirs_in(const char *dir, sweep_owner_fn owner_of, sweep_dir_fn before, void *arg,
		    struct sweep_tally *t);

/* Detaches every mount at or under path (deepest first); returns how many. */
unsigned sweep__unmount_under(const char *path);

/* $TMPDIR or /tmp. */
const char *sweep__tmp(void);

#endif
