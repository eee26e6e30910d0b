#include "report/compare_summary.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/family.h"
#include "report/text.h"

struct out {
	char *s;
	size_t size, used;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->used + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->s + o->used, o->size - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used = o->used + (size_t)n < o->size ? o->used + (size_t)n : o->size - 1;
}

static void what(const struct vb_result *r, char *out, size_t size)
{
	double v = family__vcpus(r), m = family__memory_mb(r), t = family__threads(r);
	if (isfinite(v) && isfinite(m))
		snprintf(out, size, "%s %g vCPU/%g MB", r->platform, v, m);
	else if (isfinite(t))
		snprintf(out, size, "%s %g thread%s", r->platform, t, t == 1 ? "" : "s");
	else
		snprintf(out, size, "%s", r->platform);
}

typedef bool (*row_pick)(const struct vb_result *r);

/* Rows present on both sides: "<what>: A x, B y, <verdict>". */
/* At most this many rows are spelled out per answer; the rest are counted. */
#define SHOWN 6

static size_t paired(const struct cmp_report *rep, size_t bi, row_pick pick, struct out *o,
		     size_t *better, size_t *worse, size_t *unsure)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || !pick(row->a))
			continue;
		if (row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER)
			(*(row->b_better ? better : worse))++;
		else if (row->verdict == CMP_INCONCLUSIVE)
			(*unsure)++;
		if (n++ >= SHOWN)
			continue;
		char w[96], a[32], b[32];
		what(row->a, w, sizeof(w));
		text__qty(a, sizeof(a), row->a->stats.median, row->a->unit);
		text__qty(b, sizeof(b), row->b->stats.median, row->b->unit);
		put(o, "%s%s %s: A %s, %c %s, %s", n > 1 ? "; " : "", w, row->a->metric, a,
		    rep->inputs[bi].letter, b, row->text);
	}
	if (n > SHOWN)
		put(o, "; and %zu more", n - SHOWN);
	return n;
}

static size_t one_sided(const struct cmp_report *rep, size_t bi, row_pick pick)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		if (row->bi == bi && (!row->a || !row->b) && pick(r))
			n++;
	}
	return n;
}

static void conclude(struct out *o, char letter, size_t n, size_t better, size_t worse,
		     size_t unsure, size_t single)
{
	if (!n) {
		put(o, "Not measured on both hosts");
	} else if (unsure == n) {
		put(o, ". Too few samples to tell; rerun with more iterations");
	} else if (!better && !worse) {
		put(o, ". No significant difference");
	} else {
		put(o, ". %c is better in %zu and worse in %zu of %zu comparisons", letter, better,
		    worse, n);
	}
	if (single)
		put(o, " (%zu row%s measured on one host only)", single, single == 1 ? "" : "s");
	put(o, ".");
}

static bool pick_boot(const struct vb_result *r)
{
	return family__is_boot_total(r);
}
static bool pick_startup(const struct vb_result *r)
{
	return family__is_startup_main(r);
}

static void answer_rows(const struct cmp_report *rep, size_t bi, row_pick pick, struct out *o)
{
	size_t better = 0, worse = 0, unsure = 0;
	size_t n = paired(rep, bi, pick, o, &better, &worse, &unsure);
	conclude(o, rep->inputs[bi].letter, n, better, worse, unsure, one_sided(rep, bi, pick));
}

static bool pick_vm_overhead(const struct vb_result *r)
{
	return family__is_vm(r->platform) && family__is_throughput(r);
}
static bool pick_ct_overhead(const struct vb_result *r)
{
	return family__is_container(r->platform) && family__is_throughput(r);
}

/* Overheads are derived figures with an interval each side: compare the
 * intervals (no samples of the overhead itself exist to test). */
