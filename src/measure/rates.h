/* Rates from workload reports, computed by this one function for every
 * platform (native, microVM guest, container, QEMU guest), so that figures
 * from different platforms compare like with like. The rules follow
 * sysbench 1.0:
 *   - a run lasts as long as its slowest thread (sysbench's time_interval is
 *     the wall time from the start barrier to the last join);
 *   - events/s = all events / that time; per thread = that / threads;
 *   - MiB/s = bytes / 2^20 / that time; ops/s = events / that time.
 * Latency-like figures (ns per load, ns per page, clock read) are total thread
 * time over total count, i.e. the mean cost per item seen by one thread.
 *
 * Reports that arrive one by one (from a worker in a container or a QEMU
 * guest) go through a batch, which takes each thread's report exactly once
 * per run and never one left over from an earlier run. */
#ifndef VB_MEASURE_RATES_H
#define VB_MEASURE_RATES_H

#include <stdint.h>

#include "core/err.h"
#include "workload/workload.h"

struct rates {
	unsigned threads;
	uint64_t events, bytes, loads, clock_reads;
	uint64_t checksum;			   /* thread 0's (cpu: every thread's) */
	double seconds;				   /* wall time: the slowest thread */
	double events_per_sec;			   /* all threads */
	double events_per_sec_thread;		   /* events_per_sec / threads */
	double ops_per_sec;			   /* memory: operations (blocks) per second */
	double mib_per_sec;			   /* bytes / 2^20 / seconds */
	double gib_per_sec;			   /* bytes / 2^30 / seconds (fault) */
	double gb_per_sec;			   /* bytes / 1e9 / seconds (stream) */
	double ns_per_load;			   /* memlat */
	double ns_per_page;			   /* fault: per page of the job's page_size */
	double clock_read_ns;			   /* clock */
	double lat_avg_ms, lat_min_ms, lat_max_ms; /* memory --mode sysbench */
};

/* Fills *out from the reports of one run of `kind` on n threads, thread i's
 * at reports[i]. Fails when a report carries an error, when nothing ran or
 * no time passed, and for cpu when the threads' checksums (the prime count
 * of an event) disagree. */
int rates__from_reports(uint32_t kind, const struct wl_report *reports, unsigned n,
			struct rates *out, struct vb_err *err);

/* The workload core's error code in words. */
const char *rates__error_str(uint32_t error);

/* The reports of one run on `threads` threads as they arrive. */
struct rates_batch {
	uint32_t kind;
	unsigned threads;
	uint64_t run;		/* the run being collected, from 1 */
	struct wl_report *reps; /* [threads] */
	uint64_t *from;		/* [threads]: the run each report came from, 0 none */
};

int rates_batch__init(struct rates_batch *b, uint32_t kind, unsigned threads, struct vb_err *err);
void rates_batch__free(struct rates_batch *b);
/* Starts the next run: whatever the last one left counts for nothing. */
void rates_batch__begin(struct rates_batch *b);
/* Takes thread `thread`'s report of the current run. Refuses a thread
 * outside the run and a second report of the same thread. */
int rates_batch__add(struct rates_batch *b, uint32_t thread, const struct wl_report *rep,
		     struct vb_err *err);
/* rates__from_reports of the current run, once every thread has reported in
 * it; names the first thread that has not (or whose only report is from an
 * earlier run). */
int rates__from_batch(const struct rates_batch *b, struct rates *out, struct vb_err *err);

#endif
