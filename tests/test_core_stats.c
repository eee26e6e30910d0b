/* Statistics against hand-computed vectors; interval ranks against binomial
 * tables (coverage 1 - 2 P(B(n, 1/2) <= k - 1)). */
#include "testutil.h"

#include <math.h>

#include "core/stats.h"

#define EPS 1e-9

/* cmocka 1.1 has no floating-point assertion. */
#define assert_double_equal(a, b, eps)                                                             \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps)))                                                     \
			fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                        \
	} while (0)

static void test_empty(void **state)
{
	(void)state;
	struct vb_stats st;
	stats__compute(NULL, 0, &st);
	assert_int_equal(st.n, 0);
	assert_true(isnan(st.median));
	assert_true(isnan(st.mean));
	assert_true(isnan(st.ci_low));
	assert_int_equal(st.outliers, 0);
}

static void test_n1(void **state)
{
	(void)state;
	double x[] = { 5 };
	struct vb_stats st;
	stats__compute(x, 1, &st);
	assert_int_equal(st.n, 1);
	assert_double_equal(st.min, 5, EPS);
	assert_double_equal(st.max, 5, EPS);
	assert_double_equal(st.mean, 5, EPS);
	assert_double_equal(st.median, 5, EPS);
	assert_double_equal(st.p95, 5, EPS);
	assert_double_equal(st.stdev, 0, EPS);
	assert_double_equal(st.ci_low, 5, EPS);
	assert_double_equal(st.ci_high, 5, EPS);
	assert_double_equal(st.ci_level, 0, EPS); /* one sample: no confidence */
	assert_double_equal(st.mad, 0, EPS);
	assert_int_equal(st.outliers, 0);
}

static void test_n2(void **state)
{
	(void)state;
	double x[] = { 3, 1 };
	struct vb_stats st;
	stats__compute(x, 2, &st);
	assert_double_equal(st.mean, 2, EPS);
	assert_double_equal(st.median, 2, EPS);
	assert_double_equal(st.stdev, sqrt(2), EPS);
	assert_double_equal(st.p95, 2.9, EPS); /* 1 + 0.95 * (3 - 1) */
	assert_double_equal(st.ci_low, 1, EPS);
	assert_double_equal(st.ci_high, 3, EPS);
	assert_double_equal(st.ci_level, 0.5, EPS); /* 1 - 2 / 4 */
	assert_double_equal(st.mad, 1, EPS);
}

static void test_identical(void **state)
{
	(void)state;
	double x[] = { 4, 4, 4, 4, 4, 4, 4 };
	struct vb_stats st;
	stats__compute(x, 7, &st);
	assert_double_equal(st.mean, 4, EPS);
	assert_double_equal(st.median, 4, EPS);
	assert_double_equal(st.stdev, 0, EPS);
	assert_double_equal(st.p95, 4, EPS);
	assert_double_equal(st.mad, 0, EPS);
	assert_double_equal(st.ci_low, 4, EPS);
	assert_double_equal(st.ci_high, 4, EPS);
	assert_double_equal(st.ci_level, 1 - 2.0 / 128, EPS);
	assert_int_equal(st.outliers, 0);
	assert_double_equal(stats__rel_ci_halfwidth(&st), 0, EPS);
}

static void test_odd(void **state)
{
	(void)state;
	double x[] = { 3, 1, 4, 1, 5 };
	struct vb_stats st;
	stats__compute(x, 5, &st);
	assert_double_equal(st.min, 1, EPS);
	assert_double_equal(st.max, 5, EPS);
	assert_double_equal(st.mean, 2.8, EPS);
	assert_double_equal(st.median, 3, EPS);
	assert_double_equal(st.stdev, sqrt(3.2), EPS); /* 12.8 / 4 */
	assert_double_equal(st.p95, 4.8, EPS);	       /* h = 3.8 */
	/* n < 6: [min, max] with its real coverage, 1 - 2 / 32 */
	assert_double_equal(st.ci_low, 1, EPS);
	assert_double_equal(st.ci_high, 5, EPS);
	assert_double_equal(st.ci_level, 0.9375, EPS);
	assert_double_equal(st.mad, 2, EPS); /* |x - 3| = 0 1 2 2 2 */
}

