#include "core/fileio.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"

static int write_full(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes to a temp file next to path (same filesystem, so rename is atomic),
 * fsyncs it, renames it into place and fsyncs the directory: readers see the
 * old file or the whole new one, never a part. */
int file__write_atomic(const char *path, const void *data, size_t len, struct vb_err *err)
{
	size_t plen = strlen(path);
	cleanup_free char *tmp = malloc(plen + 16);
	cleanup_free char *dircopy = strdup(path);
	if (!tmp || !dircopy)
		return err__set(err, ENOMEM, "%s", path);
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "%s: creating temporary file", path);
	if (fchmod(fd, 0644) < 0 || write_full(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return err__set(err, e, "%s: writing", tmp);
	}
	if (close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		return err__set(err, e, "%s: writing", tmp);
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return err__set(err, e, "%s: renaming into place", path);
	}
	cleanup_close int dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd); /* best effort: the data itself is already safe */
	return 0;
}

/* Results files come from other machines: a FIFO, a device or a socket put
 * in their place must not block the open (O_NONBLOCK) or be read at all, so
 * anything but a regular file is refused before a byte is read. */
int file__read_all(const char *path, size_t max, char **out, size_t *len, struct vb_err *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return err__set(err, errno, "%s", path);
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		return err__set(err, errno, "%s", path);
	if (S_ISDIR(sb.st_mode))
		return err__set(err, EISDIR, "%s", path);
	if (!S_ISREG(sb.st_mode)) {
		const char *kind = S_ISFIFO(sb.st_mode)	 ? "a FIFO"
				   : S_ISCHR(sb.st_mode)	 ? "a character device"
				   : S_ISBLK(sb.st_mode)	 ? "a block device"
				   : S_ISSOCK(sb.st_mode) ? "a socket"
							  : "a special file";
		return err__set(err, 0, "%s: %s, not a regular file; give a regular file", path,
				kind);
	}
	if ((uint64_t)sb.st_size > max)
		return err__set(err, 0, "%s: %lld bytes, larger than the %zu allowed", path,
				(long long)sb.st_size, max);
	/* Back to blocking reads: a regular file never blocks, and some file
	 * systems (FUSE) treat O_NONBLOCK reads differently. */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
	cleanup_free char *buf = malloc(cap);
	if (!buf)
		return err__set(err, ENOMEM, "%s", path);
	size_t used = 0;
	for (;;) {
		if (used + 1 >= cap) {
			/* procfs files report size 0; a file growing while read
			 * stops at max + 1 bytes. */
			size_t limit = max < SIZE_MAX - 2 ? max + 2 : SIZE_MAX;
			size_t ncap = cap * 2 > limit ? limit : cap * 2;
			if (ncap <= cap)
				return err__set(err, 0, "%s: larger than the %zu bytes allowed", path,
						max);
			char *p = realloc(buf, ncap);
			if (!p)
				return err__set(err, ENOMEM, "%s", path);
			buf = p;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + used, cap - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err__set(err, errno, "%s", path);
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max)
			return err__set(err, 0, "%s: larger than the %zu bytes allowed", path, max);
	}
	buf[used] = 0;
	*out = steal_ptr(buf);
	if (len)
		*len = used;
	return 0;
}

int file__read_line(const char *path, char *buf, size_t size)
{
	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	buf[n] = 0;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	return (int)strlen(buf);
}

int file__mkdirs(const char *path, struct vb_err *err)
{
	size_t len = strlen(path);
	if (len == 0)
		return err__set(err, EINVAL, "mkdir: empty path");
	cleanup_free char *p = strdup(path);
	if (!p)
		return err__set(err, ENOMEM, "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return err__set(err, errno, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return err__set(err, errno, "mkdir %s", p);
	struct stat sb;
	if (stat(p, &sb) < 0)
		return err__set(err, errno, "%s", p);
	if (!S_ISDIR(sb.st_mode))
		return err__set(err, ENOTDIR, "%s", p);
	return 0;
}

int file__mkdtemp(const char *prefix, char *out, size_t size, struct vb_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	int n = snprintf(out, size, "%s/%s.XXXXXX", tmpdir, prefix ? prefix : "virtbench");
	if (n < 0 || (size_t)n >= size)
		return err__set(err, ENAMETOOLONG, "temporary directory under %s", tmpdir);
	if (!mkdtemp(out))
		return err__set(err, errno, "creating temporary directory %s", out);
	return 0;
}

/* Walks with openat/unlinkat relative to directory descriptors so a path
 * swapped for a symlink mid-walk is never followed; stays on one device. */
static int remove_at(int parent, const char *name, dev_t dev)
{
	struct stat sb;
	if (fstatat(parent, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlinkat(parent, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	if (sb.st_dev != dev) {
		errno = EXDEV;
		return -1;
	}
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (remove_at(dirfd(d), e->d_name, dev) < 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = -1;
	return rc;
}

int file__remove_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -1;
	return remove_at(AT_FDCWD, path, sb.st_dev);
}
