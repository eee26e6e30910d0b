/* The cost of one read of the platform clock. sysbench reads the clock three
 * times per event, and how much that costs differs between a host (vDSO), a
 * guest (paravirtual clock, TSC, or a trap) and a container, so it is a
 * result of its own. One event is 1024 reads in a row. */
#include "workload/loop.h"

void wl_clock__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	uint64_t events = 0, acc = 0;
	uint64_t start = wl__now(clk), now = start;
	for (;;) {
		now = wl__now(clk);
		if (wl__done(job, events, start, now) ||
		    (!job->max_events && !job->time_ns && events))
			break;
		for (int i = 0; i < 1023; i++)
			acc += wl__now(clk);
		events++;
	}
	out->events = events;
	out->elapsed_ns = now - start;
	out->clock_reads = events * 1024 + 1;
	out->checksum = acc & 1; /* keeps the reads; meaningless otherwise */
}
