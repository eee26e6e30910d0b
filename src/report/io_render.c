/* The workload table and the I/O verdict, for report.html and terminals
 * (io.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/family.h"
#include "report/io.h"
#include "report/text.h"

static const char *section_title(enum family fam)
{
	return fam == FAM_DISK ? "Disk" : "Network";
}

/* ---- HTML ---- */

static int html_text(struct vb_buf *b, const char *s)
{
	return text__xml(b, s);
}

static int html_cell(struct vb_buf *b, const struct vb_result_set *s, const struct io_row *w,
		     const struct io_table *t, size_t ci)
{
	const struct io_col *c = &t->col[ci];
	const struct vb_result *r = io__table_cell(s, w, t, ci);
	if (!r) {
		const char *why = io__why_missing(s, w, c);
		if (!why)
			return buf__printf(b, "<td class=\"c\">\u2014</td>");
		return buf__printf(b, "<td class=\"c\">skipped: ") < 0 || html_text(b, why) < 0 ||
		       buf__printf(b, "</td>");
	}
	char v[64], o[96];
	io__value(r, v, sizeof(v));
	io__overhead(r, o, sizeof(o));
	if (buf__printf(b, "<td class=\"n\">") < 0 || html_text(b, v) < 0)
		return -1;
	/* The native figure the overhead is against, on hover: it may be a
	 * run interleaved with the platform's, not the native column's. */
	const struct vb_result *base = r->view.baseline;
	char against[200] = "";
	if (base) {
		char nv[64];
		io__value(base, nv, sizeof(nv));
		snprintf(against, sizeof(against), "against native %s (%s)", nv, base->benchmark);
	}
	if (o[0] &&
	    (buf__printf(b, "<br><span class=\"c\" title=\"") < 0 || html_text(b, against) < 0 ||
	     buf__printf(b, "\">") < 0 || html_text(b, o) < 0 || buf__printf(b, "</span>") < 0))
		return -1;
	return buf__printf(b, "</td>");
}

static int html_table(struct vb_buf *b, const struct vb_result_set *s, enum family fam)
{
	struct io_table t;
	io__table(s, fam, &t);
	if (buf__printf(b, "<h3>%s</h3>\n<table class=\"io\"><tr><th>workload</th>",
			section_title(fam)) < 0)
		return -1;
	for (size_t c = 0; c < t.ncols; c++) {
		char title[200];
		io__col_title(&t.col[c], title, sizeof(title));
		if (buf__printf(b, "<th>") < 0 || html_text(b, title) < 0 ||
		    buf__printf(b, "</th>") < 0)
			return -1;
	}
	if (buf__printf(b, "</tr>\n") < 0)
		return -1;
	for (size_t k = 0; k < io__nrows; k++) {
		const struct io_row *w = &io__rows[k];
		if (w->fam != fam)
			continue;
		if (buf__printf(b, "<tr><td>") < 0 || html_text(b, w->label) < 0 ||
		    buf__printf(b, "</td>") < 0)
			return -1;
		for (size_t c = 0; c < t.ncols; c++)
			if (html_cell(b, s, w, &t, c) < 0)
				return -1;
		if (buf__printf(b, "</tr>\n") < 0)
			return -1;
	}
	if (buf__printf(b, "</table>\n") < 0)
		return -1;
	if (t.truncated &&
	    buf__printf(b,
			"<p class=\"meta\">More platforms and modes ran than "
			"this table has columns; every result is in io_%s.csv.</p>\n",
			fam == FAM_DISK ? "disk" : "net") < 0)
		return -1;
	return 0;
}

int io__html(struct vb_buf *b, const struct vb_result_set *s)
{
	bool disk = io__any(s, FAM_DISK), net = io__any(s, FAM_NET);
	if (!disk && !net)
		return 0;
	if (buf__printf(b, "<h2 id=\"io\">I/O against native</h2>\n"
			   "<p class=\"meta\">After Felter et al. (IBM, 2014): each workload "
			   "natively and on each platform and mode; median, and under it the "
			   "overhead against native with its 95%% interval (positive: worse than "
			   "native, for latencies too). Where a benchmark ran native beside the "
			   "platform in turn (container disk, container net), the overhead is "
			   "against that native run; the native column holds it when every "
			   "platform of the row was measured against the same one, else the "
			   "native benchmark's own run (each overhead's native figure on hover). "
			   "(emulated): QEMU under TCG, not the speed of hardware. \u2014: not "
			   "measured.</p>\n") < 0)
		return -1;
	if (disk && html_table(b, s, FAM_DISK) < 0)
		return -1;
	return net ? html_table(b, s, FAM_NET) : 0;
}

/* ---- text ---- */

static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* A column no workload has a figure in (a platform skipped, say) would
 * repeat its reason in every row: it is named under the table instead, and
 * the reasons are in the skipped list. */
