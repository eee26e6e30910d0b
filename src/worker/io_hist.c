/* The latency histogram of the I/O workloads and the names they share. */
#include <string.h>

#include "worker/io.h"

static const char *const test_names[] = {
	[IO_SEQ_READ] = "seq_read",
	[IO_SEQ_WRITE] = "seq_write",
	[IO_RAND_READ] = "rand_read",
	[IO_RAND_WRITE] = "rand_write",
	[IO_FSYNC] = "fsync",
	[IO_TCP_STREAM] = "tcp_stream",
	[IO_TCP_STREAM_RX] = "tcp_stream_rx",
	[IO_TCP_RR] = "tcp_rr",
	[IO_TCP_CRR] = "tcp_crr",
};

const char *io__test_name(uint32_t test)
{
	return test >= 1 && test <= IO_TEST_MAX ? test_names[test] : NULL;
}

int io__test_is_net(uint32_t test)
{
	return test >= IO_TCP_STREAM && test <= IO_TCP_CRR;
}

const char *io__engine_name(uint32_t engine)
{
	return engine == IO_ENGINE_URING     ? "io_uring"
	       : engine == IO_ENGINE_THREADS ? "threads"
					     : "sync";
}

int io__addr_allowed(uint32_t addr)
{
	return (addr >> 24) == 127 || addr == IO_NET_LINK_PEER || addr == IO_NET_LINK_CONTAINER;
}

void io_hist__init(struct io_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Values below IO_HIST_SUB get a bucket each; above, the power of two of
 * the value picks a group of IO_HIST_SUB buckets and its next bits the
 * bucket within. */
unsigned io_hist__bucket(uint64_t ns)
{
	if (ns < IO_HIST_SUB)
		return (unsigned)ns;
	unsigned msb = 63u - (unsigned)__builtin_clzll(ns);
	unsigned shift = msb - IO_HIST_SUB_BITS;
	unsigned sub = (unsigned)(ns >> shift) & (IO_HIST_SUB - 1);
	return (shift + 1) * IO_HIST_SUB + sub;
}

void io_hist__range(unsigned bucket, uint64_t *lo, uint64_t *hi)
{
	if (bucket < IO_HIST_SUB) {
		*lo = *hi = bucket;
		return;
	}
	unsigned shift = bucket / IO_HIST_SUB - 1;
	uint64_t base = (uint64_t)(IO_HIST_SUB + bucket % IO_HIST_SUB) << shift;
	*lo = base;
	*hi = base + ((1ull << shift) - 1);
}

void io_hist__add(struct io_hist *h, uint64_t ns)
{
	if (!h->count || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->count++;
	h->sum_ns += ns;
	h->b[io_hist__bucket(ns)]++;
}

void io_hist__merge(struct io_hist *into, const struct io_hist *from)
{
	if (!from->count)
		return;
	if (!into->count || from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	for (unsigned i = 0; i < IO_HIST_N; i++)
		into->b[i] += from->b[i];
}

uint64_t io_hist__total(const struct io_hist *h)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < IO_HIST_N; i++)
		n += h->b[i];
	return n;
}

uint64_t io_hist__quantile(const struct io_hist *h, double q)
{
	uint64_t n = io_hist__total(h);
	if (!n)
		return 0;
	/* The rank of the quantile, 1-based, as the nearest-rank method. */
	uint64_t rank = (uint64_t)(q * (double)n);
	if ((double)rank < q * (double)n)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	uint64_t seen = 0;
	for (unsigned i = 0; i < IO_HIST_N; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t lo, hi;
			io_hist__range(i, &lo, &hi);
			uint64_t mid = lo + (hi - lo) / 2;
			if (mid < h->min_ns)
				mid = h->min_ns;
			if (mid > h->max_ns)
				mid = h->max_ns;
			return mid;
		}
	}
	return h->max_ns;
}
