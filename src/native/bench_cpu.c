/* sysbench cpu, natively: one iteration is one sysbench run (--time seconds
 * or --events events over all threads). */
#include <errno.h>
#include <stdlib.h>

#include "native/bench.h"

struct cpu_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
};

static int cpu_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct cpu_ctx *c = arg;
	const struct native_opts *o = c->o;
	for (unsigned i = 0; i < o->threads; i++) {
		c->jobs[i] = (struct wl_job){
			.kind = WL_CPU,
			.thread = i,
			.threads = o->threads,
			.max_events = native__share(o->events, o->threads, i),
			.time_ns = (uint64_t)(o->time_s * 1e9),
			.cpu_max_prime = o->cpu_max_prime,
		};
	}
	struct rates s;
	if (native__run_summary(WL_CPU, c->jobs, o->threads, &s, err) < 0)
		return -1;
	values[0] = s.events_per_sec;
	values[1] = s.events_per_sec_thread;
	return 0;
}

int native__bench_cpu(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct vb_result *r[2] = {
		native__result("cpu", "events_per_sec", "events/s", true, o->threads, err),
		native__result("cpu", "events_per_sec_per_thread", "events/s", true, o->threads,
			       err),
	};
	struct cpu_ctx c = { .o = o, .jobs = calloc(o->threads, sizeof(struct wl_job)) };
	if (!r[0] || !r[1] || !c.jobs) {
		native__drop(r, 2);
		free(c.jobs);
		return err__set(err, ENOMEM, "cpu");
	}
	for (int i = 0; i < 2; i++) {
		result__set_config(r[i], "cpu_max_prime", "%u", o->cpu_max_prime);
		result__set_config(r[i], "time", "%g", o->time_s);
		result__set_config(r[i], "events", "%llu", (unsigned long long)o->events);
		/* sysbench's double-precision loop bound, or integers without FP. */
		result__set_config(r[i], "cpu_loop", "%s",
				   wl_cpu__uses_fp() ? "double" : "integer");
	}
	int rc = runner__run(&o->run, cpu_iteration, &c, r, 2, err);
	free(c.jobs);
	return native__finish(out, r, 2, rc, "native cpu", err);
}
