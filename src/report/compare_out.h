/* What `virtbench compare` prints and writes: the terminal table, one JSON
 * document, compare.csv, the side-by-side charts and compare.html. */
#ifndef VB_REPORT_COMPARE_OUT_H
#define VB_REPORT_COMPARE_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "report/chart.h"
#include "report/compare.h"
#include "report/report.h"

/* Human names of a verdict for tables and CSV. */
const char *compare__verdict_name(enum cmp_verdict v);
/* A row's B/A and its difference with interval, for people (3-4
 * significant digits, no interval where a side has one sample): "-" when
 * there is none. */
void compare__cell_ratio(const struct cmp_row *row, char *out, size_t size);
void compare__cell_diff(const struct cmp_row *row, char *out, size_t size);
/* Rows, one-sided rows and the summary, aligned, for a terminal. */
void compare__print(const struct cmp_report *rep, FILE *f);
/* The results that carry a warning, per input ("A: results[3] ...: ..."). */
void compare__print_warnings(const struct cmp_report *rep, FILE *f);
int compare__csv(const struct cmp_report *rep, struct vb_buf *b);
json_t *compare__json(const struct cmp_report *rep);
/* Side-by-side charts: each set is a series. */
int compare__charts(const struct cmp_report *rep, struct chart_list *l);
int compare__html(const struct cmp_report *rep, const struct chart_list *l, const char *dir,
		  struct vb_buf *b);
/* compare.csv, the charts and compare.html into dir. */
int compare__write(const struct cmp_report *rep, const char *dir, const struct report_opts *o,
		   struct vb_err *err);

#endif
