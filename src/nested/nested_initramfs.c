/* The L1 guest's initramfs: busybox, a static virtbench, /init, the command
 * list, the KVM modules of the L1 kernel and any extra files (tests), written with the QEMU
 * platform's cpio writer (uncompressed: TCG decompresses slowly). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/output.h"
#include "core/proc.h"
#include "nested/nested.h"
#include "nested/nested_init.h"
#include "nested/nested_l1.h"
#include "qemu/cpio.h"
#include "qemu/kmod.h"

#define BINARY_MAX (128u << 20)

static int add_host_file(struct cpio_writer *w, const char *name, const char *path,
			 struct vb_err *err)
{
	cleanup_free char *data = NULL;
	size_t len = 0;
	if (file__read_all(path, BINARY_MAX, &data, &len, err) < 0 ||
	    cpio__add_file(w, name, 0755, data, len, err) < 0)
		return err__wrap(err, "adding %s", path);
	return 0;
}

static int add_modules(struct cpio_writer *w, const struct nested_l1 *l1, struct vb_err *err)
{
	if (!l1->module)
		return 0;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/%s", l1->modules_root, l1->kernel_version);
	if (kmod__add(w, dir, &l1->module, 1, err) < 0)
		return err__wrap(
			err,
			"the L1 kernel's modules (%s is a module of kernel %s; install its "
			"linux-image package or pass a kernel with --kernel)",
			l1->module, l1->kernel_version);
	return 0;
}

/* An extra file, or a directory with everything below it (symbolic links
 * followed, as cp -L does: the guest gets plain files). */
static int add_tree(struct cpio_writer *w, const char *src, const char *dest, unsigned depth,
		    struct vb_err *err)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return err__set(err, errno, "%s", src);
	if (!S_ISDIR(st.st_mode)) {
		cleanup_free char *data = NULL;
		size_t len = 0;
		if (file__read_all(src, BINARY_MAX, &data, &len, err) < 0)
			return -1;
		return cpio__add_file(w, dest, st.st_mode & 0111 ? 0755 : 0644, data, len, err);
	}
	if (depth > 16)
		return err__set(err, 0, "%s: directories nested too deep", src);
	if (cpio__add_dir(w, dest, 0755, err) < 0)
		return -1;
	DIR *d = opendir(src);
	if (!d)
		return err__set(err, errno, "%s", src);
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char s2[PATH_MAX], d2[PATH_MAX];
		if ((size_t)snprintf(s2, sizeof(s2), "%s/%s", src, e->d_name) >= sizeof(s2) ||
		    (size_t)snprintf(d2, sizeof(d2), "%s/%s", dest, e->d_name) >= sizeof(d2))
			rc = err__set(err, ENAMETOOLONG, "%s/%s", src, e->d_name);
		else
			rc = add_tree(w, s2, d2, depth + 1, err);
	}
	closedir(d);
	return rc;
}

/* The directories above dest first: the kernel's unpacker makes none. A
 * directory given twice is harmless (it exists, the mode is set again). */
static int add_extra(struct cpio_writer *w, const struct nested_extra *x, struct vb_err *err)
{
	char dest[PATH_MAX];
	const char *d = x->dest;
	while (*d == '/')
		d++;
	if ((size_t)snprintf(dest, sizeof(dest), "%s", d) >= sizeof(dest) || !dest[0])
		return err__set(err, 0, "'%s': not a path inside the initramfs", x->dest);
	for (char *slash = strchr(dest, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		int rc = cpio__add_dir(w, dest, 0755, err);
		*slash = '/';
		if (rc < 0)
			return -1;
	}
	if (add_tree(w, x->src, dest, 0, err) < 0)
		return err__wrap(err, "adding %s", x->src);
	return 0;
}

int nested_l1__write_initramfs(const char *path, const struct nested_l1 *l1, struct vb_err *err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err__set(err, errno, "creating %s", path);
	struct cpio_writer w;
	cpio__init(&w, fd);
	static const char *const dirs[] = { "bin", "dev", "proc", "sys", "tmp", "out" };
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (cpio__add_dir(&w, dirs[i], 0755, err) < 0)
			return -1;
	if (cpio__add_node(&w, "dev/console", S_IFCHR, 0600, 5, 1, err) < 0 ||
	    add_host_file(&w, "bin/busybox", l1->busybox, err) < 0 ||
	    add_host_file(&w, "virtbench", l1->virtbench, err) < 0 ||
	    cpio__add_file(&w, "init", 0755, nested__init_script, strlen(nested__init_script),
			   err) < 0 ||
	    cpio__add_file(&w, "commands.sh", 0644, l1->commands, strlen(l1->commands), err) < 0 ||
	    add_modules(&w, l1, err) < 0)
		return err__wrap(err, "writing the L1 initramfs %s", path);
	for (unsigned i = 0; i < l1->nextra; i++)
		if (add_extra(&w, &l1->extra[i], err) < 0)
			return err__wrap(err, "writing the L1 initramfs %s", path);
	if (cpio__finish(&w, err) < 0)
		return err__wrap(err, "writing the L1 initramfs %s", path);
	return 0;
}
