#include "report/compare_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/output.h"
#include "report/compare_nested.h"
#include "report/compare_summary.h"
#include "report/family.h"
#include "report/text.h"

const char *compare__verdict_name(enum cmp_verdict v)
{
	switch (v) {
	case CMP_SAME: return "same";
	case CMP_LOWER: return "lower";
	case CMP_HIGHER: return "higher";
	case CMP_INCONCLUSIVE: return "inconclusive";
	case CMP_ONLY_A: return "only_a";
	case CMP_ONLY_B: return "only_b";
	case CMP_FLAGGED: return "flagged";
	}
	return "?";
}

static void cell_median(const struct vb_result *r, char *out, size_t size)
{
	if (!r) {
		snprintf(out, size, "-");
		return;
	}
	text__qty(out, size, r->stats.median, r->unit);
	if (r->view.emulated) {
		size_t n = strlen(out);
		snprintf(out + n, size - n, " (TCG)");
	}
}

/* "+12.3", "-456.7", "+19400": a signed figure with at most 4 significant
 * digits above 1000. */
static void signed_num(char *out, size_t size, double v)
{
	if (fabs(v) < 1000) {
		snprintf(out, size, "%+.1f", v);
		return;
	}
	char n[24];
	text__num(n, sizeof(n), fabs(v));
	snprintf(out, size, "%c%s", v < 0 ? '-' : '+', n);
}

void compare__cell_ratio(const struct cmp_row *row, char *out, size_t size)
{
	if (isfinite(row->ratio))
		text__num(out, size, row->ratio);
	else
		snprintf(out, size, "-");
}

void compare__cell_diff(const struct cmp_row *row, char *out, size_t size)
{
	if (!row->a || !row->b || !isfinite(row->diff)) {
		snprintf(out, size, "-");
		return;
	}
	char d[32], lo[32], hi[32];
	signed_num(d, sizeof(d), row->diff);
	if (row->a->stats.n < 2 || row->b->stats.n < 2 || !isfinite(row->diff_lo) ||
	    !isfinite(row->diff_hi)) {
		snprintf(out, size, "%s%%", d); /* one sample: no interval */
		return;
	}
	signed_num(lo, sizeof(lo), row->diff_lo);
	signed_num(hi, sizeof(hi), row->diff_hi);
	snprintf(out, size, "%s%% [%s, %s]", d, lo, hi);
}

void compare__print_warnings(const struct cmp_report *rep, FILE *f)
{
	bool any = false;
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct cmp_input *in = &rep->inputs[i];
		for (size_t j = 0; j < in->set.nresults; j++) {
			const struct vb_result *r = in->set.results[j];
			if (!r->warning[0])
				continue;
			if (!any)
				fprintf(f, "\nWarnings (the figures are used as they are):\n");
			any = true;
			char cfg[256];
			compare__config(r, cfg, sizeof(cfg));
			fprintf(f, "%c: results[%zu] %s %s %s%s%s: %s\n", in->letter, j,
				r->benchmark, r->platform, r->metric, cfg[0] ? " " : "", cfg,
				r->warning);
		}
	}
}

