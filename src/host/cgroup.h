/* The cgroup layout of a host, as `virtbench info` shows it: from its mount
 * table (core/mountinfo.h, the same reading the container runtime makes)
 * and the controllers of its cgroup2 root. */
#ifndef VB_HOST_CGROUP_H
#define VB_HOST_CGROUP_H

#include "core/mountinfo.h"
#include "host/hostfs.h"

struct host_cgroup {
	char layout[8];		  /* mountinfo__cgroup_layout_name, or "unknown" */
	char v2_mount[256];	  /* where cgroup2 is mounted, "" when not */
	char v1_hierarchies[512]; /* "cpu cpuacct memory ..." (mount basenames) */
	char v2_controllers[256]; /* cgroup.controllers of the v2 root */
};

/* The layout, mount and hierarchies of a mount table (no controllers). */
void cgroup__from_mounts(const struct mountinfo *mi, struct host_cgroup *out);
/* <root>/proc/self/mountinfo and the cgroup2 root's cgroup.controllers.
 * Returns -1 (layout "unknown") when the mount table cannot be read. */
int cgroup__read(const struct hostfs *fs, struct host_cgroup *out);

#endif
