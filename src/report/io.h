/* The disk and network results as the report reads them: what one result
 * measured (test, queue depth, block or message size, mode), which way its
 * metric is better, and the workload table after Felter et al. ("An
 * updated performance comparison of virtual machines and Linux
 * containers", IBM 2014): one row per workload, native first, then one
 * column per platform and mode that ran or was skipped. Nothing here
 * knows a platform or a mode by name: a new runtime, a QEMU storage or
 * network mode shows up as one more column. Mode strings come from the
 * results file and are untrusted: the writers escape them. */
#ifndef VB_REPORT_IO_H
#define VB_REPORT_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/output.h"
#include "core/result.h"

/* r is a disk or net result (r->view, family__link first). */
bool io__is(const struct vb_result *r);
/* The result's mode, test ("" when absent); depth and block size (disk)
 * or message size (net), NaN when absent. */
const char *io__mode(const struct vb_result *r);
const char *io__test(const struct vb_result *r);
double io__depth(const struct vb_result *r);
double io__size(const struct vb_result *r);
/* Whether a higher value of metric is better: throughput and rates (MiB/s,
 * IOPS, Gbit/s, transactions/s) yes, latencies no; a metric not of the
 * I/O benchmarks keeps `otherwise` (the file's own flag). */
bool io__higher_is_better(const char *metric, bool otherwise);
/* "rand_read QD32 4 KiB", "tcp_rr 64 B", "seq_read": the workload of r. */
void io__workload(const struct vb_result *r, char *out, size_t size);
/* Whether r is a native figure from a run of its own ("disk",
 * "native.net"), not one interleaved with a platform's. */
bool io__plain_native(const struct vb_result *r);
/* The keys a result's native baseline is found by: the metric, the test,
 * depth and size, and the benchmark (same_benchmark: the native run
 * interleaved with the platform's, against which the producer measured
 * the overhead) or only its kind (disk, net); never the mode or the
 * platform. False for a result that is not disk or net. */
bool io__baseline_key(const struct vb_result *r, bool same_benchmark, char *out, size_t size);

/* A skip names its benchmark and platform; a skip of one mode says so at
 * the start of its reason ("veth mode: creating the pair needs root").
 * Writes that mode ("" when the skip is of every mode); false when s is
 * not a skip of a disk or net benchmark. */
bool io__skip_mode(const struct vb_skip *k, char *mode, size_t size);

/* ---- the Felter table ---- */
struct io_row {
	const char *label; /* "Random read 4K QD1 (IOPS)" */
	enum family fam;   /* FAM_DISK, FAM_NET */
	const char *test;
	unsigned depth; /* 0: any */
	unsigned size;	/* block or message bytes; 0: any */
	const char *metric;
};
extern const struct io_row io__rows[];
extern const size_t io__nrows;

#define IO_MAX_COLS 16
struct io_col {
	char platform[32];
	char mode[128];
	bool native;	     /* the first column: every native result of the family */
	bool emulated;	     /* one of its results is (QEMU under TCG) */
	const char *skipped; /* no result: the reason of the skip that made it */
};
struct io_table {
	enum family fam;
	struct io_col col[IO_MAX_COLS];
	size_t ncols;
	bool truncated; /* more platforms and modes than columns */
};

/* The columns of family fam's table: native (always), then each platform
 * and mode in the order they appear in the results, then those only a
 * skip names. */
void io__table(const struct vb_result_set *s, enum family fam, struct io_table *t);
/* Whether s holds any result or skip of fam. */
bool io__any(const struct vb_result_set *s, enum family fam);
/* The result of row w in column c, or NULL. */
const struct vb_result *io__cell(const struct vb_result_set *s, const struct io_row *w,
				 const struct io_col *c);
/* The result in row w, column c of t. The native column holds the native
 * run every platform of the row was measured against when they share one
 * (the run a benchmark interleaved with theirs), so that a row's overheads
 * read against its native cell; else the native benchmark's own run. */
const struct vb_result *io__table_cell(const struct vb_result_set *s, const struct io_row *w,
				       const struct io_table *t, size_t c);
/* Why column c has no result for row w: the reason of a skip of its
 * platform (and its mode, or of every mode), else NULL. */
const char *io__why_missing(const struct vb_result_set *s, const struct io_row *w,
			    const struct io_col *c);
/* "4.21 µs" and, unless r is native, its overhead "+3.2% [+1.0, +5.1]"
 * (positive: worse than native), "" when r has none. */
void io__value(const struct vb_result *r, char *out, size_t size);
void io__overhead(const struct vb_result *r, char *out, size_t size);
/* "container-builtin overlay", with " (emulated)" when c is. */
void io__col_title(const struct io_col *c, char *out, size_t size);

/* The tables as HTML (every string escaped) and as text for a terminal
 * (control characters of the file shown as '?'); nothing when s holds no
 * disk or net result or skip. */
int io__html(struct vb_buf *b, const struct vb_result_set *s);
void io__print(const struct vb_result_set *s, FILE *f);
/* The I/O line of "At a glance": per platform and mode, in how many of the
 * table's workloads it is worse or better than native (the interval of the
 * overhead clear of zero) and its largest overhead; with no platform but
 * native, native's figures by workload. */
struct text_out;
void io__verdict(const struct vb_result_set *s, enum family fam, struct text_out *l);

#endif
