/* What `virtbench run` and `virtbench report` write into a results
 * directory next to results.json: the seed's five CSV files (same names,
 * same header lines), CSVs for the families the seed did not have, the
 * charts (gnuplot PNG and SVG, or SVG drawn here without gnuplot) and
 * report.html, one self-contained page. */
#ifndef VB_REPORT_REPORT_H
#define VB_REPORT_REPORT_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"
#include "report/chart.h"

/* The seed's files: name and exact header line, in the seed's order. */
#define REPORT_SEED_CSVS 5
struct report_csv {
	const char *name;
	const char *header;
};
extern const struct report_csv report__seed_csvs[REPORT_SEED_CSVS];

struct report_opts {
	bool no_gnuplot; /* draw the SVG charts here even when gnuplot exists */
	bool quiet;	 /* no warnings on stderr (tests) */
};

/* The five seed CSVs into dir. */
int report__write_seed_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err);
/* The CSVs the seed did not have (boot phases, exits, memory latency,
 * overhead, scale, density) and results.csv with every result. */
int report__write_extra_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err);
/* Builds the report's charts from the results. */
int report__build_charts(const struct vb_result_set *s, struct chart_list *out);
/* Draws charts into dir: <file>.png and <file>.svg through gnuplot, or
 * <file>.svg here when gnuplot is missing or fails on a chart; each
 * chart's png flag tells which happened. */
int report__draw_charts(struct chart_list *l, const char *dir, const struct report_opts *o,
			struct vb_err *err);
/* report.html: host block, verdicts, caveats, tables, embedded charts. */
int report__write_html(const struct vb_result_set *s, const struct chart_list *l, const char *dir,
		       struct vb_err *err);
/* All of the above. */
int report__write_all(const struct vb_result_set *s, const char *dir, const struct report_opts *o,
		      struct vb_err *err);

/* Writes a buffer to dir/name atomically. */
int report__save(const char *dir, const char *name, const struct vb_buf *b, struct vb_err *err);

#endif