static void test_even(void **state)
{
	(void)state;
	double x[] = { 4, 2, 1, 3 };
	struct vb_stats st;
	stats__compute(x, 4, &st);
	assert_double_equal(st.median, 2.5, EPS);
	assert_double_equal(st.mean, 2.5, EPS);
	assert_double_equal(st.stdev, sqrt(5.0 / 3), EPS);
	assert_double_equal(st.p95, 3.85, EPS); /* h = 2.85 */
	assert_double_equal(st.mad, 1, EPS);	/* 0.5 0.5 1.5 1.5 */
}

static void fill_seq(double *x, size_t n)
{
	/* 1..n in a scrambled order, so sorting is exercised. */
	for (size_t i = 0; i < n; i++)
		x[i] = (double)((i * 7) % n + 1);
}

static void test_ci_n6_n9(void **state)
{
	(void)state;
	double x[9];
	struct vb_stats st;
	fill_seq(x, 6);
	stats__compute(x, 6, &st);
	assert_double_equal(st.ci_low, 1, EPS);
	assert_double_equal(st.ci_high, 6, EPS);
	assert_double_equal(st.ci_level, 1 - 2.0 / 64, EPS);
	fill_seq(x, 9);
	stats__compute(x, 9, &st);
	assert_double_equal(st.ci_low, 2, EPS); /* ranks 2 and 8 */
	assert_double_equal(st.ci_high, 8, EPS);
	assert_double_equal(st.ci_level, 1 - 2 * 10.0 / 512, EPS);
}

static void test_ci_n10(void **state)
{
	(void)state;
	double x[10];
	fill_seq(x, 10);
	struct vb_stats st;
	stats__compute(x, 10, &st);
	assert_double_equal(st.median, 5.5, EPS);
	assert_double_equal(st.p95, 9.55, EPS);
	/* Ranks 2 and 9: P(B <= 1) = 11/1024; rank 3 would give 0.89. */
	assert_double_equal(st.ci_low, 2, EPS);
	assert_double_equal(st.ci_high, 9, EPS);
	assert_double_equal(st.ci_level, 1 - 2 * 11.0 / 1024, EPS);
}

static void test_ci_n20(void **state)
{
	(void)state;
	double x[20];
	fill_seq(x, 20);
	struct vb_stats st;
	stats__compute(x, 20, &st);
	assert_double_equal(st.median, 10.5, EPS);
	/* Ranks 6 and 15: P(B <= 5) = 21700 / 2^20. */
	assert_double_equal(st.ci_low, 6, EPS);
	assert_double_equal(st.ci_high, 15, EPS);
	assert_double_equal(st.ci_level, 1 - 2 * 21700.0 / 1048576, 1e-12);
}

static void test_ci_n100(void **state)
{
	(void)state;
	double x[100];
	fill_seq(x, 100);
	struct vb_stats st;
	stats__compute(x, 100, &st);
	/* Table value: ranks 40 and 61, coverage 0.9648. */
	assert_double_equal(st.ci_low, 40, EPS);
	assert_double_equal(st.ci_high, 61, EPS);
	assert_double_equal(st.ci_level, 0.9647997997822952, 1e-9);
}

static void test_ci_large(void **state)
{
	(void)state;
	size_t n = 100001;
	double *x = malloc(n * sizeof(*x));
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)i;
	struct vb_stats st;
	stats__compute(x, n, &st);
	/* Normal approximation: k ~ n/2 - 1.96 sqrt(n)/2 = 49690. */
	assert_true(st.ci_level >= 0.95 && st.ci_level < 0.951);
	assert_true(fabs(st.ci_low - 49690) <= 2);
	assert_double_equal(st.ci_high - st.median, st.median - st.ci_low, EPS);
	free(x);
}

