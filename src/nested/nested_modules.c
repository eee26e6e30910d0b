/* The KVM modules of an L1 kernel in load order, read from modules.dep as
 * depmod wrote it: "kernel/arch/x86/kvm/kvm-amd.ko: kernel/arch/x86/kvm/kvm.ko
 * ...", each module's full dependency list, the ones it needs first
 * listed last (modprobe loads them from the end of the line). */
#include <string.h>

#include "nested/nested.h"

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

int nested__module_order(const char *dep, const char *module, char paths[][256], unsigned max,
			 unsigned *n, struct vb_err *err)
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
