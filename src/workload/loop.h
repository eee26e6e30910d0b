/* The stop test shared by the workload loops (internal to src/workload). */
#ifndef VB_WORKLOAD_LOOP_H
#define VB_WORKLOAD_LOOP_H

#include "workload/workload.h"

static inline uint64_t wl__now(const struct wl_clock *clk)
{
	return clk->now_ns(clk->ctx);
}

/* True when the job must end before starting event number `done`: the event
 * limit is reached, the time limit has passed or the platform asked to stop.
 * `now` is a fresh clock reading, as sysbench reads its timer before every
 * event. */
static inline int wl__done(const struct wl_job *job, uint64_t done, uint64_t start, uint64_t now)
{
	if (job->max_events && done >= job->max_events)
		return 1;
	if (job->time_ns && now - start >= job->time_ns)
		return 1;
	if (job->stop && *job->stop)
		return 1;
	return 0;
}

/* Between the slices of one long event: the platform's stop flag only (a
 * load, no clock read). Every loop looks at it after a few ms of work at
 * most (tens of ms in the worst case, a page walk per memlat load), so
 * Ctrl-C ends even an event that would take hours; the slices are sized so
 * the test costs nothing measurable. */
static inline int wl__stopped(const struct wl_job *job)
{
	return job->stop && *job->stop;
}

static inline void wl__report_clear(struct wl_report *out)
{
	unsigned char *p = (unsigned char *)out;
	for (uint64_t i = 0; i < sizeof(*out); i++)
		p[i] = 0;
}

void wl_memory__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);
void wl_memlat__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);
void wl_fault__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);
void wl_stream__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);
void wl_clock__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);
void wl_cpu__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);

#endif
