/* The memory system itself: STREAM's copy, scale, add and triad kernels over
 * three arrays that together fill the buffer, with no per-event bookkeeping.
 * Integers (uint64) instead of doubles, because the guest may run without
 * floating point; the traffic is the same. Bytes are counted as STREAM
 * counts them: every array read or written once per element per pass. */
#include "workload/loop.h"

#define WL_STREAM_K 3u

/* noinline: the loops keep their place within a function aligned to 64
 * bytes, whatever the code around the call (a loop crossing a line was
 * measured 40% slower). */
__attribute__((noinline)) static void wl_stream__pass(uint32_t kernel, uint64_t *restrict a,
						      uint64_t *restrict b, uint64_t *restrict c,
						      uint64_t n)
{
	switch (kernel) {
	case WL_STREAM_COPY:
		for (uint64_t i = 0; i < n; i++)
			c[i] = a[i];
		break;
	case WL_STREAM_SCALE:
		for (uint64_t i = 0; i < n; i++)
			b[i] = WL_STREAM_K * c[i];
		break;
	case WL_STREAM_ADD:
		for (uint64_t i = 0; i < n; i++)
			c[i] = a[i] + b[i];
		break;
	default:
		for (uint64_t i = 0; i < n; i++)
			a[i] = b[i] + WL_STREAM_K * c[i];
		break;
	}
	/* Keeps the stores even if the arrays looked dead to the compiler. */
	__asm__ __volatile__("" ::: "memory");
}

/* Elements between two looks at the stop flag (1 MiB of each array): a
 * pass over arrays of GiBs is cut in pieces, one over small ones is not. */
#define WL_STREAM_PIECE (1u << 17)

static uint64_t wl_stream__arrays(uint32_t kernel)
{
	return kernel == WL_STREAM_COPY || kernel == WL_STREAM_SCALE ? 2 : 3;
}

void wl_stream__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	/* Each array a multiple of 64 bytes, so b and c stay line-aligned. */
	uint64_t n = job->buf_size / 3 / 64 * 64 / sizeof(uint64_t);
	if (!job->buf || n == 0) {
		out->error = WL_EBUF;
		return;
	}
	if (job->stream_kernel > WL_STREAM_TRIAD) {
		out->error = WL_EARG;
		return;
	}
	uint64_t *a = job->buf, *b = a + n, *c = b + n;
	for (uint64_t i = 0; i < n; i++) { /* STREAM's initial values */
		if ((i & (WL_STREAM_PIECE - 1)) == 0 && wl__stopped(job))
			return;
		a[i] = 1;
		b[i] = 2;
		c[i] = 0;
	}
	uint64_t events = 0, reads = 1, part = 0;
	uint64_t start = wl__now(clk), now = start;
	for (;;) {
		now = wl__now(clk);
		reads++;
		if (wl__done(job, events, start, now) ||
		    (!job->max_events && !job->time_ns && events))
			break;
		for (part = 0; part < n;) {
			uint64_t len = n - part > WL_STREAM_PIECE ? WL_STREAM_PIECE : n - part;
			wl_stream__pass(job->stream_kernel, a + part, b + part, c + part, len);
			part += len;
			if (part < n && wl__stopped(job))
				break;
		}
		if (part < n) {
			/* Stopped inside a pass: its elements still moved. */
			now = wl__now(clk);
			reads++;
			break;
		}
		events++;
		part = 0;
	}
	out->events = events;
	out->bytes = (events * n + part) * sizeof(uint64_t) * wl_stream__arrays(job->stream_kernel);
	out->elapsed_ns = now - start;
	out->checksum = ((volatile uint64_t *)a)[n - 1] + ((volatile uint64_t *)b)[n - 1] +
			((volatile uint64_t *)c)[n - 1];
	out->clock_reads = reads;
}
