/* A chart as data: categories or numeric x positions, named series, and a
 * value with its 95% interval per point. The run report, `report` and
 * `compare` build charts from result sets; the gnuplot and SVG renderers
 * draw the same chart, so a host without gnuplot still gets every figure. */
#ifndef VB_REPORT_CHART_H
#define VB_REPORT_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/output.h"

/* Fixed bounds keep the renderers simple; builders drop what does not fit
 * and say so in the chart's note. */
#define CHART_MAX_X	 48
#define CHART_MAX_SERIES 12

enum chart_kind {
	CHART_BARS,    /* grouped bars per category, error bars */
	CHART_STACKED, /* one bar per category, series stacked (boot phases) */
	CHART_LINES,   /* numeric x, one line per series, error bars */
};

struct chart_series {
	char name[64];
	double y[CHART_MAX_X], lo[CHART_MAX_X], hi[CHART_MAX_X]; /* NaN: no value */
};

struct chart {
	char file[64]; /* base name of the image files, e.g. "container_startup_times" */
	char title[128];
	char xlabel[64], ylabel[64];
	char note[192]; /* subtitle: what the error bars are, what was left out */
	enum chart_kind kind;
	bool logx;   /* lines: x on a log2 axis */
	bool logy;   /* y on a log10 axis: 2 ms beside 250 ms (not for stacked bars) */
	bool xbytes; /* lines: x is a size in bytes (ticks as KiB/MiB/GiB) */
	size_t nx;
	char xlabels[CHART_MAX_X][48];
	double x[CHART_MAX_X];
	size_t nseries;
	struct chart_series series[CHART_MAX_SERIES];
	bool truncated;
	bool png; /* set when drawn: gnuplot wrote <file>.png (else only the SVG exists) */
};

/* Allocates an empty chart; NULL when out of memory. */
struct chart *chart__new(const char *file, const char *title, const char *xlabel,
			 const char *ylabel, enum chart_kind kind);
void chart__free(struct chart *c);
/* Index of the category (bars) or x position (lines), added when new;
 * -1 when the chart is full. Lines match on x, bars on the label. */
int chart__x(struct chart *c, const char *label, double x);
/* Index of the named series, added when new; -1 when full. */
int chart__series(struct chart *c, const char *name);
/* Sets one point; returns -1 (and marks the chart truncated) when full. */
int chart__put(struct chart *c, const char *series, const char *xlabel, double x, double y,
	       double lo, double hi);
/* Lines: orders x positions ascending (with their values). */
void chart__sort_x(struct chart *c);
/* True when no point has a value. */
bool chart__empty(const struct chart *c);
/* The value range over all points and intervals (stacked: over the sums). */
void chart__range(const struct chart *c, double *ymin, double *ymax);

/* The smallest positive value or interval end; NaN when none. */
double chart__min_positive(const struct chart *c);

/* Renders as a standalone SVG document (no scripts, no external refs). */
int chart__svg(const struct chart *c, struct vb_buf *out);

/* A list of charts, in the order they are shown. */
struct chart_list {
	struct chart **items;
	size_t n, cap;
};
/* Takes ownership; empty charts are freed and not added. */
int chart_list__add(struct chart_list *l, struct chart *c);
void chart_list__free(struct chart_list *l);

#endif
