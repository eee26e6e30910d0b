/* sysbench 1.0's cpu test. One event checks every c in [3, max_prime) for
 * primality by trial division with l = 2, 3, ... while l <= sqrt(c), and
 * counts the primes. sysbench compares l against sqrt((double)c); for c below
 * 2^32 that is the same as comparing against floor(sqrt(c)), which we keep
 * incrementally in integers so that the guest needs no floating point. */
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

/* noinline: one call per event, as in sysbench, whatever the caller. */
__attribute__((noinline)) uint64_t wl_cpu__event(uint32_t max_prime)
{
	uint64_t n = 0;
	uint64_t t = 1;       /* floor(sqrt(c)) for c = 3 */
	uint64_t next_sq = 4; /* (t + 1)^2: where t next grows */
	for (uint64_t c = 3; c < max_prime; c++) {
		if (c == next_sq) {
			t++;
			next_sq = (t + 1) * (t + 1);
		}
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
