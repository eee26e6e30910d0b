/* Runs a measurement: warm-up iterations that are thrown away, then a fixed
 * number of iterations, or with `adaptive` more iterations until the median's
 * 95% interval is narrower than a target relative half-width or a cap is hit
 * (the dynamic run count of the Phoronix Test Suite). One iteration may yield
 * several metrics (boot phases); metric 0 drives the adaptive stop. */
#ifndef VB_CORE_RUNNER_H
#define VB_CORE_RUNNER_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"

struct vb_run_opts {
	unsigned warmup;      /* default 1 */
	unsigned iterations;  /* fixed count, or the minimum when adaptive */
	bool adaptive;
	double target_rel_ci; /* adaptive stop: relative half-width, default 0.02 */
	unsigned max_iterations; /* adaptive cap, default 10 * iterations */
	const char *label;    /* progress label on stderr, NULL for none */
};

void runner__defaults(struct vb_run_opts *o);

/* One iteration: write one value per metric into values[0..nmetrics). `warmup`
 * tells the callback the values will be discarded. Return < 0 on failure,
 * VB_ITER_CUT_SHORT when Ctrl-C ended it early but the values it wrote
 * are a valid measurement of what was done (they are kept, then the run
 * ends as interrupted). */
#define VB_ITER_CUT_SHORT 1
typedef int (*vb_iteration_fn)(void *ctx, unsigned iteration, bool warmup, double *values,
			       struct vb_err *err);

/* Runs fn and appends the samples to results[0..nmetrics) and finishes them.
 * Stops early with an "interrupted" error on Ctrl-C. */
int runner__run(const struct vb_run_opts *o, vb_iteration_fn fn, void *ctx,
		struct vb_result **results, unsigned nmetrics, struct vb_err *err);

#endif
