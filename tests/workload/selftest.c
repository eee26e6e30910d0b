/* The freestanding self-test: links with the workload core alone (no libc,
 * no libgcc) and runs every workload once. The exit status names the first
 * check that failed (0: all passed). */
#include "workload/workload.h"

int wl_selftest__main(void);

/* A clock that advances 100 ns per read: enough for jobs bounded by events. */
static uint64_t fake_now(void *ctx)
{
	uint64_t *t = ctx;
	return *t += 100;
}

static uint64_t buf[3 * 8192] __attribute__((aligned(4096)));

static int run(struct wl_job *job, struct wl_report *rep)
{
	uint64_t t = 0;
	struct wl_clock clk = { fake_now, &t };
	wl__run(job, &clk, rep);
	return rep->error == WL_OK;
}

int wl_selftest__main(void)
{
	/* Primes in [3, n): pi(n - 1) - 1. */
	if (wl_cpu__event(10000) != 1228 || wl_cpu__event(100) != 24 || wl_cpu__event(4) != 1)
		return 1;
	if (wl__isqrt(99) != 9 || wl__isqrt(100) != 10 || wl__isqrt(~0ull) != 0xffffffffull)
		return 2;

	struct wl_job job;
	struct wl_report rep;
	wl_memset(&job, 0, sizeof(job));
	job.kind = WL_CPU;
	job.cpu_max_prime = 1000;
	job.max_events = 3;
	if (!run(&job, &rep) || rep.events != 3 || rep.checksum != 167)
		return 3;

	wl_memset(&job, 0, sizeof(job));
	job.kind = WL_MEMORY;
	job.mem_oper = WL_MEM_WRITE;
	job.mem_sysbench = 1;
	job.mem_block_size = 1024;
	job.mem_total_size = 64 * 1024;
	job.buf = buf;
	job.buf_size = 1024;
	if (!run(&job, &rep) || rep.events != 64 || rep.bytes != 64 * 1024 || buf[0] != 128)
		return 4;

	wl_memset(&job, 0, sizeof(job));
	uint64_t n = sizeof(buf) / 64;
	wl_memlat__build(buf, n, 64, 1);
	uint64_t *p = buf, steps = 0;
	do {
		p = (uint64_t *)(uintptr_t)*p;
		steps++;
	} while (p != buf && steps <= n);
	if (steps != n)
		return 5;
	job.kind = WL_MEMLAT;
	job.buf = buf;
	job.buf_size = sizeof(buf);
	job.memlat_loads = n;
	job.max_events = 2;
	if (!run(&job, &rep) || rep.loads != 2 * n || rep.checksum != 0)
		return 6;

	wl_memset(&job, 0, sizeof(job));
	job.kind = WL_STREAM;
	job.stream_kernel = WL_STREAM_TRIAD;
	job.buf = buf;
	job.buf_size = sizeof(buf);
	job.max_events = 1;
	if (!run(&job, &rep) || rep.bytes != 3 * 8192 * 8 ||
	    rep.checksum != 2 + 2 + 0) /* a = b + 3c */
		return 7;

	wl_memset(&job, 0, sizeof(job));
	job.kind = WL_FAULT;
	job.buf = buf;
	job.buf_size = sizeof(buf);
	job.page_size = 4096;
	if (!run(&job, &rep) || rep.events != sizeof(buf) / 4096)
		return 8;

	wl_memset(&job, 0, sizeof(job));
	job.kind = WL_CLOCK;
	job.max_events = 2;
	if (!run(&job, &rep) || rep.clock_reads != 2 * 1024 + 1)
		return 9;
	return 0;
}
