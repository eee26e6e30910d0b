/* The check of `native disk --device DEV` before anything runs: the disk
 * jobs overwrite what they run on, so only a block device that nothing
 * uses is taken: not mounted, no partition of it mounted, not swap, held
 * by nothing (device-mapper, RAID, a loop device on it), and, as the
 * kernel sees it, not claimed (an O_EXCL open). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <dirent.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/mountinfo.h"
#include "measure/iobench.h"

/* The mount point of a file system on major:minor, or NULL. */
static const char *mounted_at(const struct mountinfo *mi, unsigned maj, unsigned min)
{
	char dev[32];
	snprintf(dev, sizeof(dev), "%u:%u", maj, min);
	for (size_t i = 0; i < mi->n; i++)
		if (!strcmp(mi->mounts[i].dev, dev))
			return mi->mounts[i].point;
	return NULL;
}

/* The first entry of sysdir/holders, or "" for none. */
static void first_holder(const char *sysdir, char *out, size_t size)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/holders", sysdir);
	out[0] = '\0';
	DIR *d = opendir(path);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.') {
			snprintf(out, size, "%s", e->d_name);
			break;
		}
	closedir(d);
}

/* What uses the device or partition at sysdir (/sys/dev/block/M:N or a
 * partition's directory): a mount or a holder. 0, or a usage error. */
static int in_use(const char *opt, const char *dev, const char *sysdir, unsigned maj, unsigned min,
		  const struct mountinfo *mi, struct vb_err *err)
{
	const char *point = mounted_at(mi, maj, min);
	char holder[256];
	first_holder(sysdir, holder, sizeof(holder));
	const char *part = strrchr(sysdir, '/');
	if (point)
		return err__usage(err, "%s %s: %s is mounted on %s; name a device nothing uses",
				  opt, dev, part + 1, point);
	if (holder[0])
		return err__usage(err, "%s %s: %s is held by %s; name a device nothing uses", opt,
				  dev, part + 1, holder);
	return 0;
}

/* Each partition of the device (a subdirectory with a "partition" file). */
static int partitions_in_use(const char *opt, const char *dev, const char *sysdir,
			     const struct mountinfo *mi, struct vb_err *err)
{
	DIR *d = opendir(sysdir);
	if (!d)
		return 0;
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		char path[PATH_MAX + 300], text[32] = "";
		unsigned maj, min;
		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s/partition", sysdir, e->d_name) >=
			    sizeof(path) ||
		    access(path, F_OK) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/dev", sysdir, e->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		bool ok = fgets(text, sizeof(text), f) && sscanf(text, "%u:%u", &maj, &min) == 2;
		fclose(f);
		snprintf(path, sizeof(path), "%s/%s", sysdir, e->d_name);
		if (ok)
			rc = in_use(opt, dev, path, maj, min, mi, err);
	}
	closedir(d);
	return rc;
}

static int swap_on(const char *opt, const char *dev, dev_t rdev, struct vb_err *err)
{
	FILE *f = fopen("/proc/swaps", "re");
	if (!f)
		return 0;
	char line[512];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\n")] = '\0';
		struct stat st;
		if (line[0] == '/' && stat(line, &st) == 0 && S_ISBLK(st.st_mode) &&
		    st.st_rdev == rdev)
			rc = err__usage(err, "%s %s: swap is on it; name a device nothing uses",
					opt, dev);
	}
	fclose(f);
	return rc;
}

int iobench__check_device(const char *opt, const char *dev, uint64_t size, struct vb_err *err)
{
	struct stat st;
	if (stat(dev, &st) < 0)
		return err__usage(err, "%s %s: %s", opt, dev, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return err__usage(err, "%s %s: not a block device (for a file use --dir)", opt,
				  dev);
	unsigned maj = major(st.st_rdev), min = minor(st.st_rdev);
	char sysdir[PATH_MAX], link[64];
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", maj, min);
	if (!realpath(link, sysdir))
		return err__usage(err, "%s %s: %s: %s", opt, dev, link, strerror(errno));
	struct mountinfo mi;
	if (mountinfo__read(MOUNTINFO_SELF, &mi, err) < 0)
		return err__wrap(err, "%s %s", opt, dev);
	int rc = in_use(opt, dev, sysdir, maj, min, &mi, err);
	if (rc == 0)
		rc = partitions_in_use(opt, dev, sysdir, &mi, err);
	mountinfo__free(&mi);
	if (rc == 0)
		rc = swap_on(opt, dev, st.st_rdev, err);
	if (rc < 0)
		return rc;
	/* What the kernel itself holds (a mount in another namespace, an md
	 * member) refuses an exclusive open. */
	int fd = open(dev, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0)
		return err__usage(err, "%s %s: %s", opt, dev,
				  errno == EBUSY ? "in use (the kernel refuses an exclusive open)"
						 : strerror(errno));
	uint64_t bytes = 0;
	rc = ioctl(fd, BLKGETSIZE64, &bytes);
	close(fd);
	if (rc < 0)
		return err__usage(err, "%s %s: its size: %s", opt, dev, strerror(errno));
	if (bytes < size)
		return err__usage(err,
				  "%s %s: %" PRIu64 " MiB, smaller than --size (%" PRIu64
				  " MiB); use a smaller --size",
				  opt, dev, bytes >> 20, size >> 20);
	return 0;
}
