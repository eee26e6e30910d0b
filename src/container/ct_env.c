/* The per-run environment shared by the drivers: a private temp dir with
 * the minimal root filesystem (the static worker, mount points for /proc,
 * /dev and /sys, bind targets for the few device nodes) and the container
 * names. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ct.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/tmpdir.h"
#include "core/owner.h"

/* Copies the file and returns its FNV-1a hash in *hash. */
static int copy_file(const char *from, const char *to, mode_t mode, uint64_t *hash,
		     struct vb_err *err)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err__set(err, errno, "open %s", from);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		int e = errno;
		close(in);
		return err__set(err, e, "create %s", to);
	}
	char buf[65536];
	int rc = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err__set(err, errno, "read %s", from);
			break;
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ull;
		if (vbp__write_all(out, buf, (size_t)n) < 0) {
			rc = err__set(err, errno, "write %s", to);
			break;
		}
	}
	close(in);
	*hash = h;
	if (close(out) < 0 && rc == 0)
		rc = err__set(err, errno, "close %s", to);
	return rc;
}

int ct__path(char *out, size_t size, const char *a, const char *b, struct vb_err *err)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la + lb + 1 > size)
		return err__set(err, ENAMETOOLONG, "path %s%s", a, b);
	memcpy(out, a, la);
	memcpy(out + la, b, lb + 1);
	return 0;
}

static int make_dir(const char *root, const char *rel, struct vb_err *err)
{
	char p[PATH_MAX];
	if (ct__path(p, sizeof(p), root, rel, err) < 0)
		return -1;
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return err__set(err, errno, "mkdir %s", p);
	return 0;
}

static int make_file(const char *root, const char *rel, struct vb_err *err)
{
	char p[PATH_MAX];
	if (ct__path(p, sizeof(p), root, rel, err) < 0)
		return -1;
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return err__set(err, errno, "create %s", p);
	close(fd);
	return 0;
}

int ct_env__open(struct ct_env *e, const char *worker, struct vb_err *err)
{
	memset(e, 0, sizeof(*e));
	if (strlen(worker) >= sizeof(e->worker))
		return err__set(err, ENAMETOOLONG, "worker path");
	strcpy(e->worker, worker);
	/* The owner in every name tells whose a leftover would be, so the
	 * next run can remove it once we are gone (container__sweep). */
	struct vb_owner me = owner__self();
	char prefix[64];
	if (owner__name(prefix, sizeof(prefix), CT_TMP_PREFIX, '.') < 0)
		return err__set(err, ENAMETOOLONG, "temp dir name");
	snprintf(e->pid_label, sizeof(e->pid_label), "virtbench.pid=%d", (int)me.pid);
	snprintf(e->start_label, sizeof(e->start_label), "virtbench.start=%llu",
		 (unsigned long long)me.start);
	if (tmpdir__make(NULL, prefix, e->tmpdir, sizeof(e->tmpdir), &e->later_slot, err) < 0)
		return -1;
	/* Readable by the runtimes' own users (rootless podman, runc's init). */
	chmod(e->tmpdir, 0755);
	if (ct__path(e->rootfs, sizeof(e->rootfs), e->tmpdir, "/rootfs", err) < 0 ||
	    ct__path(e->rootfs_worker, sizeof(e->rootfs_worker), e->rootfs, CT_WORKER_IN_ROOT,
		     err) < 0)
		goto fail;
	static const char *const dirs[] = { "", "/proc", "/dev", "/sys", "/tmp", "/etc", CT_IO_DIR };
	static const char *const files[] = { "/dev/null", "/dev/zero", "/dev/urandom" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (make_dir(e->rootfs, dirs[i], err) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (make_file(e->rootfs, files[i], err) < 0)
			goto fail;
	uint64_t hash = 0;
	if (copy_file(worker, e->rootfs_worker, 0755, &hash, err) < 0)
		goto fail;
	snprintf(e->worker_hash, sizeof(e->worker_hash), "%016llx", (unsigned long long)hash);
	return 0;
fail:
	ct_env__close(e);
	return err__wrap(err, "building the container root file system");
}

void ct_env__close(struct ct_env *e)
{
	if (e->tmpdir[0]) {
		file__remove_tree(e->tmpdir);
		e->tmpdir[0] = '\0';
		interrupt__cancel_run(e->later_slot);
	}
}

void ct_env__next_id(struct ct_env *e, char *out, size_t size)
{
	struct vb_owner me = owner__self();
	snprintf(out, size, CT_ID_PREFIX "%d-%llu-%u", (int)me.pid, (unsigned long long)me.start,
		 e->seq++);
}

bool ct__id_owner(const char *id, struct vb_owner *o)
{
	if (strncmp(id, CT_ID_PREFIX, strlen(CT_ID_PREFIX)))
		return false;
	/* <pid>-<start>-<n>, or <pid>-<n> from versions without start times. */
	const char *rest = id + strlen(CT_ID_PREFIX);
	size_t parts = 1;
	for (const char *c = rest; *c; c++) {
		if (*c == '-' && c[1] && c != rest && c[-1] != '-')
			parts++;
		else if (*c < '0' || *c > '9')
			return false;
	}
	if (parts != 2 && parts != 3)
		return false;
	return owner__scan(rest, '-', parts == 3, o) != NULL;
}
