/* Internal to src/native: what the per-workload benchmarks share. */
#ifndef VB_NATIVE_BENCH_H
#define VB_NATIVE_BENCH_H

#include "native/native.h"
#include "measure/rates.h"

/* Thread i's share of `total` spread over n threads (0 stays 0). */
uint64_t native__share(uint64_t total, unsigned n, unsigned i);
/* A new result of platform "native" with "threads" and the build in its
 * config. NULL on allocation failure (err set). */
struct vb_result *native__result(const char *benchmark, const char *metric, const char *unit,
				 bool higher_is_better, unsigned threads, struct vb_err *err);
/* Moves results[0..n) into the set (NULLs skipped); frees them on failure. */
int native__keep(struct vb_result_set *out, struct vb_result **results, unsigned n,
		 struct vb_err *err);
void native__drop(struct vb_result **results, unsigned n);
/* After runner__run: on success or Ctrl-C the results go into the set (an
 * interrupted set is marked incomplete and the error still returned); on
 * any other failure they are dropped. */
int native__finish(struct vb_result_set *out, struct vb_result **results, unsigned n, int rc,
		   const char *what, struct vb_err *err);
/* Human size: 4K, 2M, 1G or bytes. */
void native__size_str(char *out, size_t size, uint64_t bytes);
/* The native side of the one rate computation: the rates of the reports
 * of a run whose own outcome was run_rc (native__run_jobs); with `partial`,
 * a run Ctrl-C cut short after every thread measured something gives its
 * rates and VB_ITER_CUT_SHORT. */
int native__rates(uint32_t kind, const struct wl_report *reps, unsigned n, int run_rc, bool partial,
		  struct rates *s, struct vb_err *err);
/* Runs jobs on n threads and sums them up. */
/* As native__run_summary, for an iteration that Ctrl-C may cut short (one
 * memlat event can take minutes): when every thread measured something, the
 * summary of what was done is filled and VB_ITER_CUT_SHORT returned. */
int native__run_summary_partial(uint32_t kind, struct wl_job *jobs, unsigned n, struct rates *s,
				struct vb_err *err);
int native__run_summary(uint32_t kind, struct wl_job *jobs, unsigned n, struct rates *s,
			struct vb_err *err);

#endif
