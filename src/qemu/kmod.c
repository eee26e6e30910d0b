/* Kernel modules for a guest's initramfs, in load order, read from
 * modules.dep as depmod wrote it: "kernel/arch/x86/kvm/kvm-amd.ko:
 * kernel/arch/x86/kvm/kvm.ko ...", each module's full dependency list, the
 * ones it needs first listed last (modprobe loads them from the end of the
 * line). */
#include "qemu/kmod.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/output.h"
#include "core/proc.h"

#define MODULE_MAX (128u << 20)

/* The base name of a module path without .ko and its compression suffix,
 * with '_' and '-' the same (as the kernel treats them). */
static bool same_module(const char *path, size_t n, const char *module)
{
	const char *slash = path;
	for (size_t i = n; i > 0; i--)
		if (path[i - 1] == '/') {
			slash = path + i;
			break;
		}
	size_t base = (size_t)(path + n - slash);
	const char *dot = memchr(slash, '.', base);
	size_t stem = dot ? (size_t)(dot - slash) : base;
	if (stem != strlen(module))
		return false;
	for (size_t i = 0; i < stem; i++) {
		char a = slash[i] == '_' ? '-' : slash[i];
		char b = module[i] == '_' ? '-' : module[i];
		if (a != b)
			return false;
	}
	return true;
}

static int add(char paths[][256], unsigned max, unsigned *n, const char *p, size_t len,
	       struct vb_err *err)
{
	if (*n == max)
		return err__set(err, 0, "more than %u modules", max);
	if (len >= 256)
		return err__set(err, 0, "a module path of %zu bytes", len);
	memcpy(paths[*n], p, len);
	paths[*n][len] = '\0';
	(*n)++;
	return 0;
}

int kmod__order(const char *dep, const char *module, char paths[][256], unsigned max, unsigned *n,
		struct vb_err *err)
{
	*n = 0;
	for (const char *line = dep; *line;) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *colon = memchr(line, ':', (size_t)(end - line));
		if (colon && same_module(line, (size_t)(colon - line), module)) {
			/* Dependencies from the end of the line, then the module. */
			const char *words[64];
			size_t lens[64];
			unsigned nw = 0;
			for (const char *w = colon + 1; w < end;) {
				while (w < end && *w == ' ')
					w++;
				const char *we = w;
				while (we < end && *we != ' ')
					we++;
				if (we > w) {
					if (nw == 64)
						return err__set(err, 0, "%s: too many dependencies",
								module);
					words[nw] = w;
					lens[nw++] = (size_t)(we - w);
				}
				w = we;
			}
			while (nw--)
				if (add(paths, max, n, words[nw], lens[nw], err) < 0)
					return -1;
			return add(paths, max, n, line, (size_t)(colon - line), err);
		}
		line = nl ? nl + 1 : end;
	}
	return err__set(err, 0, "modules.dep has no %s", module);
}

int kmod__version(const char *kernel, char *out, size_t size, struct vb_err *err)
{
	const char *base = strrchr(kernel, '/');
	base = base ? base + 1 : kernel;
	const char *dash = strchr(base, '-');
	if (!dash || !dash[1] || strlen(dash + 1) >= size || strchr(dash + 1, '/'))
		return err__usage(err,
				  "--kernel: cannot tell the version of %s (a name like "
				  "vmlinuz-6.1.0-27-amd64 finds its modules)",
				  kernel);
	snprintf(out, size, "%s", dash + 1);
	return 0;
}

