/* The workload core's behaviour: sysbench's prime count, memory blocks that
 * move exactly the bytes reported, a pointer chase over one cycle through
 * every line, first touch of every page, the errors it reports, and the
 * stop flag seen inside one long event (Ctrl-C must not wait for it). */
#include "testutil.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "workload/workload.h"

/* A clock that advances 1 us per read, so jobs bounded by time end too. */
static uint64_t fake_now(void *ctx)
{
	uint64_t *t = ctx;
	return *t += 1000;
}

static void run(struct wl_job *job, struct wl_report *rep)
{
	uint64_t t = 0;
	struct wl_clock clk = { fake_now, &t };
	wl__run(job, &clk, rep);
}

/* sysbench 1.0's loop, word for word, with libm's sqrt. */
static uint64_t sysbench_cpu_event(unsigned max_prime)
{
	unsigned long long c, l, n = 0;
	double t;
	for (c = 3; c < max_prime; c++) {
		t = sqrt((double)c);
		for (l = 2; l <= t; l++)
			if (c % l == 0)
				break;
		if (l > t)
			n++;
	}
	return n;
}

static void test_cpu_known_counts(void **state)
{
	(void)state;
	/* The loop counts primes c with 3 <= c < max_prime: pi(max_prime - 1) - 1
	 * (2 is never checked). */
	assert_int_equal(wl_cpu__event(10000), 1228);  /* pi(9999) = 1229 */
	assert_int_equal(wl_cpu__event(1000), 167);    /* pi(999) = 168 */
	assert_int_equal(wl_cpu__event(100), 24);      /* pi(99) = 25 */
	assert_int_equal(wl_cpu__event(100000), 9591); /* pi(99999) = 9592 */
	assert_int_equal(wl_cpu__event(20000), 2261);  /* pi(19999) = 2262 */
	assert_int_equal(wl_cpu__event(1), 0);
	assert_int_equal(wl_cpu__event(3), 0);
	assert_int_equal(wl_cpu__event(4), 1);
	assert_int_equal(wl_cpu__event(6), 2); /* 3, 5 */
}

static void test_cpu_matches_sysbench_loop(void **state)
{
	(void)state;
	for (unsigned m = 0; m < 3000; m++)
		assert_int_equal(wl_cpu__event(m), sysbench_cpu_event(m));
	assert_int_equal(wl_cpu__event(65537), sysbench_cpu_event(65537));
}

static void test_isqrt(void **state)
{
	(void)state;
	for (uint64_t x = 0; x < 200000; x++)
		assert_int_equal(wl__isqrt(x), (uint64_t)sqrt((double)x));
	for (uint64_t r = 1; r < (1ull << 32); r = r * 3 + 1) {
		assert_int_equal(wl__isqrt(r * r), r);
		assert_int_equal(wl__isqrt(r * r - 1), r - 1);
		assert_int_equal(wl__isqrt(r * r + 1), r);
	}
	assert_int_equal(wl__isqrt(UINT64_MAX), 0xffffffffull);
}

static void test_cpu_job(void **state)
{
	(void)state;
	struct wl_job job = { .kind = WL_CPU, .cpu_max_prime = 1000, .max_events = 7 };
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.events, 7);
	assert_int_equal(rep.checksum, 167);
	assert_true(rep.elapsed_ns > 0);
	job.max_events = 0;
	job.time_ns = 50000; /* 50 fake reads */
	run(&job, &rep);
	assert_true(rep.events > 0 && rep.events < 100);
	/* Large events are cut in slices (to look at the stop flag): the
	 * count is the same. */
	job.cpu_max_prime = 1000000;
	job.max_events = 1;
	job.time_ns = 0;
	run(&job, &rep);
	assert_int_equal(rep.events, 1);
	assert_int_equal(rep.checksum, 78497); /* pi(999999) = 78498 */
	job.cpu_max_prime = 0;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EARG);
}

/* A block between two guard zones. */
#define GUARD 256
#define BLOCK 1024

