#include "qemu/initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "qemu/cpio.h"
#include "qemu/kmod.h"

#define INIT_MAX (64u << 20)

/* The modules of kernel, when its version's modules are installed. */
static int add_modules(struct cpio_writer *w, const char *kernel, const char *const *modules,
		       struct vb_err *err)
{
	char version[256], dir[PATH_MAX], dep[PATH_MAX + 16];
	unsigned n = 0;
	while (modules && modules[n])
		n++;
	if (!n)
		return 0;
	/* A kernel named without its version (--kernel bzImage) or whose
	 * modules are not installed gets none: what it has built in is all
	 * the guest has, and a job that needs a device says it is missing. */
	struct vb_err unknown = { 0 };
	if (kmod__version(kernel, version, sizeof(version), &unknown) < 0)
		return 0;
	snprintf(dir, sizeof(dir), "/lib/modules/%s", version);
	snprintf(dep, sizeof(dep), "%s/modules.dep", dir);
	if (access(dep, R_OK) < 0)
		return 0;
	return kmod__add(w, dir, modules, n, err) < 0 ? err__wrap(err, "guest kernel modules") : 0;
}

int initramfs__write(const char *path, const char *init_path, struct vb_err *err)
{
	return initramfs__write_mods(path, init_path, NULL, NULL, err);
}

int initramfs__write_mods(const char *path, const char *init_path, const char *kernel,
			  const char *const *modules, struct vb_err *err)
{
	cleanup_free char *init = NULL;
	size_t init_len = 0;
	if (file__read_all(init_path, INIT_MAX, &init, &init_len, err) < 0)
		return err__wrap(err, "reading the guest's /init");
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return err__set(err, errno, "creating %s", path);
	struct cpio_writer w;
	cpio__init(&w, fd);
	if (cpio__add_dir(&w, "dev", 0755, err) < 0 ||
	    cpio__add_node(&w, "dev/console", S_IFCHR, 0600, 5, 1, err) < 0 ||
	    cpio__add_dir(&w, "proc", 0555, err) < 0 || cpio__add_dir(&w, "sys", 0555, err) < 0 ||
	    cpio__add_file(&w, "init", 0755, init, init_len, err) < 0 ||
	    add_modules(&w, kernel, modules, err) < 0 || cpio__finish(&w, err) < 0)
		return err__wrap(err, "writing %s", path);
	return 0;
}