int kmod__read(const char *path, char **data, size_t *len, struct vb_err *err)
{
	const char *tool = NULL;
	size_t n = strlen(path);
	if (n > 3 && !strcmp(path + n - 3, ".xz"))
		tool = "xz";
	else if (n > 4 && !strcmp(path + n - 4, ".zst"))
		tool = "zstd";
	else if (n > 3 && !strcmp(path + n - 3, ".gz"))
		tool = "gzip";
	if (!tool)
		return file__read_all(path, MODULE_MAX, data, len, err);
	char *argv[] = { (char *)tool, "-dc", "--", (char *)path, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000, .max_output = MODULE_MAX };
	struct vb_proc_result r;
	if (proc__run(&o, &r, err) < 0)
		return err__wrap(err, "decompressing %s (Debian package of %s)", path, tool);
	if (r.exit_code != 0) {
		err__set(err, 0, "%s -dc %s exited %d", tool, path, r.exit_code);
		proc__result_free(&r);
		return -1;
	}
	*data = r.out;
	*len = r.out_len;
	r.out = NULL;
	proc__result_free(&r);
	return 0;
}

/* Whether modules.builtin lists the module (it is in the kernel image). */
static bool builtin(const char *list, const char *module)
{
	for (const char *line = list; list && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len && same_module(line, len, module))
			return true;
		line += len + (nl ? 1 : 0);
	}
	return false;
}

int kmod__add(struct cpio_writer *w, const char *dir, const char *const *modules, unsigned nmod,
	      struct vb_err *err)
{
	char dep_path[PATH_MAX + 16], bi_path[PATH_MAX + 16];
	snprintf(dep_path, sizeof(dep_path), "%s/modules.dep", dir);
	snprintf(bi_path, sizeof(bi_path), "%s/modules.builtin", dir);
	cleanup_free char *dep = NULL, *bi = NULL;
	size_t dep_len = 0, bi_len = 0;
	if (file__read_all(dep_path, 16u << 20, &dep, &dep_len, err) < 0)
		return -1;
	struct vb_err ignored = { 0 };
	if (file__read_all(bi_path, 16u << 20, &bi, &bi_len, &ignored) < 0)
		bi = NULL; /* none listed: every module is looked up in modules.dep */
	/* Every module's chain, each path once, in the order first needed. */
	char(*all)[256] = calloc(KMOD_MAX, sizeof(*all));
	char(*one)[256] = calloc(KMOD_MAX, sizeof(*one));
	unsigned nall = 0;
	int rc = all && one ? 0 : err__set(err, ENOMEM, "out of memory");
	for (unsigned m = 0; rc == 0 && m < nmod; m++) {
		unsigned n;
		if (builtin(bi, modules[m]))
			continue;
		rc = kmod__order(dep, modules[m], one, KMOD_MAX, &n, err);
		for (unsigned i = 0; rc == 0 && i < n; i++) {
			bool seen = false;
			for (unsigned k = 0; k < nall && !seen; k++)
				seen = !strcmp(all[k], one[i]);
			if (seen)
				continue;
			if (nall == KMOD_MAX)
				rc = err__set(err, 0, "more than %u modules", KMOD_MAX);
			else
				memcpy(all[nall++], one[i], sizeof(one[i]));
		}
	}
	if (rc < 0)
		err__wrap(err, "%s", dep_path);
	struct vb_buf order = { 0 };
	if (rc == 0)
		rc = cpio__add_dir(w, "mod", 0755, err);
	for (unsigned i = 0; rc == 0 && i < nall; i++) {
		char path[PATH_MAX + 256], name[32];
		snprintf(path, sizeof(path), "%s/%s", dir, all[i]);
		snprintf(name, sizeof(name), "mod/%u.ko", i);
		cleanup_free char *data = NULL;
		size_t len = 0;
		rc = kmod__read(path, &data, &len, err);
		if (rc == 0)
			rc = cpio__add_file(w, name, 0644, data, len, err);
		if (rc == 0 && buf__printf(&order, "%u.ko\n", i) < 0)
			rc = err__set(err, ENOMEM, "out of memory");
	}
	if (rc == 0)
		rc = cpio__add_file(w, "mod/order", 0644, order.data ? order.data : "", order.len,
				    err);
	buf__free(&order);
	free(all);
	free(one);
	return rc;
}
