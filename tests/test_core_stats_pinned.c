/* Statistics pinned bit for bit: the medians, intervals, overhead bootstrap
 * and Mann-Whitney p-values of fixed inputs (1 to 20000 samples, with and
 * without ties), as computed before the bootstrap took its resample medians
 * from ranks instead of moving values. Reports and comparisons of existing
 * results must not change when the code gets faster. */
#include "testutil.h"

#include <math.h>

#include "core/stats.h"

/* Deterministic samples: spread values, or few distinct ones (ties). */
static void fill(double *x, size_t n, uint32_t seed, int ties, double scale)
{
	uint32_t s = seed;
	for (size_t i = 0; i < n; i++) {
		s = s * 1664525u + 1013904223u;
		double v = (double)(s >> 8) / (double)(1u << 24);
		x[i] = ties ? scale * (double)(int)(v * 8) : scale * (1 + v);
	}
}

struct pinned {
	size_t na, nb;
	int ties;
	double st[6];		/* median, ci_low, ci_high, ci_level, mad, p95 of a */
	double thr[3], time[3]; /* overhead of b against a, both directions */
	double p;
};

static const struct pinned pins[] = {
	{ 1,
	  5,
	  0,
	  { 0x1.ef83275p+6, 0x1.ef83275p+6, 0x1.ef83275p+6, 0x0p+0, 0x0p+0, 0x1.ef83275p+6 },
	  { -0x1.5952932a82db1p+3, -0x1.0c0840386f115p+5, -0x1.278c2696c732bp+2 },
	  { 0x1.5952932a82db1p+3, 0x1.278c2696c732bp+2, 0x1.0c0840386f115p+5 },
	  0x1.eeba7676b4628p-3 },
	{ 1,
	  5,
	  1,
	  { 0x1.9p+6, 0x1.9p+6, 0x1.9p+6, 0x0p+0, 0x0p+0, 0x1.9p+6 },
	  { -0x1.a8p+6, -0x1.38p+8, -0x1.a8p+6 },
	  { 0x1.a8p+6, 0x1.a8p+6, 0x1.38p+8 },
	  0x1.53aca81ff8fe5p-3 },
	{ 2,
	  6,
	  0,
	  { 0x1.c0ac4e48p+6, 0x1.91adc5ep+6, 0x1.efaad6bp+6, 0x1p-1, 0x1.77f4434p+3,
	    0x1.eaf7c90cp+6 },
	  { -0x1.52dc6c8735c4ap+4, -0x1.43c1229b43523p+5, -0x1.76a80bd0d99bfp+2 },
	  { 0x1.52dc6c8735c4ap+4, 0x1.76a80bd0d99bfp+2, 0x1.43c1229b43523p+5 },
	  0x1.11a46d89647fp-3 },
	{ 2,
	  6,
	  1,
	  { 0x1.9p+5, 0x0p+0, 0x1.9p+6, 0x1p-1, 0x1.9p+5, 0x1.7cp+6 },
	  { -0x1.38p+8, -0x1.9f00000000001p+8, -0x1.a8p+6 },
	  { 0x1.38p+8, 0x1.a8p+6, 0x1.9f00000000001p+8 },
	  0x1.389b9d68ad692p-3 },
	{ 3,
	  7,
	  0,
	  { 0x1.efd2861p+6, 0x1.b5f5d73p+6, 0x1.8c61b33p+7, 0x1.8p-1, 0x1.cee577p+3,
	    0x1.7d88db2cp+7 },
	  { -0x1.3a05e2cefdfd7p+4, -0x1.32d900e2c77d1p+6, 0x1.0dd133beb919cp+5 },
	  { 0x1.3a05e2cefdfd7p+4, -0x1.0dd133beb919cp+5, 0x1.32d900e2c77d1p+6 },
	  0x1.f9fbc8d98e043p-2 },
	{ 3,
	  7,
	  1,
	  { 0x1.9p+6, 0x0p+0, 0x1.5ep+9, 0x1.8p-1, 0x1.9p+6, 0x1.4p+9 },
	  { -0x1.a2p+7, -0x1.368p+9, 0x1.1a49249249249p+6 },
	  { 0x1.a2p+7, -0x1.1a49249249249p+6, 0x1.368p+9 },
	  0x1.019824b52fccbp-2 },
	{ 5,
	  10,
	  0,
	  { 0x1.da3de6fp+6, 0x1.9f3652ep+6, 0x1.4d52c3p+7, 0x1.ep-1, 0x1.b5f77b8p+3,
	    0x1.3c41a158p+7 },
	  { -0x1.749b2f6d12db5p+4, -0x1.704c77f68bb6fp+5, 0x1.aa27a65182143p+3 },
	  { 0x1.749b2f6d12db5p+4, -0x1.aa27a65182143p+3, 0x1.704c77f68bb6fp+5 },
	  0x1.3648733e57ecbp-4 },
	{ 5,
	  10,
	  1,
	  { 0x1.9p+6, 0x0p+0, 0x1.f4p+8, 0x1.ep-1, 0x1.9p+6, 0x1.a3fffffffffffp+8 },
	  { -0x1.a2p+7, -0x1.38p+8, 0x1.84p+5 },
	  { 0x1.a2p+7, -0x1.84p+5, 0x1.38p+8 },
	  0x1.826a37264749cp-4 },
	{ 6,
	  11,
	  0,
	  { 0x1.06c367dcp+7, 0x1.ae04cd6p+6, 0x1.71534d6p+7, 0x1.fp-1, 0x1.f39bb5p+3,
	    0x1.6ac11dbap+7 },
	  { -0x1.1846fbe746d1ap+4, -0x1.14edf5f9bb0aap+5, 0x1.1d04e1fcf0ac5p+4 },
	  { 0x1.1846fbe746d1ap+4, -0x1.1d04e1fcf0ad1p+4, 0x1.14edf5f9bb0aap+5 },
	  0x1.4d59eaa51bad7p-1 },
	{ 6,
	  11,
	  1,
	  { 0x1.9p+7, 0x0p+0, 0x1.2cp+9, 0x1.fp-1, 0x1.2cp+7, 0x1.1f8p+9 },
	  { -0x1.b400000000001p+5, -0x1.38p+8, 0x1.d666666666666p+5 },
	  { 0x1.b400000000001p+5, -0x1.d666666666666p+5, 0x1.38p+8 },
	  0x1.cb3b73fd2a476p-2 },
	{ 7,
	  20,
	  0,
	  { 0x1.116704c8p+7, 0x1.9e69c6dp+6, 0x1.3ede1978p+7, 0x1.f8p-1, 0x1.dd4e618p+3,
	    0x1.3a2d71e4p+7 },
	  { -0x1.98a621174972ap+4, -0x1.e387b504a7e85p+5, -0x1.1a95afad90013p+2 },
	  { 0x1.98a621174972ap+4, 0x1.1a95afad90013p+2, 0x1.e387b504a7e85p+5 },
	  0x1.07ae15acca245p-6 },
	{ 7,
	  20,
	  1,
	  { 0x1.9p+7, 0x0p+0, 0x1.9p+8, 0x1.f8p-1, 0x1.9p+7, 0x1.9p+8 },
	  { -0x1.3bp+7, -0x1.03p+9, -0x1.8p+1 },
	  { 0x1.3bp+7, 0x1.8p+1, 0x1.03p+9 },
	  0x1.3c1fc68a2593fp-7 },
	{ 10,
	  33,
	  0,
	  { 0x1.0b11527cp+7, 0x1.c06e0f2p+6, 0x1.5825f4p+7, 0x1.f5p-1, 0x1.406af4p+4,
	    0x1.710f3cc3fffffp+7 },
	  { -0x1.a66edf91c2a41p+4, -0x1.859fff59c44dfp+5, -0x1.6487b9ada3f08p+1 },
	  { 0x1.a66edf91c2a41p+4, 0x1.6487b9ada3eccp+1, 0x1.859fff59c44dfp+5 },
	  0x1.c87ec602ebfa7p-6 },
	{ 10,
	  33,
	  1,
	  { 0x1.9p+7, 0x0p+0, 0x1.f4p+8, 0x1.f5p-1, 0x1.2cp+7, 0x1.30ffffffffffep+9 },
	  { -0x1.3bp+7, -0x1.03p+9, -0x1.8p+1 },
	  { 0x1.3bp+7, 0x1.8p+1, 0x1.03p+9 },
	  0x1.034ff17e22ab2p-6 },
	{ 11,
	  64,
	  0,
	  { 0x1.15371d4p+7, 0x1.cb8dc6cp+6, 0x1.45f53edp+7, 0x1.fap-1, 0x1.03bfc08p+4,
	    0x1.4e70829p+7 },
	  { -0x1.a4950834df25ep+2, -0x1.a75c1f0f01c4cp+4, 0x1.77bb40f78f438p+2 },
	  { 0x1.a4950834df25ep+2, -0x1.77bb40f78f438p+2, 0x1.a75c1f0f01c4cp+4 },
	  0x1.1c3ecee8ef858p-2 },
	{ 11,
	  64,
	  1,
	  { 0x1.2cp+8, 0x1.9p+6, 0x1.f4p+8, 0x1.fap-1, 0x1.9p+7, 0x1.f4p+8 },
	  { -0x1.8p+1, -0x1.048p+8, 0x1.f555555555556p+4 },
	  { 0x1.8p+1, -0x1.f555555555556p+4, 0x1.048p+8 },
	  0x1.de0e7e9e9acap-3 },
	{ 20,
	  101,
	  0,
	  { 0x1.1965df5p+7, 0x1.e93eb44p+6, 0x1.4085a408p+7, 0x1.eacfp-1, 0x1.56340d8p+4,
	    0x1.756474a6p+7 },
	  { -0x1.51d786e7d13d6p+3, -0x1.d3fd336f8b009p+4, 0x1.c9824b5126883p+1 },
	  { 0x1.51d786e7d13d6p+3, -0x1.c9824b51268b5p+1, 0x1.d3fd336f8b009p+4 },
	  0x1.fb70687c50277p-4 },
	{ 20,
	  101,
	  1,
	  { 0x1.2cp+8, 0x1.9p+6, 0x1.9p+8, 0x1.eacfp-1, 0x1.9p+7, 0x1.2e80000000001p+9 },
	  { -0x1.2aaaaaaaaaaabp+5, -0x1.38p+8, 0x1.6cp+4 },
	  { 0x1.2aaaaaaaaaaabp+5, -0x1.6cp+4, 0x1.38p+8 },
	  0x1.237d05a33473cp-3 },
	{ 33,
	  1000,
	  0,
	  { 0x1.2cd25d2p+7, 0x1.f80d2ecp+6, 0x1.4971ac88p+7, 0x1.ee09ba4bfffffp-1, 0x1.865e2ep+4,
	    0x1.7983e918p+7 },
	  { -0x1.5cf58a330a705p-2, -0x1.3158ad3d0536cp+4, 0x1.cdde93c588634p+2 },
	  { 0x1.5cf58a330a705p-2, -0x1.cdde93c588634p+2, 0x1.3158ad3d05369p+4 },
	  0x1.1285cdc518a28p-2 },
	{ 33,
	  1000,
	  1,
	  { 0x1.9p+8, 0x1.9p+7, 0x1.f4p+8, 0x1.ee09ba4bfffffp-1, 0x1.9p+7, 0x1.5ep+9 },
	  { 0x1.6cp+4, -0x1.b400000000001p+5, 0x1.319999999999ap+5 },
	  { -0x1.6cp+4, -0x1.319999999999ap+5, 0x1.b400000000001p+5 },
	  0x1.8347bb7c50bc4p-3 },
	{ 64,
	  4999,
	  0,
	  { 0x1.11bc37b8p+7, 0x1.fef33a9p+6, 0x1.2f1501fp+7, 0x1.ef3953907bdf7p-1, 0x1.4fcfb34p+4,
	    0x1.6b517bcffffffp+7 },
	  { -0x1.a49188d116ee1p+3, -0x1.3ffd16763bc07p+4, -0x1.33604d909ccc7p+1 },
	  { 0x1.a49188d116ee1p+3, 0x1.33604d909ccbbp+1, 0x1.3ffd16763bc05p+4 },
	  0x1.d031737e1b03ap-11 },
	{ 64,
	  4999,
	  1,
	  { 0x1.f4p+7, 0x1.9p+7, 0x1.9p+8, 0x1.ef3953907bdf7p-1, 0x1.2cp+7, 0x1.2cp+9 },
	  { -0x1.0333333333333p+6, -0x1.a8p+6, -0x1.8p+1 },
	  { 0x1.0333333333333p+6, 0x1.8p+1, 0x1.a8p+6 },
	  0x1.936a3dccdf15ep-13 },
	{ 101,
	  20000,
	  0,
	  { 0x1.339690ep+7, 0x1.0680e29p+7, 0x1.4b2b5498p+7, 0x1.e86ce97cba304p-1, 0x1.d99af1cp+4,
	    0x1.81d752dp+7 },
	  { 0x1.b73c5a1d1e633p-6, -0x1.0d5a254bf2b47p+4, 0x1.aed153d18ab91p+2 },
	  { -0x1.b73c5a1d1e633p-6, -0x1.aed153d18ab9ep+2, 0x1.0d5a254bf2b46p+4 },
	  0x1.93b1e35916e83p-5 },
	{ 101,
	  20000,
	  1,
	  { 0x1.9p+8, 0x1.9p+7, 0x1.f4p+8, 0x1.e86ce97cba304p-1, 0x1.9p+7, 0x1.5ep+9 },
	  { 0x1.6cp+4, -0x1.b400000000001p+5, 0x1.319999999999ap+5 },
	  { -0x1.6cp+4, -0x1.319999999999ap+5, 0x1.b400000000001p+5 },
	  0x1.819e5b8983fc2p-6 },
	{ 1000,
	  1,
	  0,
	  { 0x1.28a4210cp+7, 0x1.22a04bp+7, 0x1.2d89304p+7, 0x1.e84c852a7ced9p-1, 0x1.872381ap+4,
	    0x1.848a0928p+7 },
	  { 0x1.6598ca6cdad19p+3, 0x1.2de40d73b2ee5p+3, 0x1.91cc825353c44p+3 },
	  { -0x1.6598ca6cdad19p+3, -0x1.91cc825353c45p+3, -0x1.2de40d73b2ee6p+3 },
	  0x1.0e2ab7debc6b9p-1 },
	{ 1000,
	  1,
	  1,
	  { 0x1.2cp+8, 0x1.2cp+8, 0x1.9p+8, 0x1.e84c852a7ced9p-1, 0x1.9p+7, 0x1.5ep+9 },
	  { 0x1.f555555555556p+4, 0x1.f555555555556p+4, 0x1.84p+5 },
	  { -0x1.f555555555556p+4, -0x1.84p+5, -0x1.f555555555556p+4 },
	  0x1.61105f16da91bp-1 },
	{ 4999,
	  2,
	  0,
	  { 0x1.2df9be5p+7, 0x1.2b14a47p+7, 0x1.30c959d8p+7, 0x1.e7964062d5506p-1, 0x1.8f293acp+4,
	    0x1.860adee4p+7 },
	  { 0x1.d533fd6ece92p+2, 0x1.48ff317bbe3fap+0, 0x1.aca3d3ec48bcep+3 },
	  { -0x1.d533fd6ece92p+2, -0x1.aca3d3ec48bcep+3, -0x1.48ff317bbe3fap+0 },
	  0x1.314a555bcaa84p-1 },
	{ 4999,
	  2,
	  1,
	  { 0x1.9p+8, 0x1.2cp+8, 0x1.9p+8, 0x1.e7964062d5506p-1, 0x1.9p+7, 0x1.5ep+9 },
	  { 0x1.1dp+5, -0x1.8p+1, 0x1.84p+5 },
	  { -0x1.1dp+5, -0x1.84p+5, 0x1.8p+1 },
	  0x1.74e8b75e8330ap-1 },
	{ 20000,
	  3,
	  0,
	  { 0x1.2ca71318p+7, 0x1.2b7012bp+7, 0x1.2de8e9b8p+7, 0x1.e7295fe7fd49p-1, 0x1.8ef967p+4,
	    0x1.85d37f58p+7 },
	  { 0x1.89d2962bef519p+3, -0x1.41f9437df8232p+2, 0x1.28fa36399ef22p+4 },
	  { -0x1.89d2962bef519p+3, -0x1.28fa36399ef22p+4, 0x1.41f9437df8232p+2 },
	  0x1.c7dd84fd1ea62p-2 },
	{ 20000,
	  3,
	  1,
	  { 0x1.9p+8, 0x1.2cp+8, 0x1.9p+8, 0x1.e7295fe7fd49p-1, 0x1.9p+7, 0x1.5ep+9 },
	  { 0x1.84p+5, -0x1.2aaaaaaaaaaabp+5, 0x1.29p+6 },
	  { -0x1.84p+5, -0x1.29p+6, 0x1.2aaaaaaaaaaabp+5 },
	  0x1.384ef246e08bbp-1 },
};

