/* The charts of one result set: the seed's three container plots, then one
 * per family the seed did not have (boot phases stacked, exit latency,
 * overhead per platform, memory latency against working set, vCPU scaling,
 * density). Every bar and point carries the 95% interval of its median (or
 * of its overhead) as an error bar. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/family.h"
#include "report/report.h"
#include "report/text.h"

#define CI_NOTE "bars: median; error bars: 95% interval"

static void config_label(const struct vb_result *r, char *out, size_t size)
{
	double v = r->view.vcpus, m = r->view.memory_mib, t = r->view.threads;
	if (isfinite(v) && isfinite(m))
		snprintf(out, size, "%g vCPU, %g MB", v, m);
	else if (isfinite(v))
		snprintf(out, size, "%g vCPU", v);
	else if (isfinite(t))
		snprintf(out, size, "%g thr", t);
	else
		out[0] = '\0';
}

static void platform_label(const struct vb_result *r, char *out, size_t size)
{
	snprintf(out, size, "%s%s", r->platform, r->view.emulated ? " (TCG)" : "");
}

/* The runtime, and the image only when it is not virtbench's own worker
 * image (the default, which would repeat on every bar). */
static void image_label(const struct vb_result *r, char *out, size_t size)
{
	const char *img = result__config(r, VB_CFG_IMAGE);
	if (img && *img && strncmp(img, "virtbench-worker", 16))
		snprintf(out, size, "%.24s (%.20s)", img, r->platform);
	else
		snprintf(out, size, "%s", r->platform);
}

static double in_ms(const struct vb_result *r, double v)
{
	double ms = family__ms(v, r->unit);
	return isfinite(ms) ? ms : v;
}

static struct chart *seed_vm_boot(const struct vb_result_set *s)
{
	const char *plat = family__seed_vm_platform(s, FAM_BOOT);
	struct chart *c = chart__new("vm_boot_times", "VM boot time", "configuration",
				     "boot time (ms, log scale)", CHART_BARS);
	if (!c || !plat)
		return c;
	c->logy = true;
	snprintf(c->note, sizeof(c->note), "%s; %s", plat, CI_NOTE);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || !family__is_boot_total(r))
			continue;
		char cat[64], ser[64];
		config_label(r, cat, sizeof(cat));
		platform_label(r, ser, sizeof(ser));
		chart__put(c, ser, cat, 0, in_ms(r, r->stats.median), in_ms(r, r->stats.ci_low),
			   in_ms(r, r->stats.ci_high));
	}
	return c;
}

static struct chart *seed_startup(const struct vb_result_set *s)
{
	struct chart *c = chart__new("container_startup_times", "Container Startup Time",
				     "runtime (image)", "time (ms, log scale)", CHART_BARS);
	if (!c)
		return NULL;
	c->logy = true; /* a 2 ms runtime stays visible beside docker's 250 ms */
	snprintf(c->note, sizeof(c->note), "%s", CI_NOTE);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != FAM_STARTUP || r->view.kind != VB_PK_CONTAINER ||
		    !isfinite(family__ms(1, r->unit)))
			continue;
		char cat[64];
		image_label(r, cat, sizeof(cat));
		chart__put(c, r->metric, cat, 0, in_ms(r, r->stats.median),
			   in_ms(r, r->stats.ci_low), in_ms(r, r->stats.ci_high));
	}
	return c;
}

static struct chart *seed_container_perf(const struct vb_result_set *s, enum family fam)
{
	bool cpu = fam == FAM_CPU;
	struct chart *c =
		chart__new(cpu ? "container_cpu_performance" : "container_memory_performance",
			   cpu ? "Container CPU Performance" : "Container Memory Performance",
			   "configuration", cpu ? "events per second" : "MiB/sec", CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note), "%s", CI_NOTE);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != fam || r->view.kind != VB_PK_CONTAINER ||
		    !family__is_throughput(r))
			continue;
		char img[64], cfg[32], cat[100];
		image_label(r, img, sizeof(img));
		config_label(r, cfg, sizeof(cfg));
		snprintf(cat, sizeof(cat), "%s %s", img, cfg);
		const struct vb_result *base = r->view.baseline;
		if (base)
			chart__put(c, "Native", cat, 0, base->stats.median, base->stats.ci_low,
				   base->stats.ci_high);
		chart__put(c, "Container", cat, 0, r->stats.median, r->stats.ci_low,
			   r->stats.ci_high);
	}
	return c;
}

/* The median of platform's `metric` for the configuration labelled cat. */
static double boot_metric(const struct vb_result_set *s, const char *plat, const char *cat,
			  const char *metric)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		char c[64];
		if (r->view.family != FAM_BOOT || strcmp(r->platform, plat) ||
		    strcmp(r->metric, metric))
			continue;
		config_label(r, c, sizeof(c));
		if (!strcmp(c, cat))
			return in_ms(r, r->stats.median);
	}
	return NAN;
}

