/* compare.html and the side-by-side charts: the host blocks next to each
 * other, the answers to the seed's five questions, every aligned row with
 * its verdict, the rows found on one side only, and the charts. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/outpath.h"
#include "report/compare_nested.h"
#include "report/compare_out.h"
#include "report/compare_summary.h"
#include "report/family.h"
#include "report/html.h"
#include "report/text.h"

typedef bool (*pick_fn)(const struct vb_result *r);

static bool p_boot(const struct vb_result *r)
{
	return family__is_boot_total(r);
}
static bool p_startup(const struct vb_result *r)
{
	return family__is_startup_main(r);
}
static bool p_cpu(const struct vb_result *r)
{
	return r->view.family == FAM_CPU && family__is_throughput(r);
}
static bool p_mem(const struct vb_result *r)
{
	return r->view.family == FAM_MEMORY && family__is_throughput(r);
}
static bool p_exits(const struct vb_result *r)
{
	return r->view.family == FAM_EXITS;
}

static void cat_of(const struct vb_result *r, bool metric, char *out, size_t size)
{
	double v = r->view.vcpus, m = r->view.memory_mib, t = r->view.threads;
	char cfg[40] = "";
	if (isfinite(v) && isfinite(m))
		snprintf(cfg, sizeof(cfg), " %g/%g", v, m);
	else if (isfinite(t))
		snprintf(cfg, sizeof(cfg), " %gt", t);
	if (metric)
		snprintf(out, size, "%.20s %.20s", r->platform, r->metric);
	else
		snprintf(out, size, "%.24s%s", r->platform, cfg);
}

/* Bars: one category per platform/config, one series per input. */
static struct chart *bars_on(const struct cmp_report *rep, const char *file, const char *title,
			     const char *ylabel, pick_fn pick, bool by_metric, const char *platform)
{
	struct chart *c = chart__new(file, title,
				     by_metric ? "platform, metric" : "platform vCPU/MB or threads",
				     ylabel, CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note), "medians; error bars: 95%% interval");
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct vb_result_set *s = &rep->inputs[i].set;
		char ser[112];
		snprintf(ser, sizeof(ser), "%c: %s", rep->inputs[i].letter, rep->inputs[i].label);
		for (size_t k = 0; k < s->nresults; k++) {
			const struct vb_result *r = s->results[k];
			if (!pick(r) || (platform && strcmp(r->platform, platform)))
				continue;
			char cat[64];
			cat_of(r, by_metric, cat, sizeof(cat));
			double f = family__ms(1, r->unit);
			if (!isfinite(f) || by_metric)
				f = 1; /* throughput, or exits kept in their ns */
			chart__put(c, ser, cat, 0, r->stats.median * f, r->stats.ci_low * f,
				   r->stats.ci_high * f);
		}
	}
	return c;
}

static struct chart *bars(const struct cmp_report *rep, const char *file, const char *title,
			  const char *ylabel, pick_fn pick, bool by_metric)
{
	return bars_on(rep, file, title, ylabel, pick, by_metric, NULL);
}

/* Boot times differ by three orders of magnitude between the microVM and a
 * QEMU Linux boot: one chart per platform keeps both readable. */
static int boot_charts(const struct cmp_report *rep, struct chart_list *l)
{
	const char *seen[16];
	size_t n = 0;
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct vb_result_set *s = &rep->inputs[i].set;
		for (size_t k = 0; k < s->nresults; k++) {
			const struct vb_result *r = s->results[k];
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				dup |= !strcmp(seen[j], r->platform);
			if (!p_boot(r) || dup || n >= 16)
				continue;
			seen[n++] = r->platform;
			char file[64], title[96], slug[40];
			text__slug(slug, sizeof(slug), r->platform);
			snprintf(file, sizeof(file), "compare_vm_boot_%s", slug);
			snprintf(title, sizeof(title), "VM boot time: %s", r->platform);
			struct chart *c =
				bars_on(rep, file, title, "time (ms)", p_boot, false, r->platform);
			if (c)
				c->logy = true;
			if (chart_list__add(l, c) < 0)
				return -1;
		}
	}
	return 0;
}

/* Every headline row on one scale: the difference of B against A in
 * percent with its 95% interval. */
