/* Draws the charts: gnuplot when it is installed (PNG and SVG), else the
 * SVG renderer here, and also when gnuplot fails, so a report never lacks
 * its figures. */
#include <errno.h>
#include <stdio.h>

#include "core/output.h"
#include "report/gnuplot.h"
#include "report/report.h"

static int draw_svg(struct chart *c, const char *dir, struct vb_err *err)
{
	struct vb_buf b = { 0 };
	char name[96];
	snprintf(name, sizeof(name), "%s.svg", c->file);
	c->png = false;
	if (chart__svg(c, &b) < 0) {
		buf__free(&b);
		return err__set(err, ENOMEM, "%s: out of memory", name);
	}
	int rc = report__save(dir, name, &b, err);
	buf__free(&b);
	return rc;
}

int report__draw_charts(struct chart_list *l, const char *dir, const struct report_opts *o,
			struct vb_err *err)
{
	bool gnuplot = !o->no_gnuplot && gnuplot__png_terminal();
	if (gnuplot) {
		struct vb_err gerr = { 0 };
		if (gnuplot__render_all(l, dir, &gerr) == 0) {
			for (size_t i = 0; i < l->n; i++)
				l->items[i]->png = true;
			return 0;
		}
		/* One chart gnuplot rejects must not cost the others: redo them
		 * one by one. */
	}
	for (size_t i = 0; i < l->n; i++) {
		struct chart *c = l->items[i];
		if (gnuplot) {
			struct vb_err gerr = { 0 };
			if (gnuplot__render(c, dir, &gerr) == 0) {
				c->png = true;
				continue;
			}
			if (!o->quiet)
				warn__("%s; drawing that chart as SVG instead", gerr.msg);
		}
		if (draw_svg(c, dir, err) < 0)
			return -1;
	}
	return 0;
}
