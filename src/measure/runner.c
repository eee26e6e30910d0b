#include "measure/runner.h"

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

/* It needs a real 95% interval (n >= 6) that is narrower than the target. */
bool runner__narrow(const struct vb_result *r, double target)
{
	struct vb_stats st;
	stats__compute(r->samples, r->nsamples, &st);
	if (st.ci_level < 0.95 - 1e-9)
		return false;
	double w = stats__rel_ci_halfwidth(&st);
	return !isnan(w) && w <= target;
}

struct run {
	const struct vb_run_opts *o;
	const struct runner_hooks *h;
	vb_iteration_fn fn;
	void *ctx;
	struct vb_result **results;
	unsigned nmetrics;
	double *values;
	unsigned iterations, cap, total; /* total: warm-up + cap, for progress */
	unsigned done, kept, failed;
	double target, t0, t_measure;
	struct vb_err last; /* the last failed iteration's reason */
};

static void run__plan(struct run *r)
{
	const struct vb_run_opts *o = r->o;
	r->iterations = o->iterations ? o->iterations : 1;
	r->cap = r->iterations;
	if (o->adaptive) {
		r->cap = o->max_iterations ? o->max_iterations : 10 * r->iterations;
		if (r->cap < r->iterations)
			r->cap = r->iterations;
	}
	r->total = o->warmup + r->cap;
	r->target = o->target_rel_ci > 0 ? o->target_rel_ci : 0.02;
}

static void run__progress(struct run *r, unsigned measured)
{
	r->done++;
	if (!r->o->label)
		return;
	double now = clock__now_s();
	double left;
	if (measured) {
		double per = (now - r->t_measure) / measured;
		left = per * (r->cap - measured);
	} else {
		left = (now - r->t0) / r->done * (r->total - r->done);
	}
	progress__update(r->o->label, r->done, r->total, now - r->t0, left);
}

/* One call of fn. Returns its answer; a VB_ITER_FAILED one has been handed
 * to the hook (or, without one, turned into a failure in *err). */
static int run__call(struct run *r, unsigned i, bool warmup, struct vb_err *err)
{
	struct vb_err e = { 0 };
	int rc = r->fn(r->ctx, i, warmup, r->values, &e);
	if (rc == VB_ITER_FAILED && r->h && r->h->failed && !interrupt__pending()) {
		r->failed++;
		r->last = e;
		r->h->failed(r->ctx, i + 1, warmup, &e);
		return rc;
	}
	if (rc == VB_ITER_FAILED)
		rc = -1;
	if (rc != 0)
		*err = e;
	return rc;
}

static int run__warm_up(struct run *r, struct vb_err *err)
{
	for (unsigned w = 0; w < r->o->warmup; w++) {
		if (interrupt__pending())
			return err__set(err, EINTR, "interrupted");
		int rc = run__call(r, w, true, err);
		if (rc == VB_ITER_CUT_SHORT)
			return err__set(err, EINTR, "interrupted");
		if (rc < 0)
			return err__wrap(err, "warm-up %u", w + 1);
		run__progress(r, 0);
	}
	return 0;
}

static int run__keep(struct run *r, unsigned i, struct vb_err *err)
{
	for (unsigned m = 0; m < r->nmetrics; m++) {
		if (result__add_sample(r->results[m], r->values[m]) == 0)
			continue;
		if (isfinite(r->values[m]))
			return err__set(err, ENOMEM, "iteration %u", i + 1);
		return err__set(err, 0, "iteration %u: %s is not a finite number", i + 1,
				r->results[m]->metric);
	}
	r->kept++;
	return 0;
}

static bool run__enough(struct run *r)
{
	if (r->kept < r->iterations)
		return false;
	if (!r->o->adaptive)
		return true;
	if (r->h && r->h->precise)
		return r->h->precise(r->ctx, r->results, r->nmetrics, r->target);
	return runner__narrow(r->results[0], r->target);
}

static int run__measure(struct run *r, struct vb_err *err)
{
	r->t_measure = clock__now_s();
	for (unsigned i = 0; i < r->cap; i++) {
		if (interrupt__pending())
			return err__set(err, EINTR, "interrupted");
		int rc = run__call(r, i, false, err);
		if (rc < 0)
			return err__wrap(err, "iteration %u", i + 1);
		if (rc != VB_ITER_FAILED && run__keep(r, i, err) < 0)
			return -1;
		if (rc == VB_ITER_CUT_SHORT)
			return err__set(err, EINTR, "interrupted");
		run__progress(r, i + 1);
		if (run__enough(r))
			break;
	}
	if (r->kept == 0 && r->failed) {
		*err = r->last; /* nothing measured: the failure is the result */
		return err__wrap(err, "every iteration failed; the last");
	}
	return 0;
}

int runner__run_hooked(const struct vb_run_opts *o, const struct runner_hooks *hooks,
		       vb_iteration_fn fn, void *ctx, struct vb_result **results, unsigned nmetrics,
		       struct vb_err *err)
{
	if (nmetrics == 0)
		return err__set(err, EINVAL, "runner: no metrics");
	struct run r = {
		.o = o, .h = hooks, .fn = fn, .ctx = ctx, .results = results, .nmetrics = nmetrics
	};
	run__plan(&r);
	r.values = calloc(nmetrics, sizeof(*r.values));
	if (!r.values)
		return err__set(err, ENOMEM, "runner");
	r.t0 = clock__now_s();
	int rc = run__warm_up(&r, err);
	if (rc == 0) {
		rc = run__measure(&r, err);
		/* Finished even on failure or Ctrl-C: what was measured is
		 * kept and reported (an interrupted run is saved as
		 * incomplete). */
		for (unsigned m = 0; m < nmetrics; m++)
			result__finish(results[m]);
	}
	if (o->label)
		progress__done();
	free(r.values);
	return rc;
}

int runner__run(const struct vb_run_opts *o, vb_iteration_fn fn, void *ctx,
		struct vb_result **results, unsigned nmetrics, struct vb_err *err)
{
	return runner__run_hooked(o, NULL, fn, ctx, results, nmetrics, err);
}