static struct chart *differences(const struct cmp_report *rep)
{
	struct chart *c = chart__new("compare_differences", "Difference against A, per result",
				     "result", "difference (%)", CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note),
		 "(B - A) / A of the medians; better/worse by each metric's direction; "
		 "error bars: 95%% interval");
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (!row->a || !row->b || !isfinite(row->diff))
			continue;
		const struct vb_result *r = row->a;
		bool headline = p_boot(r) || p_startup(r) || p_cpu(r) || p_mem(r) ||
				(p_exits(r) && !strstr(r->metric, "_guest_"));
		if (!headline)
			continue;
		/* The legend says the direction: better or worse by the metric's
		 * own (lower time, higher throughput), or no verdict. */
		char ser[112], cat[64];
		const char *kind = row->verdict == CMP_FLAGGED ? "not compared (flagged)"
				   : row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER
					   ? (row->b_better ? "better" : "worse")
					   : "no significant difference";
		snprintf(ser, sizeof(ser), "%c %s", rep->inputs[row->bi].letter, kind);
		const char *dot = strrchr(r->benchmark, '.');
		double v = r->view.vcpus, t = r->view.threads;
		char cfg[16] = "";
		if (isfinite(v))
			snprintf(cfg, sizeof(cfg), " %gv", v);
		else if (isfinite(t))
			snprintf(cfg, sizeof(cfg), " %gt", t);
		snprintf(cat, sizeof(cat), "%.18s %.12s%s%s", r->platform,
			 p_exits(r) ? r->metric
			 : dot	    ? dot + 1
				    : r->benchmark,
			 cfg, "");
		chart__put(c, ser, cat, 0, row->diff, row->diff_lo, row->diff_hi);
	}
	return c;
}

static struct chart *overheads(const struct cmp_report *rep)
{
	struct chart *c = chart__new("compare_overhead", "Overhead against native, per host",
				     "platform, workload", "overhead (%)", CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note), "error bars: 95%% interval of the overhead");
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct vb_result_set *s = &rep->inputs[i].set;
		char ser[112];
		snprintf(ser, sizeof(ser), "%c: %s", rep->inputs[i].letter, rep->inputs[i].label);
		for (size_t k = 0; k < s->nresults; k++) {
			const struct vb_result *r = s->results[k];
			struct vb_overhead o;
			if (r->view.kind == VB_PK_NATIVE || !family__is_throughput(r) ||
			    !family__overhead(r, &o))
				continue;
			const char *dot = strrchr(r->benchmark, '.');
			char cat[96];
			double t = r->view.threads;
			snprintf(cat, sizeof(cat), "%.20s %.10s %gt", r->platform,
				 dot ? dot + 1 : r->benchmark, t);
			chart__put(c, ser, cat, 0, o.percent, o.ci_low, o.ci_high);
		}
	}
	return c;
}

/* Lines: x from the configuration, one series per input and platform. */
static struct chart *lines(const struct cmp_report *rep, const char *file, const char *title,
			   const char *xlabel, enum family fam, bool bytes)
{
	struct chart *c = chart__new(file, title, xlabel, "", CHART_LINES);
	if (!c)
		return NULL;
	c->xbytes = c->logx = bytes;
	snprintf(c->note, sizeof(c->note), "medians; error bars: 95%% interval");
	const char *metric = NULL;
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct vb_result_set *s = &rep->inputs[i].set;
		for (size_t k = 0; k < s->nresults; k++) {
			const struct vb_result *r = s->results[k];
			if (r->view.family != fam)
				continue;
			if (!metric) {
				metric = r->metric;
				snprintf(c->ylabel, sizeof(c->ylabel), "%.40s (%.15s)", r->metric,
					 r->unit);
			}
			if (strcmp(r->metric, metric))
				continue;
			double x = fam == FAM_MEMLAT  ? r->view.working_set
				   : fam == FAM_SCALE ? r->view.vcpus
						      : r->view.count;
			if (!isfinite(x) || x <= 0)
				continue;
			char ser[112];
			snprintf(ser, sizeof(ser), "%c: %.40s %.20s", rep->inputs[i].letter,
				 rep->inputs[i].label, r->platform);
			chart__put(c, ser, "", x, r->stats.median, r->stats.ci_low,
				   r->stats.ci_high);
		}
	}
	chart__sort_x(c);
	if (!bytes && c->nx > 2 && c->x[0] > 0 && c->x[c->nx - 1] / c->x[0] >= 16)
		c->logx = true;
	return c;
}

