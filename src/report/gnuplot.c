#include "report/gnuplot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/proc.h"
#include "report/text.h"

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759",
				       "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
				       "#9c755f", "#bab0ac", "#1f77b4", "#8c564b" };
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

/* Runs gnuplot on a script; true when it exits 0 with nothing on stderr. */
static bool gnuplot_accepts(const char *script)
{
	char *argv[] = { "gnuplot", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 10000, .stdin_data = script,
				  .stdin_len = strlen(script), .max_output = 65536 };
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

/* A gnuplot double-quoted string: backslash and quote escaped. */
static int gp_str(struct vb_buf *b, const char *s)
{
	if (buf__append(b, "\"", 1) < 0)
		return -1;
	for (; *s; s++) {
		if ((*s == '"' || *s == '\\') && buf__append(b, "\\", 1) < 0)
			return -1;
		if (*s == '\n') {
			if (buf__append(b, "\\n", 2) < 0)
				return -1;
			continue;
		}
		char ch = (unsigned char)*s < 0x20 ? ' ' : *s;
		if (buf__append(b, &ch, 1) < 0)
			return -1;
	}
	return buf__append(b, "\"", 1);
}

/* A gnuplot single-quoted string (file names): '' stands for one quote. */
static int gp_path(struct vb_buf *b, const char *dir, const char *file, const char *ext)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.%s", dir, file, ext);
	if (buf__append(b, "'", 1) < 0)
		return -1;
	for (const char *s = path; *s; s++)
		if (buf__append(b, s, 1) < 0 || (*s == '\'' && buf__append(b, "'", 1) < 0))
			return -1;
	return buf__append(b, "'", 1);
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

/* Category charts: one datablock row per category. */
static int bars_data(const struct chart *c, struct vb_buf *b)
{
	if (buf__printf(b, "$d << EOD\n") < 0)
		return -1;
	for (size_t i = 0; i < c->nx; i++) {
		char lab[64];
		snprintf(lab, sizeof(lab), "%s", c->xlabels[i]);
		for (char *p = lab; *p; p++)
			if (*p == '"' || (unsigned char)*p < 0x20)
				*p = '\'';
		if (buf__printf(b, "\"%s\"", lab) < 0)
			return -1;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double y = se->y[i];
			if (c->kind == CHART_STACKED) {
				/* rowstacked needs a number in every column */
				if (gp_num(b, isfinite(y) ? y : 0) < 0)
					return -1;
				continue;
			}
			double lo = isfinite(se->lo[i]) ? se->lo[i] : y;
			double hi = isfinite(se->hi[i]) ? se->hi[i] : y;
			if (gp_num(b, y) < 0 || gp_num(b, lo) < 0 || gp_num(b, hi) < 0)
				return -1;
		}
		if (buf__printf(b, "\n") < 0)
			return -1;
	}
	return buf__printf(b, "EOD\n");
}

static int bars_body(const struct chart *c, struct vb_buf *b)
{
	double ymin, ymax;
	chart__range(c, &ymin, &ymax);
	bool rotate = (double)longest_label(c) * 7.0 > 780.0 / (double)(c->nx ? c->nx : 1);
	if (bars_data(c, b) < 0 ||
	    buf__printf(b,
			"set style data histogram\n"
			"set style histogram %s\n"
			"set style fill solid 0.85 border -1\n"
			"set boxwidth 0.9 relative\n"
			"set xtics nomirror %s\n"
			"set yrange [%s:*]\n",
			c->kind == CHART_STACKED ? "rowstacked" : "errorbars gap 1 lw 1.2",
			rotate ? "rotate by 30 right" : "", ymin < 0 ? "*" : "0") < 0 ||
	    buf__printf(b, "plot ") < 0)
		return -1;
	unsigned col = 2;
	for (size_t s = 0; s < c->nseries; s++) {
		if (s && buf__printf(b, ", \\\n     '' ") < 0)
			return -1;
		if (!s && buf__printf(b, "$d ") < 0)
			return -1;
		int rc = c->kind == CHART_STACKED
				 ? buf__printf(b, "using %u%s", col, s ? "" : ":xtic(1)")
				 : buf__printf(b, "using %u:%u:%u%s", col, col + 1, col + 2,
					       s ? "" : ":xtic(1)");
		col += c->kind == CHART_STACKED ? 1 : 3;
		if (rc < 0 || buf__printf(b, " lc rgb \"%s\" title ", palette[s % NCOLORS]) < 0 ||
		    gp_str(b, c->series[s].name) < 0)
			return -1;
	}
	return buf__printf(b, "\n");
}

