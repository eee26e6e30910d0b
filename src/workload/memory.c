/* sysbench 1.0.20's memory test. Each event moves one block of the buffer
 * the platform gives this thread (the same buffer for every thread with
 * --memory-scope global, as in sysbench) in machine words: stores of the
 * words left to the end (write), loads (read) or nothing but a compiler
 * barrier (none), in order (seq) or at random word offsets (rnd). Each thread
 * does mem_total_size / block events, sysbench's per-thread share.
 *
 * With job->mem_sysbench the loop also does what sysbench does around every
 * event, because with 1 KiB blocks that bookkeeping is most of the time
 * sysbench reports: a clock read for the time limit (sb_more_events), a
 * clock read before and after the event with min/max/sum (sb_event_start and
 * sb_event_stop), and an atomic bump of a random slot of the shared latency
 * histogram at log(latency). Without it the same blocks are moved with a clock
 * read only every 256 events. */
#include "workload/loop.h"
#include "workload/rand.h"

/* Bytes of one event between two looks at the stop flag: a 1 KiB event
 * is one piece; a 1 GiB one (seconds at random offsets, a page fault per
 * store on fresh memory) is 65536. */
#define WL_MEM_PIECE	   (16u << 10)
/* Plain mode reads the clock every 256 events of up to 1 KiB, and every
 * 256 KiB moved when blocks are larger. */
#define WL_MEM_CLOCK_BYTES (256u << 10)

/* One piece of an event: what sysbench's event_{seq,rnd}_{none,read,write}
 * do, over `len` bytes (sequential: from buf; random: that many accesses
 * anywhere in the block of n words). The volatile accesses stand for
 * ConcurrencyKit's ck_pr_load/store_64, which keep each access in the loop. */
static void wl_memory__piece(uint64_t *buf, uint64_t n, uint64_t len, uint32_t oper, uint32_t rnd,
			     struct wl_rng *rng)
{
	if (rnd) {
		switch (oper) {
		case WL_MEM_NONE:
			for (uint64_t i = 0; i < len; i += sizeof(uint64_t)) {
				volatile uint64_t off = wl_rng__below(rng, n);
				(void)off;
			}
			break;
		case WL_MEM_READ:
			for (uint64_t i = 0; i < len; i += sizeof(uint64_t))
				(void)*(volatile uint64_t *)(buf + wl_rng__below(rng, n));
			break;
		default:
			for (uint64_t i = 0; i < len; i += sizeof(uint64_t))
				*(volatile uint64_t *)(buf + wl_rng__below(rng, n)) = i;
			break;
		}
		return;
	}
	/* Unrolled by 8 as sysbench's build unrolls them (-funroll-loops): with
	 * 1 KiB blocks the loop overhead would otherwise be a tenth of the event. */
	uint64_t *end = buf + len / sizeof(uint64_t);
	switch (oper) {
	case WL_MEM_NONE:
#pragma GCC unroll 8
		for (; buf < end; buf++)
			__asm__ __volatile__("" ::: "memory");
		break;
	case WL_MEM_READ:
#pragma GCC unroll 8
		for (; buf < end; buf++)
			(void)*(volatile uint64_t *)buf;
		break;
	default:
#pragma GCC unroll 8
		for (; buf < end; buf++)
			*(volatile uint64_t *)buf = (uint64_t)(end - buf);
		break;
	}
}

/* One event; 1 when stop ended it before its end. An event of one piece
 * (1 KiB blocks) is one call, as it always was: the measured loop stays. */
static inline int wl_memory__event(const struct wl_job *job, struct wl_rng *rng)
{
	uint64_t bs = job->mem_block_size, n = bs / sizeof(uint64_t);
	uint64_t *buf = job->buf;
	if (bs <= WL_MEM_PIECE) {
		wl_memory__piece(buf, n, bs, job->mem_oper, job->mem_access_rnd, rng);
		return 0;
	}
	for (uint64_t off = 0; off < bs; off += WL_MEM_PIECE) {
		uint64_t len = bs - off < WL_MEM_PIECE ? bs - off : WL_MEM_PIECE;
		wl_memory__piece(job->mem_access_rnd ? buf : buf + off / sizeof(uint64_t), n, len,
				 job->mem_oper, job->mem_access_rnd, rng);
		if (off + len < bs && wl__stopped(job))
			return 1;
	}
	return 0;
}

/* log2(x) in 16.16 fixed point for x >= 1, by repeated squaring of the
 * mantissa: the integer stand-in for the log() sysbench takes per event. */
