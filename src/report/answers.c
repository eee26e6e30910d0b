#include "report/answers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "report/family.h"
#include "report/hostview.h"
#include "report/text.h"

const char *const answers__questions[ANSWERS_N] = {
	"VM boot against container start-up, per architecture",
	"Memory-virtualization overhead (in the guest against natively)",
	"Hypervisor overhead against the number of running VMs",
};

void answers__arch(const struct vb_result_set *s, char *out, size_t size)
{
	static const char *const names[] = { "arch", "machine", "architecture", NULL };
	hostview__get(s->host, names, out, size);
	if (!out[0])
		snprintf(out, size, "this host");
}

void answers__qty(const struct vb_result *r, char *out, size_t size)
{
	text__stats(out, size, &r->stats, r->unit);
	size_t n = strlen(out);
	if (r->stats.n < 2)
		snprintf(out + n, size - n, " (n = %zu)", r->stats.n);
}

static void pct_ci(char *out, size_t size, const struct vb_overhead *o)
{
	if (isfinite(o->ci_low) && isfinite(o->ci_high))
		snprintf(out, size, "%+.1f%% [%+.1f, %+.1f]", o->percent, o->ci_low, o->ci_high);
	else
		snprintf(out, size, "%+.1f%%", o->percent);
}

/* ---- 1: VM boot against container start-up ---- */

static const struct vb_result *smallest_boot(const struct vb_result_set *s)
{
	const char *plat = family__seed_vm_platform(s, FAM_BOOT);
	const struct vb_result *best = NULL;
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || !family__is_boot_total(r) || !r->nsamples)
			continue;
		double v = r->view.vcpus, m = r->view.memory_mib;
		if (!best || v < best->view.vcpus ||
		    (v == best->view.vcpus && m < best->view.memory_mib))
			best = r;
	}
	return best;
}

static const struct vb_result *seed_startup(const struct vb_result_set *s)
{
	const char *plat = family__seed_container_platform(s, FAM_STARTUP);
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!strcmp(r->platform, plat) && family__is_startup_main(r) && r->nsamples)
			return r;
	}
	return NULL;
}

/* The samples of r in milliseconds (a copy); NULL for another unit. */
static double *in_ms(const struct vb_result *r)
{
	double k = family__ms(1, r->unit);
	if (!isfinite(k))
		return NULL;
	double *v = malloc(r->nsamples * sizeof(*v));
	for (size_t i = 0; v && i < r->nsamples; i++)
		v[i] = r->samples[i] * k;
	return v;
}

bool answers__boot_ratio(const struct vb_result_set *s, struct boot_ratio *out)
{
	memset(out, 0, sizeof(*out));
	out->ratio = out->lo = out->hi = NAN;
	out->vm = smallest_boot(s);
	out->ct = seed_startup(s);
	if (!out->vm || !out->ct)
		return false;
	double *vm = in_ms(out->vm), *ct = in_ms(out->ct);
	bool ok = vm && ct;
	if (ok) {
		/* (vm - ct) / ct of the medians with its bootstrap interval: the
		 * ratio is one more than that. */
		struct vb_overhead o;
		stats__overhead(ct, out->ct->nsamples, vm, out->vm->nsamples, false, &o);
		out->ratio = 1 + o.percent / 100;
		if (out->vm->nsamples > 1 && out->ct->nsamples > 1) {
			out->lo = 1 + o.ci_low / 100;
			out->hi = 1 + o.ci_high / 100;
		}
		ok = isfinite(out->ratio);
	}
	free(vm);
	free(ct);
	return ok;
}

static void ratio_text(const struct boot_ratio *b, char *out, size_t size)
{
	char r[32], lo[32], hi[32];
	text__num(r, sizeof(r), b->ratio);
	if (isfinite(b->lo) && isfinite(b->hi)) {
		text__num(lo, sizeof(lo), b->lo);
		text__num(hi, sizeof(hi), b->hi);
		snprintf(out, size, "%sx [%s, %s]", r, lo, hi);
	} else {
		snprintf(out, size, "%sx (no interval: one sample)", r);
	}
}

