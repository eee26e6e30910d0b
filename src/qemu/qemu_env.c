#include "qemu/qemu_env.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/proc.h"
#include "measure/wclient.h"
#include "qemu/qemu_arch.h"

static int is_executable(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

int qemu_env__qemu(const char *opt, char **out, struct vb_err *err)
{
	const struct qemu_arch *a = qemu_arch__get();
	if (opt) {
		if (!is_executable(opt))
			return err__set(err, 0, "--qemu %s: not an executable program", opt);
		*out = strdup(opt);
	} else {
		*out = proc__which(a->qemu_binary);
		if (!*out)
			return err__set(
				err, 0,
				"QEMU not found: %s is not on PATH (install the Debian package "
				"%s, or pass --qemu PATH)",
				a->qemu_binary, a->qemu_package);
	}
	return *out ? 0 : err__set(err, ENOMEM, "qemu path");
}

int qemu_env__qemu_img(const char *qemu, char **out, struct vb_err *err)
{
	cleanup_free char *copy = strdup(qemu);
	if (!copy)
		return err__set(err, ENOMEM, "qemu-img path");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/qemu-img", dirname(copy));
	*out = is_executable(path) ? strdup(path) : proc__which("qemu-img");
	if (!*out)
		return err__set(err, 0,
				"qemu-img not found next to %s nor on PATH (install the Debian "
				"package qemu-utils)",
				qemu);
	return 0;
}

static int check_kernel(const char *path, struct vb_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "kernel %s", path);
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return err__set(err, 0, "kernel %s: not a regular file", path);
	unsigned char head[4096];
	ssize_t n = read(fd, head, sizeof(head));
	if (n < 0)
		return err__set(err, errno, "kernel %s", path);
	const char *why = qemu_arch__check_kernel(head, (size_t)n);
	if (why)
		return err__set(err, 0, "kernel %s: %s (pass a kernel image with --kernel)", path,
				why);
	return 0;
}

static int newest_boot_kernel(char **out)
{
	struct utsname u;
	char path[PATH_MAX];
	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/vmlinuz-%s", u.release);
		if (access(path, R_OK) == 0)
			return (*out = strdup(path)) ? 0 : -1;
	}
	glob_t g;
	if (glob("/boot/vmlinuz-*", 0, NULL, &g) != 0)
		return -1;
	const char *best = NULL;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!best || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	*out = best ? strdup(best) : NULL;
	globfree(&g);
	return *out ? 0 : -1;
}

int qemu_env__kernel(const char *opt, char **out, struct vb_err *err)
{
	*out = NULL;
	if (opt) {
		if (check_kernel(opt, err) < 0)
			return -1;
		*out = strdup(opt);
	} else {
		if (newest_boot_kernel(out) < 0)
			return err__set(
				err, 0,
				"no guest kernel: /boot has no vmlinuz-* (install the Debian "
				"package linux-image-amd64 or linux-image-arm64, or pass --kernel "
				"PATH)");
		if (check_kernel(*out, err) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	return *out ? 0 : err__set(err, ENOMEM, "kernel path");
}

/* A dynamically linked /init cannot run in an initramfs without its loader:
 * the kernel would only say "No working init found". */
static int check_static(const char *path, struct vb_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "worker %s", path);
	Elf64_Ehdr eh;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return err__set(err, 0, "worker %s: not a 64-bit ELF program", path);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    (ssize_t)sizeof(ph))
			return err__set(err, 0, "worker %s: truncated ELF program headers", path);
		if (ph.p_type == PT_INTERP)
			return err__set(err, 0,
					"worker %s: dynamically linked; a guest's /init must be "
					"static",
					path);
	}
	return 0;
}

int qemu_env__worker(const char *opt, char **out, struct vb_err *err)
{
	char path[PATH_MAX];
	*out = NULL;
	if (wclient__find_worker(opt, path, sizeof(path), err) < 0 || check_static(path, err) < 0)
		return -1;
	*out = strdup(path);
	return *out ? 0 : err__set(err, ENOMEM, "worker path");
}

int qemu_env__iso_tool(enum qemu_iso_tool *tool, char **path, struct vb_err *err)
{
	static const char *const names[] = {
		[ISO_CLOUD_LOCALDS] = "cloud-localds",
		[ISO_GENISOIMAGE] = "genisoimage",
		[ISO_XORRISO] = "xorriso",
		[ISO_MKISOFS] = "mkisofs",
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(*names); i++) {
		*path = proc__which(names[i]);
		if (*path) {
			*tool = (enum qemu_iso_tool)i;
			return 0;
		}
	}
	return err__set(err, 0,
			"no ISO9660 writer for the cloud-init seed: install one of the Debian "
			"packages cloud-image-utils, genisoimage or xorriso");
}
