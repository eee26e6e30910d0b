/* The SVG renderer: used when gnuplot is not installed, so every chart of
 * the report exists on any host. Plain SVG 1.1 shapes and text only. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"
#include "report/text.h"

#define W      860.0
#define H      480.0
#define PLOT_L 86.0
#define PLOT_R (W - 24.0)
#define PLOT_T 64.0
#define CHAR_W 7.3 /* average width of a 13 px sans-serif character */

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759",
				       "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
				       "#9c755f", "#bab0ac", "#1f77b4", "#8c564b" };
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

struct frame {
	double ymin, ymax; /* value range of the y axis */
	double xmin, xmax; /* lines: range of the (possibly log) x */
	double plot_b;	   /* bottom of the plot area */
	bool rotate;	   /* x labels rotated */
	bool logy;	   /* ymin, ymax are decades (log10) */
};

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about n ticks. */
static double nice_step(double range, int n)
{
	if (!(range > 0))
		return 1;
	double raw = range / n;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	return nice * mag;
}

static double ypix(const struct frame *f, double v)
{
	/* On a log axis a bar's foot (0) stands at the bottom. */
	if (f->logy)
		v = log10(fmax(v, pow(10, f->ymin)));
	return f->plot_b - (v - f->ymin) / (f->ymax - f->ymin) * (f->plot_b - PLOT_T);
}

static double xval(const struct chart *c, double x)
{
	return c->logx ? log2(fmax(x, 1e-300)) : x;
}

static double xpix_line(const struct chart *c, const struct frame *f, double x)
{
	if (f->xmax == f->xmin)
		return (PLOT_L + PLOT_R) / 2;
	double pad = 0.04 * (PLOT_R - PLOT_L);
	return PLOT_L + pad +
	       (xval(c, x) - f->xmin) / (f->xmax - f->xmin) * (PLOT_R - PLOT_L - 2 * pad);
}

static int text_at(struct vb_buf *b, double x, double y, const char *anchor, const char *extra,
		   const char *s)
{
	if (buf__printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor,
			extra ? extra : "") < 0 ||
	    text__xml(b, s) < 0)
		return -1;
	return buf__printf(b, "</text>\n");
}

static void x_label_text(const struct chart *c, size_t i, char *out, size_t size)
{
	if (c->kind == CHART_LINES && c->xbytes)
		text__bytes(out, size, c->x[i]);
	else if (c->kind == CHART_LINES && !c->xlabels[i][0])
		text__tick(out, size, c->x[i]);
	else
		snprintf(out, size, "%s", c->xlabels[i]);
}

static int error_bar(struct vb_buf *b, double x, double ylo, double yhi)
{
	return buf__printf(b,
			   "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh8M%.1f %.1fh8\" "
			   "stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"/>\n",
			   x, ylo, yhi, x - 4, ylo, x - 4, yhi);
}

static int log_ticks(const struct frame *f, struct vb_buf *b)
{
	/* 1, 10, 100 ...; with 2 and 5 between when there are few decades. */
	bool fine = f->ymax - f->ymin <= 2;
	for (double d = f->ymin; d < f->ymax + 1e-9; d++)
		for (int m = 1; m <= 5; m += m == 1 ? 1 : 3) {
			double v = pow(10, d) * m;
			if ((m > 1 && (!fine || d >= f->ymax - 1e-9)))
				continue;
			char lab[32];
			text__tick(lab, sizeof(lab), v);
			double y = ypix(f, v);
			if (buf__printf(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#ddd\"/>\n",
					PLOT_L, y, PLOT_R) < 0 ||
			    text_at(b, PLOT_L - 6, y + 4, "end", NULL, lab) < 0)
				return -1;
		}
	return 0;
}

