#include "report/hostview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/text.h"

#define N(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Dotted names are paths in `virtbench info --json`; plain names are looked
 * for at any depth, for host blocks written by other versions. */
const struct hostview_field hostview__fields[] = {
	{ "Host", N("hostname", "host_name", "nodename"), HV_TEXT },
	{ "Architecture", N("arch_label", "arch", "architecture"), HV_TEXT },
	{ "CPU", N("cpu.model_name", "model_name", "cpu_model"), HV_TEXT },
	{ "CPUs online", N("cpu.online_cpus", "online_cpus", "cpus"), HV_TEXT },
	{ "Sockets / cores / threads per core", N("cpu.sockets"), HV_TOPOLOGY },
	{ "SMT", N("cpu.smt_on", "smt_on", "smt"), HV_TEXT },
	{ "NUMA nodes", N("cpu.numa_nodes", "numa_nodes"), HV_TEXT },
	{ "Memory", N("memory.total_bytes", "total_bytes"), HV_BYTES },
	{ "Kernel", N("kernel.release", "kernel_release"), HV_TEXT },
	{ "CPU governor", N("cpu.governor", "governor", "scaling_governor"), HV_TEXT },
	{ "Transparent huge pages", N("memory.thp_enabled", "thp_enabled"), HV_TEXT },
	{ "cgroup layout", N("cgroup.layout"), HV_TEXT },
	{ "Virtualization extensions",
	  N("virtualization.extensions_summary", "extensions_summary", "extensions"), HV_TEXT },
	{ "Arm EL2", N("virtualization.arm.el2"), HV_TEXT },
	{ "GIC", N("virtualization.arm.gic"), HV_TEXT },
	{ "KVM flavour", N("virtualization.kvm.flavour", "kvm_flavour", "flavour"), HV_TEXT },
	{ "KVM nested setting", N("virtualization.kvm.nested"), HV_TEXT },
	{ "KVM paging", N("virtualization.kvm.paging"), HV_TEXT },
	{ "This host", N("virtualization.verdict", "verdict"), HV_TEXT },
	{ "Runs on", N("virtualization.guest.below", "virtualization.guest.hypervisor"), HV_TEXT },
	{ NULL, NULL, HV_TEXT },
};

/* Text of a value: scalars as they are, arrays of scalars joined, objects
 * by their summary-like member. */
static const char *summarise(const json_t *v, char *buf, size_t size, int depth)
{
	buf[0] = '\0';
	switch (json_typeof(v)) {
	case JSON_STRING: snprintf(buf, size, "%s", json_string_value(v)); break;
	case JSON_INTEGER: snprintf(buf, size, "%lld", (long long)json_integer_value(v)); break;
	case JSON_REAL: snprintf(buf, size, "%g", json_real_value(v)); break;
	case JSON_TRUE: snprintf(buf, size, "yes"); break;
	case JSON_FALSE: snprintf(buf, size, "no"); break;
	case JSON_ARRAY: {
		size_t used = 0, i;
		json_t *e;
		json_array_foreach (v, i, e) {
			char item[128];
			if (!json_is_string(e) && !json_is_number(e) && !json_is_boolean(e))
				continue;
			summarise(e, item, sizeof(item), depth + 1);
			int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", item);
			if (w < 0 || (size_t)w >= size - used)
				break;
			used += (size_t)w;
		}
		break;
	}
	case JSON_OBJECT: {
		static const char *const keys[] = { "verdict", "summary", "description", "name",
						    "value",   "mode",	  "enabled",	 NULL };
		if (depth > 2)
			break;
		for (const char *const *k = keys; *k; k++) {
			json_t *m = json_object_get(v, *k);
			if (m && !json_is_object(m))
				return summarise(m, buf, size, depth + 1);
		}
		break;
	}
	default: break;
	}
	return buf;
}

static const json_t *find(const json_t *obj, const char *name, int depth)
{
	if (!json_is_object(obj))
		return NULL;
	const json_t *v = json_object_get(obj, name);
	if (v && !json_is_null(v))
		return v;
	if (depth <= 0)
		return NULL;
	const char *key;
	json_t *child;
	json_object_foreach ((json_t *)obj, key, child) {
		const json_t *hit = find(child, name, depth - 1);
		if (hit)
			return hit;
	}
	return NULL;
}

static const json_t *path_get(const json_t *host, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	const json_t *v = host;
	char *save = NULL;
	for (char *part = strtok_r(buf, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	return v && !json_is_null(v) ? v : NULL;
}

/* Paths first, then plain names breadth first over depth, so a top-level
 * key wins over a nested one. */
static const json_t *lookup(const json_t *host, const char *const *names)
{
	for (const char *const *n = names; *n; n++)
		if (strchr(*n, '.')) {
			const json_t *v = path_get(host, *n);
			if (v)
				return v;
		}
	for (int depth = 0; depth <= 3; depth++)
		for (const char *const *n = names; *n; n++) {
			if (strchr(*n, '.'))
				continue;
			const json_t *v = find(host, *n, depth);
			if (v)
				return v;
		}
	return NULL;
}

const char *hostview__get(const json_t *host, const char *const *names, char *buf, size_t size)
{
	buf[0] = '\0';
	const json_t *v = host ? lookup(host, names) : NULL;
	return v ? summarise(v, buf, size, 0) : buf;
}

const char *hostview__field(const json_t *host, const struct hostview_field *f, char *buf,
			    size_t size)
{
	hostview__get(host, f->names, buf, size);
	if (!buf[0])
		return buf;
	if (f->kind == HV_BYTES) {
		char *end;
		double d = strtod(buf, &end);
		if (end != buf && d > 0)
			text__bytes(buf, size, d);
	} else if (f->kind == HV_TOPOLOGY) {
		char c[32], t[32];
		hostview__get(host, N("cpu.cores"), c, sizeof(c));
		hostview__get(host, N("cpu.threads_per_core"), t, sizeof(t));
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, " / %s / %s", c[0] ? c : "?", t[0] ? t : "?");
	}
	return buf;
}

void hostview__label(const json_t *host, char *out, size_t size)
{
	char name[128], arch[64];
	hostview__get(host, N("hostname", "host_name", "nodename"), name, sizeof(name));
	hostview__get(host, N("arch", "machine", "architecture"), arch, sizeof(arch));
	if (name[0] && arch[0])
		snprintf(out, size, "%.60s-%.30s", name, arch);
	else
		snprintf(out, size, "%.90s", name[0] ? name : arch);
}
