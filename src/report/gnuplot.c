#include "report/gnuplot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/proc.h"
#include "core/tmpdir.h"
#include "report/text.h"

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759",
				       "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
				       "#9c755f", "#bab0ac", "#1f77b4", "#8c564b" };
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

/* Runs gnuplot on a script; true when it exits 0 with nothing on stderr. */
static bool gnuplot_accepts(const char *script)
{
	char *argv[] = { "gnuplot", NULL };
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = 10000,
				  .stdin_data = script,
				  .stdin_len = strlen(script),
				  .max_output = 65536 };
	struct vb_proc_result r = { 0 };
	struct vb_err err = { 0 };
	bool ok = proc__run(&o, &r, &err) == 0 && r.exit_code == 0 && r.err_len == 0;
	proc__result_free(&r);
	return ok;
}

const char *gnuplot__png_terminal(void)
{
	static int probed;
	static const char *term;
	if (probed)
		return term;
	probed = 1;
	char *path = proc__which("gnuplot");
	if (!path)
		return NULL;
	free(path);
	if (gnuplot_accepts("set terminal pngcairo\nset terminal svg\n"))
		term = "pngcairo";
	else if (gnuplot_accepts("set terminal png\nset terminal svg\n"))
		term = "png";
	return term;
}

/* The first byte's sequence length when s starts a valid UTF-8 sequence
 * (1 for ASCII), else 0. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xc2 && s[0] <= 0xdf	  ? 2
		   : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		   : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
						  : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Every string from a results file reaches gnuplot here, and only here, as
 * a string expression of single-quoted parts: in those gnuplot expands
 * nothing (no `command`, no @macro, no \ escape). A quote, which gnuplot's
 * doubled quote cannot carry everywhere (5.4 misreads three or four in a
 * row), is the constant "'" joined with '.'. Control characters are
 * dropped (a newline would end the command) and a byte that is not UTF-8
 * shows as '?' (fixed-size labels can cut a character in two). */
static int gp_str(struct vb_buf *b, const char *str)
{
	bool open = false, any = false;
	for (const unsigned char *s = (const unsigned char *)str; *s;) {
		size_t n = utf8_len(s);
		const char *part = n == 0 ? "?" : (const char *)s;
		size_t len = n == 0 ? 1 : n;
		s += n ? n : 1;
		if (len == 1 && ((unsigned char)*part < 0x20 || *part == 0x7f))
			continue;
		int rc = 0;
		if (*part == '\'') {
			rc = buf__printf(b, "%s%s\"'\"", open ? "'" : "", any ? "." : "");
			open = false;
		} else {
			if (!open)
				rc = buf__printf(b, "%s'", any ? "." : "");
			open = true;
			if (rc == 0)
				rc = buf__append(b, part, len);
		}
		any = true;
		if (rc < 0)
			return -1;
	}
	if (!any)
		return buf__append(b, "''", 2);
	return open ? buf__append(b, "'", 1) : 0;
}

/* A file name next to the script: <chart file>.<ext>. */
static int gp_file(struct vb_buf *b, const struct chart *c, const char *ext)
{
	char name[sizeof(c->file) + 8];
	snprintf(name, sizeof(name), "%s.%s", c->file, ext);
	return gp_str(b, name);
}

static int gp_num(struct vb_buf *b, double v)
{
	return isfinite(v) ? buf__printf(b, " %.10g", v) : buf__printf(b, " NaN");
}

static size_t longest_label(const struct chart *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nx; i++)
		n = strlen(c->xlabels[i]) > n ? strlen(c->xlabels[i]) : n;
	return n;
}

/* Category charts: one row of numbers per category (the labels are set
 * as tics in the script). */
static int bars_data(const struct chart *c, struct vb_buf *d)
{
	for (size_t i = 0; i < c->nx; i++) {
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double y = se->y[i];
			if (c->kind == CHART_STACKED) {
				/* rowstacked needs a number in every column */
				if (gp_num(d, isfinite(y) ? y : 0) < 0)
					return -1;
				continue;
			}
			double lo = isfinite(se->lo[i]) ? se->lo[i] : y;
			double hi = isfinite(se->hi[i]) ? se->hi[i] : y;
			if (gp_num(d, y) < 0 || gp_num(d, lo) < 0 || gp_num(d, hi) < 0)
				return -1;
		}
		if (buf__printf(d, "\n") < 0)
			return -1;
	}
	return 0;
}

