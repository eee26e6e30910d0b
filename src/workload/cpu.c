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

/* Counts the primes in [c, end); r and next_sq carry floor(sqrt(c)) and
 * the square where it next grows from one call to the next. */
static inline __attribute__((always_inline)) uint64_t
wl_cpu__primes(uint64_t c, uint64_t end, uint64_t *r_, uint64_t *next_sq_)
{
	uint64_t n = 0, r = *r_, next_sq = *next_sq_;
	for (; c < end; c++) {
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
	*r_ = r;
	*next_sq_ = next_sq;
	return n;
}

/* noinline: one call per event, as in sysbench, whatever the caller. */
__attribute__((noinline)) uint64_t wl_cpu__event(uint32_t max_prime)
{
	uint64_t r = 1;	      /* floor(sqrt(c)) for c = 3 */
	uint64_t next_sq = 4; /* (r + 1)^2: where r next grows */
	return wl_cpu__primes(3, max_prime, &r, &next_sq);
}

/* Up to here an event takes a few ms and runs as it is (the default
 * 10000 is well below), so the measured loop is the one above. Past it an
 * event is cut in slices with a look at the stop flag between two, so
 * Ctrl-C does not wait for an event of hours. A slice is at most c
 * candidates (so sqrt(c) = r grows by less than half within it) and at most
 * 2^24 / r of them; as a prime near c costs r trial divisions and about one
 * candidate in ln(c) is prime, that is some 10^6 divisions, a few ms. */
#define WL_CPU_SLICED_ABOVE (1u << 16)
#define WL_CPU_SLICE_WORK   (1ull << 24)
#define WL_CPU_SLICE_MIN    64u
#define WL_CPU_STOPPED	    (~0ull)

/* The same count as wl_cpu__event; WL_CPU_STOPPED when stop was raised
 * before the event was done. */
__attribute__((noinline)) static uint64_t wl_cpu__event_sliced(uint32_t max_prime,
							       const volatile uint32_t *stop)
{
	uint64_t n = 0, r = 1, next_sq = 4;
	for (uint64_t c = 3; c < max_prime;) {
		uint64_t slice = WL_CPU_SLICE_WORK / r;
		if (slice > c)
			slice = c;
		if (slice < WL_CPU_SLICE_MIN)
			slice = WL_CPU_SLICE_MIN;
		uint64_t end = max_prime - c > slice ? c + slice : max_prime;
		n += wl_cpu__primes(c, end, &r, &next_sq);
		c = end;
		if (c < max_prime && stop && *stop)
			return WL_CPU_STOPPED;
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
		uint64_t primes = job->cpu_max_prime > WL_CPU_SLICED_ABOVE
					  ? wl_cpu__event_sliced(job->cpu_max_prime, job->stop)
					  : wl_cpu__event(job->cpu_max_prime);
		if (primes == WL_CPU_STOPPED)
			break; /* a part of an event is no event */
		sink = primes;
		events++;
	}
	out->events = events;
	out->elapsed_ns = now - start;
	out->checksum = sink;
	out->clock_reads = events + 1;
}
