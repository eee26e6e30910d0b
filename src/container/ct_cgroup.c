/* cgroup v1, v2 and hybrid handling for the built-in runtime. */
#include "container/ct_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* True when the comma list `opts` holds `word`. */
static bool has_opt(const char *opts, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = opts; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, word, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static void set_path(char *dst, const char *src)
{
	if (!dst[0])
		snprintf(dst, CG_PATH, "%s", src);
}

/* A hierarchy mounted twice (bind mounts) is one: the superblock decides. */
static void add_mount(struct cg_layout *l, const char *mnt, const char *dev, char devs[][32])
{
	for (unsigned i = 0; i < l->nall; i++)
		if (!strcmp(devs[i], dev))
			return;
	if (l->nall >= CG_MAX_MOUNTS || strlen(mnt) >= CG_PATH)
		return;
	snprintf(l->all[l->nall], CG_PATH, "%s", mnt);
	snprintf(devs[l->nall], 32, "%s", dev);
	l->nall++;
}

int ct_cgroup__from_mounts(const struct mountinfo *mi, struct cg_layout *l, struct vb_err *err)
{
	memset(l, 0, sizeof(*l));
	char devs[CG_MAX_MOUNTS][32];
	for (size_t i = 0; i < mi->n; i++) {
		const struct mount_entry *m = &mi->mounts[i];
		int version = mountinfo__cgroup_version(m);
		if (!version)
			continue;
		add_mount(l, m->point, m->dev, devs);
		if (version == 2) {
			set_path(l->unified, m->point);
			continue;
		}
		if (has_opt(m->super_options, "cpu"))
			set_path(l->cpu, m->point);
		if (has_opt(m->super_options, "memory"))
			set_path(l->memory, m->point);
		if (has_opt(m->super_options, "pids"))
			set_path(l->pids, m->point);
	}
	l->mode = mountinfo__cgroup_layout(mi);
	if (l->mode == CGROUP_NONE)
		return err__set(err, 0, "no cgroup file system is mounted");
	return 0;
}

int ct_cgroup__detect(struct cg_layout *l, struct vb_err *err)
{
	struct mountinfo mi;
	if (mountinfo__read(MOUNTINFO_SELF, &mi, err) < 0)
		return err__wrap(err, "cgroup layout");
	int rc = ct_cgroup__from_mounts(&mi, l, err);
	mountinfo__free(&mi);
	return rc;
}

static int write_file(const char *dir, const char *file, const char *val, struct vb_err *err)
{
	char path[CG_PATH + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "open %s", path);
	ssize_t n = write(fd, val, strlen(val));
	int e = errno;
	close(fd);
	if (n < 0)
		return err__set(err, e, "write %s to %s", val, path);
	return 0;
}

static int add_dir(struct cg_group *g, const char *root, const char *name, struct vb_err *err)
{
	if (!root[0])
		return 0;
	if (g->n >= CG_MAX_DIRS)
		return err__set(err, E2BIG, "too many cgroup trees");
	char *d = g->dirs[g->n];
	int n = snprintf(d, CG_PATH, "%s/%s", root, name);
	if (n < 0 || n >= CG_PATH)
		return err__set(err, ENAMETOOLONG, "cgroup path %s/%s", root, name);
	if (mkdir(d, 0755) < 0)
		return err__set(err, errno, "mkdir %s", d);
	g->n++;
	return 0;
}

/* The index of the group made under root, or -1. */
static int dir_of(const struct cg_group *g, const char *root)
{
	size_t rl = strlen(root);
	for (unsigned i = 0; rl && i < g->n; i++)
		if (!strncmp(g->dirs[i], root, rl) && g->dirs[i][rl] == '/')
			return (int)i;
	return -1;
}

static int apply_limits(const struct cg_layout *l, const struct cg_limits *lim,
			const struct cg_group *g, struct vb_err *err)
{
	if (!lim)
		return 0;
	char val[64];
	const unsigned period = 100000;
	if (lim->cpus > 0) {
		unsigned long quota = (unsigned long)(lim->cpus * period + 0.5);
		if (l->mode == CGROUP_V2) {
			snprintf(val, sizeof(val), "%lu %u", quota, period);
			if (write_file(g->dirs[0], "cpu.max", val, err) < 0)
				return -1;
		} else {
			int i = dir_of(g, l->cpu);
			if (i < 0)
				return err__set(err, 0, "no cpu controller to limit CPUs");
			snprintf(val, sizeof(val), "%u", period);
			if (write_file(g->dirs[i], "cpu.cfs_period_us", val, err) < 0)
				return -1;
			snprintf(val, sizeof(val), "%lu", quota);
			if (write_file(g->dirs[i], "cpu.cfs_quota_us", val, err) < 0)
				return -1;
		}
	}
	if (lim->memory_bytes) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)lim->memory_bytes);
		if (l->mode == CGROUP_V2)
			return write_file(g->dirs[0], "memory.max", val, err);
		int i = dir_of(g, l->memory);
		if (i < 0)
			return err__set(err, 0, "no memory controller to limit memory");
		return write_file(g->dirs[i], "memory.limit_in_bytes", val, err);
	}
	return 0;
}

