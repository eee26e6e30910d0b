#include "report/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "report/compare.h"
#include "report/family.h"
#include "report/hostview.h"
#include "report/text.h"

static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;"
	"max-width:1280px;padding:16px 24px;color:#222;line-height:1.45}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.6em;"
	"border-bottom:2px solid #4e79a7;padding-bottom:.2em}"
	"h3{font-size:1.05em;margin:1.2em 0 .4em}"
	".meta{color:#555}.warn{background:#fff4e5;border-left:4px solid #f28e2b;"
	"padding:.5em .8em}"
	"ul.verdicts li{margin:.35em 0}ul.caveats li{margin:.35em 0}"
	"table{border-collapse:collapse;margin:.4em 0 1em;font-size:.86em}"
	"th,td{border:1px solid #ddd;padding:3px 7px;vertical-align:top}"
	"th{background:#f3f5f8;text-align:left}td.n{text-align:right;"
	"font-variant-numeric:tabular-nums}td.c{font-size:.9em;color:#444}"
	"tr.better td.v{color:#1a7f37;font-weight:600}tr.worse td.v{color:#c62828;"
	"font-weight:600}tr.one td{color:#777;font-style:italic}"
	"tr.flagged td.v{color:#8a5a00;font-weight:600}"
	"figure{margin:.5em 0;display:inline-block;width:49%;vertical-align:top}"
	"figure img{width:100%;border:1px solid #eee}"
	"figcaption{font-size:.8em;color:#666}"
	"code{background:#f3f5f8;padding:0 3px}";

int html__text(struct vb_buf *b, const char *s)
{
	return text__xml(b, s ? s : "");
}

int html__begin(struct vb_buf *b, const char *title)
{
	if (buf__printf(b,
			"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<title>") < 0 ||
	    html__text(b, title) < 0 ||
	    buf__printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style) < 0 ||
	    html__text(b, title) < 0)
		return -1;
	return buf__printf(b, "</h1>\n");
}

int html__end(struct vb_buf *b)
{
	return buf__printf(b, "<p class=\"meta\">Written by virtbench. This page is "
			      "self-contained: charts are embedded, nothing is fetched.</p>\n"
			      "</body>\n</html>\n");
}

int html__h2(struct vb_buf *b, const char *id, const char *title)
{
	if (buf__printf(b, "<h2 id=\"%s\">", id) < 0 || html__text(b, title) < 0)
		return -1;
	return buf__printf(b, "</h2>\n");
}