static void test_memory_moves_exact_bytes(void **state)
{
	(void)state;
	for (int sysbench = 0; sysbench < 2; sysbench++) {
		static uint64_t area[(GUARD + BLOCK + GUARD) / 8] __attribute__((aligned(64)));
		uint64_t *hist = calloc((size_t)WL_HIST_SLOTS * WL_HIST_SIZE, 8);
		assert_non_null(hist);
		memset(area, 0xab, sizeof(area));
		uint64_t *block = area + GUARD / 8;
		struct wl_job job = {
			.kind = WL_MEMORY,
			.mem_oper = WL_MEM_WRITE,
			.mem_sysbench = (uint32_t)sysbench,
			.mem_block_size = BLOCK,
			.mem_total_size = 37 * BLOCK + 100, /* 37 whole blocks */
			.buf = block,
			.buf_size = BLOCK,
			.hist = hist,
		};
		struct wl_report rep;
		run(&job, &rep);
		assert_int_equal(rep.error, WL_OK);
		assert_int_equal(rep.events, 37);
		assert_int_equal(rep.bytes, 37 * BLOCK);
		/* Every word of the block written (sysbench stores the words left to
		 * the end), nothing outside it. */
		for (unsigned i = 0; i < BLOCK / 8; i++)
			assert_int_equal(block[i], BLOCK / 8 - i);
		for (unsigned i = 0; i < GUARD; i++) {
			assert_int_equal(((unsigned char *)area)[i], 0xab);
			assert_int_equal(((unsigned char *)area)[GUARD + BLOCK + i], 0xab);
		}
		if (sysbench) {
			uint64_t sum = 0;
			for (size_t i = 0; i < (size_t)WL_HIST_SLOTS * WL_HIST_SIZE; i++)
				sum += hist[i];
			assert_int_equal(sum, 37); /* one histogram update per event */
			assert_int_equal(rep.clock_reads, 1 + 38 + 2 * 37);
		}
		/* Reads leave the block as it is and count the same. */
		memset(block, 0x5a, BLOCK);
		job.mem_oper = WL_MEM_READ;
		run(&job, &rep);
		assert_int_equal(rep.bytes, 37 * BLOCK);
		for (unsigned i = 0; i < BLOCK; i++)
			assert_int_equal(((unsigned char *)block)[i], 0x5a);
		free(hist);
	}
}

static void test_memory_limits_and_errors(void **state)
{
	(void)state;
	static uint64_t block[512];
	struct wl_job job = { .kind = WL_MEMORY,
			      .mem_oper = WL_MEM_WRITE,
			      .mem_sysbench = 1,
			      .mem_block_size = 4096,
			      .buf = block,
			      .buf_size = 4096,
			      .max_events = 5 };
	struct wl_report rep;
	run(&job, &rep); /* no total: the event limit ends it */
	assert_int_equal(rep.events, 5);
	job.mem_access_rnd = 1;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.bytes, 5 * 4096);
	job.mem_block_size = 1000; /* not a power of two */
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EARG);
	job.mem_block_size = 4;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EARG);
	job.mem_block_size = 8192; /* larger than the buffer */
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EBUF);
	job.mem_block_size = 1024;
	job.mem_oper = 7;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EARG);
	job.kind = 99;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EKIND);
}

/* Follows the chain from slot 0: it must come back after exactly n steps
 * having seen every slot once. */
static void check_single_cycle(uint64_t n, uint64_t seed)
{
	unsigned char *buf = aligned_alloc(64, n * 64);
	unsigned char *seen = calloc(n, 1);
	assert_non_null(buf);
	assert_non_null(seen);
	wl_memlat__build(buf, n, 64, seed);
	unsigned char *p = buf;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t idx = (uint64_t)(p - buf) / 64;
		assert_true(idx < n);
		assert_int_equal((uint64_t)(p - buf) % 64, 0);
		assert_int_equal(seen[idx], 0);
		seen[idx] = 1;
		p = (unsigned char *)(uintptr_t) * (uint64_t *)p;
	}
	assert_ptr_equal(p, buf);
	free(seen);
	free(buf);
}

static void test_memlat_single_cycle(void **state)
{
	(void)state;
	check_single_cycle(1, 1);
	check_single_cycle(2, 1);
	check_single_cycle(3, 7);
	check_single_cycle(1000, 0);
	check_single_cycle(65536, 42);
}

static void test_memlat_deterministic(void **state)
{
	(void)state;
	uint64_t n = 4096;
	unsigned char *a = aligned_alloc(64, n * 64), *b = aligned_alloc(64, n * 64);
	assert_non_null(a);
	assert_non_null(b);
	wl_memlat__build(a, n, 64, 5);
	wl_memlat__build(b, n, 64, 5);
	unsigned same = 0;
	for (uint64_t i = 0; i < n; i++)
		same += (*(uint64_t *)(a + i * 64) - (uint64_t)(uintptr_t)a) ==
			(*(uint64_t *)(b + i * 64) - (uint64_t)(uintptr_t)b);
	assert_int_equal(same, n); /* same seed, same permutation */
	struct wl_job job = {
		.kind = WL_MEMLAT, .buf = a, .buf_size = n * 64, .memlat_loads = n, .max_events = 3
	};
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.loads, 3 * n);
	assert_int_equal(rep.checksum, 0); /* whole cycles end where they began */
	free(a);
	free(b);
}

