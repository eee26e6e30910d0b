/* Draws the charts: gnuplot when it is installed (PNG and SVG), else the
 * SVG renderer here, and also when gnuplot fails, so a report never lacks
 * its figures. */
#include <stdio.h>

#include "core/output.h"
#include "report/gnuplot.h"
#include "report/report.h"

static int draw_svg(const struct chart_list *l, const char *dir, struct vb_err *err)
{
	for (size_t i = 0; i < l->n; i++) {
		struct vb_buf b = { 0 };
		char name[96];
		snprintf(name, sizeof(name), "%s.svg", l->items[i]->file);
		if (chart__svg(l->items[i], &b) < 0) {
			buf__free(&b);
			return err__set(err, 12, "%s: out of memory", name);
		}
		int rc = report__save(dir, name, &b, err);
		buf__free(&b);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int report__draw_charts(const struct chart_list *l, const char *dir, const struct report_opts *o,
			bool *gnuplot, struct vb_err *err)
{
	*gnuplot = false;
	if (!o->no_gnuplot && gnuplot__png_terminal()) {
		struct vb_err gerr = { 0 };
		if (gnuplot__render(l, dir, &gerr) == 0) {
			*gnuplot = true;
			return 0;
		}
		if (!o->quiet)
			warn__("plots: %s; drawing SVG charts instead", gerr.msg);
	}
	return draw_svg(l, dir, err);
}
