/* Finding what the L1 guest is made of: a static virtbench (the guest has
 * no libraries), the kernel's version for its modules. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "nested/nested_l1.h"
#include "qemu/kmod.h"

int nested_l1__is_static(const char *path, const char *arch, bool *is_static, struct vb_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "opening %s", path);
	Elf64_Ehdr eh;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 256)
		return err__set(err, 0, "%s is not a 64-bit ELF executable", path);
	unsigned want = !arch			   ? eh.e_machine
			: !strcmp(arch, "aarch64") ? EM_AARCH64
			: !strcmp(arch, "x86_64")  ? EM_X86_64
						   : EM_NONE;
	if (eh.e_machine != want)
		return err__set(err, 0, "%s is not an %s program (ELF machine %u)", path, arch,
				eh.e_machine);
	*is_static = true;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t)sizeof(ph))
			return err__set(err, 0, "%s: truncated program headers", path);
		if (ph.p_type == PT_INTERP)
			*is_static = false;
	}
	return 0;
}

int nested_l1__find_virtbench(const char *given, const char *arch, bool host_arch, char **out,
			      struct vb_err *err)
{
	bool st;
	if (!given && !host_arch)
		return err__usage(err,
				  "--virtbench: an %s L1 guest needs a static %s virtbench (make "
				  "cross-arm64 builds build-arm64/virtbench)",
				  arch, arch);
	if (given) {
		if (nested_l1__is_static(given, arch, &st, err) < 0)
			return err__wrap(err, "--virtbench");
		if (!st)
			return err__usage(err,
					  "--virtbench: %s is linked dynamically; the L1 guest has "
					  "no libraries (make build/virtbench-static)",
					  given);
		*out = strdup(given);
		return *out ? 0 : err__set(err, ENOMEM, "out of memory");
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return err__set(err, errno, "reading /proc/self/exe");
	self[n] = '\0';
	if (nested_l1__is_static(self, arch, &st, err) == 0 && st) {
		*out = strdup(self);
		return *out ? 0 : err__set(err, ENOMEM, "out of memory");
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", self);
	const char *d = dirname(dir);
	const char *tries[] = { "", "/../lib/virtbench" };
	for (unsigned i = 0; i < 2; i++) {
		char p[PATH_MAX + 64];
		snprintf(p, sizeof(p), "%s%s/virtbench-static", d, tries[i]);
		if (access(p, X_OK) == 0) {
			*out = realpath(p, NULL);
			return *out ? 0 : err__set(err, errno, "%s", p);
		}
	}
	return err__set(err, 0,
			"no static virtbench for the L1 guest next to %s (build it with 'make "
			"build/virtbench-static' or pass --virtbench PATH)",
			self);
}

int nested_l1__kernel_version(const char *kernel, char *out, size_t size, struct vb_err *err)
{
	return kmod__version(kernel, out, size, err);
}
