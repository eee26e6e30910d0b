/* Writers for a result set: the aligned human table, CSV (RFC 4180 quoting)
 * and JSON on stdout. The CLI picks one; progress goes to stderr. */
#ifndef VB_CORE_OUTPUT_H
#define VB_CORE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/result.h"

/* A growable string buffer used by the writers. */
struct vb_buf {
	char *data;
	size_t len, cap;
};
int buf__append(struct vb_buf *b, const char *s, size_t n);
int buf__printf(struct vb_buf *b, const char *fmt, ...) VB_PRINTF(2, 3);
void buf__free(struct vb_buf *b);

/* Appends one CSV field with RFC 4180 quoting (quotes when the field holds a
 * comma, quote, CR or LF; doubles inner quotes); text a spreadsheet would
 * take for a formula (=, +, -, @, tab, CR first) gets a leading '. */
int csv__field(struct vb_buf *b, const char *s);
/* Appends a row of fields joined by commas and terminated by CRLF-free "\n". */
int csv__row(struct vb_buf *b, const char *const *fields, size_t n);
/* Formats a double compactly for CSV/table: %.6g, "nan" as empty. */
void fmt__num(char *out, size_t size, double v);
/* Formats a double for people (text tables, HTML): 3 significant digits
 * below 1000 (0.0123, 1.23, 12.3, 123), 4 above, rounded (1235, 12350),
 * no exponent between 1e-4 and 1e15; NaN as empty. Full precision stays in
 * JSON and CSV. */
void fmt__sig(char *out, size_t size, double v);

/* A simple aligned text table. */
struct vb_table {
	size_t ncols, nrows;
	char **cells; /* row-major, (nrows + 1) * ncols including the header */
	bool *right;  /* per column: right-aligned (numbers) */
};
int table__init(struct vb_table *t, const char *const *headers, size_t ncols);
int table__add_row(struct vb_table *t, const char *const *cells);
void table__print(const struct vb_table *t, FILE *f);
void table__free(struct vb_table *t);

/* The standard per-result table: benchmark, platform, config, metric,
 * median [95% CI], overhead [95% CI] (when any result has one), mean ± sd,
 * min…max, n, outliers, note; configuration shared by every result on a
 * line above, numbered notes and the skips under it. */
void output__table(const struct vb_result_set *s, FILE *f);
/* Whole set as JSON on stdout (one document, nothing else). */
int output__json_stdout(const struct vb_result_set *s, struct vb_err *err);
/* All results as one long CSV (one row per result with stats). */
int output__results_csv(const struct vb_result_set *s, struct vb_buf *b);

/* Progress on stderr: one line per step, rewritten in place on a terminal,
 * silent when stderr is not a terminal unless forced. */
void progress__set_enabled(bool on);
void progress__update(const char *label, unsigned i, unsigned n, double elapsed_s, double eta_s);
void progress__done(void);
/* Ends step i of n with what it took: the line stays ("done in 3.2 s"). */
void progress__finish(const char *label, unsigned i, unsigned n, double took_s);
void warn__(const char *fmt, ...) VB_PRINTF(1, 2); /* "virtbench: warning: ..." on stderr */

#endif
