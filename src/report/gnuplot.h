/* Charts drawn by gnuplot (PNG and SVG), spawned through proc.h. Results
 * files come from other machines, so gnuplot never sees one of their
 * strings where it could expand it: the numbers go through data files, the
 * labels are single-quoted, and paths are not in the script at all. */
#ifndef VB_REPORT_GNUPLOT_H
#define VB_REPORT_GNUPLOT_H

#include <stdbool.h>

#include "core/err.h"
#include "core/output.h"
#include "report/chart.h"

/* The PNG terminal this gnuplot has ("pngcairo" or "png"), or NULL when
 * gnuplot is missing or has neither. Probed once, then cached. */
const char *gnuplot__png_terminal(void);
/* Appends to script the commands that draw c into <file>.png and
 * <file>.svg from the numbers appended to data (to be saved as <file>.dat),
 * every name relative to gnuplot's working directory. */
int gnuplot__script(const struct chart *c, const char *png_term, struct vb_buf *script,
		    struct vb_buf *data);
/* Draws one chart (one gnuplot process, so a failure costs one chart) into
 * dir/<file>.png and dir/<file>.svg, through a private directory in dir. */
int gnuplot__render(struct chart *c, const char *dir, struct vb_err *err);
/* Draws every chart of the list in one gnuplot process (gnuplot starts in
 * a fraction of a second, a dozen starts add up); -1 if any failed. */
int gnuplot__render_all(const struct chart_list *l, const char *dir, struct vb_err *err);

#endif
