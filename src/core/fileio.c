#include "core/fileio.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
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

const char *file__kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
}

static int not_regular(struct vb_err *err, const char *path, unsigned mode)
{
	return err__set(err, 0,
			"%s is %s; virtbench replaces only a regular file: remove it or "
			"choose another name",
			path, file__kind(mode));
}

/* Splits path into its directory (opened) and its last component. The
 * directory's own path may go through symlinks (the user named it); the
 * last component never does. */
static int open_parent(const char *path, char *base, size_t size, struct vb_err *err)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	if (!*path)
		return err__set(err, ENOENT, "empty path");
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return err__set(err, EISDIR, "%s", path);
	if (strlen(name) >= size)
		return err__set(err, ENAMETOOLONG, "%s", path);
	snprintf(base, size, "%s", name);
	cleanup_free char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return err__set(err, ENOMEM, "%s", path);
	int fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "%s: directory %s", path, *dir ? dir : "/");
	return fd;
}

/* "<name>.tmp.<random>", created with O_EXCL|O_NOFOLLOW: never an existing
 * file or the target of a symlink someone placed there. */
static int create_temp(int dfd, const char *name, char *tmp, size_t size)
{
	static unsigned long counter;
	for (int tries = 0; tries < 100; tries++) {
		uint64_t r = 0;
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
			r = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^
			    ++counter * 0x9e3779b97f4a7c15ULL;
		snprintf(tmp, size, "%.200s.tmp.%012llx", name,
			 (unsigned long long)(r & 0xffffffffffffULL));
		int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

static bool no_rename_flags(int e)
{
	return e == EINVAL || e == ENOSYS || e == EOPNOTSUPP;
}

/* After RENAME_EXCHANGE what was at `to` is at `from`: the regular file seen
 * there is dropped; anything else, swapped in since, is put back. Returns 1
 * when that fails and something foreign is left at `from`. */
static int drop_exchanged(int fdir, const char *from, int tdir, const char *to, const char *path,
			  struct vb_err *err)
{
	struct stat old;
	if (fstatat(fdir, from, &old, AT_SYMLINK_NOFOLLOW) < 0 || S_ISREG(old.st_mode)) {
		unlinkat(fdir, from, 0);
		return 0;
	}
	if (renameat2(fdir, from, tdir, to, RENAME_EXCHANGE) < 0) {
		err__set(err, 0, "%s was swapped for %s while being replaced; it is now at %s",
			 path, file__kind(old.st_mode), from);
		return 1;
	}
	return not_regular(err, path, old.st_mode);
}

/* Renames from over to when to is a regular file or nothing. What is there
 * is looked at, then replaced with renameat2 so that it cannot change in
 * between: RENAME_NOREPLACE when nothing was there, RENAME_EXCHANGE when a
 * file was (see drop_exchanged). File systems without these flags get a
 * plain rename after the check. Returns 1 when something foreign was left
 * at `from` (the caller must not unlink it). */
static int replace_at(int fdir, const char *from, int tdir, const char *to, const char *path,
		      struct vb_err *err)
{
	for (int tries = 0; tries < 16; tries++) {
		struct stat st;
		bool exists = fstatat(tdir, to, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (!exists && errno != ENOENT)
			return err__set(err, errno, "%s", path);
		if (exists && !S_ISREG(st.st_mode))
			return not_regular(err, path, st.st_mode);
		if (renameat2(fdir, from, tdir, to, exists ? RENAME_EXCHANGE : RENAME_NOREPLACE) ==
		    0)
			return exists ? drop_exchanged(fdir, from, tdir, to, path, err) : 0;
		if ((exists && errno == ENOENT) || (!exists && errno == EEXIST))
			continue; /* changed since it was looked at: look again */
		if (!no_rename_flags(errno) || renameat(fdir, from, tdir, to) < 0)
			return err__set(err, errno, "%s: renaming into place", path);
		return 0;
	}
	return err__set(err, EAGAIN, "%s: keeps changing while being replaced", path);
}

/* Writes to a temp file next to path (same filesystem, so rename is atomic),
 * fsyncs it, renames it into place and fsyncs the directory: readers see the
 * old file or the whole new one, never a part. The mode is 0644 whatever
 * the umask: results are for reading by others. */
int file__write_atomic(const char *path, const void *data, size_t len, struct vb_err *err)
{
	char base[256], tmp[256];
	cleanup_close int dfd = open_parent(path, base, sizeof(base), err);
	if (dfd < 0)
		return -1;
	/* Refused before anything is created, and again at the rename. */
	struct stat st;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
		return not_regular(err, path, st.st_mode);
	int fd = create_temp(dfd, base, tmp, sizeof(tmp));
	if (fd < 0)
		return err__set(err, errno, "%s: creating temporary file", path);
	if (fchmod(fd, 0644) < 0 || write_full(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlinkat(dfd, tmp, 0);
		return err__set(err, e, "%s: writing", path);
	}
	if (close(fd) < 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		return err__set(err, e, "%s: writing", path);
	}
	int rc = replace_at(dfd, tmp, dfd, base, path, err);
	if (rc < 0)
		unlinkat(dfd, tmp, 0);
	if (rc != 0)
		return -1;
	fsync(dfd); /* best effort: the data itself is already safe */
	return 0;
}

int file__move_into(const char *src, const char *dst, struct vb_err *err)
{
	char sbase[256], dbase[256];
	cleanup_close int sdir = open_parent(src, sbase, sizeof(sbase), err);
	if (sdir < 0)
		return -1;
	cleanup_close int ddir = open_parent(dst, dbase, sizeof(dbase), err);
	if (ddir < 0)
		return -1;
	cleanup_close int fd = openat(sdir, sbase, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return err__set(err, errno, "%s", src);
	if (!S_ISREG(st.st_mode))
		return not_regular(err, src, st.st_mode);
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		return err__set(err, errno, "%s", src);
	if (replace_at(sdir, sbase, ddir, dbase, dst, err) != 0)
		return -1;
	fsync(ddir);
	return 0;
}

int file__can_create(const char *dir, struct vb_err *err)
{
	cleanup_close int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err__set(err, errno, "%s", dir);
	char tmp[64];
	int fd = create_temp(dfd, ".virtbench-probe", tmp, sizeof(tmp));
	if (fd < 0)
		return err__set(err, errno, "cannot create a file in %s", dir);
	close(fd);
	unlinkat(dfd, tmp, 0);
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
		const char *kind = S_ISFIFO(sb.st_mode)	  ? "a FIFO"
				   : S_ISCHR(sb.st_mode)  ? "a character device"
				   : S_ISBLK(sb.st_mode)  ? "a block device"
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
				return err__set(err, 0, "%s: larger than the %zu bytes allowed",
						path, max);
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

int file__mkdtemp_in(const char *dir, const char *prefix, char *out, size_t size,
		     struct vb_err *err)
{
	int n = snprintf(out, size, "%s/%s.XXXXXX", dir, prefix ? prefix : "virtbench");
	if (n < 0 || (size_t)n >= size)
		return err__set(err, ENAMETOOLONG, "temporary directory under %s", dir);
	if (!mkdtemp(out))
		return err__set(err, errno, "creating temporary directory %s", out);
	/* mkdtemp's 0700 is reduced by the umask, never widened: set it. */
	if (chmod(out, 0700) < 0) {
		int e = errno;
		rmdir(out);
		return err__set(err, e, "%s", out);
	}
	return 0;
}

int file__mkdtemp(const char *prefix, char *out, size_t size, struct vb_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	return file__mkdtemp_in(tmpdir, prefix, out, size, err);
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