static void test_fault_touches_every_page(void **state)
{
	(void)state;
	size_t pages = 64, size = pages * 4096;
	unsigned char *buf = aligned_alloc(4096, size);
	assert_non_null(buf);
	memset(buf, 0, size);
	struct wl_job job = { .kind = WL_FAULT, .buf = buf, .buf_size = size, .page_size = 4096 };
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.events, pages);
	assert_int_equal(rep.bytes, size);
	for (size_t i = 0; i < size; i++)
		assert_int_equal(buf[i], i % 4096 == 0 ? 1 : 0);
	job.page_size = 3000;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_EARG);
	free(buf);
}

static void test_stream_counts(void **state)
{
	(void)state;
	size_t size = 3 * 64 * 1024;
	uint64_t *buf = aligned_alloc(64, size);
	assert_non_null(buf);
	uint64_t n = size / 3 / 8;
	static const uint64_t arrays[] = { 2, 2, 3, 3 };
	for (uint32_t k = WL_STREAM_COPY; k <= WL_STREAM_TRIAD; k++) {
		struct wl_job job = { .kind = WL_STREAM,
				      .buf = buf,
				      .buf_size = size,
				      .stream_kernel = k,
				      .max_events = 4 };
		struct wl_report rep;
		run(&job, &rep);
		assert_int_equal(rep.error, WL_OK);
		assert_int_equal(rep.events, 4);
		assert_int_equal(rep.bytes, 4 * n * 8 * arrays[k]);
	}
	/* Triad from STREAM's start values: a = 2 + 3 * 0. */
	assert_int_equal(buf[n - 1], 2);
	free(buf);
}

static void test_clock_counts_reads(void **state)
{
	(void)state;
	struct wl_job job = { .kind = WL_CLOCK, .max_events = 3 };
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.clock_reads, 3 * 1024 + 1);
	/* The fake clock moves 1 us per read: elapsed / clock_reads is the
	 * cost of one read. */
	assert_int_equal(rep.elapsed_ns, rep.clock_reads * 1000);
}

/* ---- the stop flag inside one event ----
 * Each job below is a single event. Where the event writes, the stop flag
 * lies inside the buffer, so the work itself raises it part-way and the
 * result says whether the loop looked before the event's end. Where it
 * only reads (memlat's chase) or computes (cpu), another thread raises it
 * and the event is one that would take hours. */

/* The low half of the word at byte offset off. */
static const volatile uint32_t *flag_at(void *buf, size_t off)
{
	return (const volatile uint32_t *)((unsigned char *)buf + off);
}

static void test_memory_stops_inside_an_event(void **state)
{
	(void)state;
	size_t size = 8u << 20;
	uint64_t *buf = aligned_alloc(64, size);
	assert_non_null(buf);
	memset(buf, 0, size);
	/* One 8 MiB block written in order: the word at 1 MiB becomes
	 * non-zero an eighth of the way in. */
	struct wl_job job = { .kind = WL_MEMORY,
			      .buf = buf,
			      .buf_size = size,
			      .mem_block_size = size,
			      .mem_total_size = size,
			      .max_events = 1,
			      .mem_oper = WL_MEM_WRITE,
			      .stop = flag_at(buf, 1u << 20) };
	struct wl_report rep;
	for (uint32_t sysbench = 0; sysbench < 2; sysbench++) {
		memset(buf, 0, size);
		job.mem_sysbench = sysbench;
		run(&job, &rep);
		assert_int_equal(rep.error, WL_OK);
		assert_int_equal(rep.events, 0); /* a part of an event is no event */
		assert_int_equal(rep.bytes, 0);
		assert_int_equal(buf[size / 8 - 1], 0); /* the end was never written */
	}
	free(buf);
}

static void test_fault_stops_between_large_pages(void **state)
{
	(void)state;
	size_t stride = 2u << 20, pages = 32, size = pages * stride;
	unsigned char *buf =
		mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	/* Touching the fourth 2 MiB page raises the flag. */
	struct wl_job job = { .kind = WL_FAULT,
			      .buf = buf,
			      .buf_size = size,
			      .page_size = stride,
			      .stop = flag_at(buf, 3 * stride) };
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.events, 4);
	assert_int_equal(buf[4 * stride], 0);
	munmap(buf, size);
}