static void answer_overhead(const struct cmp_report *rep, size_t bi, row_pick pick, struct out *o)
{
	const struct vb_result_set *A = &rep->inputs[0].set, *B = &rep->inputs[bi].set;
	char letter = rep->inputs[bi].letter;
	size_t n = 0, lower = 0, higher = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		struct vb_overhead oa, ob;
		if (row->bi != bi || !row->a || !row->b || !pick(row->a) ||
		    !family__overhead(A, row->a, &oa) || !family__overhead(B, row->b, &ob))
			continue;
		const char *dot = strrchr(row->a->benchmark, '.');
		const char *v;
		if (ob.ci_high < oa.ci_low) {
			v = "lower on ";
			lower++;
		} else if (ob.ci_low > oa.ci_high) {
			v = "higher on ";
			higher++;
		} else {
			v = "intervals overlap: no clear difference";
		}
		if (n++ >= SHOWN)
			continue;
		char w[96];
		what(row->a, w, sizeof(w));
		put(o, "%s%s %s: A %+.1f%% [%+.1f, %+.1f], %c %+.1f%% [%+.1f, %+.1f], %s",
		    n > 1 ? "; " : "", w, dot ? dot + 1 : row->a->benchmark, oa.percent, oa.ci_low,
		    oa.ci_high, letter, ob.percent, ob.ci_low, ob.ci_high, v);
		if (v[0] != 'i')
			put(o, "%c", letter);
	}
	if (n > SHOWN)
		put(o, "; and %zu more", n - SHOWN);
	if (!n)
		put(o, "Not measured on both hosts");
	else if (!lower && !higher)
		put(o, ". The overhead does not differ measurably");
	else
		put(o, ". %c's overhead is lower in %zu and higher in %zu of %zu comparisons",
		    letter, lower, higher, n);
	put(o, ".");
}

/* Scaling: throughput at the largest vCPU count both measured, against
 * 1 vCPU, per side. */
static void answer_scaling(const struct cmp_report *rep, size_t bi, struct out *o)
{
	char letter = rep->inputs[bi].letter;
	const struct cmp_row *one = NULL, *top = NULL;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || family__of(row->a) != FAM_SCALE ||
		    !row->a->higher_is_better)
			continue;
		double v = family__vcpus(row->a);
		if (v == 1 && !one)
			one = row;
		if (isfinite(v) && (!top || v > family__vcpus(top->a)) &&
		    (!one || (!strcmp(row->a->metric, one->a->metric) &&
			      !strcmp(row->a->platform, one->a->platform))))
			top = row;
	}
	if (one && top && top != one) {
		double sa = top->a->stats.median / one->a->stats.median;
		double sb = top->b->stats.median / one->b->stats.median;
		double v = family__vcpus(top->a);
		put(o, "%s %s from 1 to %g vCPUs: A %.2fx, %c %.2fx (ideal %gx); at %g vCPUs %s.",
		    top->a->platform, top->a->metric, v, sa, letter, sb, v, v, top->text);
		if (fabs(sa - sb) / fmax(sa, sb) < 0.05)
			put(o, " Both scale alike.");
		else
			put(o, " %c scales better.", sb > sa ? letter : 'A');
	} else {
		size_t n = 0;
		for (size_t i = 0; i < rep->nrows; i++) {
			const struct cmp_row *row = &rep->rows[i];
			const struct vb_result *r = row->a ? row->a : row->b;
			if (row->bi == bi && family__of(r) == FAM_SCALE)
				n++;
		}
		put(o, n ? "Too few vCPU counts measured on both hosts to compare scaling."
			 : "Not measured on both hosts.");
	}
	size_t single = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		if (row->bi == bi && (!row->a || !row->b) && family__of(r) == FAM_SCALE)
			single++;
	}
	if (single)
		put(o, " %zu vCPU count%s measured on one host only.", single,
		    single == 1 ? " was" : "s were");
}

void compare__summary(const struct cmp_report *rep, size_t bi,
		      struct cmp_answer out[COMPARE_QUESTIONS])
{
	static const char *const q[COMPARE_QUESTIONS] = {
		"VM boot time",		  "Hypervisor overhead",
		"Container startup time", "Container performance overhead",
		"Scaling behaviour",
	};
	for (size_t k = 0; k < COMPARE_QUESTIONS; k++) {
		out[k].question = q[k];
		out[k].text[0] = '\0';
		struct out o = { out[k].text, sizeof(out[k].text), 0 };
		switch (k) {
		case 0: answer_rows(rep, bi, pick_boot, &o); break;
		case 1: answer_overhead(rep, bi, pick_vm_overhead, &o); break;
		case 2: answer_rows(rep, bi, pick_startup, &o); break;
		case 3: answer_overhead(rep, bi, pick_ct_overhead, &o); break;
		default: answer_scaling(rep, bi, &o); break;
		}
	}
}