static int draw_axes(const struct chart *c, const struct frame *f, struct vb_buf *b)
{
	double step = nice_step(f->ymax - f->ymin, 6);
	if (f->logy && log_ticks(f, b) < 0)
		return -1;
	for (double v = ceil(f->ymin / step) * step; !f->logy && v <= f->ymax + step * 1e-9;
	     v += step) {
		double y = ypix(f, v);
		char lab[32];
		text__num(lab, sizeof(lab), fabs(v) < step * 1e-9 ? 0 : v);
		if (buf__printf(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#ddd\"/>\n", PLOT_L, y,
				PLOT_R) < 0 ||
		    text_at(b, PLOT_L - 6, y + 4, "end", NULL, lab) < 0)
			return -1;
	}
	if (buf__printf(b, "<path d=\"M%.1f %.1fV%.1fH%.1f\" stroke=\"#333\" fill=\"none\"/>\n",
			PLOT_L, PLOT_T, f->plot_b, PLOT_R) < 0)
		return -1;
	if (!f->logy && f->ymin < 0 && f->ymax > 0 &&
	    buf__printf(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#333\"/>\n", PLOT_L, ypix(f, 0),
			PLOT_R) < 0)
		return -1;
	/* Axis titles. */
	char rot[96];
	double my = (PLOT_T + f->plot_b) / 2;
	snprintf(rot, sizeof(rot), " transform=\"rotate(-90 18 %.1f)\"", my);
	if (text_at(b, 18, my, "middle", rot, c->ylabel) < 0)
		return -1;
	return 0;
}

static int draw_x_labels(const struct chart *c, const struct frame *f, struct vb_buf *b,
			 const double *xs)
{
	for (size_t i = 0; i < c->nx; i++) {
		char lab[64];
		x_label_text(c, i, lab, sizeof(lab));
		if (f->rotate) {
			char rot[96];
			snprintf(rot, sizeof(rot), " transform=\"rotate(-35 %.1f %.1f)\"", xs[i],
				 f->plot_b + 14);
			if (text_at(b, xs[i], f->plot_b + 14, "end", rot, lab) < 0)
				return -1;
		} else if (text_at(b, xs[i], f->plot_b + 16, "middle", NULL, lab) < 0) {
			return -1;
		}
	}
	return 0;
}

static int draw_bars(const struct chart *c, const struct frame *f, struct vb_buf *b, double *xs)
{
	double slot = (PLOT_R - PLOT_L) / (double)c->nx;
	size_t nbars = c->kind == CHART_STACKED ? 1 : c->nseries;
	double bw = slot * 0.75 / (double)nbars;
	for (size_t i = 0; i < c->nx; i++) {
		double x0 = PLOT_L + slot * (double)i + slot * 0.125;
		xs[i] = PLOT_L + slot * ((double)i + 0.5);
		double base = 0;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double v = se->y[i];
			if (!isfinite(v))
				continue;
			double bx = c->kind == CHART_STACKED ? x0 : x0 + bw * (double)s;
			double from = c->kind == CHART_STACKED ? base : 0;
			double to = from + v;
			double y1 = ypix(f, fmax(from, to)), y2 = ypix(f, fmin(from, to));
			if (buf__printf(b,
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
					"fill=\"%s\"><title>",
					bx, y1, bw * 0.92, fmax(y2 - y1, 0.5),
					palette[s % NCOLORS]) < 0)
				return -1;
			char val[32];
			text__num(val, sizeof(val), v);
			if (text__xml(b, se->name) < 0 ||
			    buf__printf(b, " %s</title></rect>\n", val) < 0)
				return -1;
			if (c->kind == CHART_STACKED) {
				base += v;
				continue;
			}
			if (isfinite(se->lo[i]) && isfinite(se->hi[i]) &&
			    error_bar(b, bx + bw * 0.46, ypix(f, se->lo[i]), ypix(f, se->hi[i])) <
				    0)
				return -1;
		}
	}
	return 0;
}

static int draw_lines(const struct chart *c, const struct frame *f, struct vb_buf *b, double *xs)
{
	for (size_t i = 0; i < c->nx; i++)
		xs[i] = xpix_line(c, f, c->x[i]);
	for (size_t s = 0; s < c->nseries; s++) {
		const struct chart_series *se = &c->series[s];
		const char *col = palette[s % NCOLORS];
		bool pen = false;
		if (buf__printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
				col) < 0)
			return -1;
		for (size_t i = 0; i < c->nx; i++) {
			if (!isfinite(se->y[i]))
				continue;
			if (buf__printf(b, "%s%.1f %.1f", pen ? "L" : "M", xs[i],
					ypix(f, se->y[i])) < 0)
				return -1;
			pen = true;
		}
		if (buf__printf(b, "\"/>\n") < 0)
			return -1;
		for (size_t i = 0; i < c->nx; i++) {
			if (!isfinite(se->y[i]))
				continue;
			if (buf__printf(b,
					"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
					xs[i], ypix(f, se->y[i]), col) < 0)
				return -1;
			if (isfinite(se->lo[i]) && isfinite(se->hi[i]) &&
			    error_bar(b, xs[i], ypix(f, se->lo[i]), ypix(f, se->hi[i])) < 0)
				return -1;
		}
	}
	return 0;
}

