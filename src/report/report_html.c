/* report.html: what a person reads first. The verdict per family on top,
 * then what to be careful about, the host, the charts, every figure in
 * tables, what was skipped and why, and the files next to the page. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outpath.h"
#include "report/answers.h"
#include "report/caveats.h"
#include "report/family.h"
#include "report/hostview.h"
#include "report/html.h"
#include "report/io.h"
#include "report/report.h"
#include "report/verdicts.h"

static int head(struct vb_buf *b, const struct vb_result_set *s)
{
	char label[128], title[192];
	hostview__label(s->host, label, sizeof(label));
	snprintf(title, sizeof(title), "virtbench report%s%s", label[0] ? ": " : "", label);
	if (html__begin(b, title) < 0)
		return -1;
	if (buf__printf(b, "<p class=\"meta\">Run started ") < 0 ||
	    html__text(b, s->started[0] ? s->started : "?") < 0 ||
	    buf__printf(b, ", finished ") < 0 ||
	    html__text(b, s->finished[0] ? s->finished : "?") < 0 ||
	    buf__printf(b, "; %zu results, %zu skipped.</p>\n", s->nresults, s->nskips) < 0)
		return -1;
	if (s->incomplete &&
	    buf__printf(b, "<p class=\"warn\"><b>Incomplete run:</b> it was interrupted; only the "
			   "benchmarks that finished are shown.</p>\n") < 0)
		return -1;
	return 0;
}

static int glance(struct vb_buf *b, const struct vb_result_set *s)
{
	struct verdict v[FAM_COUNT];
	size_t n = verdicts__build(s, v, FAM_COUNT);
	if (html__h2(b, "glance", "At a glance") < 0)
		return -1;
	if (!n)
		return buf__printf(b, "<p>No benchmark produced a result.</p>\n");
	if (buf__printf(b, "<ul class=\"verdicts\">\n") < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (buf__printf(b, "<li><b>") < 0 || html__text(b, family__title(v[i].fam)) < 0 ||
		    buf__printf(b, ":</b> ") < 0 || html__text(b, v[i].text) < 0 ||
		    buf__printf(b, "</li>\n") < 0)
			return -1;
	return buf__printf(b, "</ul>\n");
}

/* The seed's three knowledge-check questions, answered from this host. */
static int knowledge(struct vb_buf *b, const struct vb_result_set *s)
{
	static char ans[ANSWERS_N][ANSWERS_SIZE];
	answers__build(s, ans);
	if (html__h2(b, "questions", "The seed's questions, answered from these figures") < 0 ||
	    buf__printf(b, "<ol class=\"verdicts\">\n") < 0)
		return -1;
	for (size_t k = 0; k < ANSWERS_N; k++)
		if (buf__printf(b, "<li><b>") < 0 || html__text(b, answers__questions[k]) < 0 ||
		    buf__printf(b, ":</b> ") < 0 || html__text(b, ans[k]) < 0 ||
		    buf__printf(b, "</li>\n") < 0)
			return -1;
	return buf__printf(b, "</ol>\n");
}

static int caveats(struct vb_buf *b, const struct vb_result_set *s)
{
	struct caveats c;
	caveats__collect(s, &c);
	if (html__h2(b, "caveats", "Read these numbers with care") < 0)
		return -1;
	if (!c.n)
		return buf__printf(
			b, "<p>Nothing found that changes how to read these numbers "
			   "(bare-metal host, hardware virtualization, tight intervals).</p>\n");
	if (buf__printf(b, "<ul class=\"caveats\">\n") < 0)
		return -1;
	for (size_t i = 0; i < c.n; i++)
		if (buf__printf(b, "<li>") < 0 || html__text(b, c.text[i]) < 0 ||
		    buf__printf(b, "</li>\n") < 0)
			return -1;
	return buf__printf(b, "</ul>\n");
}

static int tables(struct vb_buf *b, const struct vb_result_set *s)
{
	if (html__h2(b, "results", "All results") < 0 ||
	    buf__printf(b, "<p class=\"meta\">Median with the 95%% interval of the median "
			   "(order statistics; * marks fewer than 6 samples, where the interval is "
			   "min to max with less confidence). Every sample is in results.json and "
			   "results.csv.</p>\n") < 0)
		return -1;
	const struct vb_result **rows = calloc(s->nresults ? s->nresults : 1, sizeof(*rows));
	if (!rows)
		return -1;
	int rc = 0;
	/* Families in their order, the uncategorised ones last. */
	for (int k = 1; k <= FAM_COUNT && rc == 0; k++) {
		int f = k % FAM_COUNT;
		size_t n = 0;
		for (size_t i = 0; i < s->nresults; i++)
			if ((int)s->results[i]->view.family == f)
				rows[n++] = s->results[i];
		if (!n)
			continue;
		if (buf__printf(b, "<h3>") < 0 ||
		    html__text(b, family__title((enum family)f)) < 0 ||
		    buf__printf(b, "</h3>\n") < 0 ||
		    html__results_table(b, s, (const struct vb_result *const *)rows, n) < 0)
			rc = -1;
	}
	free(rows);
	return rc;
}