/* QEMU's phases are marks since the spawn (kernel entry at 800 ms ...):
 * the stacked bar shows the time between consecutive marks instead. */
static void qemu_phases(const struct vb_result_set *s, struct chart *c, const char *cat)
{
	static const struct {
		const char *metric, *name;
	} marks[] = { { VB_METRIC_PHASE_QEMU_READY_MS, "QEMU start" },
		      { VB_METRIC_PHASE_KERNEL_ENTRY_MS, "firmware and kernel load" },
		      { VB_METRIC_PHASE_KERNEL_DONE_MS, "kernel boot" },
		      { VB_METRIC_TOTAL_MS, "init to ready" } };
	double prev = 0;
	for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		double t = boot_metric(s, VB_PLATFORM_QEMU, cat, marks[k].metric);
		if (!isfinite(t))
			continue;
		chart__put(c, marks[k].name, cat, 0, fmax(t - prev, 0), NAN, NAN);
		prev = t;
	}
}

static int boot_phases(const struct vb_result_set *s, struct chart_list *l)
{
	static const char *const plats[] = { VB_PLATFORM_MICROVM, VB_PLATFORM_QEMU };
	for (size_t p = 0; p < 2; p++) {
		char file[64], title[96];
		snprintf(file, sizeof(file), "boot_phases_%s", plats[p]);
		snprintf(title, sizeof(title), "Boot phases: %s", plats[p]);
		struct chart *c =
			chart__new(file, title, "configuration", "time (ms)", CHART_STACKED);
		if (!c)
			return -1;
		snprintf(c->note, sizeof(c->note), "stacked medians of each phase");
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			char ph[64], cat[64];
			if (strcmp(r->platform, plats[p]) || !family__boot_phase(r, ph, sizeof(ph)))
				continue;
			config_label(r, cat, sizeof(cat));
			if (r->view.emulated)
				snprintf(c->note, sizeof(c->note),
					 "stacked medians of each phase; emulated (TCG)");
			if (p == 1) {
				bool seen = false;
				for (size_t k = 0; k < c->nx; k++)
					seen |= !strcmp(c->xlabels[k], cat);
				if (!seen)
					qemu_phases(s, c, cat);
				continue;
			}
			chart__put(c, ph, cat, 0, in_ms(r, r->stats.median), NAN, NAN);
		}
		if (chart_list__add(l, c) < 0)
			return -1;
	}
	return 0;
}

static struct chart *exit_latency(const struct vb_result_set *s)
{
	struct chart *c = chart__new("exit_latency", "VM exit latency", "exit",
				     "time per exit (ns)", CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note), "%s", CI_NOTE);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != FAM_EXITS)
			continue;
		double k = family__seconds(1, r->unit) * 1e9;
		if (!isfinite(k))
			continue; /* counts and rates are in the tables */
		/* "pio_ns" (host clock), "pio_guest_ns" (guest clock). */
		char kind[48], ser[64];
		snprintf(kind, sizeof(kind), "%s", r->metric);
		size_t n = strlen(kind), ng = strlen(VB_METRIC_GUEST_NS_SUFFIX),
		       nh = strlen(VB_METRIC_NS_SUFFIX);
		bool guest = n > ng && !strcmp(kind + n - ng, VB_METRIC_GUEST_NS_SUFFIX);
		if (guest)
			kind[n - ng] = '\0';
		else if (n > nh && !strcmp(kind + n - nh, VB_METRIC_NS_SUFFIX))
			kind[n - nh] = '\0';
		const char *clock = result__config(r, VB_CFG_CLOCK);
		snprintf(ser, sizeof(ser), "%s%s%s", r->platform,
			 guest || (clock && !strcmp(clock, VB_CLOCK_GUEST)) ? ", guest clock" : "",
			 r->view.emulated ? " (TCG)" : "");
		chart__put(c, ser, kind, 0, r->stats.median * k, r->stats.ci_low * k,
			   r->stats.ci_high * k);
	}
	return c;
}

static struct chart *overhead(const struct vb_result_set *s)
{
	struct chart *c = chart__new("overhead", "Overhead against native, per platform",
				     "workload", "overhead (%)", CHART_BARS);
	if (!c)
		return NULL;
	/* Memory virtualization (first touch, latency) beside cpu and memory. */
	snprintf(c->note, sizeof(c->note),
		 "positive: slower than native; error bars: 95%% interval");
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		struct vb_overhead o;
		if (r->view.kind == VB_PK_NATIVE ||
		    !(family__is_throughput(r) || family__is_memvirt(r)) ||
		    !family__overhead(r, &o))
			continue;
		const char *dot = strrchr(r->benchmark, '.');
		char cfg[48], cat[112], ser[64];
		double t = r->view.threads;
		const char *pages = result__config(r, VB_CFG_PAGE_SIZE);
		if (family__is_memvirt(r) && isfinite(r->view.working_set)) {
			char ws[24];
			text__bytes(ws, sizeof(ws), r->view.working_set);
			snprintf(cfg, sizeof(cfg), "%s %.4s", ws, pages ? pages : "");
		} else if (family__is_memvirt(r)) {
			snprintf(cfg, sizeof(cfg), "%g vCPU %.4s", r->view.vcpus,
				 pages ? pages : "4K"); /* one per guest size */
		} else if (isfinite(t)) {
			snprintf(cfg, sizeof(cfg), "%g thr", t);
		} else {
			cfg[0] = '\0';
		}
		snprintf(cat, sizeof(cat), "%s %s", dot ? dot + 1 : r->benchmark, cfg);
		platform_label(r, ser, sizeof(ser));
		chart__put(c, ser, cat, 0, o.percent, o.ci_low, o.ci_high);
	}
	return c;
}