void answers__boot_vs_startup(const struct vb_result_set *s, char *out, size_t size)
{
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	char arch[64];
	answers__arch(s, arch, sizeof(arch));
	struct boot_ratio b;
	if (!answers__boot_ratio(s, &b)) {
		text__put(&o,
			  "Not measured on %s: it needs a VM boot and a container start-up "
			  "(%s).",
			  arch,
			  !b.vm && !b.ct ? "neither ran"
			  : b.vm	 ? "no container ran"
					 : "no VM booted");
		return;
	}
	char vm[64], ct[64], r[160];
	answers__qty(b.vm, vm, sizeof(vm));
	answers__qty(b.ct, ct, sizeof(ct));
	ratio_text(&b, r, sizeof(r));
	text__put(&o,
		  "On %s a %s boot (%g vCPU, %g MB%s) takes %s, a %s container start-up %s: the VM "
		  "boot is %s the container start-up (median ratio, 95%% interval).",
		  arch, b.vm->platform, b.vm->view.vcpus, b.vm->view.memory_mib,
		  b.vm->view.emulated ? ", emulated by TCG" : "", vm, b.ct->platform, ct, r);
}

/* ---- 2: memory virtualization ---- */

static bool pick_memvirt(const struct vb_result *r, enum family fam)
{
	return r->view.family == fam && family__is_memvirt(r);
}

static const char *pages(const struct vb_result *r)
{
	const char *p = result__config(r, VB_CFG_PAGE_SIZE);
	return p && *p ? p : "4K";
}

/* "1 vCPU/512 MB, 16 MiB, 4K pages": what sets r apart from its siblings. */
static void memvirt_cfg(const struct vb_result *r, char *out, size_t size)
{
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	if (isfinite(r->view.vcpus) && isfinite(r->view.memory_mib))
		text__put(&o, "%g vCPU/%g MB", r->view.vcpus, r->view.memory_mib);
	if (isfinite(r->view.working_set)) {
		char ws[32];
		text__bytes(ws, sizeof(ws), r->view.working_set);
		text__put(&o, "%s%s", o.used ? ", " : "", ws);
	}
	text__put(&o, "%s%.8s pages", o.used ? ", " : "", pages(r));
}

#define MEMVIRT_SHOWN 8

static void memvirt_item(struct text_out *o, size_t *shown, const struct vb_result *r,
			 const char *what)
{
	struct vb_overhead ov;
	if (!family__overhead(r, &ov))
		return;
	if ((*shown)++ >= MEMVIRT_SHOWN)
		return;
	char v[64], n[64], p[64], cfg[96];
	answers__qty(r, v, sizeof(v));
	if (r->view.baseline)
		answers__qty(r->view.baseline, n, sizeof(n));
	else
		snprintf(n, sizeof(n), "?");
	pct_ci(p, sizeof(p), &ov);
	memvirt_cfg(r, cfg, sizeof(cfg));
	text__put(o, "%s%s %s (%s): %s in the guest, %s natively, %s", *shown > 1 ? "; " : "",
		  r->platform, what, cfg, v, n, p);
}