static uint64_t wl__log2_q16(uint64_t x)
{
	int e = 63 - __builtin_clzll(x);
	uint64_t m = e >= 31 ? x >> (e - 31) : x << (31 - e); /* [1, 2) in Q31 */
	uint64_t frac = 0;
	for (int i = 0; i < 16; i++) {
		m = (m * m) >> 31;
		if (m >= (2ull << 31)) {
			m >>= 1;
			frac |= 1ull << (15 - i);
		}
	}
	return ((uint64_t)e << 16) | frac;
}

/* sysbench: i = floor((ln(ms) - ln(0.001)) * 1023 / (ln(100000) - ln(0.001))
 * + 0.5), clamped to [0, 1023]. In nanoseconds that is
 * (log2(ns) - log2(1000)) * ln(2) * 1023 / ln(1e8). */
static uint64_t wl__hist_index(uint64_t ns)
{
	const uint64_t log2_1000_q16 = 653118; /* 9.965784 * 65536 */
	const uint64_t k_q16 = 2522757;	       /* 38.49421 * 65536 */
	if (ns == 0)
		return 0;
	uint64_t l = wl__log2_q16(ns);
	if (l <= log2_1000_q16)
		return 0;
	uint64_t i = ((l - log2_1000_q16) * k_q16 + (1ull << 31)) >> 32;
	return i >= WL_HIST_SIZE ? WL_HIST_SIZE - 1 : i;
}

static void wl_memory__run_sysbench(const struct wl_job *job, const struct wl_clock *clk,
				    struct wl_report *out, uint64_t ops)
{
	struct wl_rng rng;
	wl_rng__seed(&rng, job->seed + job->thread + 1);
	uint64_t events = 0, sum = 0, min = ~0ull, max = 0, reads = 1;
	uint64_t start = wl__now(clk), now = start;
	for (;;) {
		now = wl__now(clk); /* sb_more_events: the time limit */
		reads++;
		if (wl__done(job, events, start, now))
			break;
		if (events >= ops) /* memory_next_event: this thread's share */
			break;
		uint64_t t0 = wl__now(clk); /* sb_event_start */
		if (wl_memory__event(job, &rng))
			break;		    /* a part of an event is no event */
		uint64_t t1 = wl__now(clk); /* sb_event_stop */
		reads += 2;
		uint64_t lat = t1 - t0;
		sum += lat;
		if (lat < min)
			min = lat;
		if (lat > max)
			max = lat;
		uint64_t slot = wl_rng__next(&rng) % WL_HIST_SLOTS;
		uint64_t bucket = wl__hist_index(lat);
		if (job->hist)
			__atomic_fetch_add(&job->hist[slot * WL_HIST_SIZE + bucket], 1,
					   __ATOMIC_RELAXED);
		else
			__asm__ __volatile__("" : : "r"(slot), "r"(bucket));
		events++;
	}
	out->events = events;
	out->elapsed_ns = now - start;
	out->lat_sum_ns = sum;
	out->lat_min_ns = events ? min : 0;
	out->lat_max_ns = max;
	out->clock_reads = reads;
}

static void wl_memory__run_plain(const struct wl_job *job, const struct wl_clock *clk,
				 struct wl_report *out, uint64_t ops)
{
	struct wl_rng rng;
	wl_rng__seed(&rng, job->seed + job->thread + 1);
	uint64_t events = 0, reads = 1;
	uint64_t every = WL_MEM_CLOCK_BYTES / job->mem_block_size;
	uint64_t mask = every >= 256 ? 255 : every ? every - 1 : 0;
	uint64_t start = wl__now(clk), now = start;
	for (;;) {
		if ((events & mask) == 0) {
			now = wl__now(clk);
			reads++;
			if (wl__done(job, events, start, now))
				break;
		} else if (job->max_events && events >= job->max_events) {
			break;
		}
		if (events >= ops)
			break;
		if (wl_memory__event(job, &rng))
			break;
		events++;
	}
	now = wl__now(clk);
	out->events = events;
	out->elapsed_ns = now - start;
	out->clock_reads = reads + 1;
}

void wl_memory__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	uint64_t bs = job->mem_block_size;
	if (!job->buf || job->buf_size < bs) {
		out->error = WL_EBUF;
		return;
	}
	/* sysbench: a power of two of at least one machine word. */
	if (bs < sizeof(uint64_t) || (bs & (bs - 1)) || job->mem_oper > WL_MEM_WRITE) {
		out->error = WL_EARG;
		return;
	}
	uint64_t ops = job->mem_total_size ? job->mem_total_size / bs : ~0ull;
	if (job->mem_sysbench)
		wl_memory__run_sysbench(job, clk, out, ops);
	else
		wl_memory__run_plain(job, clk, out, ops);
	out->bytes = out->events * bs;
}
