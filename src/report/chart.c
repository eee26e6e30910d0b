#include "report/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chart *chart__new(const char *file, const char *title, const char *xlabel,
			 const char *ylabel, enum chart_kind kind)
{
	struct chart *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	snprintf(c->file, sizeof(c->file), "%s", file);
	snprintf(c->title, sizeof(c->title), "%s", title);
	snprintf(c->xlabel, sizeof(c->xlabel), "%s", xlabel);
	snprintf(c->ylabel, sizeof(c->ylabel), "%s", ylabel);
	c->kind = kind;
	return c;
}

void chart__free(struct chart *c)
{
	free(c);
}

static void series_clear(struct chart_series *s)
{
	for (size_t i = 0; i < CHART_MAX_X; i++)
		s->y[i] = s->lo[i] = s->hi[i] = NAN;
}

int chart__x(struct chart *c, const char *label, double x)
{
	/* Compare what is stored: a long label is kept truncated. */
	char lab[sizeof(c->xlabels[0])];
	snprintf(lab, sizeof(lab), "%s", label ? label : "");
	for (size_t i = 0; i < c->nx; i++) {
		if (c->kind == CHART_LINES ? c->x[i] == x : !strcmp(c->xlabels[i], lab))
			return (int)i;
	}
	if (c->nx >= CHART_MAX_X) {
		c->truncated = true;
		return -1;
	}
	memcpy(c->xlabels[c->nx], lab, sizeof(lab));
	c->x[c->nx] = x;
	return (int)c->nx++;
}

int chart__series(struct chart *c, const char *name)
{
	char nm[sizeof(c->series[0].name)];
	snprintf(nm, sizeof(nm), "%s", name);
	for (size_t i = 0; i < c->nseries; i++)
		if (!strcmp(c->series[i].name, nm))
			return (int)i;
	if (c->nseries >= CHART_MAX_SERIES) {
		c->truncated = true;
		return -1;
	}
	struct chart_series *s = &c->series[c->nseries];
	memcpy(s->name, nm, sizeof(nm));
	series_clear(s);
	return (int)c->nseries++;
}

int chart__put(struct chart *c, const char *series, const char *xlabel, double x, double y,
	       double lo, double hi)
{
	if (!isfinite(y))
		return 0;
	int si = chart__series(c, series);
	int xi = si < 0 ? -1 : chart__x(c, xlabel, x);
	if (si < 0 || xi < 0)
		return -1;
	struct chart_series *s = &c->series[si];
	s->y[xi] = y;
	/* An interval that does not contain the value (a derived figure's
	 * bootstrap can) would draw a misleading bar: clamp it. */
	s->lo[xi] = isfinite(lo) ? fmin(lo, y) : NAN;
	s->hi[xi] = isfinite(hi) ? fmax(hi, y) : NAN;
	/* One sample has no interval: its [x, x] is not drawn as one. */
	if (!(s->hi[xi] > s->lo[xi]))
		s->lo[xi] = s->hi[xi] = NAN;
	return 0;
}

void chart__sort_x(struct chart *c)
{
	/* Insertion sort: at most CHART_MAX_X positions. */
	for (size_t i = 1; i < c->nx; i++) {
		for (size_t j = i; j > 0 && c->x[j - 1] > c->x[j]; j--) {
			double tx = c->x[j];
			c->x[j] = c->x[j - 1];
			c->x[j - 1] = tx;
			char tl[sizeof(c->xlabels[0])];
			memcpy(tl, c->xlabels[j], sizeof(tl));
			memcpy(c->xlabels[j], c->xlabels[j - 1], sizeof(tl));
			memcpy(c->xlabels[j - 1], tl, sizeof(tl));
			for (size_t s = 0; s < c->nseries; s++) {
				struct chart_series *se = &c->series[s];
				double t;
				t = se->y[j], se->y[j] = se->y[j - 1], se->y[j - 1] = t;
				t = se->lo[j], se->lo[j] = se->lo[j - 1], se->lo[j - 1] = t;
				t = se->hi[j], se->hi[j] = se->hi[j - 1], se->hi[j - 1] = t;
			}
		}
	}
}

bool chart__empty(const struct chart *c)
{
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->nx; i++)
			if (isfinite(c->series[s].y[i]))
				return false;
	return true;
}

void chart__range(const struct chart *c, double *ymin, double *ymax)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < c->nx; i++) {
		double sum = 0;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			if (!isfinite(se->y[i]))
				continue;
			if (c->kind == CHART_STACKED) {
				sum += se->y[i];
				continue;
			}
			lo = fmin(lo, isfinite(se->lo[i]) ? se->lo[i] : se->y[i]);
			hi = fmax(hi, isfinite(se->hi[i]) ? se->hi[i] : se->y[i]);
		}
		if (c->kind == CHART_STACKED) {
			lo = fmin(lo, sum);
			hi = fmax(hi, sum);
		}
	}
	if (!isfinite(lo) || !isfinite(hi))
		lo = 0, hi = 1;
	*ymin = lo;
	*ymax = hi;
}

int chart_list__add(struct chart_list *l, struct chart *c)
{
	if (!c)
		return -1;
	if (chart__empty(c)) {
		chart__free(c);
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct chart **p = realloc(l->items, cap * sizeof(*p));
		if (!p) {
			chart__free(c);
			return -1;
		}
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = c;
	return 0;
}

void chart_list__free(struct chart_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		chart__free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

double chart__min_positive(const struct chart *c)
{
	double m = INFINITY;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->nx; i++) {
			const struct chart_series *se = &c->series[s];
			if (se->y[i] > 0)
				m = fmin(m, se->y[i]);
			if (se->lo[i] > 0)
				m = fmin(m, se->lo[i]);
		}
	return isfinite(m) ? m : NAN;
}
