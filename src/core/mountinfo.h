/* The mount table as the kernel shows it in /proc/<pid>/mountinfo, one mount
 * a line:
 *   36 25 0:31 / /sys/fs/cgroup/cpu rw,relatime shared:15 - cgroup cgroup rw,cpu
 * (id, parent, dev, root, mount point, options, optional fields up to "-",
 * fs type, source, superblock options). The one reader of that file, so
 * `virtbench info`, the container runtime and the sweep agree on what is
 * mounted: the kernel's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash) are decoded in every field, and a line may be any length. */
#ifndef VB_CORE_MOUNTINFO_H
#define VB_CORE_MOUNTINFO_H

#include <stddef.h>

#include "core/err.h"

/* Where Linux shows this process's mount table. */
#define MOUNTINFO_SELF "/proc/self/mountinfo"

struct mount_entry {
	unsigned long id, parent;
	const char *dev;	   /* "major:minor" of the file system */
	const char *root;	   /* the directory of that file system mounted here */
	const char *point;	   /* where it is mounted */
	const char *options;	   /* per-mount: "rw,relatime" */
	const char *fstype;	   /* "ext4", "cgroup", "cgroup2", ... */
	const char *source;	   /* "/dev/sda1", "cgroup", ... */
	const char *super_options; /* per-superblock: "rw,cpu,cpuacct" */
};

struct mountinfo {
	/* In the kernel's order, which lists a parent before its children. */
	struct mount_entry *mounts;
	size_t n;
	char *strings; /* the entries' text */
};

/* Parses the text of a mountinfo file; lines not in that format are
 * skipped. Fails only when out of memory. */
int mountinfo__parse(const char *text, struct mountinfo *mi, struct vb_err *err);
/* Reads and parses a mountinfo file (MOUNTINFO_SELF, or a fixture's). */
int mountinfo__read(const char *path, struct mountinfo *mi, struct vb_err *err);
void mountinfo__free(struct mountinfo *mi);

/* The cgroup layout a mount table makes: v1 hierarchies only, cgroup2
 * only, or hybrid (v1 controllers plus a cgroup2 mount, typically
 * /sys/fs/cgroup/unified). crun refuses hybrid. */
enum cgroup_layout { CGROUP_NONE = 0, CGROUP_V1, CGROUP_V2, CGROUP_HYBRID };

/* 1 for a cgroup v1 hierarchy, 2 for cgroup2, 0 for any other mount. */
int mountinfo__cgroup_version(const struct mount_entry *m);
enum cgroup_layout mountinfo__cgroup_layout(const struct mountinfo *mi);
/* "none", "v1", "v2", "hybrid". */
const char *mountinfo__cgroup_layout_name(enum cgroup_layout l);

#endif
