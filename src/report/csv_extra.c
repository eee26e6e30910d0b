/* CSVs for what the seed did not measure. One layout for all of them, so a
 * spreadsheet or gnuplot reads each the same way: the family's x column
 * (phase, exit, working set, vCPUs, guests) then the median with its 95%
 * interval and the sample count. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/compare.h"
#include "report/family.h"
#include "report/report.h"
#include "report/text.h"

struct extra_csv {
	const char *name;
	const char *xname; /* header of the x column */
	bool (*pick)(const struct vb_result *r);
	void (*x)(const struct vb_result *r, char *out, size_t size);
};

static bool pick_phase(const struct vb_result *r)
{
	return r->view.family == FAM_BOOT;
}
/* "phase.create_vm_ms" -> "create_vm", "ready_ms" -> "ready". */
static void x_phase(const struct vb_result *r, char *out, size_t size)
{
	if (family__boot_phase(r, out, size))
		return;
	snprintf(out, size, "%s", r->metric);
	size_t n = strlen(out);
	if (n > 3 && !strcmp(out + n - 3, "_ms"))
		out[n - 3] = '\0';
}
static bool pick_exits(const struct vb_result *r)
{
	return r->view.family == FAM_EXITS;
}
static void x_metric(const struct vb_result *r, char *out, size_t size)
{
	const char *kind = result__config(r, VB_CFG_EXIT);
	snprintf(out, size, "%s", kind ? kind : r->metric);
}
static bool pick_memlat(const struct vb_result *r)
{
	return r->view.family == FAM_MEMLAT;
}
static void x_ws(const struct vb_result *r, char *out, size_t size)
{
	text__csvnum(out, size, r->view.working_set);
}
static bool pick_scale(const struct vb_result *r)
{
	return r->view.family == FAM_SCALE;
}
static void x_vcpus(const struct vb_result *r, char *out, size_t size)
{
	text__csvnum(out, size, r->view.vcpus);
}
static bool pick_density(const struct vb_result *r)
{
	return r->view.family == FAM_DENSITY;
}
static void x_count(const struct vb_result *r, char *out, size_t size)
{
	text__csvnum(out, size, r->view.count);
}
static bool pick_startup(const struct vb_result *r)
{
	return r->view.family == FAM_STARTUP;
}
static bool pick_fault(const struct vb_result *r)
{
	return r->view.family == FAM_FAULT || r->view.family == FAM_STREAM;
}
static void x_platform(const struct vb_result *r, char *out, size_t size)
{
	snprintf(out, size, "%s", r->platform);
}

static const struct extra_csv extras[] = {
	{ "boot_phases.csv", "phase", pick_phase, x_phase },
	{ "vm_exits.csv", "exit", pick_exits, x_metric },
	{ "memory_latency.csv", "working_set_bytes", pick_memlat, x_ws },
	{ "vm_scale.csv", "vcpus", pick_scale, x_vcpus },
	{ "density.csv", "count", pick_density, x_count },
	{ "container_startup_phases.csv", "runtime", pick_startup, x_platform },
	{ "memory_faults_bandwidth.csv", "platform_run", pick_fault, x_platform },
};

static int write_one(const struct vb_result_set *s, const struct extra_csv *e, struct vb_buf *b)
{
	if (buf__printf(b, "benchmark,platform,%s,config,metric,unit,median,ci_low,ci_high,n\n",
			e->xname) < 0)
		return -1;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!e->pick(r))
			continue;
		char x[128], cfg[512], med[32], lo[32], hi[32], n[32];
		e->x(r, x, sizeof(x));
		compare__config(r, cfg, sizeof(cfg));
		fmt__num(med, sizeof(med), r->stats.median);
		fmt__num(lo, sizeof(lo), r->stats.ci_low);
		fmt__num(hi, sizeof(hi), r->stats.ci_high);
		snprintf(n, sizeof(n), "%zu", r->stats.n);
		const char *f[] = { r->benchmark, r->platform, x,  cfg, r->metric,
				    r->unit,	  med,	       lo, hi,	n };
		if (csv__row(b, f, 10) < 0)
			return -1;
	}
	return 0;
}

/* Every derived overhead: platform, what, overhead with its interval. */
static int write_overhead(const struct vb_result_set *s, struct vb_buf *b)
{
	if (buf__printf(b, "benchmark,platform,config,metric,native_median,median,"
			   "overhead_percent,ci_low,ci_high\n") < 0)
		return -1;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		struct vb_overhead o;
		if (r->view.kind == VB_PK_NATIVE || !family__overhead(r, &o))
			continue;
		const struct vb_result *base = r->view.baseline;
		char cfg[512], nat[32], med[32], p[32], lo[32], hi[32];
		compare__config(r, cfg, sizeof(cfg));
		fmt__num(nat, sizeof(nat), base ? base->stats.median : NAN);
		fmt__num(med, sizeof(med), r->stats.median);
		fmt__num(p, sizeof(p), o.percent);
		fmt__num(lo, sizeof(lo), o.ci_low);
		fmt__num(hi, sizeof(hi), o.ci_high);
		const char *f[] = { r->benchmark, r->platform, cfg, r->metric, nat, med, p, lo, hi };
		if (csv__row(b, f, 9) < 0)
			return -1;
	}
	return 0;
}

static int save(const char *dir, const char *name, struct vb_buf *b, int rc, struct vb_err *err)
{
	if (rc < 0) {
		buf__free(b);
		return err__set(err, ENOMEM, "%s: out of memory", name);
	}
	rc = report__save(dir, name, b, err);
	buf__free(b);
	return rc;
}

int report__write_extra_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err)
{
	if (family__require_linked(s, err) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(extras) / sizeof(extras[0]); k++) {
		struct vb_buf b = { 0 };
		if (save(dir, extras[k].name, &b, write_one(s, &extras[k], &b), err) < 0)
			return -1;
	}
	struct vb_buf b = { 0 };
	if (save(dir, "overhead.csv", &b, write_overhead(s, &b), err) < 0 ||
	    report__write_io_csvs(s, dir, err) < 0)
		return -1;
	struct vb_buf all = { 0 };
	return save(dir, "results.csv", &all, output__results_csv(s, &all), err);
}
