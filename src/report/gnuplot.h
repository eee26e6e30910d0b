/* Charts drawn by gnuplot (PNG and SVG), spawned through proc.h with the
 * script on its stdin: no shell, no temporary script files. */
#ifndef VB_REPORT_GNUPLOT_H
#define VB_REPORT_GNUPLOT_H

#include <stdbool.h>

#include "core/err.h"
#include "core/output.h"
#include "report/chart.h"

/* The PNG terminal this gnuplot has ("pngcairo" or "png"), or NULL when
 * gnuplot is missing or has neither. Probed once, then cached. */
const char *gnuplot__png_terminal(void);
/* Appends the commands that draw c to dir/<file>.png and dir/<file>.svg. */
int gnuplot__script(const struct chart *c, const char *png_term, const char *dir,
		    struct vb_buf *out);
/* Draws one chart (one gnuplot process, so a failure costs one chart). */
int gnuplot__render(const struct chart *c, const char *dir, struct vb_err *err);
/* Draws every chart of the list in one gnuplot process (gnuplot starts in
 * a fraction of a second, a dozen starts add up); -1 if any failed. */
int gnuplot__render_all(const struct chart_list *l, const char *dir, struct vb_err *err);

#endif