int compare__charts(const struct cmp_report *rep, struct chart_list *l)
{
	struct chart *startup = bars(rep, "compare_container_startup", "Container startup time",
				     "time (ms, log scale)", p_startup, false);
	if (startup)
		startup->logy = true; /* runtimes of 2 ms beside docker's 250 ms */
	if (chart_list__add(l, differences(rep)) < 0 || boot_charts(rep, l) < 0 ||
	    chart_list__add(l, startup) < 0 || chart_list__add(l, overheads(rep)) < 0 ||
	    chart_list__add(l, bars(rep, "compare_cpu", "CPU throughput", "events per second",
				    p_cpu, false)) < 0 ||
	    chart_list__add(l, bars(rep, "compare_memory", "Memory throughput", "MiB/s", p_mem,
				    false)) < 0 ||
	    chart_list__add(l, bars(rep, "compare_exits", "VM exit latency", "ns", p_exits, true)) <
		    0 ||
	    chart_list__add(l, lines(rep, "compare_memory_latency",
				     "Memory latency against working set", "working set",
				     FAM_MEMLAT, true)) < 0 ||
	    chart_list__add(l, lines(rep, "compare_scaling", "vCPU scaling", "vCPUs", FAM_SCALE,
				     false)) < 0 ||
	    chart_list__add(l, lines(rep, "compare_density", "Density", "guests at once",
				     FAM_DENSITY, false)) < 0)
		return -1;
	return 0;
}

