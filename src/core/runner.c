#include "core/runner.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/output.h"

void runner__defaults(struct vb_run_opts *o)
{
	o->warmup = 1;
	o->iterations = 10;
	o->adaptive = false;
	o->target_rel_ci = 0.02;
	o->max_iterations = 0; /* 0: 10 * iterations */
	o->label = NULL;
}

/* The adaptive stop looks at metric 0 only; it needs a real 95% interval
 * (n >= 6) that is narrower than the target. */
static bool narrow_enough(const struct vb_result *r, double target)
{
	struct vb_stats st;
	stats__compute(r->samples, r->nsamples, &st);
	if (st.ci_level < 0.95 - 1e-9)
		return false;
	double w = stats__rel_ci_halfwidth(&st);
	return !isnan(w) && w <= target;
}

int runner__run(const struct vb_run_opts *o, vb_iteration_fn fn, void *ctx,
		struct vb_result **results, unsigned nmetrics, struct vb_err *err)
{
	if (nmetrics == 0)
		return err__set(err, EINVAL, "runner: no metrics");
	unsigned iterations = o->iterations ? o->iterations : 1;
	unsigned cap = iterations;
	if (o->adaptive) {
		cap = o->max_iterations ? o->max_iterations : 10 * iterations;
		if (cap < iterations)
			cap = iterations;
	}
	double target = o->target_rel_ci > 0 ? o->target_rel_ci : 0.02;
	double *values = calloc(nmetrics, sizeof(*values));
	if (!values)
		return err__set(err, ENOMEM, "runner");
	int rc = 0;
	double t0 = clock__now_s();
	unsigned total = o->warmup + (o->adaptive ? cap : iterations);
	unsigned done = 0;

	for (unsigned w = 0; w < o->warmup; w++) {
		if (interrupt__pending()) {
			rc = err__set(err, EINTR, "interrupted");
			goto out;
		}
		int wrc = fn(ctx, w, true, values, err);
		if (wrc == VB_ITER_CUT_SHORT) {
			rc = err__set(err, EINTR, "interrupted");
			goto out;
		}
		if (wrc < 0) {
			rc = err__wrap(err, "warm-up %u", w + 1);
			goto out;
		}
		done++;
		if (o->label)
			progress__update(o->label, done, total, clock__now_s() - t0,
					 (clock__now_s() - t0) / done * (total - done));
	}
	double tm = clock__now_s();
	for (unsigned i = 0; i < cap; i++) {
		if (interrupt__pending()) {
			rc = err__set(err, EINTR, "interrupted");
			break;
		}
		int irc = fn(ctx, i, false, values, err);
		if (irc < 0) {
			rc = err__wrap(err, "iteration %u", i + 1);
			break;
		}
		for (unsigned m = 0; m < nmetrics; m++) {
			if (result__add_sample(results[m], values[m]) < 0) {
				rc = isfinite(values[m])
					     ? err__set(err, ENOMEM, "iteration %u", i + 1)
					     : err__set(err, 0, "iteration %u: %s is not a finite "
								"number",
							i + 1, results[m]->metric);
				goto finish;
			}
		}
		if (irc == VB_ITER_CUT_SHORT) {
			rc = err__set(err, EINTR, "interrupted");
			break;
		}
		done++;
		unsigned n = i + 1;
		if (o->label) {
			double per = (clock__now_s() - tm) / n;
			unsigned left = (o->adaptive ? cap : iterations) - n;
			progress__update(o->label, done, total, clock__now_s() - t0, per * left);
		}
		if (n >= iterations && (!o->adaptive || narrow_enough(results[0], target)))
			break;
	}
finish:
	/* Finished even on failure or Ctrl-C: what was measured is kept and
	 * reported (an interrupted run is saved as incomplete). */
	for (unsigned m = 0; m < nmetrics; m++)
		result__finish(results[m]);
out:
	if (o->label)
		progress__done();
	free(values);
	return rc;
}