static int draw_legend(const struct chart *c, struct vb_buf *b)
{
	double x = PLOT_L, y = H - 34;
	for (size_t s = 0; s < c->nseries; s++) {
		double w = 22 + CHAR_W * (double)strlen(c->series[s].name) + 18;
		if (x + w > PLOT_R && x > PLOT_L) {
			x = PLOT_L;
			y += 16;
		}
		if (buf__printf(
			    b,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>\n",
			    x, y - 9, palette[s % NCOLORS]) < 0 ||
		    text_at(b, x + 19, y, "start", NULL, c->series[s].name) < 0)
			return -1;
		x += w;
	}
	return 0;
}

int chart__svg(const struct chart *c, struct vb_buf *b)
{
	struct frame f = { 0 };
	chart__range(c, &f.ymin, &f.ymax);
	if (c->kind != CHART_LINES || f.ymin > 0)
		f.ymin = fmin(f.ymin, 0); /* bars start at zero; so do positive lines */
	f.ymax = f.ymax > 0 ? f.ymax * 1.08 : 0;
	if (f.ymin < 0)
		f.ymin *= 1.08;
	if (!(f.ymax > f.ymin))
		f.ymax = f.ymin + 1;
	double pmin = chart__min_positive(c), ymax = f.ymax;
	if (c->logy && c->kind != CHART_STACKED && isfinite(pmin) && f.ymin >= 0 && ymax > 0) {
		f.logy = true;
		f.ymin = floor(log10(pmin));
		f.ymax = fmax(ceil(log10(ymax)), f.ymin + 1);
	}
	/* Rotate x labels when they would overlap. */
	size_t longest = 0;
	for (size_t i = 0; i < c->nx; i++) {
		char lab[64];
		x_label_text(c, i, lab, sizeof(lab));
		longest = strlen(lab) > longest ? strlen(lab) : longest;
	}
	double slot = (PLOT_R - PLOT_L) / (double)(c->nx ? c->nx : 1);
	f.rotate = CHAR_W * (double)longest > slot * 0.9;
	double label_h = f.rotate ? fmin(CHAR_W * (double)longest * 0.6 + 14, 130) : 22;
	size_t legend_rows = 1 + (c->nseries > 6 ? 1 : 0);
	f.plot_b = H - 48 - 16.0 * (double)(legend_rows - 1) - label_h - 14;
	if (c->kind == CHART_LINES && c->nx) {
		f.xmin = f.xmax = xval(c, c->x[0]);
		for (size_t i = 1; i < c->nx; i++) {
			f.xmin = fmin(f.xmin, xval(c, c->x[i]));
			f.xmax = fmax(f.xmax, xval(c, c->x[i]));
		}
	}

	if (buf__printf(b,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
			"viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"13\">\n"
			"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
			W, H, W, H) < 0)
		return -1;
	if (text_at(b, W / 2, 22, "middle", " font-size=\"15\" font-weight=\"bold\"", c->title) < 0)
		return -1;
	if (c->note[0] && text_at(b, W / 2, 40, "middle", " fill=\"#555\"", c->note) < 0)
		return -1;
	if (draw_axes(c, &f, b) < 0)
		return -1;
	double xs[CHART_MAX_X];
	if ((c->kind == CHART_LINES ? draw_lines(c, &f, b, xs) : draw_bars(c, &f, b, xs)) < 0)
		return -1;
	if (draw_x_labels(c, &f, b, xs) < 0)
		return -1;
	if (text_at(b, (PLOT_L + PLOT_R) / 2, f.plot_b + label_h + 12, "middle", NULL, c->xlabel) <
	    0)
		return -1;
	if (draw_legend(c, b) < 0)
		return -1;
	return buf__printf(b, "</svg>\n");
}
