#include "report/verdicts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/io.h"
#include "report/text.h"

#define MAX_PLATFORMS 16

typedef bool (*pick_fn)(const struct vb_result *r, enum family fam);

/* Distinct platforms of the results pick() accepts, in order of appearance. */
static size_t platforms(const struct vb_result_set *s, enum family fam, pick_fn pick,
			const char *out[MAX_PLATFORMS])
{
	size_t n = 0;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!pick(r, fam))
			continue;
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(out[k], r->platform);
		if (!seen && n < MAX_PLATFORMS)
			out[n++] = r->platform;
	}
	return n;
}

static void cfg_text(const struct vb_result *r, char *out, size_t size)
{
	double v = r->view.vcpus, m = r->view.memory_mib, t = r->view.threads;
	const char *pages = result__config(r, VB_CFG_PAGE_SIZE);
	if (isfinite(v) && isfinite(m))
		snprintf(out, size, "%g vCPU, %g MB", v, m);
	else if (isfinite(t))
		snprintf(out, size, "%g thread%s", t, t == 1 ? "" : "s");
	else
		out[0] = '\0';
	if (pages) {
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%.8s pages", n ? ", " : "", pages);
	}
}

static const char *tcg(const struct vb_result *r)
{
	return r->view.emulated ? " (emulated, TCG)" : "";
}

static bool pick_boot(const struct vb_result *r, enum family f)
{
	(void)f;
	return family__is_boot_total(r);
}

static void boot(const struct vb_result_set *s, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, FAM_BOOT, pick_boot, plats);
	for (size_t p = 0; p < np; p++) {
		const struct vb_result *lo = NULL, *hi = NULL;
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			if (strcmp(r->platform, plats[p]) || !family__is_boot_total(r))
				continue;
			if (!lo || r->stats.median < lo->stats.median)
				lo = r;
			if (!hi || r->stats.median > hi->stats.median)
				hi = r;
		}
		char a[32], b[32], ca[48], cb[48];
		text__qty(a, sizeof(a), lo->stats.median, lo->unit);
		text__qty(b, sizeof(b), hi->stats.median, hi->unit);
		cfg_text(lo, ca, sizeof(ca));
		cfg_text(hi, cb, sizeof(cb));
		if (lo == hi)
			text__put(l, "%s%s boots in %s (%s)", p ? "; " : "", plats[p], a, ca);
		else
			text__put(l, "%s%s boots in %s (%s) to %s (%s)", p ? "; " : "", plats[p], a,
				  ca, b, cb);
		text__put(l, "%s", tcg(lo));
	}
	if (np)
		text__put(l, ". Medians of the time until the guest is ready.");
}

static bool pick_any(const struct vb_result *r, enum family f)
{
	return r->view.family == f;
}

/* "platform: metric value, metric value" for small families. */
static void listing(const struct vb_result_set *s, enum family fam, size_t per, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, fam, pick_any, plats);
	for (size_t p = 0; p < np; p++) {
		text__put(l, "%s%s: ", p ? "; " : "", plats[p]);
		size_t k = 0;
		for (size_t i = 0; i < s->nresults && k < per; i++) {
			const struct vb_result *r = s->results[i];
			if (r->view.family != fam || strcmp(r->platform, plats[p]))
				continue;
			char v[48], cfg[48];
			text__qty(v, sizeof(v), r->stats.median, r->unit);
			cfg_text(r, cfg, sizeof(cfg));
			text__put(l, "%s%s %s%s%s%s", k ? ", " : "", r->metric, v,
				  cfg[0] ? " (" : "", cfg, cfg[0] ? ")" : "");
			k++;
		}
		text__put(l, "%s", k == per ? ", ..." : "");
	}
	if (np)
		text__put(l, " (medians).");
}

static bool pick_overhead(const struct vb_result *r, enum family f)
{
	return r->view.family == f && r->view.kind != VB_PK_NATIVE && family__is_throughput(r);
}

static void overhead(const struct vb_result_set *s, enum family fam, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, fam, pick_overhead, plats);
	size_t shown = 0;
	for (size_t p = 0; p < np; p++) {
		bool all_zero = true, any = false;
		const struct vb_result *seen = NULL;
		size_t start = l->used;
		text__put(l, "%s%s overhead ", shown ? "; " : "", plats[p]);
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			struct vb_overhead o;
			if (strcmp(r->platform, plats[p]) || !pick_overhead(r, fam) ||
			    !family__overhead(r, &o))
				continue;
			char cfg[48];
			cfg_text(r, cfg, sizeof(cfg));
			text__put(l, "%s%+.1f%% [%+.1f, %+.1f] (%s)", any ? ", " : "", o.percent,
				  o.ci_low, o.ci_high, cfg);
			any = true;
			seen = r;
			if (!(o.ci_low <= 0 && o.ci_high >= 0))
				all_zero = false;
		}
		if (!any) {
			l->used = start; /* no baseline: nothing to say */
			l->s[start] = '\0';
			continue;
		}
		shown++;
		text__put(l, "%s%s", all_zero ? ", not distinguishable from zero" : "", tcg(seen));
	}
	if (shown)
		text__put(l, ". Overhead = (native - platform) / native of the median throughput, "
			     "95%% interval in brackets.");
}