/* Equal within 1e-12 relative: for what libm computes (the interval's
 * binomial level, the p-value's normal tail), whose exp, lgamma and erfc may
 * differ in the last bits between glibc on x86_64 and on aarch64. */
static void close_enough(double got, double want, size_t row, const char *what)
{
	if (!(fabs(got - want) <= 1e-12 * fabs(want)) && memcmp(&got, &want, sizeof(got)))
		fail_msg("row %zu (n=%zu, %zu, ties %d) %s: %a, pinned %a", row, pins[row].na,
			 pins[row].nb, pins[row].ties, what, got, want);
}

/* Equal as bits, NaN included: sample values, order statistics and the
 * arithmetic on them, which IEEE 754 fixes on every architecture. */
static void same(double got, double want, size_t row, const char *what)
{
	if (memcmp(&got, &want, sizeof(got)))
		fail_msg("row %zu (n=%zu, %zu, ties %d) %s: %a, pinned %a", row, pins[row].na,
			 pins[row].nb, pins[row].ties, what, got, want);
}

static void test_pinned(void **state)
{
	(void)state;
	static const size_t sizes[] = {
		1, 2, 3, 5, 6, 7, 10, 11, 20, 33, 64, 101, 1000, 4999, 20000
	};
	static double a[20000], b[20000];
	size_t row = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int ties = 0; ties < 2; ties++, row++) {
			size_t na = sizes[i], nb = sizes[(i + 3) % 15];
			assert_int_equal(pins[row].na, na);
			assert_int_equal(pins[row].nb, nb);
			fill(a, na, 7 + (uint32_t)i, ties, 100);
			fill(b, nb, 99 + (uint32_t)i, ties, 103);
			struct vb_stats st;
			stats__compute(a, na, &st);
			const double s[6] = { st.median,   st.ci_low, st.ci_high,
					      st.ci_level, st.mad,    st.p95 };
			for (int k = 0; k < 6; k++)
				if (k == 3)
					close_enough(s[k], pins[row].st[k], row, "ci_level");
				else
					same(s[k], pins[row].st[k], row, "stats");
			struct vb_overhead thr, tim;
			stats__overhead(a, na, b, nb, true, &thr);
			stats__overhead(a, na, b, nb, false, &tim);
			const double t[6] = { thr.percent, thr.ci_low, thr.ci_high,
					      tim.percent, tim.ci_low, tim.ci_high };
			for (int k = 0; k < 3; k++) {
				same(t[k], pins[row].thr[k], row, "throughput overhead");
				same(t[3 + k], pins[row].time[k], row, "time overhead");
			}
			close_enough(stats__mann_whitney_p(a, na, b, nb), pins[row].p, row, "p");
		}
	assert_int_equal(row, sizeof(pins) / sizeof(pins[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