static void test_quantile(void **state)
{
	(void)state;
	double s[] = { 10, 20, 30, 40, 50 };
	assert_double_equal(stats__quantile_sorted(s, 5, 0), 10, EPS);
	assert_double_equal(stats__quantile_sorted(s, 5, 1), 50, EPS);
	assert_double_equal(stats__quantile_sorted(s, 5, 0.5), 30, EPS);
	assert_double_equal(stats__quantile_sorted(s, 5, 0.95), 48, EPS);
	assert_double_equal(stats__quantile_sorted(s, 5, 0.1), 14, EPS);
	assert_true(isnan(stats__quantile_sorted(s, 0, 0.5)));
}

static void test_outliers(void **state)
{
	(void)state;
	double x[] = { 10, 11, 10, 12, 11, 10, 100 };
	struct vb_stats st;
	stats__compute(x, 7, &st);
	assert_double_equal(st.median, 11, EPS);
	assert_double_equal(st.mad, 1, EPS);
	assert_int_equal(st.outliers, 1);
	assert_true(stats__is_outlier(100, 11, 1));
	assert_false(stats__is_outlier(12, 11, 1));
	assert_false(stats__is_outlier(16, 11, 1)); /* 0.6745 * 5 = 3.37 */
	assert_true(stats__is_outlier(17, 11, 1));  /* 0.6745 * 6 = 4.05 */
	assert_false(stats__is_outlier(100, 11, 0));

	/* MAD 0 (most samples equal): the lone far sample is still flagged. */
	double y[] = { 5, 5, 5, 5, 5, 5, 50 };
	stats__compute(y, 7, &st);
	assert_double_equal(st.mad, 0, EPS);
	assert_int_equal(st.outliers, 1);

	double z[] = { 9, 10, 11, 10, 9, 11, 10 };
	stats__compute(z, 7, &st);
	assert_int_equal(st.outliers, 0);
}

static void test_rel_ci(void **state)
{
	(void)state;
	struct vb_stats st = { .n = 10, .median = 100, .ci_low = 95, .ci_high = 105 };
	assert_double_equal(stats__rel_ci_halfwidth(&st), 0.05, EPS);
	st.median = 0;
	assert_true(isinf(stats__rel_ci_halfwidth(&st)));
	st.n = 0;
	assert_true(isnan(stats__rel_ci_halfwidth(&st)));
}

static void spread(double *x, size_t n, double center)
{
	for (size_t i = 0; i < n; i++)
		x[i] = center * (1 + ((double)((i * 3) % 5) - 2) / 50); /* +-4% */
}

static void test_overhead_throughput(void **state)
{
	(void)state;
	double base[15], virt[15];
	spread(base, 15, 100);
	spread(virt, 15, 90);
	struct vb_overhead o;
	stats__overhead(base, 15, virt, 15, true, &o);
	assert_double_equal(o.percent, 10, EPS); /* (100 - 90) / 100 */
	assert_true(o.ci_low <= o.percent && o.percent <= o.ci_high);
	assert_true(o.ci_low > 5 && o.ci_high < 15);
	/* Virtual faster than native: negative overhead. */
	stats__overhead(virt, 15, base, 15, true, &o);
	assert_double_equal(o.percent, -100.0 / 9, EPS); /* (90 - 100) / 90 */
	assert_true(o.ci_low <= o.percent && o.percent <= o.ci_high);
	assert_true(o.ci_high < 0);
}