static void test_stream_stops_inside_a_pass(void **state)
{
	(void)state;
	uint64_t n = 1u << 20; /* elements per array: 8 MiB each */
	size_t size = 3 * n * 8;
	uint64_t *buf = aligned_alloc(64, size);
	assert_non_null(buf);
	/* copy: c = a, so c[1000] turns from 0 to 1 early in the pass. */
	uint64_t *c = buf + 2 * n;
	struct wl_job job = { .kind = WL_STREAM,
			      .buf = buf,
			      .buf_size = size,
			      .stream_kernel = WL_STREAM_COPY,
			      .max_events = 1,
			      .stop = flag_at(c, 1000 * 8) };
	struct wl_report rep;
	run(&job, &rep);
	assert_int_equal(rep.error, WL_OK);
	assert_int_equal(rep.events, 0);
	/* The elements copied before the stop are counted, not a whole pass. */
	assert_true(rep.bytes > 0);
	assert_true(rep.bytes < n * 8 * 2);
	assert_int_equal(c[n - 1], 0);
	free(buf);
}

static void test_memlat_build_stops(void **state)
{
	(void)state;
	uint64_t n = 1u << 18; /* slots of 64 bytes: 16 MiB */
	unsigned char *buf = aligned_alloc(64, n * 64);
	assert_non_null(buf);
	memset(buf, 0, n * 64);
	/* The first pass writes each slot's index: slot 5 becomes 5. */
	assert_int_equal(wl_memlat__build_until(buf, n, 64, 1, flag_at(buf, 5 * 64)), 1);
	assert_int_equal(*(uint64_t *)(buf + (n - 1) * 64), 0); /* stopped before the end */
	volatile uint32_t never = 0;
	assert_int_equal(wl_memlat__build_until(buf, n, 64, 1, &never), 0);
	free(buf);
}

struct stopper {
	struct wl_job job;
	struct wl_report rep;
	volatile uint32_t stop;
};

static void *run_job_thread(void *arg)
{
	struct stopper *s = arg;
	run(&s->job, &s->rep);
	return NULL;
}

/* Runs the job on a thread, raises its stop flag after 50 ms and waits
 * for its end. The wait is bounded only so that a loop that never looks
 * fails instead of hanging the suite: the event itself would take hours. */
static void run_and_stop(struct stopper *s)
{
	s->stop = 0;
	s->job.stop = &s->stop;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, run_job_thread, s), 0);
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	s->stop = 1;
	struct timespec limit;
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 60;
	int rc = pthread_timedjoin_np(t, NULL, &limit);
	if (rc == ETIMEDOUT)
		fail_msg("the workload did not look at its stop flag");
	assert_int_equal(rc, 0);
}

static void test_memlat_chase_stops_inside_an_event(void **state)
{
	(void)state;
	uint64_t n = 4096;
	unsigned char *buf = aligned_alloc(64, n * 64);
	assert_non_null(buf);
	wl_memlat__build(buf, n, 64, 3);
	struct stopper s = { .job = { .kind = WL_MEMLAT,
				      .buf = buf,
				      .buf_size = n * 64,
				      .memlat_loads = 1ull << 50,
				      .max_events = 1 } };
	run_and_stop(&s);
	assert_int_equal(s.rep.error, WL_OK);
	assert_int_equal(s.rep.events, 0);
	/* The loads done are reported, as a multiple of 8, with their time. */
	assert_true(s.rep.loads > 0 && s.rep.loads < (1ull << 50));
	assert_int_equal(s.rep.loads % 8, 0);
	assert_true(s.rep.elapsed_ns > 0);
	free(buf);
}

static void test_cpu_stops_inside_an_event(void **state)
{
	(void)state;
	/* One event over every candidate below 2^32: hours of divisions. */
	struct stopper s = {
		.job = { .kind = WL_CPU, .cpu_max_prime = UINT32_MAX, .max_events = 1 }
	};
	run_and_stop(&s);
	assert_int_equal(s.rep.error, WL_OK);
	assert_int_equal(s.rep.events, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_known_counts),
		cmocka_unit_test(test_cpu_matches_sysbench_loop),
		cmocka_unit_test(test_isqrt),
		cmocka_unit_test(test_cpu_job),
		cmocka_unit_test(test_memory_moves_exact_bytes),
		cmocka_unit_test(test_memory_limits_and_errors),
		cmocka_unit_test(test_memlat_single_cycle),
		cmocka_unit_test(test_memlat_deterministic),
		cmocka_unit_test(test_fault_touches_every_page),
		cmocka_unit_test(test_stream_counts),
		cmocka_unit_test(test_clock_counts_reads),
		cmocka_unit_test(test_memory_stops_inside_an_event),
		cmocka_unit_test(test_fault_stops_between_large_pages),
		cmocka_unit_test(test_stream_stops_inside_a_pass),
		cmocka_unit_test(test_memlat_build_stops),
		cmocka_unit_test(test_memlat_chase_stops_inside_an_event),
		cmocka_unit_test(test_cpu_stops_inside_an_event),
	};
	return cmocka_run_group_tests_name("workload core", tests, NULL, NULL);
}
