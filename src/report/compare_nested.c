/* Nesting cost of two hosts side by side. A figure qualifies when the
 * aligned L2 row (config level=l2) has both sides and each side's set holds
 * its L1 twin (result__twin with the level keys ignored). The overhead is
 * recomputed from the samples of each level (stats__overhead, the same
 * bootstrap `vm nested` uses), so a set read from a file needs no stored
 * overhead. */
#include "report/compare_nested.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/names.h"
#include "core/output.h"
#include "report/text.h"

static bool is_level(const struct vb_result *r, const char *level)
{
	const char *lv = result__config(r, VB_CFG_LEVEL);
	return lv && !strcmp(lv, level);
}

static const struct vb_result *l1_of(const struct vb_result_set *s, const struct vb_result *l2)
{
	for (size_t i = 0; i < s->nresults; i++)
		if (is_level(s->results[i], "l1") &&
		    result__twin(l2, s->results[i], names__level_keys))
			return s->results[i];
	return NULL;
}

static void level_cost(const struct vb_result *l1, const struct vb_result *l2, double *ratio,
		       struct vb_overhead *o)
{
	*ratio = l1->stats.median != 0 ? l2->stats.median / l1->stats.median : NAN;
	if (l1->nsamples && l2->nsamples) {
		stats__overhead(l1->samples, l1->nsamples, l2->samples, l2->nsamples,
				l2->higher_is_better, o);
		return;
	}
	double pct = isfinite(*ratio) ? (l2->higher_is_better ? 1 - *ratio : *ratio - 1) * 100
				      : NAN;
	*o = (struct vb_overhead){ pct, NAN, NAN };
}

static void judge(struct cmp_nest *n, char bletter)
{
	double d = n->b.percent - n->a.percent;
	bool intervals = n->a1->stats.n >= 2 && n->a2->stats.n >= 2 && n->b1->stats.n >= 2 &&
			 n->b2->stats.n >= 2 && isfinite(n->a.ci_low) && isfinite(n->b.ci_low);
	if (!isfinite(d)) {
		n->verdict = NEST_UNSURE;
		snprintf(n->text, sizeof(n->text), "inconclusive: no overhead");
	} else if (!intervals) {
		n->verdict = NEST_UNSURE;
		snprintf(n->text, sizeof(n->text), "inconclusive: one sample, no interval");
	} else if (fabs(d) >= COMPARE_NOISE_PCT && n->b.ci_low > n->a.ci_high) {
		n->verdict = NEST_B_MORE;
		snprintf(n->text, sizeof(n->text), "%c's nesting costs more (+%.0f points)",
			 bletter, d);
	} else if (fabs(d) >= COMPARE_NOISE_PCT && n->b.ci_high < n->a.ci_low) {
		n->verdict = NEST_B_LESS;
		snprintf(n->text, sizeof(n->text), "%c's nesting costs less (%.0f points)", bletter,
			 d);
	} else {
		n->verdict = NEST_SAME;
		snprintf(n->text, sizeof(n->text), "no clear difference");
	}
}

size_t compare__nested(const struct cmp_report *rep, size_t bi, struct cmp_nest *out, size_t max)
{
	const struct vb_result_set *A = &rep->inputs[0].set, *B = &rep->inputs[bi].set;
	size_t n = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || !is_level(row->a, "l2"))
			continue;
		const struct vb_result *a1 = l1_of(A, row->a), *b1 = l1_of(B, row->b);
		if (!a1 || !b1)
			continue;
		if (n < max) {
			struct cmp_nest *x = &out[n];
			*x = (struct cmp_nest){
				.a1 = a1, .a2 = row->a, .b1 = b1, .b2 = row->b, .row = row
			};
			level_cost(a1, row->a, &x->a_ratio, &x->a);
			level_cost(b1, row->b, &x->b_ratio, &x->b);
			judge(x, rep->inputs[bi].letter);
		}
		n++;
	}
	return n;
}

