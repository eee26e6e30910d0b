/* Pieces of the self-contained HTML pages (report.html, compare.html): the
 * style, host blocks side by side, result tables and charts embedded as
 * data: URIs, so a page opens anywhere without fetching anything. */
#ifndef VB_REPORT_HTML_H
#define VB_REPORT_HTML_H

#include <jansson.h>
#include <stdbool.h>

#include "core/output.h"
#include "core/result.h"
#include "report/chart.h"

int html__begin(struct vb_buf *b, const char *title);
int html__end(struct vb_buf *b);
/* Escaped text. */
int html__text(struct vb_buf *b, const char *s);
/* <td>text</td>, escaped. */
int html__td(struct vb_buf *b, const char *s);
/* <h2 id=...>title</h2> */
int html__h2(struct vb_buf *b, const char *id, const char *title);
/* One table, a column per host: the fields of hostview__fields. */
int html__hosts(struct vb_buf *b, const json_t *const *hosts, const char *const *labels, size_t n);
/* Embeds dir/<file>.png (when drawn by gnuplot) or dir/<file>.svg. */
int html__chart(struct vb_buf *b, const char *dir, const struct chart *c);
/* The table of results: median with interval, mean ± sd, range, n,
 * outliers, overhead, note. */
int html__results_table(struct vb_buf *b, const struct vb_result_set *s,
			const struct vb_result *const *rows, size_t n);

#endif