/* The y axis: from zero (or below, for negative values), or log10 from the
 * decade below the smallest positive value when the chart asks for it. */
static const char *yaxis(const struct chart *c, double ymin, double ymax)
{
	static char buf[96];
	double lo = chart__min_positive(c);
	if (c->logy && c->kind != CHART_STACKED && isfinite(lo) && ymin > 0)
		snprintf(buf, sizeof(buf), "set logscale y 10\nset yrange [%g:%g]\n",
			 pow(10, floor(log10(lo))), pow(10, ceil(log10(ymax * 1.05))));
	else
		snprintf(buf, sizeof(buf), "set yrange [%s:*]\n", ymin < 0 ? "*" : "0");
	return buf;
}

/* Histogram bars of row i stand at x = i. */
static int bars_tics(const struct chart *c, bool rotate, struct vb_buf *b)
{
	if (buf__printf(b, "set xtics nomirror %s(", rotate ? "rotate by 30 right " : "") < 0)
		return -1;
	for (size_t i = 0; i < c->nx; i++)
		if (buf__printf(b, "%s", i ? ", " : "") < 0 || gp_str(b, c->xlabels[i]) < 0 ||
		    buf__printf(b, " %zu", i) < 0)
			return -1;
	return buf__printf(b, ")\n");
}

static int bars_body(const struct chart *c, struct vb_buf *b, struct vb_buf *d)
{
	double ymin, ymax;
	chart__range(c, &ymin, &ymax);
	bool rotate = (double)longest_label(c) * 7.0 > 780.0 / (double)(c->nx ? c->nx : 1);
	if (bars_data(c, d) < 0 || bars_tics(c, rotate, b) < 0 ||
	    buf__printf(b,
			"set style data histogram\n"
			"set style histogram %s\n"
			"set style fill solid 0.85 border -1\n"
			"set boxwidth 0.9 relative\n"
			"%s",
			c->kind == CHART_STACKED ? "rowstacked" : "errorbars gap 1 lw 1.2",
			yaxis(c, ymin, ymax)) < 0 ||
	    buf__printf(b, "plot ") < 0)
		return -1;
	unsigned col = 1;
	for (size_t s = 0; s < c->nseries; s++) {
		if (s && buf__printf(b, ", \\\n     '' ") < 0)
			return -1;
		if (!s && gp_file(b, c, "dat") < 0)
			return -1;
		int rc = c->kind == CHART_STACKED
				 ? buf__printf(b, " using %u", col)
				 : buf__printf(b, " using %u:%u:%u", col, col + 1, col + 2);
		col += c->kind == CHART_STACKED ? 1 : 3;
		if (rc < 0 || buf__printf(b, " lc rgb \"%s\" title ", palette[s % NCOLORS]) < 0 ||
		    gp_str(b, c->series[s].name) < 0)
			return -1;
	}
	return buf__printf(b, "\n");
}

/* One block per series, each opened by a comment line so that no two
 * blank-line separators ever merge and shift the index. */
static int lines_data(const struct chart *c, struct vb_buf *d)
{
	for (size_t s = 0; s < c->nseries; s++) {
		if (buf__printf(d, "%s# series %zu\n", s ? "\n\n" : "", s) < 0)
			return -1;
		const struct chart_series *se = &c->series[s];
		for (size_t i = 0; i < c->nx; i++) {
			if (!isfinite(se->y[i]))
				continue;
			double lo = isfinite(se->lo[i]) ? se->lo[i] : se->y[i];
			double hi = isfinite(se->hi[i]) ? se->hi[i] : se->y[i];
			if (gp_num(d, c->x[i]) < 0 || gp_num(d, se->y[i]) < 0 ||
			    gp_num(d, lo) < 0 || gp_num(d, hi) < 0 || buf__printf(d, "\n") < 0)
				return -1;
		}
	}
	return 0;
}

