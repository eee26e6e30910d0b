/* The cost of one clock read natively (clock_gettime(CLOCK_MONOTONIC)
 * through the vDSO), the same read sysbench makes three times per event. */
#include <errno.h>
#include <stdlib.h>

#include "native/bench.h"

struct clock_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
};

static int clock_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct clock_ctx *c = arg;
	for (unsigned i = 0; i < c->o->threads; i++)
		c->jobs[i] = (struct wl_job){
			.kind = WL_CLOCK,
			.thread = i,
			.threads = c->o->threads,
			.max_events = native__share(c->o->events, c->o->threads, i),
			.time_ns = (uint64_t)(c->o->time_s * 1e9),
		};
	struct rates s;
	if (native__run_summary(WL_CLOCK, c->jobs, c->o->threads, &s, err) < 0)
		return -1;
	values[0] = s.clock_read_ns;
	return 0;
}

int native__bench_clock(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct clock_ctx c = { .o = o, .jobs = calloc(o->threads, sizeof(struct wl_job)) };
	struct vb_result *r =
		native__result("clock", "clock_read_ns", "ns", false, o->threads, err);
	if (!c.jobs || !r) {
		free(c.jobs);
		result__free(r);
		return err__set(err, ENOMEM, "clock");
	}
	result__set_config(r, "clock", "CLOCK_MONOTONIC");
	int rc = runner__run(&o->run, clock_iteration, &c, &r, 1, err);
	free(c.jobs);
	return native__finish(out, &r, 1, rc, "native clock", err);
}