static void test_overhead_time(void **state)
{
	(void)state;
	double base[12], virt[12];
	spread(base, 12, 10);
	spread(virt, 12, 12);
	struct vb_overhead o, o2;
	stats__overhead(base, 12, virt, 12, false, &o);
	assert_double_equal(o.percent, 20, EPS); /* (12 - 10) / 10 */
	assert_true(o.ci_low <= o.percent && o.percent <= o.ci_high);
	assert_true(o.ci_low > 0);
	/* Deterministic: the same input gives the same interval, bit for bit. */
	stats__overhead(base, 12, virt, 12, false, &o2);
	assert_memory_equal(&o, &o2, sizeof(o));
	/* Faster virtual time is a negative overhead. */
	stats__overhead(virt, 12, base, 12, false, &o);
	assert_true(o.percent < 0);
	assert_true(o.ci_low <= o.percent && o.percent <= o.ci_high);
}

static void test_overhead_degenerate(void **state)
{
	(void)state;
	double one[] = { 50 }, two[] = { 40 }, zero[] = { 0, 0 };
	struct vb_overhead o;
	stats__overhead(one, 1, two, 1, true, &o);
	assert_double_equal(o.percent, 20, EPS);
	assert_double_equal(o.ci_low, 20, EPS);
	assert_double_equal(o.ci_high, 20, EPS);
	stats__overhead(one, 0, two, 1, true, &o);
	assert_true(isnan(o.percent));
	stats__overhead(zero, 2, two, 1, true, &o);
	assert_true(isnan(o.percent));
}

/* The bootstrap's median (selection, no sort) agrees with the sorted one:
 * against a single virtual sample v, time overhead p gives the base median
 * back as v / (1 + p / 100). */
static void test_overhead_median_selection(void **state)
{
	(void)state;
	unsigned seed = 12345;
	double x[41];
	for (size_t n = 1; n <= 41; n++) {
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			x[i] = 1 + (double)((seed >> 16) % 7); /* many ties */
		}
		struct vb_stats st;
		stats__compute(x, n, &st);
		double v = 1;
		struct vb_overhead o;
		stats__overhead(x, n, &v, 1, false, &o);
		assert_double_equal(v / (1 + o.percent / 100), st.median, 1e-9);
	}
}

static void test_mann_whitney(void **state)
{
	(void)state;
	double a[10], b[10], c[10];
	for (int i = 0; i < 10; i++) {
		a[i] = i + 1;
		b[i] = i + 101;
		c[i] = 10 - i;
	}
	assert_double_equal(stats__mann_whitney_p(a, 10, c, 10), 1, EPS);
	/* U = 0: z = (50 - 0.5) / sqrt(175), p = erfc(z / sqrt 2). */
	double p = stats__mann_whitney_p(a, 10, b, 10);
	assert_double_equal(p, 0.0001826717911095504, 1e-12);
	assert_double_equal(stats__mann_whitney_p(b, 10, a, 10), p, EPS);
	double same[] = { 3, 3, 3, 3 };
	assert_double_equal(stats__mann_whitney_p(same, 4, same, 4), 1, EPS);
	/* Ties across groups: still a valid probability. */
	double t1[] = { 1, 2, 2, 3, 3, 3 }, t2[] = { 2, 3, 3, 4, 4, 5 };
	p = stats__mann_whitney_p(t1, 6, t2, 6);
	assert_true(p > 0 && p < 1);
	assert_true(isnan(stats__mann_whitney_p(a, 0, b, 10)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_n1),
		cmocka_unit_test(test_n2),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_even),
		cmocka_unit_test(test_ci_n6_n9),
		cmocka_unit_test(test_ci_n10),
		cmocka_unit_test(test_ci_n20),
		cmocka_unit_test(test_ci_n100),
		cmocka_unit_test(test_ci_large),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_outliers),
		cmocka_unit_test(test_rel_ci),
		cmocka_unit_test(test_overhead_throughput),
		cmocka_unit_test(test_overhead_time),
		cmocka_unit_test(test_overhead_degenerate),
		cmocka_unit_test(test_overhead_median_selection),
		cmocka_unit_test(test_mann_whitney),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
