#include "report/family.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/compare.h"

#define N(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct {
	const char *kind;
	enum family fam;
	const char *title;
} kinds[] = {
	{ "boot", FAM_BOOT, "VM boot time" },
	{ "exits", FAM_EXITS, "VM exit latency" },
	{ "cpu", FAM_CPU, "CPU throughput and hypervisor overhead" },
	{ "memory", FAM_MEMORY, "Memory throughput" },
	{ "memlat", FAM_MEMLAT, "Memory latency" },
	{ "fault", FAM_FAULT, "First-touch page faults" },
	{ "stream", FAM_STREAM, "Memory bandwidth" },
	{ "startup", FAM_STARTUP, "Container startup time" },
	{ "scale", FAM_SCALE, "vCPU scaling" },
	{ "density", FAM_DENSITY, "Density" },
	{ "interference", FAM_INTERFERENCE, "Interference" },
};

enum family family__of(const struct vb_result *r)
{
	const char *dot = strrchr(r->benchmark, '.');
	const char *kind = dot ? dot + 1 : r->benchmark;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].fam;
	return FAM_OTHER;
}

const char *family__title(enum family f)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].fam == f)
			return kinds[i].title;
	return "Other results";
}

bool family__is_vm(const char *platform)
{
	return !strcmp(platform, "microvm") || !strcmp(platform, "qemu") ||
	       !strncmp(platform, "qemu-", 5);
}

bool family__is_container(const char *platform)
{
	return !strncmp(platform, "container", 9) || !strcmp(platform, "runc") ||
	       !strcmp(platform, "crun") || !strcmp(platform, "docker") ||
	       !strcmp(platform, "podman") || !strncmp(platform, "docker-", 7) ||
	       !strncmp(platform, "unshare", 7);
}

bool family__is_emulated(const struct vb_result *r)
{
	const char *accel = result__config(r, "accel");
	if (accel && !strcasecmp(accel, "tcg"))
		return true;
	/* "tcg", not "emulated": a microVM on kvm_pvm is noted as having its guest
	 * kernel level emulated, yet its guest code runs on the CPU. */
	return strcasestr(r->note, "tcg") != NULL;
}

bool family__is_boot_total(const struct vb_result *r)
{
	if (family__of(r) != FAM_BOOT)
		return false;
	/* The microVM's total_ms includes its teardown; its ready_ms is the
	 * create-to-ready time. QEMU's total_ms is spawn to the ready marker. */
	if (!strcmp(r->metric, "ready_ms"))
		return true;
	return !strcmp(r->metric, "total_ms") && strcmp(r->platform, "microvm");
}

bool family__boot_phase(const struct vb_result *r, char *phase, size_t size)
{
	if (family__of(r) != FAM_BOOT || strncmp(r->metric, "phase.", 6))
		return false;
	const char *name = r->metric + 6;
	size_t n = strlen(name);
	/* "phase.create_vm_ms" -> "create_vm" */
	static const char *const sfx[] = { "_ms", "_us", "_ns", "_s" };
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t k = strlen(sfx[i]);
		if (n > k && !strcmp(name + n - k, sfx[i])) {
			n -= k;
			break;
		}
	}
	if (n >= size)
		n = size - 1;
	memcpy(phase, name, n);
	phase[n] = '\0';
	return true;
}

bool family__is_startup_main(const struct vb_result *r)
{
	/* ready_ms: to the worker's first instruction; running_ms: the seed's
	 * own method (`run -d` until `inspect` says Running). */
	return family__of(r) == FAM_STARTUP &&
	       (!strcmp(r->metric, "ready_ms") || !strcmp(r->metric, "running_ms") ||
		!strcmp(r->metric, "startup_ms"));
}

bool family__is_throughput(const struct vb_result *r)
{
	enum family f = family__of(r);
	if (f == FAM_CPU)
		return !strcmp(r->metric, "events_per_sec");
	if (f == FAM_MEMORY)
		return !strcmp(r->metric, "mib_per_sec") || !strcmp(r->metric, "MiB_per_sec") ||
		       !strcmp(r->metric, "speed_mib_per_sec");
	return false;
}

double family__config_num(const struct vb_result *r, const char *const *keys)
{
	for (const char *const *k = keys; *k; k++) {
		const char *v = result__config(r, *k);
		if (!v || !*v)
			continue;
		char *end;
		double d = strtod(v, &end);
		if (end != v && isfinite(d))
			return d;
	}
	return NAN;
}

double family__vcpus(const struct vb_result *r)
{
	return family__config_num(r, N("vcpus", "vcpu", "cpus"));
}