void compare__print(const struct cmp_report *rep, FILE *f)
{
	for (size_t bi = 1; bi < rep->ninputs; bi++) {
		const struct cmp_input *A = &rep->inputs[0], *B = &rep->inputs[bi];
		fprintf(f, "%sA = %s (%s)\n%c = %s (%s)\n\n", bi > 1 ? "\n" : "", A->label, A->path,
			B->letter, B->label, B->path);
		char bh[8], rh[16];
		snprintf(bh, sizeof(bh), "%c", B->letter);
		snprintf(rh, sizeof(rh), "%c/A", B->letter);
		const char *hdr[] = {
			"benchmark", "platform", "config",	  "metric", "A",
			bh,	     rh,	 "diff [95% CI]", "p",	    "verdict"
		};
		struct vb_table t;
		if (table__init(&t, hdr, 10) < 0)
			return;
		for (size_t i = 0; i < rep->nrows; i++) {
			const struct cmp_row *row = &rep->rows[i];
			if (row->bi != bi)
				continue;
			const struct vb_result *r = row->a ? row->a : row->b;
			char a[48], b[48], ratio[32], diff[64], p[32];
			cell_median(row->a, a, sizeof(a));
			cell_median(row->b, b, sizeof(b));
			compare__cell_ratio(row, ratio, sizeof(ratio));
			compare__cell_diff(row, diff, sizeof(diff));
			if (isfinite(row->p))
				snprintf(p, sizeof(p), "%.2g", row->p);
			else
				snprintf(p, sizeof(p), "-");
			const char *cells[] = { r->benchmark, r->platform, row->config,
						r->metric,    a,	   b,
						ratio,	      diff,	   p,
						row->text };
			table__add_row(&t, cells);
		}
		table__print(&t, f);
		table__free(&t);
		compare__nested_print(rep, bi, f);

		struct cmp_answer ans[COMPARE_QUESTIONS];
		compare__summary(rep, bi, ans);
		fprintf(f, "\nSummary (A = %s, %c = %s):\n", A->label, B->letter, B->label);
		char note[1024];
		if (compare__flagged_note(rep, bi, note, sizeof(note)))
			fprintf(f, "Flagged: %s\n", note);
		for (size_t k = 0; k < COMPARE_QUESTIONS; k++)
			fprintf(f, "%zu. %s: %s\n", k + 1, ans[k].question, ans[k].text);
		char nest[512];
		if (compare__nested_summary(rep, bi, nest, sizeof(nest)))
			fprintf(f, "Nesting: %s.\n", nest);
	}
	if (rep->duplicates)
		fprintf(f, "\nNote: %zu result%s appeared twice in one set; the first was used.\n",
			rep->duplicates, rep->duplicates == 1 ? "" : "s");
	compare__print_warnings(rep, f);
	fprintf(f,
		"\nVerdict: p < %.2g (Mann-Whitney) and a difference of at least %.0f%%; "
		"diff = (B - A) / A of the medians with a 95%% bootstrap interval.\n",
		COMPARE_ALPHA, COMPARE_NOISE_PCT);
}

static void num(char *out, size_t size, double v)
{
	fmt__num(out, size, v);
}

int compare__csv(const struct cmp_report *rep, struct vb_buf *b)
{
	if (buf__printf(b, "benchmark,platform,metric,unit,config,a,b,a_median,a_ci_low,a_ci_high,"
			   "a_n,b_median,b_ci_low,b_ci_high,b_n,ratio,diff_percent,diff_ci_low,"
			   "diff_ci_high,p_value,verdict,b_better,text\n") < 0)
		return -1;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		char c[17][40];
		const struct vb_result *side[2] = { row->a, row->b };
		for (int s = 0; s < 2; s++) {
			const struct vb_result *x = side[s];
			num(c[s * 4 + 0], sizeof(c[0]), x ? x->stats.median : NAN);
			num(c[s * 4 + 1], sizeof(c[0]), x ? x->stats.ci_low : NAN);
			num(c[s * 4 + 2], sizeof(c[0]), x ? x->stats.ci_high : NAN);
			if (x)
				snprintf(c[s * 4 + 3], sizeof(c[0]), "%zu", x->stats.n);
			else
				c[s * 4 + 3][0] = '\0';
		}
		num(c[8], sizeof(c[0]), row->ratio);
		num(c[9], sizeof(c[0]), row->diff);
		num(c[10], sizeof(c[0]), row->diff_lo);
		num(c[11], sizeof(c[0]), row->diff_hi);
		num(c[12], sizeof(c[0]), row->p);
		snprintf(c[13], sizeof(c[0]), "%s", compare__verdict_name(row->verdict));
		snprintf(c[14], sizeof(c[0]), "%s",
			 row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER
				 ? (row->b_better ? "true" : "false")
				 : "");
		const char *f[] = { r->benchmark,
				    r->platform,
				    r->metric,
				    r->unit,
				    row->config,
				    rep->inputs[0].label,
				    rep->inputs[row->bi].label,
				    c[0],
				    c[1],
				    c[2],
				    c[3],
				    c[4],
				    c[5],
				    c[6],
				    c[7],
				    c[8],
				    c[9],
				    c[10],
				    c[11],
				    c[12],
				    c[13],
				    c[14],
				    row->text };
		if (csv__row(b, f, sizeof(f) / sizeof(f[0])) < 0)
			return -1;
	}
	return 0;
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *side_json(const struct vb_result *r)
{
	if (!r)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:I}", "median", jnum(r->stats.median), "ci_low",
			 jnum(r->stats.ci_low), "ci_high", jnum(r->stats.ci_high), "n",
			 (json_int_t)r->stats.n);
}