static int lines_body(const struct chart *c, struct vb_buf *b, struct vb_buf *d)
{
	if (lines_data(c, d) < 0)
		return -1;
	double xmin = INFINITY, xmax = -INFINITY;
	for (size_t i = 0; i < c->nx; i++)
		xmin = fmin(xmin, c->x[i]), xmax = fmax(xmax, c->x[i]);
	if (c->logx && xmin > 0) {
		if (buf__printf(b, "set logscale x 2\nset xrange [%g:%g]\n", xmin / 1.3,
				xmax * 1.3) < 0)
			return -1;
	} else if (xmax > xmin) {
		double pad = (xmax - xmin) * 0.05;
		if (buf__printf(b, "set xrange [%g:%g]\n", xmin - pad, xmax + pad) < 0)
			return -1;
	}
	/* Ticks at the measured x positions, labelled as people read them
	 * (4 KiB, 1 GiB), at most about ten. */
	size_t step = (c->nx + 9) / 10;
	if (buf__printf(b, "set xtics nomirror (") < 0)
		return -1;
	for (size_t i = 0; i < c->nx; i += step ? step : 1) {
		char lab[48];
		if (c->xbytes)
			text__bytes(lab, sizeof(lab), c->x[i]);
		else
			text__tick(lab, sizeof(lab), c->x[i]);
		if (buf__printf(b, "%s", i ? ", " : "") < 0 || gp_str(b, lab) < 0 ||
		    buf__printf(b, " %.10g", c->x[i]) < 0)
			return -1;
	}
	if (buf__printf(b, ")\n") < 0)
		return -1;
	double ymin, ymax;
	chart__range(c, &ymin, &ymax);
	if (buf__printf(b, "%splot ", yaxis(c, ymin, ymax)) < 0)
		return -1;
	for (size_t s = 0; s < c->nseries; s++) {
		if ((s ? buf__printf(b, ", \\\n     ''") : gp_file(b, c, "dat")) < 0 ||
		    buf__printf(b,
				" index %zu using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 "
				"lc rgb \"%s\" title ",
				s, palette[s % NCOLORS]) < 0 ||
		    gp_str(b, c->series[s].name) < 0)
			return -1;
	}
	return buf__printf(b, "\n");
}

int gnuplot__script(const struct chart *c, const char *png_term, struct vb_buf *b,
		    struct vb_buf *data)
{
	/* The key sits under the plot and takes a line a series once long
	 * names (QEMU's modes) leave one column: the canvas grows with it, so
	 * the plot keeps its height. */
	unsigned height = 520 + 20 * (unsigned)(c->nseries > 6 ? c->nseries - 6 : 0);
	if (buf__printf(b, "reset\nset terminal %s size 900,%u font \"sans,12\" noenhanced\n",
			png_term, height) < 0 ||
	    buf__printf(b, "set output ") < 0 || gp_file(b, c, "png") < 0 ||
	    buf__printf(b, "\nset title ") < 0 || gp_str(b, c->title) < 0 ||
	    (c->note[0] && (buf__printf(b, ".\"\\n\".") < 0 || gp_str(b, c->note) < 0)) ||
	    buf__printf(b, "\nset xlabel ") < 0 || gp_str(b, c->xlabel) < 0 ||
	    buf__printf(b, "\nset ylabel ") < 0 || gp_str(b, c->ylabel) < 0 ||
	    buf__printf(
		    b, "\nset key outside bottom center horizontal noenhanced\n"
		       "set grid ytics lc rgb \"#dddddd\"\nset border 3\nset ytics nomirror\n") < 0)
		return -1;
	if ((c->kind == CHART_LINES ? lines_body(c, b, data) : bars_body(c, b, data)) < 0)
		return -1;
	if (buf__printf(b,
			"set terminal svg size 900,%u font \"sans,12\" noenhanced\n"
			"set output ",
			height) < 0 ||
	    gp_file(b, c, "svg") < 0 || buf__printf(b, "\nreplot\nunset output\n") < 0)
		return -1;
	return 0;
}

/* gnuplot reads the script from a file and is told the directory as an
 * argument (ARG1, a string variable: never parsed as a command), so no
 * path is ever part of the script. */
