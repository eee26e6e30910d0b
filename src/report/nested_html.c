/* report.html's section on nested virtualization (`vm nested`): every L2
 * figure beside its L1 twin, with the overhead of one level down. Results
 * of other commands carry no level and are not shown here. */
#include <stdio.h>
#include <string.h>

#include "core/names.h"

#include "report/html.h"
#include "report/report.h"
#include "report/text.h"

static const char *level_of(const struct vb_result *r)
{
	return result__config(r, VB_CFG_LEVEL);
}

/* The L1 result that an L2 result was paired with: the same benchmark,
 * platform, metric and configuration but the level. */
static const struct vb_result *l1_twin(const struct vb_result_set *s, const struct vb_result *l2)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		const char *lv = level_of(r);
		if (lv && !strcmp(lv, "l1") && result__twin(l2, r, names__level_keys))
			return r;
	}
	return NULL;
}

static int cell(struct vb_buf *b, const char *text)
{
	return buf__printf(b, "<td>") < 0 || html__text(b, text) < 0 || buf__printf(b, "</td>") < 0
		       ? -1
		       : 0;
}

static int row(struct vb_buf *b, const struct vb_result_set *s, const struct vb_result *l2)
{
	const struct vb_result *l1 = l1_twin(s, l2);
	char name[160], v1[96] = "-", v2[96], ov[128] = "-";
	snprintf(name, sizeof(name), "%s %s %s", l2->benchmark, l2->platform, l2->metric);
	text__stats(v2, sizeof(v2), &l2->stats, l2->unit);
	if (l1)
		text__stats(v1, sizeof(v1), &l1->stats, l1->unit);
	if (l2->has_overhead) {
		char p[32], lo[32], hi[32];
		text__num(p, sizeof(p), l2->overhead.percent);
		text__num(lo, sizeof(lo), l2->overhead.ci_low);
		text__num(hi, sizeof(hi), l2->overhead.ci_high);
		snprintf(ov, sizeof(ov), "%s%% [%s, %s]", p, lo, hi);
	}
	const char *accel = result__config(l2, VB_CFG_NESTED_ACCEL);
	return buf__printf(b, "<tr>") < 0 || cell(b, name) < 0 || cell(b, v1) < 0 ||
			       cell(b, v2) < 0 || cell(b, ov) < 0 ||
			       cell(b, accel ? accel : "?") < 0 || buf__printf(b, "</tr>\n") < 0
		       ? -1
		       : 0;
}

int report__nested_html(struct vb_buf *b, const struct vb_result_set *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nresults; i++) {
		const char *lv = level_of(s->results[i]);
		n += lv && !strcmp(lv, "l2");
	}
	if (!n)
		return 0;
	if (html__h2(b, "nested", "Nested virtualization (vm nested)") < 0 ||
	    buf__printf(
		    b, "<p class=\"meta\">The microVM benchmarks one level down: L2 runs "
		       "inside an L1 guest against its own /dev/kvm, L1 on this host. The "
		       "overhead is L2 against L1 in each metric's direction, with its 95%% "
		       "interval. L1 under TCG (accelerator tcg) is emulated: a check of "
		       "correctness, not of speed.</p>\n"
		       "<table><tr><th>figure</th><th>L1 (this host)</th><th>L2 (in the L1 "
		       "guest)</th><th>L2 against L1</th><th>L1 guest accelerator</th></tr>\n") < 0)
		return -1;
	for (size_t i = 0; i < s->nresults; i++) {
		const char *lv = level_of(s->results[i]);
		if (lv && !strcmp(lv, "l2") && row(b, s, s->results[i]) < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}