static void memlat(const struct vb_result_set *s, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, FAM_MEMLAT, pick_any, plats);
	for (size_t p = 0; p < np; p++) {
		const struct vb_result *lo = NULL, *hi = NULL;
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			double ws = r->view.working_set;
			if (r->view.family != FAM_MEMLAT || strcmp(r->platform, plats[p]) ||
			    !isfinite(ws))
				continue;
			if (!lo || ws < lo->view.working_set)
				lo = r;
			if (!hi || ws > hi->view.working_set)
				hi = r;
		}
		if (!lo)
			continue;
		char a[32], b[32], wa[32], wb[32];
		text__qty(a, sizeof(a), lo->stats.median, lo->unit);
		text__qty(b, sizeof(b), hi->stats.median, hi->unit);
		text__bytes(wa, sizeof(wa), lo->view.working_set);
		text__bytes(wb, sizeof(wb), hi->view.working_set);
		text__put(l, "%s%s: %s per load at %s, %s at %s", p ? "; " : "", plats[p], a, wa, b,
			  wb);
	}
	if (np)
		text__put(l, " (medians; larger working sets miss the caches and the TLB).");
}

static bool pick_startup(const struct vb_result *r, enum family f)
{
	(void)f;
	return family__is_startup_main(r);
}

static void startup(const struct vb_result_set *s, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, FAM_STARTUP, pick_startup, plats);
	for (size_t p = 0; p < np; p++) {
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			if (strcmp(r->platform, plats[p]) || !family__is_startup_main(r))
				continue;
			char v[32], lo[32], hi[32];
			text__qty(v, sizeof(v), r->stats.median, r->unit);
			text__qty(lo, sizeof(lo), r->stats.ci_low, r->unit);
			text__qty(hi, sizeof(hi), r->stats.ci_high, r->unit);
			text__put(l, "%s%s %s [%s, %s]", p ? "; " : "", plats[p], v, lo, hi);
			break;
		}
	}
	if (np)
		text__put(l, " (median time until the containerised process runs, 95%% interval).");
}

static void curve(const struct vb_result_set *s, enum family fam, struct text_out *l)
{
	const char *plats[MAX_PLATFORMS];
	size_t np = platforms(s, fam, pick_any, plats);
	for (size_t p = 0; p < np; p++) {
		/* The platform's first metric, from the smallest to the largest x. */
		const struct vb_result *first = NULL, *lo = NULL, *hi = NULL;
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			if (r->view.family != fam || strcmp(r->platform, plats[p]))
				continue;
			if (!first)
				first = r;
			if (strcmp(r->metric, first->metric))
				continue;
			double x = fam == FAM_SCALE ? r->view.vcpus : r->view.count;
			if (!isfinite(x))
				continue;
			double xl = lo ? (fam == FAM_SCALE ? lo->view.vcpus : lo->view.count) : 0;
			double xh = hi ? (fam == FAM_SCALE ? hi->view.vcpus : hi->view.count) : 0;
			if (!lo || x < xl)
				lo = r;
			if (!hi || x > xh)
				hi = r;
		}
		if (!lo)
			continue;
		double xl = fam == FAM_SCALE ? lo->view.vcpus : lo->view.count;
		double xh = fam == FAM_SCALE ? hi->view.vcpus : hi->view.count;
		char a[32], b[32];
		text__qty(a, sizeof(a), lo->stats.median, lo->unit);
		text__qty(b, sizeof(b), hi->stats.median, hi->unit);
		if (fam == FAM_SCALE)
			text__put(l, "%s%s %s: %s with %g vCPU%s, %s with %g", p ? "; " : "",
				  plats[p], lo->metric, a, xl, xl == 1 ? "" : "s", b, xh);
		else
			text__put(l, "%s%s %s: %s for %g, %s for %g at once", p ? "; " : "",
				  plats[p], lo->metric, a, xl, b, xh);
		if (lo != hi && lo->stats.median > 0 && fam == FAM_SCALE)
			text__put(l, " (%.2fx for %.0fx the vCPUs)",
				  hi->stats.median / lo->stats.median, xh / xl);
	}
	if (np)
		text__put(l, ".");
}

size_t verdicts__build(const struct vb_result_set *s, struct verdict *out, size_t max)
{
	static const enum family order[] = { FAM_BOOT,	 FAM_EXITS,   FAM_CPU,		FAM_MEMORY,
					     FAM_MEMLAT, FAM_FAULT,   FAM_STREAM,	FAM_STARTUP,
					     FAM_SCALE,	 FAM_DENSITY, FAM_INTERFERENCE, FAM_DISK,
					     FAM_NET };
	size_t n = 0;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && n < max; k++) {
		enum family f = order[k];
		struct verdict *v = &out[n];
		v->fam = f;
		v->text[0] = '\0';
		struct text_out l = { v->text, sizeof(v->text), 0 };
		switch (f) {
		case FAM_BOOT: boot(s, &l); break;
		case FAM_CPU:
		case FAM_MEMORY:
			overhead(s, f, &l);
			if (!l.used)
				listing(s, f, 4, &l);
			break;
		case FAM_MEMLAT: memlat(s, &l); break;
		case FAM_STARTUP: startup(s, &l); break;
		case FAM_SCALE:
		case FAM_DENSITY: curve(s, f, &l); break;
		case FAM_DISK:
		case FAM_NET:
			io__verdict(s, f, &l);
			if (!l.used)
				listing(s, f, 5, &l);
			break;
		default: listing(s, f, 5, &l); break;
		}
		if (l.used)
			n++;
	}
	return n;
}
