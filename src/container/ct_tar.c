/* A minimal ustar writer for the worker's root file system, so `docker
 * import` gets its tar on stdin without an external tar program. Handles
 * what the rootfs holds: directories and regular files with short names. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ct.h"
#include "core/fileio.h"
#include "core/output.h"

static void octal(char *dst, size_t size, unsigned long long v)
{
	snprintf(dst, size, "%0*llo", (int)size - 1, v);
}

static int header(struct vb_buf *b, const char *name, const struct stat *sb, bool dir)
{
	char h[512];
	memset(h, 0, sizeof(h));
	if (strlen(name) >= 100)
		return -1;
	memcpy(h, name, strlen(name));
	octal(h + 100, 8, sb->st_mode & 07777);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, dir ? 0 : (unsigned long long)sb->st_size);
	octal(h + 136, 12, (unsigned long long)sb->st_mtime);
	memset(h + 148, ' ', 8);
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	unsigned sum = 0;
	for (size_t i = 0; i < sizeof(h); i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	return buf__append(b, h, sizeof(h));
}

static int add_tree(struct vb_buf *b, const char *root, const char *rel, int depth,
		    struct vb_err *err)
{
	char path[PATH_MAX];
	if (ct__path(path, sizeof(path), root, rel, err) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return err__set(err, errno, "opendir %s", path);
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char name[90], full[PATH_MAX];
		int k = snprintf(name, sizeof(name), "%s%s%s", rel + (rel[0] == '/'),
				 rel[0] ? "/" : "", e->d_name);
		if (k < 0 || (size_t)k >= sizeof(name)) {
			rc = err__set(err, ENAMETOOLONG, "tar name %s", e->d_name);
			break;
		}
		if (ct__path(full, sizeof(full), root, "/", err) < 0 ||
		    strlen(full) + strlen(name) >= sizeof(full)) {
			rc = err__set(err, ENAMETOOLONG, "path in %s", root);
			break;
		}
		strcat(full, name);
		struct stat sb;
		if (lstat(full, &sb) < 0) {
			rc = err__set(err, errno, "stat %s", full);
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			char dname[100], sub[100];
			dname[0] = '\0';
			strcat(strcat(dname, name), "/");
			sub[0] = '/';
			strcpy(sub + 1, name);
			if (header(b, dname, &sb, true) < 0)
				rc = err__set(err, ENAMETOOLONG, "tar name %s", name);
			else if (depth < 8)
				rc = add_tree(b, root, sub, depth + 1, err);
		} else if (S_ISREG(sb.st_mode)) {
			char *data = NULL;
			size_t len = 0;
			if (file__read_all(full, 64u << 20, &data, &len, err) < 0) {
				rc = -1;
				break;
			}
			static const char zeros[512];
			if (header(b, name, &sb, false) < 0 || buf__append(b, data, len) < 0 ||
			    (len % 512 && buf__append(b, zeros, 512 - len % 512) < 0))
				rc = err__set(err, ENOMEM, "tar of %s", full);
			free(data);
		}
	}
	closedir(d);
	return rc;
}

int ct_tar__rootfs(const char *rootfs, char **out, size_t *len, struct vb_err *err)
{
	struct vb_buf b = { 0 };
	static const char end[1024];
	if (add_tree(&b, rootfs, "", 0, err) < 0 || buf__append(&b, end, sizeof(end)) < 0) {
		buf__free(&b);
		return err__wrap(err, "tar of the root file system");
	}
	*out = b.data;
	*len = b.len;
	return 0;
}
