#include "report/family.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/compare.h"
#include "report/io.h"

static const struct {
	enum family fam;
	const char *title;
} titles[] = {
	{ FAM_BOOT, "VM boot time" },
	{ FAM_EXITS, "VM exit latency" },
	{ FAM_CPU, "CPU throughput and hypervisor overhead" },
	{ FAM_MEMORY, "Memory throughput" },
	{ FAM_MEMLAT, "Memory latency" },
	{ FAM_FAULT, "First-touch page faults" },
	{ FAM_STREAM, "Memory bandwidth" },
	{ FAM_STARTUP, "Container startup time" },
	{ FAM_SCALE, "vCPU scaling" },
	{ FAM_DENSITY, "Density" },
	{ FAM_INTERFERENCE, "Interference" },
	{ FAM_DISK, "Disk I/O" },
	{ FAM_NET, "Network I/O" },
};

enum family family__of(const struct vb_result *r)
{
	return names__metric_known(r->metric) ? names__family(r->benchmark) : FAM_OTHER;
}

const char *family__title(enum family f)
{
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (titles[i].fam == f)
			return titles[i].title;
	return "Other results";
}

bool family__is_emulated(const struct vb_result *r)
{
	const char *accel = result__config(r, VB_CFG_ACCEL);
	if (accel && !strcasecmp(accel, VB_ACCEL_TCG))
		return true;
	/* "tcg", not "emulated": a microVM on kvm_pvm is noted as having its guest
	 * kernel level emulated, yet its guest code runs on the CPU. */
	return strcasestr(r->note, VB_ACCEL_TCG) != NULL;
}

bool family__is_boot_total(const struct vb_result *r)
{
	if (r->view.family != FAM_BOOT)
		return false;
	/* The microVM's total_ms includes its teardown; its ready_ms is the
	 * create-to-ready time. QEMU's total_ms is spawn to the ready marker. */
	if (!strcmp(r->metric, VB_METRIC_READY_MS))
		return true;
	return !strcmp(r->metric, VB_METRIC_TOTAL_MS) && strcmp(r->platform, VB_PLATFORM_MICROVM);
}

bool family__boot_phase(const struct vb_result *r, char *phase, size_t size)
{
	size_t np = strlen(VB_METRIC_PHASE_PREFIX);
	if (r->view.family != FAM_BOOT || strncmp(r->metric, VB_METRIC_PHASE_PREFIX, np))
		return false;
	const char *name = r->metric + np;
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
	return r->view.family == FAM_STARTUP &&
	       (!strcmp(r->metric, VB_METRIC_READY_MS) || !strcmp(r->metric, VB_METRIC_RUNNING_MS));
}

bool family__is_throughput(const struct vb_result *r)
{
	if (r->view.family == FAM_CPU)
		return !strcmp(r->metric, VB_METRIC_EVENTS_PER_SEC);
	if (r->view.family == FAM_MEMORY)
		return !strcmp(r->metric, VB_METRIC_MIB_PER_SEC);
	return false;
}

bool family__is_memvirt(const struct vb_result *r)
{
	return r->view.kind == VB_PK_VM &&
	       ((r->view.family == FAM_FAULT && !strcmp(r->metric, VB_METRIC_NS_PER_PAGE)) ||
		r->view.family == FAM_MEMLAT);
}

bool family__overhead(const struct vb_result *r, struct vb_overhead *out)
{
	if (r->has_overhead && isfinite(r->overhead.percent)) {
		*out = r->overhead;
		return true;
	}
	*out = r->view.derived;
	return r->view.has_derived && isfinite(out->percent);
}