/* "1.35 (+35% [30, 40])" */
static void cost_cell(char *out, size_t size, double ratio, const struct vb_overhead *o)
{
	char r[32], p[32], lo[32], hi[32];
	text__num(r, sizeof(r), ratio);
	text__num(p, sizeof(p), o->percent);
	if (!isfinite(o->ci_low) || !isfinite(o->ci_high)) {
		snprintf(out, size, "%s (%s%s%%)", r, o->percent >= 0 ? "+" : "", p);
		return;
	}
	text__num(lo, sizeof(lo), o->ci_low);
	text__num(hi, sizeof(hi), o->ci_high);
	snprintf(out, size, "%s (%s%s%% [%s, %s])", r, o->percent >= 0 ? "+" : "", p, lo, hi);
}

#define NEST_MAX 256

size_t compare__nested_summary(const struct cmp_report *rep, size_t bi, char *out, size_t size)
{
	struct cmp_nest *rows = calloc(NEST_MAX, sizeof(*rows));
	out[0] = '\0';
	if (!rows)
		return 0;
	size_t n = compare__nested(rep, bi, rows, NEST_MAX), shown = n < NEST_MAX ? n : NEST_MAX;
	size_t more = 0, less = 0, same = 0, unsure = 0;
	for (size_t i = 0; i < shown; i++) {
		more += rows[i].verdict == NEST_B_MORE;
		less += rows[i].verdict == NEST_B_LESS;
		same += rows[i].verdict == NEST_SAME;
		unsure += rows[i].verdict == NEST_UNSURE;
	}
	free(rows);
	if (!n)
		return 0;
	const struct cmp_input *A = &rep->inputs[0], *B = &rep->inputs[bi];
	const char *who = more > less ? B->label : less > more ? A->label : NULL;
	char head[256];
	if (who)
		snprintf(head, sizeof(head), "%c (%s) pays more for nesting",
			 more > less ? B->letter : 'A', who);
	else
		snprintf(head, sizeof(head), "neither host's nesting clearly costs more");
	snprintf(out, size,
		 "%s: of %zu figure%s at both levels on both hosts, %c's L2/L1 overhead is "
		 "higher in %zu, lower in %zu, not clearly different in %zu, inconclusive in %zu",
		 head, n, n == 1 ? "" : "s", B->letter, more, less, same, unsure);
	return n;
}

void compare__nested_print(const struct cmp_report *rep, size_t bi, FILE *f)
{
	struct cmp_nest *rows = calloc(NEST_MAX, sizeof(*rows));
	if (!rows)
		return;
	size_t n = compare__nested(rep, bi, rows, NEST_MAX);
	if (n > NEST_MAX)
		n = NEST_MAX;
	if (!n) {
		free(rows);
		return;
	}
	char letter = rep->inputs[bi].letter;
	char bh[24], rh[16];
	snprintf(bh, sizeof(bh), "%c L2/L1", letter);
	snprintf(rh, sizeof(rh), "%c/A", letter);
	const char *hdr[] = { "benchmark", "platform", "config", "metric",
			      "A L2/L1",   bh,	       rh,	 "verdict" };
	struct vb_table t;
	if (table__init(&t, hdr, 8) < 0) {
		free(rows);
		return;
	}
	fprintf(f,
		"\nNesting (vm nested): L2 inside an L1 guest against L1 on the host, per host; "
		"the overhead in each metric's direction with its 95%% interval, %c/A the "
		"ratio of the two hosts' costs:\n",
		letter);
	for (size_t i = 0; i < n; i++) {
		const struct cmp_nest *x = &rows[i];
		char a[160], b[160], r[32];
		cost_cell(a, sizeof(a), x->a_ratio, &x->a);
		cost_cell(b, sizeof(b), x->b_ratio, &x->b);
		double ca = 1 + x->a.percent / 100, cb = 1 + x->b.percent / 100;
		if (isfinite(ca) && isfinite(cb) && ca > 0)
			text__num(r, sizeof(r), cb / ca);
		else
			snprintf(r, sizeof(r), "-");
		const char *cells[] = {
			x->a2->benchmark, x->a2->platform, x->row->config, x->a2->metric, a, b, r,
			x->text
		};
		table__add_row(&t, cells);
	}
	table__print(&t, f);
	table__free(&t);
	free(rows);
}