static int rows_table(const struct cmp_report *rep, size_t bi, bool one_sided, struct vb_buf *b)
{
	char letter = rep->inputs[bi].letter;
	if (buf__printf(
		    b,
		    "<table><tr><th>benchmark</th><th>platform</th><th>configuration</th>"
		    "<th>metric</th><th>A median [95%% CI]</th><th>%c median [95%% CI]</th>"
		    "<th>%c/A</th><th>difference [95%% CI]</th><th>p</th><th>verdict</th></tr>\n",
		    letter, letter) < 0)
		return -1;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		bool single = !row->a || !row->b;
		if (row->bi != bi || single != one_sided)
			continue;
		const struct vb_result *r = row->a ? row->a : row->b;
		const char *cls = single			? "one"
				  : row->verdict == CMP_FLAGGED ? "flagged"
				  : row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER
					  ? (row->b_better ? "better" : "worse")
					  : "";
		char cells[6][128];
		const struct vb_result *side[2] = { row->a, row->b };
		for (int s = 0; s < 2; s++) {
			if (!side[s]) {
				snprintf(cells[s], sizeof(cells[0]), "-");
				continue;
			}
			char m[96];
			text__stats(m, sizeof(m), &side[s]->stats, side[s]->unit);
			snprintf(cells[s], sizeof(cells[0]), "%s%s", m,
				 side[s]->view.emulated ? " TCG" : "");
		}
		compare__cell_ratio(row, cells[2], sizeof(cells[0]));
		compare__cell_diff(row, cells[3], sizeof(cells[0]));
		if (isfinite(row->p))
			snprintf(cells[4], sizeof(cells[0]), "%.2g", row->p);
		else
			snprintf(cells[4], sizeof(cells[0]), "-");
		if (buf__printf(b, "<tr class=\"%s\"><td>", cls) < 0 ||
		    html__text(b, r->benchmark) < 0 || buf__printf(b, "</td><td>") < 0 ||
		    html__text(b, r->platform) < 0 || buf__printf(b, "</td><td class=\"c\">") < 0 ||
		    html__text(b, row->config) < 0 || buf__printf(b, "</td><td>") < 0 ||
		    html__text(b, r->metric) < 0)
			return -1;
		for (int k = 0; k < 5; k++)
			if (buf__printf(b, "</td><td class=\"n\">") < 0 ||
			    html__text(b, cells[k]) < 0)
				return -1;
		if (buf__printf(b, "</td><td class=\"v\">") < 0 || html__text(b, row->text) < 0 ||
		    buf__printf(b, "</td></tr>\n") < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}

int compare__html(const struct cmp_report *rep, const struct chart_list *l, const char *dir,
		  struct vb_buf *b)
{
	char title[400] = "virtbench compare:";
	for (size_t i = 0; i < rep->ninputs; i++) {
		size_t n = strlen(title);
		snprintf(title + n, sizeof(title) - n, "%s %c = %.80s", i ? "," : "",
			 rep->inputs[i].letter, rep->inputs[i].label);
	}
	if (html__begin(b, title) < 0 || html__h2(b, "hosts", "Hosts side by side") < 0)
		return -1;
	const json_t *hosts[COMPARE_MAX_INPUTS];
	const char *labels[COMPARE_MAX_INPUTS];
	char lab[COMPARE_MAX_INPUTS][112];
	for (size_t i = 0; i < rep->ninputs; i++) {
		hosts[i] = rep->inputs[i].set.host;
		snprintf(lab[i], sizeof(lab[i]), "%c: %s", rep->inputs[i].letter,
			 rep->inputs[i].label);
		labels[i] = lab[i];
	}
	if (html__hosts(b, hosts, labels, rep->ninputs) < 0)
		return -1;
	for (size_t i = 0; i < rep->ninputs; i++)
		if (rep->inputs[i].set.incomplete &&
		    (buf__printf(b, "<p class=\"warn\">%c (", rep->inputs[i].letter) < 0 ||
		     html__text(b, rep->inputs[i].path) < 0 ||
		     buf__printf(b,
				 ") is an interrupted run: only what finished is compared.</p>\n") <
			     0))
			return -1;
	for (size_t i = 0; i < rep->ninputs; i++)
		for (size_t j = 0; j < rep->inputs[i].set.nresults; j++) {
			const struct vb_result *r = rep->inputs[i].set.results[j];
			if (r->warning[0] &&
			    (buf__printf(b, "<p class=\"warn\">%c, warning: ",
					 rep->inputs[i].letter) < 0 ||
			     html__text(b, r->benchmark) < 0 || buf__printf(b, " ") < 0 ||
			     html__text(b, r->platform) < 0 || buf__printf(b, " ") < 0 ||
			     html__text(b, r->metric) < 0 || buf__printf(b, ": ") < 0 ||
			     html__text(b, r->warning) < 0 || buf__printf(b, "</p>\n") < 0))
				return -1;
		}
	for (size_t bi = 1; bi < rep->ninputs; bi++) {
		struct cmp_answer ans[COMPARE_QUESTIONS];
		compare__summary(rep, bi, ans);
		char h[256];
		snprintf(h, sizeof(h), "Summary: A (%.90s) against %c (%.90s)",
			 rep->inputs[0].label, rep->inputs[bi].letter, rep->inputs[bi].label);
		if (html__h2(b, "summary", h) < 0)
			return -1;
		char note[1024];
		if (compare__flagged_note(rep, bi, note, sizeof(note)) &&
		    (buf__printf(b, "<p class=\"warn\"><b>Flagged:</b> ") < 0 ||
		     html__text(b, note) < 0 || buf__printf(b, "</p>\n") < 0))
			return -1;
		if (buf__printf(b, "<ol class=\"verdicts\">\n") < 0)
			return -1;
		for (size_t k = 0; k < COMPARE_QUESTIONS; k++)
			if (buf__printf(b, "<li><b>") < 0 || html__text(b, ans[k].question) < 0 ||
			    buf__printf(b, ":</b> ") < 0 || html__text(b, ans[k].text) < 0 ||
			    buf__printf(b, "</li>\n") < 0)
				return -1;
		if (buf__printf(b,
				"</ol>\n<p class=\"meta\">A verdict needs p &lt; %.2g "
				"(Mann-Whitney on the samples) and a difference of at least %.0f%%; "
				"difference = (%c - A) / A of the medians with a 95%% bootstrap "
				"interval. Green: %c better, red: %c worse, given the metric's "
				"direction; brown: flagged, not compared.</p>\n",
				COMPARE_ALPHA, COMPARE_NOISE_PCT, rep->inputs[bi].letter,
				rep->inputs[bi].letter, rep->inputs[bi].letter) < 0)
			return -1;
		char nest[512];
		if (compare__nested_summary(rep, bi, nest, sizeof(nest)) &&
		    (buf__printf(b, "<p><b>Nesting:</b> ") < 0 || html__text(b, nest) < 0 ||
		     buf__printf(b, ".</p>\n") < 0))
			return -1;
		if (html__h2(b, "rows", "Every aligned result") < 0 ||
		    rows_table(rep, bi, false, b) < 0 ||
		    html__h2(b, "one-sided", "Measured on one side only") < 0 ||
		    rows_table(rep, bi, true, b) < 0)
			return -1;
	}
	if (html__h2(b, "charts", "Charts") < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (html__chart(b, dir, l->items[i]) < 0)
			return -1;
	return html__end(b);
}

int compare__write(const struct cmp_report *rep, const char *dir, const struct report_opts *o,
		   struct vb_err *err)
{
	if (outpath__make_dir(dir, err) < 0)
		return -1;
	struct vb_buf b = { 0 };
	if (compare__csv(rep, &b) < 0) {
		buf__free(&b);
		return err__set(err, ENOMEM, "compare.csv: out of memory");
	}
	int rc = report__save(dir, "compare.csv", &b, err);
	buf__free(&b);
	if (rc < 0)
		return -1;
	struct chart_list l = { 0 };
	if (compare__charts(rep, &l) < 0) {
		chart_list__free(&l);
		return err__set(err, ENOMEM, "charts: out of memory");
	}
	rc = report__draw_charts(&l, dir, o, err);
	if (rc == 0) {
		if (compare__html(rep, &l, dir, &b) < 0)
			rc = err__set(err, ENOMEM, "compare.html: out of memory");
		else
			rc = report__save(dir, "compare.html", &b, err);
	}
	buf__free(&b);
	chart_list__free(&l);
	return rc;
}
