/* sysbench 1.0's cpu test. One event checks every c in [3, max_prime) for
 * primality by trial division with l = 2, 3, ... while l <= sqrt(c), and
 * counts the primes.
 *
 * sysbench keeps t = sqrt((double)c) and compares l <= t in double precision
 * on every step of the inner loop; that conversion and comparison are part of
 * what its events cost (about 4% on an EPYC), so we do the same: t is the
 * same value, floor(sqrt(c)) as a double (l is an integer, so l <= sqrt(c)
 * and l <= floor(sqrt(c)) agree), kept incrementally in integers so that no
 * sqrt() from libm is needed. Builds without floating point (the
 * -mgeneral-regs-only of a guest, or -DWL_NO_FP) compare in integers: the
 * same count, slightly cheaper events; wl_cpu__uses_fp() says which. */
#include "workload/loop.h"

uint64_t wl__isqrt(uint64_t x)
{
	/* Bit-by-bit method: exact for all 64-bit x. */
	uint64_t r = 0, bit = (uint64_t)1 << 62;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

#if !defined(WL_NO_FP) && (defined(__SSE2__) || defined(__ARM_FP))
#define WL_CPU_FP 1
typedef double wl_bound_t;
#else
#define WL_CPU_FP 0
typedef uint64_t wl_bound_t;
#endif

int wl_cpu__uses_fp(void)
{
	return WL_CPU_FP;
}

/* noinline: one call per event, as in sysbench, whatever the caller. */
__attribute__((noinline)) uint64_t wl_cpu__event(uint32_t max_prime)
{
	uint64_t n = 0;
	uint64_t r = 1;       /* floor(sqrt(c)) for c = 3 */
	uint64_t next_sq = 4; /* (r + 1)^2: where r next grows */
	for (uint64_t c = 3; c < max_prime; c++) {
		if (c == next_sq) {
			r++;
			next_sq = (r + 1) * (r + 1);
		}
		wl_bound_t t = (wl_bound_t)r;
		uint64_t l;
		for (l = 2; l <= t; l++)
			if (c % l == 0)
				break;
		if (l > t)
			n++;
	}
	return n;
}

void wl_cpu__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	/* The count goes to a volatile so the compiler must compute it. */
	volatile uint64_t sink = 0;
	uint64_t events = 0;
	uint64_t start = wl__now(clk), now = start;
	if (job->cpu_max_prime == 0) {
		out->error = WL_EARG;
		return;
	}
	for (;;) {
		now = wl__now(clk);
		if (wl__done(job, events, start, now))
			break;
		sink = wl_cpu__event(job->cpu_max_prime);
		events++;
	}
	out->events = events;
	out->elapsed_ns = now - start;
	out->checksum = sink;
	out->clock_reads = events + 1;
}