static struct chart *memlat(const struct vb_result_set *s)
{
	struct chart *c = chart__new("memory_latency", "Memory latency against working set",
				     "working set", "ns per load", CHART_LINES);
	if (!c)
		return NULL;
	c->logx = c->xbytes = true;
	snprintf(c->note, sizeof(c->note), "dependent loads; error bars: 95%% interval");
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		double ws = r->view.working_set;
		if (r->view.family != FAM_MEMLAT || !isfinite(ws) || ws <= 0)
			continue;
		double k = family__seconds(1, r->unit) * 1e9;
		if (!isfinite(k))
			k = 1;
		const char *pages = result__config(r, VB_CFG_PAGE_SIZE);
		char ser[64];
		snprintf(ser, sizeof(ser), "%s%s%s", r->platform, pages ? " " : "",
			 pages ? pages : "");
		chart__put(c, ser, "", ws, r->stats.median * k, r->stats.ci_low * k,
			   r->stats.ci_high * k);
	}
	chart__sort_x(c);
	return c;
}

/* One line chart per metric of a family with a numeric x (scale, density). */
static int curves(const struct vb_result_set *s, enum family fam, const char *prefix,
		  const char *title, const char *xlabel, struct chart_list *l)
{
	char done[16][48];
	size_t ndone = 0;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != fam)
			continue;
		bool seen = false;
		for (size_t k = 0; k < ndone; k++)
			seen |= !strcmp(done[k], r->metric);
		if (seen || ndone >= 16)
			continue;
		snprintf(done[ndone++], sizeof(done[0]), "%s", r->metric);
		char file[64], t[128], yl[64], slug[48];
		text__slug(slug, sizeof(slug), r->metric);
		snprintf(file, sizeof(file), "%s_%s", prefix, slug);
		snprintf(t, sizeof(t), "%s: %s", title, r->metric);
		snprintf(yl, sizeof(yl), "%.40s (%.15s)", r->metric, r->unit);
		struct chart *c = chart__new(file, t, xlabel, yl, CHART_LINES);
		if (!c)
			return -1;
		snprintf(c->note, sizeof(c->note), "median; error bars: 95%% interval");
		for (size_t j = i; j < s->nresults; j++) {
			const struct vb_result *q = s->results[j];
			if (q->view.family != fam || strcmp(q->metric, r->metric))
				continue;
			double x = fam == FAM_SCALE ? q->view.vcpus : q->view.count;
			if (!isfinite(x))
				continue;
			char ser[64];
			platform_label(q, ser, sizeof(ser));
			chart__put(c, ser, "", x, q->stats.median, q->stats.ci_low,
				   q->stats.ci_high);
		}
		chart__sort_x(c);
		if (c->nx > 2 && c->x[0] > 0 && c->x[c->nx - 1] / c->x[0] >= 16)
			c->logx = true;
		if (chart_list__add(l, c) < 0)
			return -1;
	}
	return 0;
}

int report__build_charts(const struct vb_result_set *s, struct chart_list *l)
{
	if (chart_list__add(l, seed_startup(s)) < 0 ||
	    chart_list__add(l, seed_container_perf(s, FAM_CPU)) < 0 ||
	    chart_list__add(l, seed_container_perf(s, FAM_MEMORY)) < 0 ||
	    chart_list__add(l, seed_vm_boot(s)) < 0 || boot_phases(s, l) < 0 ||
	    chart_list__add(l, exit_latency(s)) < 0 || chart_list__add(l, overhead(s)) < 0 ||
	    chart_list__add(l, memlat(s)) < 0 ||
	    curves(s, FAM_SCALE, "vm_scale", "vCPU scaling", "vCPUs", l) < 0 ||
	    curves(s, FAM_DENSITY, "density", "Density", "guests at once", l) < 0 ||
	    report__io_charts(s, l) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		struct chart *c = l->items[i];
		if (c->truncated) {
			size_t n = strlen(c->note);
			snprintf(c->note + n, sizeof(c->note) - n, "%s(some points left out)",
				 n ? "; " : "");
		}
	}
	return 0;
}
