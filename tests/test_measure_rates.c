/* Rates from workload reports, the one computation of every platform: the
 * sysbench arithmetic, and the strict collection of reports that arrive one
 * by one (a worker in a container or a QEMU guest): every thread exactly
 * once per run, no report left over from an earlier run, cpu checksums
 * that agree. */
#include "testutil.h"

#include <math.h>

#include "measure/rates.h"

static void test_summary_rates(void **state)
{
	(void)state;
	/* Two threads; the run lasts as long as the slower one (2 s). */
	struct wl_report r[2] = {
		{ .events = 3000, .bytes = 3000ull << 20, .elapsed_ns = 2000000000ull },
		{ .events = 1000, .bytes = 1000ull << 20, .elapsed_ns = 1000000000ull },
	};
	struct rates s;
	struct vb_err err = { 0 };
	assert_int_equal(rates__from_reports(WL_MEMORY, r, 2, &s, &err), 0);
	assert_int_equal(s.events, 4000);
	assert_true(fabs(s.seconds - 2.0) < 1e-12);
	assert_true(fabs(s.events_per_sec - 2000.0) < 1e-9);
	assert_true(fabs(s.events_per_sec_thread - 1000.0) < 1e-9);
	assert_true(fabs(s.ops_per_sec - 2000.0) < 1e-9);
	assert_true(fabs(s.mib_per_sec - 2000.0) < 1e-9);
	assert_true(fabs(s.gib_per_sec - 2000.0 / 1024) < 1e-9);
	assert_true(fabs(s.gb_per_sec - 4000.0 * 1048576 / 1e9 / 2) < 1e-9);
}

static void test_summary_latencies(void **state)
{
	(void)state;
	struct wl_report lat = { .events = 1, .loads = 1000000, .elapsed_ns = 80000000 };
	struct rates s;
	struct vb_err err = { 0 };
	assert_int_equal(rates__from_reports(WL_MEMLAT, &lat, 1, &s, &err), 0);
	assert_true(fabs(s.ns_per_load - 80.0) < 1e-9);
	struct wl_report f[2] = {
		{ .events = 512, .bytes = 512 * 4096, .elapsed_ns = 512000 },
		{ .events = 512, .bytes = 512 * 4096, .elapsed_ns = 1024000 },
	};
	assert_int_equal(rates__from_reports(WL_FAULT, f, 2, &s, &err), 0);
	assert_true(fabs(s.ns_per_page - 1500.0) < 1e-9);
	struct wl_report c = { .events = 10, .clock_reads = 10241, .elapsed_ns = 204820 };
	assert_int_equal(rates__from_reports(WL_CLOCK, &c, 1, &s, &err), 0);
	assert_true(fabs(s.clock_read_ns - 20.0) < 1e-9);
}

static void test_summary_errors(void **state)
{
	(void)state;
	struct rates s;
	struct vb_err err = { 0 };
	struct wl_report bad = { .events = 5, .elapsed_ns = 10, .error = WL_EBUF };
	assert_int_equal(rates__from_reports(WL_CPU, &bad, 1, &s, &err), -1);
	assert_non_null(strstr(err.msg, "buffer"));
	struct wl_report none = { .elapsed_ns = 10 };
	assert_int_equal(rates__from_reports(WL_CPU, &none, 1, &s, &err), -1);
	assert_int_equal(rates__from_reports(WL_CPU, &none, 0, &s, &err), -1);
}

/* cpu: each event counts the same primes, so a thread whose count differs
 * computed something else. A thread with no event has no count to give. */
static void test_cpu_checksums_agree(void **state)
{
	(void)state;
	struct rates s;
	struct vb_err err = { 0 };
	struct wl_report ok[3] = {
		{ .events = 10, .elapsed_ns = 100, .checksum = 1228 },
		{ .events = 0, .elapsed_ns = 100, .checksum = 0 },
		{ .events = 12, .elapsed_ns = 100, .checksum = 1228 },
	};
	assert_int_equal(rates__from_reports(WL_CPU, ok, 3, &s, &err), 0);
	assert_int_equal(s.checksum, 1228);
	struct wl_report bad[2] = {
		{ .events = 10, .elapsed_ns = 100, .checksum = 1228 },
		{ .events = 10, .elapsed_ns = 100, .checksum = 1229 },
	};
	assert_int_equal(rates__from_reports(WL_CPU, bad, 2, &s, &err), -1);
	assert_string_equal(err.msg, "thread 1's checksum 1229 differs from thread 0's 1228");
	/* memlat's checksum is per thread (its own chain): no such check. */
	bad[0].loads = bad[1].loads = 5;
	assert_int_equal(rates__from_reports(WL_MEMLAT, bad, 2, &s, &err), 0);
}