static int skipped(struct vb_buf *b, const struct vb_result_set *s)
{
	if (html__h2(b, "skipped", "Skipped") < 0)
		return -1;
	if (!s->nskips)
		return buf__printf(b, "<p>Nothing was skipped.</p>\n");
	if (buf__printf(b, "<table><tr><th>benchmark</th><th>platform</th><th>reason</th></tr>\n") <
	    0)
		return -1;
	for (size_t i = 0; i < s->nskips; i++) {
		const struct vb_skip *k = &s->skips[i];
		if (buf__printf(b, "<tr><td>") < 0 || html__text(b, k->benchmark) < 0 ||
		    buf__printf(b, "</td><td>") < 0 || html__text(b, k->platform) < 0 ||
		    buf__printf(b, "</td><td>") < 0 || html__text(b, k->reason) < 0 ||
		    buf__printf(b, "</td></tr>\n") < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}

/* Which platform each seed file holds, by which rule, and its copies. */
static int seed_files(struct vb_buf *b, const struct vb_result_set *s)
{
	if (buf__printf(b, "<table><tr><th>seed file</th><th>holds</th><th>rule</th>"
			   "<th>one file per platform</th></tr>\n") < 0)
		return -1;
	for (size_t k = 0; k < REPORT_SEED_CSVS; k++) {
		const char *plat = report__seed_csv_platform(s, k);
		const char *copies[REPORT_MAX_COPIES];
		size_t n = report__seed_csv_copies(s, k, copies);
		if (buf__printf(b, "<tr><td><code>") < 0 ||
		    html__text(b, report__seed_csvs[k].name) < 0 ||
		    buf__printf(b, "</code></td><td>") < 0 ||
		    html__text(b, plat ? plat : "nothing (no platform of it ran)") < 0 ||
		    buf__printf(b, "</td><td>") < 0 ||
		    html__text(b, report__seed_csvs[k].rule) < 0 || buf__printf(b, "</td><td>") < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char name[128];
			report__seed_csv_copy_name(k, copies[i], name, sizeof(name));
			if (buf__printf(b, "%s<code>", i ? ", " : "") < 0 ||
			    html__text(b, name) < 0 || buf__printf(b, "</code>") < 0)
				return -1;
		}
		if (buf__printf(b, "%s</td></tr>\n", n ? "" : "-") < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}

static int files(struct vb_buf *b, const struct vb_result_set *s)
{
	if (html__h2(b, "files", "Files in this directory") < 0 ||
	    buf__printf(b, "<p><code>results.json</code> (everything, with every sample), "
			   "<code>results.csv</code> (one row per result with its statistics); "
			   "the seed's files (medians, the seed's columns), each holding one "
			   "platform so that two hosts' files mean the same:</p>\n") < 0 ||
	    seed_files(b, s) < 0)
		return -1;
	return buf__printf(b,
			   "<p><code>boot_phases.csv</code>, "
			   "<code>vm_exits.csv</code>, <code>memory_latency.csv</code>, "
			   "<code>overhead.csv</code>, <code>vm_scale.csv</code>, "
			   "<code>density.csv</code>, <code>container_startup_phases.csv</code>, "
			   "<code>memory_faults_bandwidth.csv</code> with 95%% intervals; "
			   "<code>io_disk.csv</code> and <code>io_net.csv</code>: every disk and "
			   "network result with its mode, test, depth, size and overhead against "
			   "native. "
			   "<code>virtbench report DIR</code> rebuilds this page and the charts "
			   "from results.json.</p>\n");
}

int report__write_html(const struct vb_result_set *s, const struct chart_list *l, const char *dir,
		       struct vb_err *err)
{
	struct vb_buf b = { 0 };
	const json_t *hosts[1] = { s->host };
	char label[128];
	hostview__label(s->host, label, sizeof(label));
	const char *labels[1] = { label[0] ? label : "this host" };
	int rc = head(&b, s) < 0 || glance(&b, s) < 0 || knowledge(&b, s) < 0 ||
		 caveats(&b, s) < 0 || html__h2(&b, "host", "Host") < 0 ||
		 html__hosts(&b, hosts, labels, 1) < 0 || html__h2(&b, "charts", "Charts") < 0;
	for (size_t i = 0; !rc && i < l->n; i++)
		rc = html__chart(&b, dir, l->items[i]) < 0;
	if (!rc && !l->n)
		rc = buf__printf(&b, "<p>No chart: no result to draw.</p>\n") < 0;
	if (!rc)
		rc = io__html(&b, s) < 0 || report__nested_html(&b, s) < 0 || tables(&b, s) < 0 ||
		     skipped(&b, s) < 0 || files(&b, s) < 0 || html__end(&b) < 0;
	if (rc) {
		buf__free(&b);
		return err__set(err, ENOMEM, "report.html: out of memory");
	}
	rc = report__save(dir, "report.html", &b, err);
	buf__free(&b);
	return rc;
}

int report__write_all(const struct vb_result_set *s, const char *dir, const struct report_opts *o,
		      struct vb_err *err)
{
	if (family__require_linked(s, err) < 0 || outpath__make_dir(dir, err) < 0)
		return -1;
	if (report__write_seed_csvs(s, dir, err) < 0 || report__write_extra_csvs(s, dir, err) < 0)
		return err__wrap(err, "%s", dir);
	struct chart_list l = { 0 };
	if (report__build_charts(s, &l) < 0) {
		chart_list__free(&l);
		return err__set(err, ENOMEM, "charts: out of memory");
	}
	int rc = report__draw_charts(&l, dir, o, err);
	if (rc == 0)
		rc = report__write_html(s, &l, dir, err);
	chart_list__free(&l);
	return rc;
}
