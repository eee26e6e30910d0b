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
	WL_CLOCK = 6,  /* cost of one read of the platform clock */
	/* Run by the static worker and natively, never by this core (they need
	 * a kernel): src/worker/io.h. */
	WL_DISK = 7, /* a disk test on a file in io_dir */
	WL_NET = 8,  /* a TCP test against a peer */
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
	uint32_t mem_oper;	 /* enum wl_mem_oper: 0 none, 1 read, 2 write */
	uint32_t mem_access_rnd; /* 0 seq, 1 rnd */
	uint32_t mem_sysbench;	 /* 1: sysbench per-event bookkeeping */
	uint64_t mem_block_size;
	uint64_t mem_total_size; /* this thread's share of the total */
	/* memory buffer, pointer-chase array or region to touch (platform-provided) */
	void *buf;
	uint64_t buf_size;
	uint64_t page_size; /* fault: stride */
	/* Added after the first version; zero means the default. */
	const volatile uint32_t *stop; /* platform sets *stop != 0 to end early (Ctrl-C) */
	uint64_t *hist;		       /* memory --mode sysbench: WL_HIST_SLOTS * WL_HIST_SIZE
			     * zeroed counters shared by all threads. Provide it:
			     * with NULL the atomic update (part of what sysbench
			     * costs) is left out and figures are not comparable */
	uint32_t stream_kernel;	       /* stream: enum wl_stream_kernel */
	uint32_t mem_scope_local;      /* memory: informational, buf is per thread */
	uint64_t memlat_loads;	       /* memlat: dependent loads per event (0 = 1M) */
	uint64_t seed;		       /* memlat: permutation seed (0 = fixed default);
				 * memory rnd: random offsets */
	/* disk, net (src/worker/io.h: struct io_params); disk with io_test 0
	 * makes the test file of io_file_size bytes in io_dir, or removes it
	 * when io_file_size is 0. */
	uint32_t io_test, io_depth, io_direct, io_port;
	uint64_t io_block, io_file_size, io_max_bytes;
	uint32_t io_peer;   /* IPv4, host order */
	const char *io_dir; /* not sent as a pointer: the record's io_dir token */
	uint32_t io_dev;    /* disk: what io_dir names (src/worker/io.h: enum io_dev) */
};

/* What one thread did. */
struct wl_report {
	uint64_t events;
	uint64_t bytes; /* bytes moved (memory), touched (fault) */
	uint64_t elapsed_ns;
	uint64_t checksum; /* a value derived from the work, identical on every platform */
	uint64_t loads;	   /* memlat: dependent loads done */
	/* Added after the first version. */
	uint64_t lat_sum_ns; /* memory --mode sysbench: summed per-event latency */
	uint64_t lat_min_ns, lat_max_ns;
	uint64_t clock_reads; /* clock reads made inside the measured loop */
	uint32_t error;	      /* enum wl_error, 0 = ok */
	uint32_t pad_;
	/* disk, net: latency percentiles of the operations (events), the
	 * blocks read back wrong, whether O_DIRECT was used, the engine. */
	uint64_t lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_p999_ns;
	uint64_t io_bad_blocks;
	uint32_t io_direct, io_engine;
};

enum wl_mem_oper { WL_MEM_NONE = 0, WL_MEM_READ = 1, WL_MEM_WRITE = 2 };

enum wl_stream_kernel {
	WL_STREAM_COPY = 0,  /* c = a */
	WL_STREAM_SCALE = 1, /* b = k * c */
	WL_STREAM_ADD = 2,   /* c = a + b */
	WL_STREAM_TRIAD = 3, /* a = b + k * c */
};

enum wl_error {
	WL_OK = 0,
	WL_EKIND = 1, /* unknown kind */
	WL_EARG = 2,  /* a parameter out of range for this kind */
	WL_EBUF = 3,  /* buf missing or too small */
};

/* The flag bits of wl_job.flags. */
#define WL_F_NONE     0u

/* sysbench's latency histogram: 128 slots of 1024 counters (1 MiB) shared by
 * all threads; every event bumps one counter of a random slot atomically. */
#define WL_HIST_SLOTS 128
#define WL_HIST_SIZE  1024

/* Runs one thread's share of a job. Dispatches on job->kind. */
void wl__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out);

/* cpu: one sysbench event: counts the primes in [3, max_prime) exactly as
 * sysbench's cpu test does (so 1228 for the default 10000). */
uint64_t wl_cpu__event(uint32_t max_prime);
/* 1 when the cpu loop compares in double precision as sysbench does, 0 when
 * this build has no floating point and compares in integers. */
int wl_cpu__uses_fp(void);
/* floor(sqrt(x)), exact for every 64-bit x (no floating point). */
uint64_t wl__isqrt(uint64_t x);

/* memlat: lays a random single-cycle permutation (Sattolo) over n slots of
 * `stride` bytes each in buf, every slot holding the address of the next. */
void wl_memlat__build(void *buf, uint64_t n, uint64_t stride, uint64_t seed);
/* The same, ending early (1, the chain then unusable) once *stop != 0;
 * 0 when the chain is complete. stop may be NULL. */
int wl_memlat__build_until(void *buf, uint64_t n, uint64_t stride, uint64_t seed,
			   const volatile uint32_t *stop);
/* memlat, the way every platform should build the chain (outside the
 * measurement, before wl__run): one slot per cache line (WL_MEMLAT_STRIDE)
 * over job->buf_size bytes of job->buf, seed from job->seed and job->thread.
 * job->page_size is the page size of the buffer, not the stride. */
#define WL_MEMLAT_STRIDE 64u
/* Returns 1 when job->stop ended it early: the chain must not be run. */
int wl_memlat__prepare(const struct wl_job *job);

/* Small freestanding helpers (the compiler may not call libc here). */
void *wl_memset(void *dst, int c, uint64_t n);
void *wl_memcpy(void *dst, const void *src, uint64_t n);

#endif