double family__memory_mb(const struct vb_result *r)
{
	double mb = family__config_num(r, N("memory_mb", "mem_mb", "guest_memory_mb"));
	if (isfinite(mb))
		return mb;
	double bytes = family__config_num(r, N("memory_bytes", "guest_memory_bytes"));
	return isfinite(bytes) ? bytes / (1024.0 * 1024.0) : NAN;
}

double family__threads(const struct vb_result *r)
{
	double t = family__config_num(r, N("threads"));
	return isfinite(t) ? t : family__vcpus(r);
}

double family__count(const struct vb_result *r)
{
	return family__config_num(r, N("vms", "containers", "count", "guests", "instances", "n"));
}

/* "4K", "32M", "1G", "4096", "2 MiB": a size in bytes; NaN if not one. */
static double parse_size(const char *v)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || !isfinite(d))
		return NAN;
	while (*end == ' ')
		end++;
	double k = 1;
	switch (*end) {
	case 'K': case 'k': k = 1024.0; break;
	case 'M': case 'm': k = 1024.0 * 1024; break;
	case 'G': case 'g': k = 1024.0 * 1024 * 1024; break;
	case 'T': case 't': k = 1024.0 * 1024 * 1024 * 1024; break;
	case '\0': case 'B': case 'b': return d;
	default: return NAN;
	}
	return d * k;
}

double family__working_set(const struct vb_result *r)
{
	static const char *const keys[] = { "working_set", "working_set_bytes", "size_bytes",
					    "size", NULL };
	for (const char *const *k = keys; *k; k++) {
		const char *v = result__config(r, *k);
		double b = v ? parse_size(v) : NAN;
		if (isfinite(b))
			return b;
	}
	return NAN;
}

static bool same_config(const struct vb_result *a, const struct vb_result *b)
{
	char ca[512], cb[512];
	compare__config(a, ca, sizeof(ca));
	compare__config(b, cb, sizeof(cb));
	return !strcmp(ca, cb);
}

const struct vb_result *family__baseline(const struct vb_result_set *s, const struct vb_result *r)
{
	if (!strcmp(r->platform, "native"))
		return NULL;
	const struct vb_result *loose = NULL;
	double threads = family__threads(r);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *n = s->results[i];
		if (strcmp(n->platform, "native") || strcmp(n->metric, r->metric) || !n->nsamples)
			continue;
		if (!strcmp(n->benchmark, r->benchmark)) {
			if (same_config(n, r))
				return n;
			if (!loose && family__threads(n) == threads)
				loose = n;
		}
	}
	if (loose)
		return loose;
	/* The native benchmark of the same kind run on its own ("cpu" or
	 * "native.cpu"), with as many threads. */
	const char *dot = strrchr(r->benchmark, '.');
	const char *kind = dot ? dot + 1 : r->benchmark;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *n = s->results[i];
		const char *nd = strrchr(n->benchmark, '.');
		bool named = !strcmp(n->benchmark, kind) ||
			     (nd && !strncmp(n->benchmark, "native.", 7) && !strcmp(nd + 1, kind));
		if (named && !strcmp(n->platform, "native") && !strcmp(n->metric, r->metric) &&
		    n->nsamples && family__threads(n) == threads)
			return n;
	}
	return NULL;
}

bool family__overhead(const struct vb_result_set *s, const struct vb_result *r,
		      struct vb_overhead *out)
{
	if (r->has_overhead && isfinite(r->overhead.percent)) {
		*out = r->overhead;
		return true;
	}
	const struct vb_result *base = family__baseline(s, r);
	if (!base || !r->nsamples)
		return false;
	stats__overhead(base->samples, base->nsamples, r->samples, r->nsamples, r->higher_is_better,
			out);
	return isfinite(out->percent);
}

double family__seconds(double v, const char *unit)
{
	if (!strcmp(unit, "s"))
		return v;
	if (!strcmp(unit, "ms"))
		return v / 1e3;
	if (!strcmp(unit, "us") || !strcmp(unit, "µs"))
		return v / 1e6;
	if (!strcmp(unit, "ns"))
		return v / 1e9;
	return NAN;
}

double family__ms(double v, const char *unit)
{
	return family__seconds(v, unit) * 1e3;
}

const char *family__seed_vm_platform(const struct vb_result_set *s, enum family f)
{
	bool qemu_kvm = false, qemu_any = false, microvm = false;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (family__of(r) != f)
			continue;
		if (!strcmp(r->platform, "qemu")) {
			qemu_any = true;
			if (!family__is_emulated(r))
				qemu_kvm = true;
		} else if (!strcmp(r->platform, "microvm")) {
			microvm = true;
		}
	}
	return qemu_kvm ? "qemu" : microvm ? "microvm" : qemu_any ? "qemu" : NULL;
}
