#include "qemu/initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "qemu/cpio.h"

#define INIT_MAX (64u << 20)

int initramfs__write(const char *path, const char *init_path, struct vb_err *err)
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
	    cpio__add_file(&w, "init", 0755, init, init_len, err) < 0 || cpio__finish(&w, err) < 0)
		return err__wrap(err, "writing %s", path);
	return 0;
}
