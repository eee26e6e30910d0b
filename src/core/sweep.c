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

/* Mount points are the 5th field of mountinfo, with spaces etc. escaped as
 * \ooo; paths we make never need escaping, so a plain compare is enough. */
unsigned sweep__unmount_under(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return 0;
	size_t plen = strlen(path);
	char **found = NULL;
	size_t n = 0;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (strncmp(mnt, path, plen) || (mnt[plen] != '/' && mnt[plen] != '\0'))
			continue;
		char **grown = realloc(found, (n + 1) * sizeof(*found));
		if (!grown)
			break;
		found = grown;
		if ((found[n] = strdup(mnt)))
			n++;
	}
	fclose(f);
	unsigned done = 0;
	/* mountinfo lists parents before children: undo from the end. */
	for (size_t i = n; i-- > 0;) {
		done += umount2(found[i], MNT_DETACH) == 0;
		free(found[i]);
	}
	free(found);
	return done;
}

void sweep__tmpdirs(sweep_owner_fn owner_of, sweep_dir_fn before, void *arg,
		    struct sweep_tally *t)
{
	const char *tmp = sweep__tmp();
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
