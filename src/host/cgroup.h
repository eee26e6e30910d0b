/* The cgroup layout from /proc/self/mountinfo: "v2" (unified only), "v1"
 * (legacy hierarchies only), "hybrid" (v1 controllers plus a cgroup2 mount,
 * typically /sys/fs/cgroup/unified) or "none". crun refuses hybrid. */
#ifndef VB_HOST_CGROUP_H
#define VB_HOST_CGROUP_H

#include "host/hostfs.h"

struct host_cgroup {
	char layout[8];
	char v2_mount[256];        /* where cgroup2 is mounted, "" when not */
	char v1_hierarchies[512];  /* "cpu cpuacct memory ..." (mount basenames) */
	char v2_controllers[256];  /* cgroup.controllers of the v2 root */
};

/* Parses mountinfo text. Returns 0. */
int cgroup__parse_mountinfo(const char *text, struct host_cgroup *out);
int cgroup__read(const struct hostfs *fs, struct host_cgroup *out);

#endif
