/* The monotonic clock (CLOCK_MONOTONIC) that every timing and timeout on
 * the host side reads, in the unit the caller works in. The freestanding
 * code (src/workload, src/vm/guest) has no libc and is handed a clock
 * instead (struct wl_clock). Inline, so the static worker, which links
 * nothing of libvirtbench (src/worker/worker.mk), reads it too: its VBREADY
 * stamp is on the same clock as the host's. */
#ifndef VB_CORE_CLOCK_H
#define VB_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock__now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline double clock__now_ms(void)
{
	return (double)clock__now_ns() / 1e6;
}

static inline double clock__now_s(void)
{
	return (double)clock__now_ns() / 1e9;
}

#endif
