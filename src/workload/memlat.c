/* Memory latency: a chase of dependent loads through a random cyclic
 * permutation of the buffer's cache lines. Each load's address comes from
 * the previous load, so neither the prefetchers nor out-of-order execution
 * can hide the latency, and the order covers every line of the working set
 * before it repeats: past the caches and the TLB reach each load pays for a
 * cache miss and, with small pages, a page walk (in a guest, a nested one). */
#include "workload/loop.h"
#include "workload/rand.h"

/* Slots between two looks at the stop flag while building (random swaps
 * over a set of a GiB take seconds). */
#define WL_MEMLAT_BUILD_SLICE (1u << 16)
/* Loads between two looks at it while chasing: a few ms even when every
 * load is a nested page walk. */
#define WL_MEMLAT_CHASE_SLICE (1u << 14)

static int wl_memlat__slice_stop(uint64_t i, const volatile uint32_t *stop)
{
	return (i & (WL_MEMLAT_BUILD_SLICE - 1)) == 0 && stop && *stop;
}

int wl_memlat__build_until(void *buf, uint64_t n, uint64_t stride, uint64_t seed,
			   const volatile uint32_t *stop)
{
	unsigned char *base = buf;
	struct wl_rng rng;
	wl_rng__seed(&rng, seed ? seed : 0x766274u);
	/* Sattolo's algorithm, in place: slot i first holds its own index,
	 * then a swap with a strictly smaller index for i = n-1 .. 1 makes
	 * slot i hold sigma(i) where sigma is a single n-cycle. */
	for (uint64_t i = 0; i < n; i++) {
		if (wl_memlat__slice_stop(i, stop))
			return 1;
		*(uint64_t *)(base + i * stride) = i;
	}
	for (uint64_t i = n - 1; i > 0; i--) {
		if (wl_memlat__slice_stop(i, stop))
			return 1;
		uint64_t j = wl_rng__below(&rng, i);
		uint64_t *pi = (uint64_t *)(base + i * stride);
		uint64_t *pj = (uint64_t *)(base + j * stride);
		uint64_t t = *pi;
		*pi = *pj;
		*pj = t;
	}
	/* Indices to addresses, so that the chase is one load per step. */
	for (uint64_t i = 0; i < n; i++) {
		if (wl_memlat__slice_stop(i, stop))
			return 1;
		uint64_t *p = (uint64_t *)(base + i * stride);
		*p = (uint64_t)(uintptr_t)(base + *p * stride);
	}
	return 0;
}

void wl_memlat__build(void *buf, uint64_t n, uint64_t stride, uint64_t seed)
{
	wl_memlat__build_until(buf, n, stride, seed, 0);
}

int wl_memlat__prepare(const struct wl_job *job)
{
	uint64_t n = job->buf_size / WL_MEMLAT_STRIDE;
	if (!job->buf || !n)
		return 0;
	return wl_memlat__build_until(job->buf, n, WL_MEMLAT_STRIDE,
				      (job->seed ? job->seed : 0x6d656d6c6174ull) + job->thread,
				      job->stop);
}

/* `loads` dependent loads from p, eight per iteration to keep the loop
 * overhead off the measurement (loads is a multiple of 8). */
static void *wl_memlat__chase(void *p, uint64_t loads)
{
	void **q = p;
	for (uint64_t i = 0; i < loads; i += 8) {
		q = *q;
		q = *q;
		q = *q;
		q = *q;
		q = *q;
		q = *q;
		q = *q;
		q = *q;
	}
	return q;
}

/* The buffer must already hold the chain (wl_memlat__build), built by the
 * platform outside the measurement. One event is memlat_loads loads. */
void wl_memlat__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	uint64_t per = job->memlat_loads ? job->memlat_loads : (1u << 20);
	per = (per + 7) & ~7ull;
	if (!job->buf || job->buf_size < 64) {
		out->error = WL_EBUF;
		return;
	}
	void *p = job->buf;
	uint64_t events = 0, reads = 1, part = 0;
	uint64_t start = wl__now(clk), now = start;
	for (;;) {
		now = wl__now(clk);
		reads++;
		if (wl__done(job, events, start, now) ||
		    (!job->max_events && !job->time_ns && events))
			break;
		/* One event in slices (per is a multiple of 8, so is each). */
		for (part = 0; part < per;) {
			uint64_t n = per - part > WL_MEMLAT_CHASE_SLICE ? WL_MEMLAT_CHASE_SLICE
									: per - part;
			p = wl_memlat__chase(p, n);
			part += n;
			if (part < per && wl__stopped(job))
				break;
		}
		if (part < per) {
			/* Stopped inside the event: what was chased still counts,
			 * over the time it took. */
			now = wl__now(clk);
			reads++;
			break;
		}
		events++;
		part = 0;
	}
	out->events = events;
	out->loads = events * per + part;
	out->elapsed_ns = now - start;
	/* Where the chase ended: the same on every platform for the same seed,
	 * working set and load count. */
	out->checksum = (uint64_t)((unsigned char *)p - (unsigned char *)job->buf);
	out->clock_reads = reads;
}
