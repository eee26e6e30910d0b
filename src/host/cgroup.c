#include "host/cgroup.h"

#include <stdio.h>
#include <string.h>

static void append_word(char *list, size_t size, const char *word)
{
	size_t len = strlen(list);
	snprintf(list + len, size - len, "%s%s", len ? " " : "", word);
}

void cgroup__from_mounts(const struct mountinfo *mi, struct host_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	for (size_t i = 0; i < mi->n; i++) {
		const struct mount_entry *m = &mi->mounts[i];
		int version = mountinfo__cgroup_version(m);
		if (version == 2 && !cg->v2_mount[0]) {
			snprintf(cg->v2_mount, sizeof(cg->v2_mount), "%.255s", m->point);
		} else if (version == 1) {
			const char *base = strrchr(m->point, '/');
			append_word(cg->v1_hierarchies, sizeof(cg->v1_hierarchies),
				    base ? base + 1 : m->point);
		}
	}
	snprintf(cg->layout, sizeof(cg->layout), "%s",
		 mountinfo__cgroup_layout_name(mountinfo__cgroup_layout(mi)));
}

int cgroup__read(const struct hostfs *fs, struct host_cgroup *cg)
{
	char path[4096];
	struct mountinfo mi;
	struct vb_err err = { 0 };
	if (hostfs__path(fs, MOUNTINFO_SELF, path, sizeof(path)) < 0 ||
	    mountinfo__read(path, &mi, &err) < 0) {
		memset(cg, 0, sizeof(*cg));
		snprintf(cg->layout, sizeof(cg->layout), "unknown");
		return -1;
	}
	cgroup__from_mounts(&mi, cg);
	mountinfo__free(&mi);
	if (cg->v2_mount[0]) {
		/* The mount point is a path of the live host; fixtures keep the
		 * file at the same place under their root. */
		snprintf(path, sizeof(path), "%.400s/cgroup.controllers", cg->v2_mount);
		if (hostfs__read_line(fs, path, cg->v2_controllers, sizeof(cg->v2_controllers)) < 0)
			cg->v2_controllers[0] = '\0';
	}
	return 0;
}
