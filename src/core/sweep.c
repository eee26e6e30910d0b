#include "core/sweep.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/mountinfo.h"

const char *sweep__tmp(void)
{
	const char *tmp = getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}

void sweep__describe(const struct sweep_tally *t, char *out, size_t size)
{
	static const char *const names[SWEEP_KINDS][2] = {
		[SWEEP_PROCESS] = { "process", "processes" },
		[SWEEP_CONTAINER] = { "container", "containers" },
		[SWEEP_IMAGE] = { "image", "images" },
		[SWEEP_CGROUP] = { "cgroup", "cgroups" },
		[SWEEP_MOUNT] = { "mount", "mounts" },
		[SWEEP_TMPDIR] = { "temp dir", "temp dirs" },
	};
	size_t used = 0;
	out[0] = '\0';
	for (int k = 0; k < SWEEP_KINDS; k++) {
		if (!t->n[k] || used >= size)
			continue;
		int n = snprintf(out + used, size - used, "%s%u %s", used ? ", " : "", t->n[k],
				 names[k][t->n[k] != 1]);
		if (n > 0)
			used += (size_t)n;
	}
}

unsigned sweep__unmount_under(const char *path)
{
	struct mountinfo mi;
	struct vb_err err = { 0 };
	if (mountinfo__read(MOUNTINFO_SELF, &mi, &err) < 0)
		return 0;
	size_t plen = strlen(path);
	unsigned done = 0;
	/* mountinfo lists parents before children: undo from the end. */
	for (size_t i = mi.n; i-- > 0;) {
		const char *mnt = mi.mounts[i].point;
		if (!strncmp(mnt, path, plen) && (mnt[plen] == '/' || mnt[plen] == '\0'))
			done += umount2(mnt, MNT_DETACH) == 0;
	}
	mountinfo__free(&mi);
	return done;
}

void sweep__tmpdirs(sweep_owner_fn owner_of, sweep_dir_fn before, void *arg, struct sweep_tally *t)
{
	sweep__dirs_in(sweep__tmp(), owner_of, before, arg, t);
}

void sweep__dirs_in(const char *tmp, sweep_owner_fn owner_of, sweep_dir_fn before, void *arg,
		    struct sweep_tally *t)
{
	DIR *d = opendir(tmp);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		struct vb_owner o;
		if (!owner_of(e->d_name, &o) || !owner__dead(&o))
			continue;
		char path[PATH_MAX];
		struct stat sb;
		if (snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name) >= (int)sizeof(path) ||
		    lstat(path, &sb) < 0 || !S_ISDIR(sb.st_mode))
			continue;
		if (before)
			before(path, arg);
		t->n[SWEEP_MOUNT] += sweep__unmount_under(path);
		char keep[PATH_MAX + 32];
		snprintf(keep, sizeof(keep), "%s/%s", path, SWEEP_KEEP_MARKER);
		if (access(keep, F_OK) == 0)
			continue;
		if (file__remove_tree(path) == 0)
			t->n[SWEEP_TMPDIR]++;
	}
	closedir(d);
}