static bool text_col_used(const struct vb_result_set *s, enum family fam, const struct io_table *t,
			  size_t c)
{
	for (size_t k = 0; k < io__nrows; k++)
		if (io__rows[k].fam == fam && io__table_cell(s, &io__rows[k], t, c))
			return true;
	return false;
}

static void text_table(const struct vb_result_set *s, enum family fam, FILE *f)
{
	struct io_table t;
	io__table(s, fam, &t);
	const char *hdr[IO_MAX_COLS + 1];
	char titles[IO_MAX_COLS][200];
	size_t used[IO_MAX_COLS], nused = 0, unused[IO_MAX_COLS], nunused = 0;
	hdr[0] = section_title(fam);
	for (size_t c = 0; c < t.ncols; c++) {
		io__col_title(&t.col[c], titles[c], sizeof(titles[c]));
		printable(titles[c]);
		if (!text_col_used(s, fam, &t, c)) {
			unused[nunused++] = c;
			continue;
		}
		hdr[nused + 1] = titles[c];
		used[nused++] = c;
	}
	struct vb_table tb;
	if (table__init(&tb, hdr, nused + 1) < 0)
		return;
	char cells[IO_MAX_COLS][400];
	for (size_t k = 0; k < io__nrows; k++) {
		const struct io_row *w = &io__rows[k];
		if (w->fam != fam)
			continue;
		const char *row[IO_MAX_COLS + 1] = { w->label };
		for (size_t u = 0; u < nused; u++) {
			size_t c = used[u];
			const struct vb_result *r = io__table_cell(s, w, &t, c);
			if (r) {
				char v[64], o[96];
				io__value(r, v, sizeof(v));
				io__overhead(r, o, sizeof(o));
				snprintf(cells[u], sizeof(cells[u]), "%s%s%s", v, o[0] ? " " : "",
					 o);
			} else {
				const char *why = io__why_missing(s, w, &t.col[c]);
				snprintf(cells[u], sizeof(cells[u]), "%s%.60s",
					 why ? "skipped: " : "-", why ? why : "");
			}
			printable(cells[u]);
			row[u + 1] = cells[u];
		}
		table__add_row(&tb, row);
	}
	table__print(&tb, f);
	table__free(&tb);
	if (!nunused)
		return;
	fprintf(f, "%s, not measured:", section_title(fam));
	for (size_t u = 0; u < nunused; u++)
		fprintf(f, "%s %s", u ? "," : "", titles[unused[u]]);
	fprintf(f, " (the reasons are under Skipped)\n");
}

void io__print(const struct vb_result_set *s, FILE *f)
{
	bool disk = io__any(s, FAM_DISK), net = io__any(s, FAM_NET);
	if (disk)
		text_table(s, FAM_DISK, f);
	if (disk && net)
		fputc('\n', f);
	if (net)
		text_table(s, FAM_NET, f);
}

/* ---- the verdict ---- */

void io__verdict(const struct vb_result_set *s, enum family fam, struct text_out *l)
{
	struct io_table t;
	io__table(s, fam, &t);
	size_t shown = 0;
	for (size_t c = 1; c < t.ncols; c++) {
		size_t n = 0, worse = 0, better = 0;
		double top = NAN;
		const struct io_row *top_row = NULL;
		for (size_t k = 0; k < io__nrows; k++) {
			const struct io_row *w = &io__rows[k];
			const struct vb_result *r = w->fam == fam ? io__cell(s, w, &t.col[c])
								  : NULL;
			struct vb_overhead o;
			if (!r || !family__overhead(r, &o))
				continue;
			n++;
			worse += o.ci_low > 0;
			better += o.ci_high < 0;
			if (!(fabs(o.percent) <= fabs(top))) {
				top = o.percent;
				top_row = w;
			}
		}
		if (!n)
			continue;
		char title[200];
		io__col_title(&t.col[c], title, sizeof(title));
		text__put(l, "%s%s: worse than native in %zu of %zu workloads, better in %zu",
			  shown ? "; " : "", title, worse, n, better);
		if (top_row)
			text__put(l, " (largest: %+.1f%%, %s)", top, top_row->label);
		shown++;
	}
	if (shown) {
		text__put(l,
			  ". Overhead against native outside its 95%% interval; positive is worse, "
			  "for latencies too.");
		return;
	}
	/* Nothing to set against native: its own figures, by workload. */
	size_t n = 0;
	for (size_t k = 0; k < io__nrows; k++) {
		const struct io_row *w = &io__rows[k];
		const struct vb_result *r = w->fam == fam ? io__cell(s, w, &t.col[0]) : NULL;
		if (!r)
			continue;
		char what[64], v[64];
		io__workload(r, what, sizeof(what));
		io__value(r, v, sizeof(v));
		text__put(l, "%s%s %s%s", n++ ? ", " : "native: ", what,
			  strcmp(r->metric, VB_METRIC_P50_US) ? "" : "p50 ", v);
	}
	if (n)
		text__put(l, " (medians).");
}