int ct_cgroup__create(const struct cg_layout *l, const char *name, const struct cg_limits *lim,
		      struct cg_group *g, struct vb_err *err)
{
	memset(g, 0, sizeof(*g));
	int rc = 0;
	if (l->mode == CGROUP_V2) {
		rc = add_dir(g, l->unified, name, err);
	} else {
		/* v1: the controllers a limit or an accounting may use; hybrid
		 * also the unified tree, as runc and systemd place there too. */
		rc = add_dir(g, l->cpu, name, err);
		if (!rc && strcmp(l->memory, l->cpu))
			rc = add_dir(g, l->memory, name, err);
		if (!rc && strcmp(l->pids, l->cpu) && strcmp(l->pids, l->memory))
			rc = add_dir(g, l->pids, name, err);
		if (!rc && l->mode == CGROUP_HYBRID)
			rc = add_dir(g, l->unified, name, err);
	}
	if (!rc)
		rc = apply_limits(l, lim, g, err);
	if (rc < 0) {
		ct_cgroup__destroy(g);
		return err__wrap(err, "cgroup %s", name);
	}
	return 0;
}

int ct_cgroup__attach(const struct cg_group *g, pid_t pid, struct vb_err *err)
{
	char val[32];
	snprintf(val, sizeof(val), "%d", (int)pid);
	for (unsigned i = 0; i < g->n; i++)
		if (write_file(g->dirs[i], "cgroup.procs", val, err) < 0)
			return -1;
	return 0;
}

int ct_cgroup__destroy(struct cg_group *g)
{
	int rc = 0;
	for (unsigned i = g->n; i-- > 0;) {
		if (!g->dirs[i][0])
			continue;
		/* EBUSY while the killed container's processes are still
		 * exiting, which on a loaded machine (or under ASan) can take
		 * well over 100 ms: wait up to about 3 s, backing off. */
		long wait_ns = 500000;
		long waited_ns = 0;
		while (rmdir(g->dirs[i]) < 0 && errno != ENOENT) {
			if (errno != EBUSY || waited_ns > 3000000000L) {
				rc = -1;
				break;
			}
			struct timespec ts = { 0, wait_ns };
			nanosleep(&ts, NULL);
			waited_ns += wait_ns;
			if (wait_ns < 50000000L)
				wait_ns *= 2;
		}
		g->dirs[i][0] = '\0';
	}
	g->n = 0;
	return rc;
}

static int count_in(const char *root, const char *prefix)
{
	if (!root[0])
		return 0;
	DIR *d = opendir(root);
	if (!d)
		return 0;
	int n = 0;
	size_t pl = strlen(prefix);
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_type == DT_DIR && !strncmp(e->d_name, prefix, pl))
			n++;
	closedir(d);
	return n;
}

int ct_cgroup__count_prefix(const struct cg_layout *l, const char *prefix)
{
	int n = 0;
	for (unsigned i = 0; i < l->nall; i++)
		n += count_in(l->all[i], prefix);
	return n;
}

static void kill_members(const char *dir)
{
	char path[CG_PATH * 2];
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	int pid;
	while (fscanf(f, "%d", &pid) == 1)
		if (pid > 1)
			kill(pid, SIGKILL);
	fclose(f);
}

unsigned ct_cgroup__remove_tree(const char *dir)
{
	unsigned removed = 0;
	DIR *d = opendir(dir);
	if (d) {
		for (struct dirent *e; (e = readdir(d));) {
			char sub[CG_PATH * 2];
			if (e->d_type == DT_DIR && strcmp(e->d_name, ".") &&
			    strcmp(e->d_name, "..") &&
			    snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) < CG_PATH)
				removed += ct_cgroup__remove_tree(sub);
		}
		closedir(d);
	}
	kill_members(dir);
	struct cg_group g = { .n = 1 };
	snprintf(g.dirs[0], CG_PATH, "%s", dir);
	if (ct_cgroup__destroy(&g) == 0)
		removed++;
	return removed;
}

unsigned ct_cgroup__remove_named(const struct cg_layout *l, const char *name)
{
	unsigned removed = 0;
	for (unsigned i = 0; i < l->nall; i++) {
		char dir[CG_PATH * 2];
		struct stat sb;
		if (snprintf(dir, sizeof(dir), "%s/%s", l->all[i], name) < CG_PATH &&
		    stat(dir, &sb) == 0)
			removed += ct_cgroup__remove_tree(dir);
	}
	return removed;
}