static int lines_body(const struct chart *c, struct vb_buf *b)
{
	for (size_t s = 0; s < c->nseries; s++) {
		if (buf__printf(b, "$s%zu << EOD\n", s) < 0)
			return -1;
		const struct chart_series *se = &c->series[s];
		for (size_t i = 0; i < c->nx; i++) {
			if (!isfinite(se->y[i]))
				continue;
			double lo = isfinite(se->lo[i]) ? se->lo[i] : se->y[i];
			double hi = isfinite(se->hi[i]) ? se->hi[i] : se->y[i];
			if (gp_num(b, c->x[i]) < 0 || gp_num(b, se->y[i]) < 0 || gp_num(b, lo) < 0 ||
			    gp_num(b, hi) < 0 || buf__printf(b, "\n") < 0)
				return -1;
		}
		if (buf__printf(b, "EOD\n") < 0)
			return -1;
	}
	double xmin = INFINITY, xmax = -INFINITY;
	for (size_t i = 0; i < c->nx; i++)
		xmin = fmin(xmin, c->x[i]), xmax = fmax(xmax, c->x[i]);
	if (c->logx && xmin > 0) {
		if (buf__printf(b, "set logscale x 2\nset xrange [%g:%g]\n", xmin / 1.3, xmax * 1.3) < 0)
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
		if (buf__printf(b, "%s\"%s\" %.10g", i ? ", " : "", lab, c->x[i]) < 0)
			return -1;
	}
	if (buf__printf(b, ")\n") < 0)
		return -1;
	double ymin, ymax;
	chart__range(c, &ymin, &ymax);
	if (buf__printf(b, "set yrange [%s:*]\nplot ", ymin < 0 ? "*" : "0") < 0)
		return -1;
	for (size_t s = 0; s < c->nseries; s++) {
		if (buf__printf(b,
				"%s$s%zu using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 "
				"lc rgb \"%s\" title ",
				s ? ", \\\n     " : "", s, palette[s % NCOLORS]) < 0 ||
		    gp_str(b, c->series[s].name) < 0)
			return -1;
	}
	return buf__printf(b, "\n");
}

int gnuplot__script(const struct chart *c, const char *png_term, const char *dir,
		    struct vb_buf *b)
{
	char title[sizeof(c->title) + sizeof(c->note) + 4];
	snprintf(title, sizeof(title), "%s%s%s", c->title, c->note[0] ? "\n" : "", c->note);
	if (buf__printf(b, "reset\nset terminal %s size 900,520 font \"sans,12\" noenhanced\n",
			png_term) < 0 ||
	    buf__printf(b, "set output ") < 0 || gp_path(b, dir, c->file, "png") < 0 ||
	    buf__printf(b, "\nset title ") < 0 || gp_str(b, title) < 0 ||
	    buf__printf(b, "\nset xlabel ") < 0 || gp_str(b, c->xlabel) < 0 ||
	    buf__printf(b, "\nset ylabel ") < 0 || gp_str(b, c->ylabel) < 0 ||
	    buf__printf(b, "\nset key outside bottom center horizontal noenhanced\n"
			   "set grid ytics lc rgb \"#dddddd\"\nset border 3\nset ytics nomirror\n") < 0)
		return -1;
	if ((c->kind == CHART_LINES ? lines_body(c, b) : bars_body(c, b)) < 0)
		return -1;
	if (buf__printf(b, "set terminal svg size 900,520 font \"sans,12\" noenhanced\n"
			   "set output ") < 0 ||
	    gp_path(b, dir, c->file, "svg") < 0 || buf__printf(b, "\nreplot\nunset output\n") < 0)
		return -1;
	return 0;
}

static int run_script(struct vb_buf *script, const char *what, struct vb_err *err)
{
	char *argv[] = { "gnuplot", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 120000, .stdin_data = script->data,
				  .stdin_len = script->len, .max_output = 1 << 20 };
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
		rc = err__set(err, 0, "gnuplot failed on %s (exit %d): %s", what, r.exit_code, last);
	}
	proc__result_free(&r);
	return rc;
}

static int check_png(const struct chart *c, const char *dir, struct vb_err *err)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s.png", dir, c->file);
	if (stat(path, &st) < 0 || st.st_size == 0)
		return err__set(err, 0, "gnuplot did not write %s", path);
	return 0;
}

int gnuplot__render(const struct chart *c, const char *dir, struct vb_err *err)
{
	const char *term = gnuplot__png_terminal();
	if (!term)
		return err__set(err, 0, "gnuplot with a png and an svg terminal is not installed");
	struct vb_buf script = { 0 };
	int rc = gnuplot__script(c, term, dir, &script) < 0
			 ? err__set(err, 12 /* ENOMEM */, "gnuplot script")
			 : run_script(&script, c->file, err);
	buf__free(&script);
	return rc < 0 ? rc : check_png(c, dir, err);
}

int gnuplot__render_all(const struct chart_list *l, const char *dir, struct vb_err *err)
{
	const char *term = gnuplot__png_terminal();
	if (!term)
		return err__set(err, 0, "gnuplot with a png and an svg terminal is not installed");
	struct vb_buf script = { 0 };
	for (size_t i = 0; i < l->n; i++)
		if (gnuplot__script(l->items[i], term, dir, &script) < 0) {
			buf__free(&script);
			return err__set(err, 12, "gnuplot script");
		}
	int rc = l->n ? run_script(&script, "the charts", err) : 0;
	buf__free(&script);
	for (size_t i = 0; rc == 0 && i < l->n; i++)
		rc = check_png(l->items[i], dir, err);
	return rc;
}
