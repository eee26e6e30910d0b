#include "core/outpath.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"

/* The directory a path is in: "a/b" -> "a", "b" -> ".", "/b" -> "/". */
static void parent_of(const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s", path);
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(out, size, ".");
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

int outpath__check_file(const char *path, struct vb_err *err)
{
	if (!path || !*path)
		return err__set(err, 0, "expected a file name");
	size_t n = strlen(path);
	if (path[n - 1] == '/')
		return err__set(err, 0, "'%s' names a directory; expected a file name", path);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return err__set(err, 0,
					"%s is %s; only a regular file is written (created "
					"or replaced): name a new file",
					path, file__kind(st.st_mode));
	} else if (errno != ENOENT) {
		return err__set(err, errno, "%s", path);
	}
	char dir[4096];
	parent_of(path, dir, sizeof(dir));
	if (stat(dir, &st) < 0)
		return errno == ENOENT
			       ? err__set(err, 0,
					  "%s: directory %s does not exist; create it first", path,
					  dir)
			       : err__set(err, errno, "%s: directory %s", path, dir);
	if (!S_ISDIR(st.st_mode))
		return err__set(err, 0, "%s: %s is %s, not a directory", path, dir,
				file__kind(st.st_mode));
	if (file__can_create(dir, err) < 0)
		return err__wrap(err, "%s", path);
	return 0;
}

static int dir_rules(const char *dir, const struct stat *st, struct vb_err *err)
{
	if (!S_ISDIR(st->st_mode))
		return err__set(err, 0, "%s is %s; expected a results directory", dir,
				file__kind(st->st_mode));
	struct stat root;
	if (stat("/", &root) == 0 && st->st_dev == root.st_dev && st->st_ino == root.st_ino)
		return err__set(err, 0,
				"%s is the root directory; name a directory for the results", dir);
	if (st->st_uid != geteuid())
		return err__set(err, 0,
				"%s belongs to uid %u, not to you (uid %u); results are "
				"written only into a directory of your own",
				dir, (unsigned)st->st_uid, (unsigned)geteuid());
	if ((st->st_mode & S_IWOTH) && !(st->st_mode & S_ISVTX))
		return err__set(err, 0,
				"%s can be written by anyone (mode %04o); run 'chmod o-w' "
				"on it or name another directory",
				dir, (unsigned)(st->st_mode & 07777));
	return 0;
}

int outpath__check_dir(const char *dir, struct vb_err *err)
{
	if (!dir || !*dir)
		return err__set(err, 0, "empty path; expected a directory");
	struct stat st;
	if (stat(dir, &st) == 0)
		return dir_rules(dir, &st, err) < 0 ? -1 : file__can_create(dir, err);
	if (errno != ENOENT)
		return err__set(err, errno, "%s", dir);
	/* Missing: it is made later, under the nearest directory that exists. */
	char up[4096], prev[4096];
	snprintf(up, sizeof(up), "%s", dir);
	do {
		snprintf(prev, sizeof(prev), "%s", up);
		parent_of(prev, up, sizeof(up));
		if (stat(up, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return err__set(err, 0, "%s: %s is %s, not a directory", dir, up,
						file__kind(st.st_mode));
			return file__can_create(up, err) < 0 ? err__wrap(err, "%s", dir) : 0;
		}
		if (errno != ENOENT)
			return err__set(err, errno, "%s: %s", dir, up);
	} while (strcmp(up, prev));
	return err__set(err, ENOENT, "%s", dir);
}

int outpath__make_dir(const char *dir, struct vb_err *err)
{
	if (!dir || !*dir)
		return err__set(err, 0, "empty path; expected a directory");
	if (file__mkdirs(dir, err) < 0)
		return -1;
	struct stat st;
	if (stat(dir, &st) < 0)
		return err__set(err, errno, "%s", dir);
	return dir_rules(dir, &st, err);
}
