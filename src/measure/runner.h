/* Runs a measurement: warm-up iterations that are thrown away, then a fixed
 * number of iterations, or with `adaptive` more iterations until the median's
 * 95% interval is narrower than a target relative half-width or a cap is hit
 * (the dynamic run count of the Phoronix Test Suite). One iteration may yield
 * several metrics (boot phases); metric 0 drives the adaptive stop unless the
 * benchmark brings its own rule. Every benchmark of every platform runs
 * through here, so warm-up, counts, the cap, progress and Ctrl-C mean the
 * same everywhere. */
#ifndef VB_MEASURE_RUNNER_H
#define VB_MEASURE_RUNNER_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"

struct vb_run_opts {
	unsigned warmup;     /* default 1 */
	unsigned iterations; /* fixed count, or the minimum when adaptive */
	bool adaptive;
	double target_rel_ci;	 /* adaptive stop: relative half-width, default 0.02 */
	unsigned max_iterations; /* adaptive cap, default 10 * iterations */
	const char *label;	 /* progress label on stderr, NULL for none */
};

void runner__defaults(struct vb_run_opts *o);

/* One iteration: write one value per metric into values[0..nmetrics). `warmup`
 * tells the callback the values will be discarded; `iteration` counts from 0
 * within the warm-up and again within the measurement. Return
 *   0                  the values are a measurement;
 *   < 0                a failure that ends the run (*err says why);
 *   VB_ITER_CUT_SHORT  Ctrl-C ended it early but the values it wrote are a
 *                      valid measurement of what was done (they are kept,
 *                      then the run ends as interrupted);
 *   VB_ITER_FAILED     this iteration failed (*err says why) but the next one
 *                      may not: the `failed` hook records it, nothing is
 *                      kept, and the run goes on. It still counts towards
 *                      the iterations and the cap, so a run that keeps
 *                      failing ends. */
#define VB_ITER_CUT_SHORT 1
#define VB_ITER_FAILED	  2
typedef int (*vb_iteration_fn)(void *ctx, unsigned iteration, bool warmup, double *values,
			       struct vb_err *err);

struct runner_hooks {
	/* Records an iteration that returned VB_ITER_FAILED (a skip entry, a
	 * warning) and releases what it broke, so that the next iteration
	 * builds it anew. `iteration` counts from 1. NULL: such a failure ends
	 * the run like a negative return. */
	void (*failed)(void *ctx, unsigned iteration, bool warmup, const struct vb_err *why);
	/* The adaptive stop: true once the figures the benchmark exists for are
	 * known to within `target`. Asked after each kept iteration from the
	 * minimum count on. NULL: metric 0's median has a real 95% interval no
	 * wider than target either side. */
	bool (*precise)(void *ctx, struct vb_result *const *results, unsigned nmetrics,
			double target);
};

/* Runs fn and appends the samples to results[0..nmetrics) and finishes them.
 * Stops early with an "interrupted" error on Ctrl-C. A run whose every
 * measured iteration failed (VB_ITER_FAILED) fails with the last reason. */
int runner__run(const struct vb_run_opts *o, vb_iteration_fn fn, void *ctx,
		struct vb_result **results, unsigned nmetrics, struct vb_err *err);
int runner__run_hooked(const struct vb_run_opts *o, const struct runner_hooks *hooks,
		       vb_iteration_fn fn, void *ctx, struct vb_result **results, unsigned nmetrics,
		       struct vb_err *err);

/* The default adaptive stop on one result (exposed for stop rules that
 * combine it). */
bool runner__narrow(const struct vb_result *r, double target);

#endif