void answers__memory_virt(const struct vb_result_set *s, char *out, size_t size)
{
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	size_t shown = 0;
	/* First touch: per page, against the native figure of the same size. */
	for (size_t i = 0; i < s->nresults; i++)
		if (pick_memvirt(s->results[i], FAM_FAULT))
			memvirt_item(&o, &shown, s->results[i], "first-touch fault per page");
	/* Latency: at one working set each, or the smallest and the largest
	 * working set of each page size. */
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (pick_memvirt(r, FAM_MEMLAT) && !isfinite(r->view.working_set))
			memvirt_item(&o, &shown, r, "memory latency per load");
	}
	for (int pass = 0; pass < 2; pass++) {
		const char *ps = pass ? "2M" : "4K";
		const struct vb_result *lo = NULL, *hi = NULL;
		for (size_t i = 0; i < s->nresults; i++) {
			const struct vb_result *r = s->results[i];
			if (!pick_memvirt(r, FAM_MEMLAT) || strcmp(pages(r), ps) ||
			    !isfinite(r->view.working_set))
				continue;
			if (!lo || r->view.working_set < lo->view.working_set)
				lo = r;
			if (!hi || r->view.working_set > hi->view.working_set)
				hi = r;
		}
		if (lo)
			memvirt_item(&o, &shown, lo, "memory latency per load");
		if (hi && hi != lo)
			memvirt_item(&o, &shown, hi, "memory latency per load");
	}
	if (!shown) {
		char arch[64];
		answers__arch(s, arch, sizeof(arch));
		text__put(&o,
			  "Not measured on %s: no VM ran the fault or memlat workload beside its "
			  "native run.",
			  arch);
		return;
	}
	if (shown > MEMVIRT_SHOWN)
		text__put(&o, "; and %zu more", shown - MEMVIRT_SHOWN);
	text__put(&o, ". Overhead = the guest's time against native, 95%% interval in brackets; "
		      "first touch costs the most where the hypervisor builds the guest's page "
		      "tables (shadow paging) or EPT/NPT entries.");
}

/* ---- 3: interference ---- */

void answers__interference_curve(const struct vb_result_set *s, const char *state,
				 struct interference_curve *out)
{
	memset(out, 0, sizeof(*out));
	out->per_guest = NAN;
	for (size_t i = 0; i < s->nresults && out->n < 16; i++) {
		const struct vb_result *r = s->results[i];
		const char *st = result__config(r, VB_CFG_GUEST_STATE);
		struct vb_overhead ov;
		if (r->view.family != FAM_INTERFERENCE || !st || strcmp(st, state) ||
		    !isfinite(r->view.count) || !family__overhead(r, &ov))
			continue;
		out->guests[out->n] = r->view.count;
		out->ov[out->n++] = ov;
	}
	if (out->n < 2)
		return;
	/* Least squares through the points: the growth per added guest. */
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = (double)out->n;
	for (size_t i = 0; i < out->n; i++) {
		sx += out->guests[i];
		sy += out->ov[i].percent;
		sxx += out->guests[i] * out->guests[i];
		sxy += out->guests[i] * out->ov[i].percent;
	}
	double d = n * sxx - sx * sx;
	if (d != 0)
		out->per_guest = (n * sxy - sx * sy) / d;
}

void answers__interference(const struct vb_result_set *s, char *out, size_t size)
{
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	static const char *const states[] = { "busy", "idle" };
	size_t shown = 0;
	for (size_t k = 0; k < 2; k++) {
		struct interference_curve c;
		answers__interference_curve(s, states[k], &c);
		if (!c.n)
			continue;
		text__put(&o, "%s%s guests:", shown++ ? "; " : "", states[k]);
		for (size_t i = 0; i < c.n; i++) {
			char p[64];
			pct_ci(p, sizeof(p), &c.ov[i]);
			text__put(&o, "%s %s with %g", i ? "," : "", p, c.guests[i]);
		}
		if (isfinite(c.per_guest))
			text__put(&o, " (%+.1f points per added guest)", c.per_guest);
	}
	if (!shown) {
		char arch[64];
		answers__arch(s, arch, sizeof(arch));
		text__put(&o,
			  "Not measured on %s (vm interference needs the microVM and /dev/kvm).",
			  arch);
		return;
	}
	text__put(&o, ". Overhead = the loss of the host's cpu throughput (all host CPUs) against "
		      "no guest running, 95%% interval in brackets.");
}

void answers__build(const struct vb_result_set *s, char out[ANSWERS_N][ANSWERS_SIZE])
{
	answers__boot_vs_startup(s, out[0], ANSWERS_SIZE);
	answers__memory_virt(s, out[1], ANSWERS_SIZE);
	answers__interference(s, out[2], ANSWERS_SIZE);
}
