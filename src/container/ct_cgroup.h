/* Control groups for the built-in runtime: finds the layout from the mount
 * table (v2 only, v1 only, or hybrid: v1 controllers plus an empty unified
 * tree, as on this development machine), makes one group per container in
 * every tree that matters, applies optional CPU and memory limits, places
 * the container's first process and removes the groups again. */
#ifndef VB_CONTAINER_CT_CGROUP_H
#define VB_CONTAINER_CT_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/mountinfo.h"

#define CG_PATH	      256
#define CG_MAX_DIRS   5
#define CG_MAX_MOUNTS 24

struct cg_layout {
	enum cgroup_layout mode;
	char unified[CG_PATH]; /* cgroup2 mount, or "" */
	char cpu[CG_PATH];     /* v1 mount holding the cpu controller, or "" */
	char memory[CG_PATH];  /* v1 memory controller */
	char pids[CG_PATH];    /* v1 pids controller */
	/* Every hierarchy, v1 and v2, once each: runc also makes groups in
	 * those the built-in runtime leaves alone (systemd, blkio, freezer,
	 * devices, cpuset, cpuacct...), and leftovers are looked for there. */
	char all[CG_MAX_MOUNTS][CG_PATH];
	unsigned nall;
};

struct cg_limits {
	double cpus;	       /* 0: none; 1.5 = one and a half CPUs */
	uint64_t memory_bytes; /* 0: none */
};

struct cg_group {
	char dirs[CG_MAX_DIRS][CG_PATH];
	unsigned n;
};

/* The layout of a mount table (tests feed fixtures); fails when no cgroup
 * file system is mounted. */
int ct_cgroup__from_mounts(const struct mountinfo *mi, struct cg_layout *l, struct vb_err *err);
/* The layout of this process's mount table. */
int ct_cgroup__detect(struct cg_layout *l, struct vb_err *err);

/* Creates `name` in every tree and applies the limits. On failure nothing
 * is left behind. */
int ct_cgroup__create(const struct cg_layout *l, const char *name, const struct cg_limits *lim,
		      struct cg_group *g, struct vb_err *err);
/* Moves pid into every group of g. */
int ct_cgroup__attach(const struct cg_group *g, pid_t pid, struct vb_err *err);
/* Removes the groups (their processes must be gone); retries briefly while
 * the kernel still counts a just-reaped task. Returns -1 if any remains.
 * Async-signal-safe (rmdir, nanosleep only), so the emergency path can use it. */
int ct_cgroup__destroy(struct cg_group *g);

/* Counts directories whose name starts with prefix directly under every
 * cgroup hierarchy (the leftover check). */
int ct_cgroup__count_prefix(const struct cg_layout *l, const char *prefix);
/* Removes a group directory and any below it, first killing what still
 * runs in them (a dead run's leftovers only). Returns how many went. */
unsigned ct_cgroup__remove_tree(const char *dir);
/* ct_cgroup__remove_tree of <hierarchy>/<name> in every hierarchy. */
unsigned ct_cgroup__remove_named(const struct cg_layout *l, const char *name);

#endif