int html__hosts(struct vb_buf *b, const json_t *const *hosts, const char *const *labels, size_t n)
{
	if (buf__printf(b, "<table class=\"host\"><tr><th></th>") < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (buf__printf(b, "<th>") < 0 || html__text(b, labels[i]) < 0 ||
		    buf__printf(b, "</th>") < 0)
			return -1;
	if (buf__printf(b, "</tr>\n") < 0)
		return -1;
	for (const struct hostview_field *f = hostview__fields; f->label; f++) {
		char vals[COMPARE_MAX_INPUTS][256];
		bool any = false;
		for (size_t i = 0; i < n && i < COMPARE_MAX_INPUTS; i++) {
			hostview__field(hosts[i], f, vals[i], sizeof(vals[i]));
			any |= vals[i][0] != '\0';
		}
		if (!any)
			continue;
		if (buf__printf(b, "<tr><th>") < 0 || html__text(b, f->label) < 0 ||
		    buf__printf(b, "</th>") < 0)
			return -1;
		for (size_t i = 0; i < n && i < COMPARE_MAX_INPUTS; i++)
			if (buf__printf(b, "<td>") < 0 ||
			    html__text(b, vals[i][0] ? vals[i] : "-") < 0 ||
			    buf__printf(b, "</td>") < 0)
				return -1;
		if (buf__printf(b, "</tr>\n") < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}

int html__chart(struct vb_buf *b, const char *dir, const struct chart *c)
{
	bool png = c->png;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.%s", dir, c->file, png ? "png" : "svg");
	char *data = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	if (file__read_all(path, 32u << 20, &data, &len, &err) < 0) {
		/* A missing image must not lose the page: say so in its place. */
		int rc = 0;
		if (buf__printf(b, "<p class=\"warn\">Chart ") < 0 || html__text(b, c->file) < 0 ||
		    buf__printf(b, " could not be embedded: ") < 0 || html__text(b, err.msg) < 0 ||
		    buf__printf(b, "</p>\n") < 0)
			rc = -1;
		return rc;
	}
	int rc = 0;
	if (buf__printf(b, "<figure><img alt=\"") < 0 || html__text(b, c->title) < 0 ||
	    buf__printf(b, "\" src=\"data:image/%s;base64,", png ? "png" : "svg+xml") < 0 ||
	    text__base64(b, (const unsigned char *)data, len) < 0 ||
	    buf__printf(b, "\"><figcaption>") < 0 || html__text(b, c->file) < 0 ||
	    (png && (buf__printf(b, ".png, ") < 0 || html__text(b, c->file) < 0)) ||
	    buf__printf(b, ".svg</figcaption></figure>\n") < 0)
		rc = -1;
	free(data);
	return rc;
}

static int td_num(struct vb_buf *b, const char *s)
{
	if (buf__printf(b, "<td class=\"n\">") < 0 || html__text(b, s) < 0)
		return -1;
	return buf__printf(b, "</td>");
}

int html__td(struct vb_buf *b, const char *s)
{
	if (buf__printf(b, "<td>") < 0 || html__text(b, s) < 0)
		return -1;
	return buf__printf(b, "</td>");
}

static int td_cfg(struct vb_buf *b, const char *s)
{
	if (buf__printf(b, "<td class=\"c\">") < 0 || html__text(b, s) < 0)
		return -1;
	return buf__printf(b, "</td>");
}

int html__results_table(struct vb_buf *b, const struct vb_result_set *s,
			const struct vb_result *const *rows, size_t n)
{
	if (buf__printf(b,
			"<table><tr><th>benchmark</th><th>platform</th><th>configuration</th>"
			"<th>metric</th><th>median [95%% interval]</th><th>mean ± sd</th>"
			"<th>min … max</th><th>n</th><th>outliers</th><th>overhead vs native</th>"
			"<th>note</th></tr>\n") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct vb_result *r = rows[i];
		const struct vb_stats *st = &r->stats;
		char cfg[512], med[96], cell[160], mean[32], sd[32], mn[32], mx[32];
		compare__config(r, cfg, sizeof(cfg));
		text__stats(med, sizeof(med), st, r->unit);
		snprintf(cell, sizeof(cell), "%s%s", med,
			 st->n > 1 && st->ci_level < 0.949 ? " *" : "");
		if (buf__printf(b, "<tr>") < 0 || html__td(b, r->benchmark) < 0 ||
		    html__td(b, r->platform) < 0 || td_cfg(b, cfg) < 0 ||
		    html__td(b, r->metric) < 0 || td_num(b, cell) < 0)
			return -1;
		text__num(mean, sizeof(mean), st->mean);
		text__num(sd, sizeof(sd), st->stdev);
		snprintf(cell, sizeof(cell), "%s ± %s", mean, sd);
		if (td_num(b, cell) < 0)
			return -1;
		text__num(mn, sizeof(mn), st->min);
		text__num(mx, sizeof(mx), st->max);
		snprintf(cell, sizeof(cell), "%s … %s", mn, mx);
		if (td_num(b, cell) < 0)
			return -1;
		snprintf(cell, sizeof(cell), "%zu", st->n);
		if (td_num(b, cell) < 0)
			return -1;
		snprintf(cell, sizeof(cell), "%zu", st->outliers);
		if (td_num(b, cell) < 0)
			return -1;
		struct vb_overhead o;
		if (r->view.kind != VB_PK_NATIVE && family__overhead(r, &o))
			snprintf(cell, sizeof(cell), "%+.1f%% [%+.1f, %+.1f]", o.percent, o.ci_low,
				 o.ci_high);
		else
			cell[0] = '\0';
		char note[600];
		snprintf(note, sizeof(note), "%s%s%s%s", r->note,
			 r->note[0] && r->warning[0] ? "; " : "", r->warning[0] ? "warning: " : "",
			 r->warning);
		if (td_num(b, cell) < 0 || html__td(b, note) < 0 || buf__printf(b, "</tr>\n") < 0)
			return -1;
	}
	return buf__printf(b, "</table>\n");
}