static int run_script(const char *tmp, const char *what, struct vb_err *err)
{
	char script[4200], arg[4200];
	/* A relative path starting with '-' must not read as an option. */
	const char *pre = tmp[0] == '-' ? "./" : "";
	snprintf(script, sizeof(script), "%s%s/charts.gp", pre, tmp);
	snprintf(arg, sizeof(arg), "%s%s", pre, tmp);
	char *argv[] = { "gnuplot", "-c", script, arg, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 120000, .max_output = 1 << 20 };
	struct vb_proc_result r = { 0 };
	int rc = proc__run(&o, &r, err);
	if (rc < 0) {
		proc__result_free(&r);
		return err__wrap(err, "gnuplot");
	}
	if (r.exit_code != 0) {
		/* gnuplot echoes the failing command, then a caret, then the
		 * reason: the last non-empty line is what a user needs. */
		char last[300] = "";
		for (char *line = r.errout; line && *line;) {
			char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);
			while (n && line[0] == ' ') {
				line++;
				n--;
			}
			if (n)
				snprintf(last, sizeof(last), "%.*s", (int)n, line);
			line = nl ? nl + 1 : NULL;
		}
		rc = err__set(err, 0, "gnuplot failed on %s (exit %d): %s", what, r.exit_code,
			      last);
	}
	proc__result_free(&r);
	return rc;
}

static int save_in(const char *tmp, const char *name, const char *ext, const struct vb_buf *b,
		   struct vb_err *err)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s%s", tmp, name, ext);
	return file__write_atomic(path, b->data ? b->data : "", b->len, err);
}

/* Writes the data files and the script into tmp and runs gnuplot there. */
static int draw_in(struct chart *const *cs, size_t n, const char *term, const char *tmp,
		   const char *what, struct vb_err *err)
{
	struct vb_buf script = { 0 };
	int rc = buf__printf(&script, "cd ARG1\n") < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct vb_buf data = { 0 };
		if (gnuplot__script(cs[i], term, &script, &data) < 0)
			rc = err__set(err, ENOMEM, "gnuplot script");
		else
			rc = save_in(tmp, cs[i]->file, ".dat", &data, err);
		buf__free(&data);
	}
	if (rc == 0)
		rc = save_in(tmp, "charts", ".gp", &script, err);
	buf__free(&script);
	return rc < 0 ? -1 : run_script(tmp, what, err);
}

/* gnuplot writes into a private directory inside dir (mode 0700: nothing
 * there but what virtbench put), then each image is renamed into dir
 * under the rules of file__write_atomic. */
static int render(struct chart *const *cs, size_t n, const char *dir, const char *what,
		  struct vb_err *err)
{
	const char *term = gnuplot__png_terminal();
	if (!term)
		return err__set(err, 0, "gnuplot with a png and an svg terminal is not installed");
	char tmp[4096];
	int abort_slot;
	if (tmpdir__make(dir, ".virtbench-charts", tmp, sizeof(tmp), &abort_slot, err) < 0)
		return -1;
	int rc = draw_in(cs, n, term, tmp, what, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char from[4200], to[4200];
		struct stat st;
		snprintf(from, sizeof(from), "%s/%s.png", tmp, cs[i]->file);
		if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
			rc = err__set(err, 0, "gnuplot did not write %s/%s.png", dir, cs[i]->file);
			break;
		}
		for (int k = 0; rc == 0 && k < 2; k++) {
			const char *ext = k ? "svg" : "png";
			snprintf(from, sizeof(from), "%s/%s.%s", tmp, cs[i]->file, ext);
			snprintf(to, sizeof(to), "%s/%s.%s", dir, cs[i]->file, ext);
			rc = file__move_into(from, to, err);
		}
	}
	file__remove_tree(tmp);
	interrupt__cancel_run(abort_slot);
	return rc;
}

int gnuplot__render(struct chart *c, const char *dir, struct vb_err *err)
{
	return render(&c, 1, dir, c->file, err);
}

int gnuplot__render_all(const struct chart_list *l, const char *dir, struct vb_err *err)
{
	return l->n ? render(l->items, l->n, dir, "the charts", err) : 0;
}
