/* Rates from workload reports, computed one way for every platform (native,
 * microVM guest, container, QEMU guest), so that figures from different
 * platforms compare like with like. The rules follow sysbench 1.0:
 *   - a run lasts as long as its slowest thread (sysbench's time_interval is
 *     the wall time from the start barrier to the last join);
 *   - events/s = all events / that time; per thread = that / threads;
 *   - MiB/s = bytes / 2^20 / that time; ops/s = events / that time.
 * Latency-like figures (ns per load, ns per page, clock read) are total thread
 * time over total count, i.e. the mean cost per item seen by one thread. */
#ifndef VB_NATIVE_SUMMARY_H
#define VB_NATIVE_SUMMARY_H

#include <stdint.h>

#include "core/err.h"
#include "workload/workload.h"

struct wl_summary {
	unsigned threads;
	uint64_t events, bytes, loads, clock_reads;
	double seconds;               /* wall time: the slowest thread */
	double events_per_sec;        /* all threads */
	double events_per_sec_thread; /* events_per_sec / threads */
	double ops_per_sec;           /* memory: operations (blocks) per second */
	double mib_per_sec;           /* bytes / 2^20 / seconds */
	double gib_per_sec;           /* bytes / 2^30 / seconds (fault) */
	double gb_per_sec;            /* bytes / 1e9 / seconds (stream) */
	double ns_per_load;           /* memlat */
	double ns_per_page;           /* fault: per page of the job's page_size */
	double clock_read_ns;         /* clock */
	double lat_avg_ms, lat_min_ms, lat_max_ms; /* memory --mode sysbench */
};

/* Fills *out from n thread reports of one run of `kind`. Fails (usage-free
 * failure) when a report carries an error, when nothing ran or no time
 * passed. */
int wl_summary__from_reports(uint32_t kind, const struct wl_report *reports, unsigned n,
			     struct wl_summary *out, struct vb_err *err);

/* The workload core's error code in words. */
const char *wl_error__str(uint32_t error);

#endif