json_t *compare__json(const struct cmp_report *rep)
{
	json_t *doc = json_object(), *inputs = json_array(), *rows = json_array(),
	       *summary = json_array();
	if (!doc || !inputs || !rows || !summary) {
		json_decref(doc), json_decref(inputs), json_decref(rows), json_decref(summary);
		return NULL;
	}
	json_object_set_new(doc, "schema", json_string("virtbench-compare/1"));
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct cmp_input *in = &rep->inputs[i];
		char l[2] = { in->letter, 0 };
		json_array_append_new(inputs,
				      json_pack("{s:s, s:s, s:s, s:O}", "letter", l, "label",
						in->label, "path", in->path, "host",
						in->set.host ? in->set.host : json_null()));
	}
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		char b[2] = { rep->inputs[row->bi].letter, 0 };
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
			"s:o, s:s, s:s}",
			"benchmark", r->benchmark, "platform", r->platform, "metric", r->metric,
			"unit", r->unit, "config", row->config, "b", b, "a_stats",
			side_json(row->a), "b_stats", side_json(row->b), "ratio", jnum(row->ratio),
			"diff_percent", jnum(row->diff), "diff_ci_low", jnum(row->diff_lo),
			"diff_ci_high", jnum(row->diff_hi), "p_value", jnum(row->p), "verdict",
			compare__verdict_name(row->verdict), "text", row->text);
		if (o && (row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER))
			json_object_set_new(o, "b_better", json_boolean(row->b_better));
		json_array_append_new(rows, o);
	}
	for (size_t bi = 1; bi < rep->ninputs; bi++) {
		struct cmp_answer ans[COMPARE_QUESTIONS];
		compare__summary(rep, bi, ans);
		for (size_t k = 0; k < COMPARE_QUESTIONS; k++) {
			char b[2] = { rep->inputs[bi].letter, 0 };
			json_array_append_new(summary,
					      json_pack("{s:s, s:s, s:s}", "b", b, "question",
							ans[k].question, "answer", ans[k].text));
		}
		char nest[512];
		if (compare__nested_summary(rep, bi, nest, sizeof(nest))) {
			char b[2] = { rep->inputs[bi].letter, 0 };
			json_t *ns = json_object_get(doc, "nesting");
			if (!ns) {
				ns = json_array();
				json_object_set_new(doc, "nesting", ns);
			}
			json_array_append_new(ns, json_pack("{s:s, s:s}", "b", b, "answer", nest));
		}
		char note[1024];
		if (compare__flagged_note(rep, bi, note, sizeof(note))) {
			char b[2] = { rep->inputs[bi].letter, 0 };
			json_t *fl = json_object_get(doc, "flagged");
			if (!fl) {
				fl = json_array();
				json_object_set_new(doc, "flagged", fl);
			}
			json_array_append_new(fl, json_pack("{s:s, s:s}", "b", b, "note", note));
		}
	}
	json_t *warnings = json_array();
	for (size_t i = 0; warnings && i < rep->ninputs; i++) {
		const struct cmp_input *in = &rep->inputs[i];
		char l[2] = { in->letter, 0 };
		for (size_t j = 0; j < in->set.nresults; j++) {
			const struct vb_result *r = in->set.results[j];
			if (r->warning[0])
				json_array_append_new(warnings,
						      json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}",
								"input", l, "index", (json_int_t)j,
								"benchmark", r->benchmark,
								"platform", r->platform, "metric",
								r->metric, "warning", r->warning));
		}
	}
	json_object_set_new(doc, "warnings", warnings ? warnings : json_array());
	json_object_set_new(doc, "inputs", inputs);
	json_object_set_new(doc, "rows", rows);
	json_object_set_new(doc, "summary", summary);
	json_object_set_new(doc, "alpha", json_real(COMPARE_ALPHA));
	json_object_set_new(doc, "noise_percent", json_real(COMPARE_NOISE_PCT));
	return doc;
}
