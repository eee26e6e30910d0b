/* The workload core: the same machine code runs natively, in the static
 * container worker and in the freestanding microVM guest. It is freestanding:
 * no libc, no global state; time comes from the clock the platform supplies.
 * Everything a run reports is an integer (counts, bytes, clock ticks): the
 * host turns them into rates, so the guest needs no floating point. */
#ifndef VB_WORKLOAD_H
#define VB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The platform's monotonic clock, in nanoseconds. */
struct wl_clock {
	uint64_t (*now_ns)(void *ctx);
	void *ctx;
};

enum wl_kind {
	WL_NOOP = 0,
	WL_CPU = 1,    /* sysbench cpu: primes by trial division */
	WL_MEMORY = 2, /* sysbench memory: blocks read/written */
	WL_MEMLAT = 3, /* dependent-load pointer chase */
	WL_FAULT = 4,  /* first touch of fresh pages */
	WL_STREAM = 5, /* bandwidth mode: copy/scale/add/triad */
};

/* A job as handed to one thread of a workload. Stop when max_events events
 * are done (0 = no limit) or time_ns has elapsed (0 = no limit). */
struct wl_job {
	uint32_t kind;
	uint32_t thread;  /* index of this thread, 0-based */
	uint32_t threads; /* how many run the same job at once */
	uint32_t flags;
	uint64_t max_events;
	uint64_t time_ns;
	/* cpu */
	uint32_t cpu_max_prime;
	/* memory */
	uint32_t mem_oper;        /* 0 none, 1 read, 2 write */
	uint32_t mem_access_rnd;  /* 0 seq, 1 rnd */
	uint32_t mem_sysbench;    /* 1: sysbench per-event bookkeeping */
	uint64_t mem_block_size;
	uint64_t mem_total_size;  /* this thread's share of the total */
	/* memory buffer, pointer-chase array or region to touch (platform-provided) */
	void *buf;
	uint64_t buf_size;
	uint64_t page_size; /* fault: stride */
};

/* What one thread did. */
struct wl_report {
	uint64_t events;
	uint64_t bytes;      /* bytes moved (memory), touched (fault) */
	uint64_t elapsed_ns;
	uint64_t checksum;   /* a value derived from the work, identical on every platform */
	uint64_t loads;      /* memlat: dependent loads done */
};

#endif
