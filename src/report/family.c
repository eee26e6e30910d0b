#include "report/family.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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
	case 'K':
	case 'k': k = 1024.0; break;
	case 'M':
	case 'm': k = 1024.0 * 1024; break;
	case 'G':
	case 'g': k = 1024.0 * 1024 * 1024; break;
	case 'T':
	case 't': k = 1024.0 * 1024 * 1024 * 1024; break;
	case '\0':
	case 'B':
	case 'b': return d;
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

/* The rules, by a scan of the set: what family__link indexes. */
static const struct vb_result *baseline_scan(const struct vb_result_set *s,
					     const struct vb_result *r)
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

const struct vb_result *family__baseline(const struct vb_result_set *s, const struct vb_result *r)
{
	return s->linked ? r->baseline : baseline_scan(s, r);
}

bool family__overhead(const struct vb_result_set *s, const struct vb_result *r,
		      struct vb_overhead *out)
{
	if (r->has_overhead && isfinite(r->overhead.percent)) {
		*out = r->overhead;
		return true;
	}
	if (s->linked) {
		*out = r->derived;
		return r->has_derived && isfinite(out->percent);
	}
	const struct vb_result *base = family__baseline(s, r);
	if (!base || !r->nsamples)
		return false;
	stats__overhead(base->samples, base->nsamples, r->samples, r->nsamples, r->higher_is_better,
			out);
	return isfinite(out->percent);
}

/* ---- family__link: every baseline at once ---- */

/* A native result under one of the keys a baseline is looked up by. */
struct nkey {
	char *key;
	size_t idx;
};

static int cmp_nkey(const void *x, const void *y)
{
	const struct nkey *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

struct nindex {
	struct nkey *k;
	size_t n, cap;
};

static int nindex__add(struct nindex *ix, size_t idx, const char *fmt, ...) VB_PRINTF(3, 4);
static int nindex__add(struct nindex *ix, size_t idx, const char *fmt, ...)
{
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;
		struct nkey *p = realloc(ix->k, cap * sizeof(*p));
		if (!p)
			return -1;
		ix->k = p;
		ix->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&ix->k[ix->n].key, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	ix->k[ix->n++].idx = idx;
	return 0;
}

static void nindex__free(struct nindex *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		free(ix->k[i].key);
	free(ix->k);
}

/* The first (lowest index) result under key, or NULL. */
static const struct vb_result *nindex__first(const struct nindex *ix, const struct vb_result_set *s,
					     const char *key)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->k[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !strcmp(ix->k[lo].key, key) ? s->results[ix->k[lo].idx] : NULL;
}

/* Threads as a key: equal doubles give equal text; NaN never matches. */
static bool threads_key(const struct vb_result *r, char *out, size_t size)
{
	double t = family__threads(r);
	if (isnan(t))
		return false;
	snprintf(out, size, "%a", t == 0 ? 0.0 : t);
	return true;
}

/* Keys: 'c' the same benchmark, metric and configuration; 't' the same
 * benchmark, metric and threads; 'k' the kind ("cpu" for "cpu" and for
 * "native.cpu"), metric and threads. Configurations are compared as
 * family__baseline does, by their 512-byte text. */
static int index_natives(const struct vb_result_set *s, struct nindex *ix)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *n = s->results[i];
		if (strcmp(n->platform, "native") || !n->nsamples)
			continue;
		char cfg[512], th[64];
		compare__config(n, cfg, sizeof(cfg));
		if (nindex__add(ix, i, "c\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, cfg) < 0)
			return -1;
		if (!threads_key(n, th, sizeof(th)))
			continue;
		if (nindex__add(ix, i, "t\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, th) < 0 ||
		    nindex__add(ix, i, "k\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, th) < 0)
			return -1;
		const char *dot = strrchr(n->benchmark, '.');
		if (dot && !strncmp(n->benchmark, "native.", 7) && strcmp(dot + 1, n->benchmark) &&
		    nindex__add(ix, i, "k\x1f%s\x1f%s\x1f%s", n->metric, dot + 1, th) < 0)
			return -1;
	}
	if (ix->n)
		qsort(ix->k, ix->n, sizeof(*ix->k), cmp_nkey);
	return 0;
}

static const struct vb_result *
baseline_indexed(const struct nindex *ix, const struct vb_result_set *s, const struct vb_result *r)
{
	if (!strcmp(r->platform, "native"))
		return NULL;
	char cfg[512], th[64], key[1200];
	compare__config(r, cfg, sizeof(cfg));
	snprintf(key, sizeof(key), "c\x1f%s\x1f%s\x1f%s", r->metric, r->benchmark, cfg);
	const struct vb_result *b = nindex__first(ix, s, key);
	if (b || !threads_key(r, th, sizeof(th)))
		return b;
	snprintf(key, sizeof(key), "t\x1f%s\x1f%s\x1f%s", r->metric, r->benchmark, th);
	if ((b = nindex__first(ix, s, key)))
		return b;
	const char *dot = strrchr(r->benchmark, '.');
	snprintf(key, sizeof(key), "k\x1f%s\x1f%s\x1f%s", r->metric, dot ? dot + 1 : r->benchmark,
		 th);
	return nindex__first(ix, s, key);
}

int family__link(struct vb_result_set *s)
{
	struct nindex ix = { 0 };
	if (index_natives(s, &ix) < 0) {
		nindex__free(&ix);
		return -1;
	}
	size_t budget = FAMILY_BOOTSTRAP_BUDGET;
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *r = s->results[i];
		r->baseline = baseline_indexed(&ix, s, r);
		r->has_derived = false;
		r->derived.percent = r->derived.ci_low = r->derived.ci_high = NAN;
		const struct vb_result *base = r->baseline;
		if ((r->has_overhead && isfinite(r->overhead.percent)) || !base || !r->nsamples)
			continue;
		r->has_derived = true;
		size_t work = base->nsamples + r->nsamples;
		if (work <= budget) {
			budget -= work;
			stats__overhead(base->samples, base->nsamples, r->samples, r->nsamples,
					r->higher_is_better, &r->derived);
			continue;
		}
		/* Many results against one large baseline would each bootstrap
		 * it again: past the budget the figure keeps its point value and
		 * goes without an interval. */
		double mb = base->stats.median, mv = r->stats.median;
		if (mb != 0 && isfinite(mb) && isfinite(mv))
			r->derived.percent = r->higher_is_better ? (mb - mv) / mb * 100
								 : (mv - mb) / mb * 100;
		result__warn(r,
			     "overhead without its interval: the file's bootstrap budget of "
			     "%d samples is spent",
			     FAMILY_BOOTSTRAP_BUDGET);
	}
	nindex__free(&ix);
	s->linked = true;
	return 0;
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
