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
	const char *rule; /* which platform the file holds when several ran */
};
extern const struct report_csv report__seed_csvs[REPORT_SEED_CSVS];

/* Each seed file holds one platform, chosen by its rule, so that two hosts'
 * files mean the same; a copy per platform sits beside it
 * (vm_boot_times.qemu.csv, vm_boot_times.microvm.csv ...). */
#define REPORT_MAX_COPIES 16
/* The platform seed file k holds in s (NULL when none ran). */
const char *report__seed_csv_platform(const struct vb_result_set *s, size_t k);
/* The platforms of seed file k's per-platform copies; returns how many. */
size_t report__seed_csv_copies(const struct vb_result_set *s, size_t k,
			       const char *out[REPORT_MAX_COPIES]);
/* "vm_boot_times.qemu.csv": the name of a copy (the platform slugged). */
void report__seed_csv_copy_name(size_t k, const char *plat, char *out, size_t size);

struct report_opts {
	bool no_gnuplot; /* draw the SVG charts here even when gnuplot exists */
	bool quiet;	 /* no warnings on stderr (tests) */
};

/* Each of these reads the views of a linked set (family__link first). */

/* The five seed CSVs and their per-platform copies into dir. */
int report__write_seed_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err);
/* The CSVs the seed did not have (boot phases, exits, memory latency,
 * overhead, scale, density, disk and net) and results.csv with every
 * result. */
int report__write_extra_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err);
/* io_disk.csv and io_net.csv: name, family and header line. */
struct report_io_csv {
	const char *name;
	enum family fam;
	const char *header;
};
extern const struct report_io_csv report__io_csvs[2];
/* io_disk.csv and io_net.csv (part of report__write_extra_csvs). */
int report__write_io_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err);
/* Builds the report's charts from the results. */
int report__build_charts(const struct vb_result_set *s, struct chart_list *out);
/* The disk and net charts (part of report__build_charts): overhead against
 * native per platform and mode, and latency percentiles. */
int report__io_charts(const struct vb_result_set *s, struct chart_list *out);
/* Draws charts into dir: <file>.png and <file>.svg through gnuplot, or
 * <file>.svg here when gnuplot is missing or fails on a chart; each
 * chart's png flag tells which happened. */
int report__draw_charts(struct chart_list *l, const char *dir, const struct report_opts *o,
			struct vb_err *err);
/* report.html: host block, verdicts, caveats, tables, embedded charts. */
/* report.html's nested-virtualization section; nothing without L2 results. */
int report__nested_html(struct vb_buf *b, const struct vb_result_set *s);
int report__write_html(const struct vb_result_set *s, const struct chart_list *l, const char *dir,
		       struct vb_err *err);
/* All of the above. */
int report__write_all(const struct vb_result_set *s, const char *dir, const struct report_opts *o,
		      struct vb_err *err);

/* Writes a buffer to dir/name atomically. */
int report__save(const char *dir, const char *name, const struct vb_buf *b, struct vb_err *err);

#endif