static const struct wl_report rep_a = { .events = 300,
					.elapsed_ns = 1000000000ull,
					.checksum = 1228 };
static const struct wl_report rep_b = { .events = 100,
					.elapsed_ns = 500000000ull,
					.checksum = 1228 };

/* A batch gives what rates__from_reports gives for the same reports, to the
 * bit, whatever order they arrive in. */
static void test_batch_same_as_array(void **state)
{
	(void)state;
	struct rates a, b;
	struct vb_err err = { 0 };
	struct wl_report arr[2] = { rep_a, rep_b };
	assert_int_equal(rates__from_reports(WL_CPU, arr, 2, &a, &err), 0);
	struct rates_batch batch;
	assert_int_equal(rates_batch__init(&batch, WL_CPU, 2, &err), 0);
	rates_batch__begin(&batch);
	assert_int_equal(rates_batch__add(&batch, 1, &rep_b, &err), 0);
	assert_int_equal(rates_batch__add(&batch, 0, &rep_a, &err), 0);
	assert_int_equal(rates__from_batch(&batch, &b, &err), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(b.events_per_sec == 400.0);
	rates_batch__free(&batch);
}

static void test_batch_missing_thread(void **state)
{
	(void)state;
	struct rates s;
	struct vb_err err = { 0 };
	struct rates_batch b;
	assert_int_equal(rates_batch__init(&b, WL_CPU, 2, &err), 0);
	assert_int_equal(rates_batch__add(&b, 0, &rep_a, &err), 0);
	assert_int_equal(rates__from_batch(&b, &s, &err), -1);
	assert_string_equal(err.msg, "thread 1 did not report");
	rates_batch__free(&b);
}

static void test_batch_duplicate_and_outside(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	struct rates_batch b;
	assert_int_equal(rates_batch__init(&b, WL_CPU, 2, &err), 0);
	assert_int_equal(rates_batch__add(&b, 0, &rep_a, &err), 0);
	assert_int_equal(rates_batch__add(&b, 0, &rep_b, &err), -1);
	assert_string_equal(err.msg, "thread 0 reported twice");
	assert_int_equal(rates_batch__add(&b, 2, &rep_b, &err), -1);
	assert_string_equal(err.msg, "a report from thread 2 of a run on 2 threads");
	assert_int_equal(rates_batch__add(&b, UINT32_MAX, &rep_b, &err), -1);
	rates_batch__free(&b);
}

/* The container path once summed a buffer reused across iterations: a
 * thread silent in the second run added its report of the first. */
static void test_batch_stale_report(void **state)
{
	(void)state;
	struct rates s;
	struct vb_err err = { 0 };
	struct rates_batch b;
	assert_int_equal(rates_batch__init(&b, WL_CPU, 2, &err), 0);
	rates_batch__begin(&b);
	assert_int_equal(rates_batch__add(&b, 0, &rep_a, &err), 0);
	assert_int_equal(rates_batch__add(&b, 1, &rep_b, &err), 0);
	assert_int_equal(rates__from_batch(&b, &s, &err), 0);
	rates_batch__begin(&b);
	assert_int_equal(rates_batch__add(&b, 0, &rep_a, &err), 0);
	assert_int_equal(rates__from_batch(&b, &s, &err), -1);
	assert_string_equal(err.msg, "thread 1 did not report in this run (its last report is "
				     "from an earlier one)");
	/* The same thread may report again in a new run. */
	assert_int_equal(rates_batch__add(&b, 1, &rep_b, &err), 0);
	assert_int_equal(rates__from_batch(&b, &s, &err), 0);
	rates_batch__free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_rates),
		cmocka_unit_test(test_summary_latencies),
		cmocka_unit_test(test_summary_errors),
		cmocka_unit_test(test_cpu_checksums_agree),
		cmocka_unit_test(test_batch_same_as_array),
		cmocka_unit_test(test_batch_missing_thread),
		cmocka_unit_test(test_batch_duplicate_and_outside),
		cmocka_unit_test(test_batch_stale_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