double family__config_num(const struct vb_result *r, const char *key)
{
	const char *v = result__config(r, key);
	if (!v || !*v)
		return NAN;
	char *end;
	double d = strtod(v, &end);
	return end != v && isfinite(d) ? d : NAN;
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

/* The figures of r's configuration and what its names say, once. */
static void view__fill(struct vb_result *r)
{
	struct vb_view *v = &r->view;
	v->family = family__of(r);
	v->kind = names__platform_kind(r->platform);
	v->emulated = family__is_emulated(r);
	v->vcpus = family__config_num(r, VB_CFG_VCPUS);
	v->memory_mib = family__config_num(r, VB_CFG_MEMORY_MIB);
	v->threads = family__config_num(r, VB_CFG_THREADS);
	if (isnan(v->threads))
		v->threads = v->vcpus;
	v->count = family__config_num(r, VB_CFG_VMS);
	if (isnan(v->count))
		v->count = family__config_num(r, VB_CFG_CONTAINERS);
	if (isnan(v->count))
		v->count = family__config_num(r, VB_CFG_GUESTS);
	const char *ws = result__config(r, VB_CFG_WORKING_SET);
	v->working_set = ws ? parse_size(ws) : NAN;
	v->baseline = NULL;
	v->has_derived = false;
	v->derived.percent = v->derived.ci_low = v->derived.ci_high = NAN;
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
	double t = r->view.threads;
	if (isnan(t))
		return false;
	snprintf(out, size, "%a", t == 0 ? 0.0 : t);
	return true;
}

/* Keys: 'c' the same benchmark, metric and configuration; 'j' and 'i' the
 * same disk or net test (io__baseline_key); 't' the same
 * benchmark, metric and threads; 'k' the kind ("cpu" for "cpu" and for
 * "native.cpu"), metric and threads. Configurations are compared by
 * their 512-byte text. */
static int index_natives(const struct vb_result_set *s, struct nindex *ix)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *n = s->results[i];
		if (n->view.kind != VB_PK_NATIVE || !n->nsamples)
			continue;
		char cfg[512], th[64];
		compare__config(n, cfg, sizeof(cfg));
		if (nindex__add(ix, i, "c\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, cfg) < 0)
			return -1;
		char io[512];
		for (int same = 0; same < 2; same++)
			if (io__baseline_key(n, same, io, sizeof(io)) &&
			    nindex__add(ix, i, "%s", io) < 0)
				return -1;
		if (!threads_key(n, th, sizeof(th)))
			continue;
		if (nindex__add(ix, i, "t\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, th) < 0 ||
		    nindex__add(ix, i, "k\x1f%s\x1f%s\x1f%s", n->metric, n->benchmark, th) < 0)
			return -1;
		if (!strncmp(n->benchmark, VB_AREA_NATIVE, strlen(VB_AREA_NATIVE)) &&
		    nindex__add(ix, i, "k\x1f%s\x1f%s\x1f%s", n->metric, names__kind(n->benchmark),
				th) < 0)
			return -1;
	}
	if (ix->n)
		qsort(ix->k, ix->n, sizeof(*ix->k), cmp_nkey);
	return 0;
}

static const struct vb_result *
baseline_indexed(const struct nindex *ix, const struct vb_result_set *s, const struct vb_result *r)
{
	if (r->view.kind == VB_PK_NATIVE)
		return NULL;
	char cfg[512], th[64], key[1200];
	compare__config(r, cfg, sizeof(cfg));
	snprintf(key, sizeof(key), "c\x1f%s\x1f%s\x1f%s", r->metric, r->benchmark, cfg);
	const struct vb_result *b = nindex__first(ix, s, key);
	/* Disk and net: the same test natively, whatever the mode; the run
	 * interleaved with r's first. */
	if (!b && io__baseline_key(r, true, key, sizeof(key)) && (b = nindex__first(ix, s, key)))
		return b;
	if (!b && io__baseline_key(r, false, key, sizeof(key)))
		return nindex__first(ix, s, key);
	if (b || !threads_key(r, th, sizeof(th)))
		return b;
	snprintf(key, sizeof(key), "t\x1f%s\x1f%s\x1f%s", r->metric, r->benchmark, th);
	if ((b = nindex__first(ix, s, key)))
		return b;
	snprintf(key, sizeof(key), "k\x1f%s\x1f%s\x1f%s", r->metric, names__kind(r->benchmark), th);
	return nindex__first(ix, s, key);
}

int family__link(struct vb_result_set *s)
{
	if (s->linked)
		return 0;
	for (size_t i = 0; i < s->nresults; i++)
		view__fill(s->results[i]);
	struct nindex ix = { 0 };
	if (index_natives(s, &ix) < 0) {
		nindex__free(&ix);
		return -1;
	}
	size_t budget = FAMILY_BOOTSTRAP_BUDGET;
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *r = s->results[i];
		struct vb_view *v = &r->view;
		const struct vb_result *base = v->baseline = baseline_indexed(&ix, s, r);
		if ((r->has_overhead && isfinite(r->overhead.percent)) || !base || !r->nsamples)
			continue;
		v->has_derived = true;
		size_t work = base->nsamples + r->nsamples;
		if (work <= budget) {
			budget -= work;
			stats__overhead(base->samples, base->nsamples, r->samples, r->nsamples,
					r->higher_is_better, &v->derived);
			continue;
		}
		/* Many results against one large baseline would each bootstrap
		 * it again: past the budget the figure keeps its point value and
		 * goes without an interval. */
		double mb = base->stats.median, mv = r->stats.median;
		if (mb != 0 && isfinite(mb) && isfinite(mv))
			v->derived.percent = r->higher_is_better ? (mb - mv) / mb * 100
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

int family__require_linked(const struct vb_result_set *s, struct vb_err *err)
{
	return s->linked ? 0 : err__set(err, EINVAL, "report: the result set is not linked");
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
		if (r->view.family != f)
			continue;
		if (!strcmp(r->platform, VB_PLATFORM_QEMU)) {
			qemu_any = true;
			if (!r->view.emulated)
				qemu_kvm = true;
		} else if (!strcmp(r->platform, VB_PLATFORM_MICROVM)) {
			microvm = true;
		}
	}
	return qemu_kvm	  ? VB_PLATFORM_QEMU
	       : microvm  ? VB_PLATFORM_MICROVM
	       : qemu_any ? VB_PLATFORM_QEMU
			  : NULL;
}

bool family__platform_is(const struct vb_result *r, const char *plat)
{
	size_t n = strlen(plat);
	return !strncmp(r->platform, plat, n) &&
	       (!r->platform[n] || !strcmp(r->platform + n, "-seed-method"));
}

const char *family__seed_container_platform(const struct vb_result_set *s, enum family f)
{
	static const char *const order[] = { VB_PLATFORM_DOCKER, VB_PLATFORM_PODMAN,
					     VB_PLATFORM_RUNC, VB_PLATFORM_CRUN,
					     VB_PLATFORM_CONTAINER_BUILTIN };
	const char *first = NULL;
	size_t best = sizeof(order) / sizeof(order[0]);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != f || r->view.kind != VB_PK_CONTAINER ||
		    (f == FAM_STARTUP ? !family__is_startup_main(r) : !family__is_throughput(r)))
			continue;
		for (size_t k = 0; k < best; k++)
			if (family__platform_is(r, order[k]))
				best = k;
		if (!first)
			first = r->platform;
	}
	return best < sizeof(order) / sizeof(order[0]) ? order[best] : first;
}
