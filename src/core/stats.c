#include "core/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double stats__quantile_sorted(const double *sorted, size_t n, double q)
{
	if (n == 0 || isnan(q))
		return NAN;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	/* Hyndman-Fan type 7 (R's default, numpy's "linear"). */
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return sorted[n - 1];
	double frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

bool stats__is_outlier(double x, double median, double mad)
{
	if (!(mad > 0) || isnan(x) || isnan(median))
		return false;
	return fabs(0.6745 * (x - median) / mad) > 3.5;
}

double stats__rel_ci_halfwidth(const struct vb_stats *st)
{
	if (st->n == 0 || isnan(st->ci_low) || isnan(st->ci_high) || isnan(st->median))
		return NAN;
	double w = (st->ci_high - st->ci_low) / 2;
	if (st->median == 0)
		return w == 0 ? 0 : INFINITY;
	return w / fabs(st->median);
}

/* Rank k (1-based) of the median interval [x(k), x(n-k+1)]: the largest k
 * whose coverage 1 - 2 P(B(n, 1/2) <= k-1) is still >= 95%. Below n = 6 no k
 * reaches 95%, so k = 1 (the whole range) with the coverage it has. The
 * binomial tail is summed in log space, starting 8 sd below the mean where
 * the omitted mass is far below double precision. */
static size_t median_ci_rank(size_t n, double *level)
{
	double nd = (double)n;
	double start = floor(nd / 2 - 8 * sqrt(nd) / 2);
	size_t i = start > 0 ? (size_t)start : 0;
	double lpmf =
		lgamma(nd + 1) - lgamma((double)i + 1) - lgamma(nd - (double)i + 1) - nd * log(2.0);
	double cdf = 0;
	size_t k = 1;
	*level = 1 - 2 * exp(-nd * log(2.0)); /* k = 1: P(B <= 0) = 2^-n */
	for (; i + 1 <= (n + 1) / 2; i++) {
		cdf += exp(lpmf); /* P(B <= i): the coverage of rank i + 1 */
		double cov = 1 - 2 * cdf;
		if (cov < 0.95)
			break;
		if (i + 1 > k) {
			k = i + 1;
			*level = cov;
		}
		lpmf += log((nd - (double)i) / ((double)i + 1));
	}
	return k;
}

void stats__compute(const double *x, size_t n, struct vb_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->n = n;
	if (n == 0) {
		st->min = st->max = st->mean = st->median = st->stdev = st->p95 = NAN;
		st->ci_low = st->ci_high = st->ci_level = st->mad = NAN;
		return;
	}
	double *s = malloc(n * sizeof(*s));
	if (!s) {
		st->n = 0;
		st->min = st->max = st->mean = st->median = st->stdev = st->p95 = NAN;
		st->ci_low = st->ci_high = st->ci_level = st->mad = NAN;
		return;
	}
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	st->min = s[0];
	st->max = s[n - 1];
	/* Welford: stable for large, close values (nanosecond timestamps). */
	double mean = 0, m2 = 0;
	for (size_t i = 0; i < n; i++) {
		double d = s[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (s[i] - mean);
	}
	st->mean = mean;
	st->stdev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
	st->median = stats__quantile_sorted(s, n, 0.5);
	st->p95 = stats__quantile_sorted(s, n, 0.95);

	double level;
	size_t k = median_ci_rank(n, &level);
	st->ci_low = s[k - 1];
	st->ci_high = s[n - k];
	st->ci_level = level;

	/* MAD: reuse the buffer for the absolute deviations. */
	double mean_ad = 0;
	for (size_t i = 0; i < n; i++) {
		s[i] = fabs(s[i] - st->median);
		mean_ad += s[i];
	}
	mean_ad /= (double)n;
	qsort(s, n, sizeof(*s), cmp_double);
	st->mad = stats__quantile_sorted(s, n, 0.5);
	free(s);

	/* When more than half the samples are equal the MAD is 0 and the
	 * modified Z-score is undefined; the usual fallback scales the mean
	 * absolute deviation instead (1.253314 * meanAD ~ 1.4826 * MAD for a
	 * normal distribution), so a lone far sample is still flagged. */
	double scale = st->mad;
	if (!(scale > 0) && mean_ad > 0)
		scale = 1.253314 * mean_ad / 1.4826;
	for (size_t i = 0; i < n; i++)
		if (stats__is_outlier(x[i], st->median, scale))
			st->outliers++;
}

/* xorshift64*: a fixed seed makes the bootstrap, and so every report,
 * reproducible bit for bit. */
static uint64_t xorshift64s(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static double overhead_of(double mb, double mv, bool higher_is_better)
{
	return higher_is_better ? (mb - mv) / mb * 100 : (mv - mb) / mb * 100;
}

/* The median of a sorted array: the middle value, or the mean of the two
 * middle values (written as (lo + hi) / 2 so that it rounds the same way
 * wherever a median of a resample is taken). */
static double median_of(double lo, double hi, size_t n)
{
	return n % 2 ? hi : (lo + hi) / 2;
}

struct ranked {
	double v;
	size_t i; /* position in the input (Mann-Whitney: the group) */
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

/* One side of the bootstrap. A resample is n draws of an index; its median
 * depends only on which positions of the sorted samples were drawn, so each
 * draw is turned into its rank and counted. Almost every resample median
 * lies within 4 sqrt(n) ranks of the middle (8 standard deviations of a
 * binomial count), so only draws inside that window are kept and counted:
 * O(n) per resample, no values moved, and the very same median as taking
 * the middle of the drawn values. A resample whose middle falls outside the
 * window (about never) is drawn again from the same state over all ranks. */
struct boot_side {
	size_t n;
	double *sorted;	 /* the samples, ascending */
	uint32_t *rank;	 /* rank[i]: position of sample i in sorted */
	uint32_t *win;	 /* ranks of the draws inside the window */
	uint32_t *count; /* per rank of the window (or of all ranks) */
	size_t lo, hi;	 /* the window of ranks, inclusive */
};

static void boot_side__free(struct boot_side *b)
{
	free(b->sorted);
	free(b->rank);
	free(b->win);
	free(b->count);
}

static int boot_side__init(struct boot_side *b, const double *x, size_t n)
{
	memset(b, 0, sizeof(*b));
	b->n = n;
	struct ranked *r = malloc(n * sizeof(*r));
	b->sorted = malloc(n * sizeof(*b->sorted));
	b->rank = malloc(n * sizeof(*b->rank));
	b->win = malloc(n * sizeof(*b->win));
	b->count = calloc(n, sizeof(*b->count));
	if (!r || !b->sorted || !b->rank || !b->win || !b->count || n > UINT32_MAX) {
		free(r);
		boot_side__free(b);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ x[i], i };
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n; i++) {
		b->sorted[i] = r[i].v;
		b->rank[r[i].i] = (uint32_t)i;
	}
	free(r);
	double half = 4 * sqrt((double)n);
	double mid = (double)(n / 2);
	b->lo = mid - half > 0 ? (size_t)(mid - half) : 0;
	b->hi = mid + half < (double)(n - 1) ? (size_t)(mid + half) : n - 1;
	return 0;
}

/* The rank at position t (0-based) among the counted ranks lo..hi. */
static size_t counted_at(const uint32_t *count, size_t lo, size_t hi, size_t t)
{
	size_t seen = 0;
	for (size_t r = lo; r < hi; r++) {
		seen += count[r - lo];
		if (seen > t)
			return r;
	}
	return hi;
}

/* Draws one resample from *state, keeping the ranks within [lo, hi], and
 * writes its median. False when the middle of the resample lies outside. */
static bool boot_side__try(struct boot_side *b, uint64_t *state, size_t lo, size_t hi,
			   double *median)
{
	size_t n = b->n, below = 0, m = 0;
	uint32_t width = (uint32_t)(hi - lo);
	/* x % n without a division per draw: q = x * floor((2^64 - 1) / n) / 2^64
	 * is floor(x / n) or one less, so one correction gives the exact
	 * remainder, the same index as ever. */
	uint64_t inv = UINT64_MAX / n;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = xorshift64s(state);
		uint64_t q = (uint64_t)(((unsigned __int128)x * inv) >> 64);
		uint64_t idx = x - q * n;
		if (idx >= n)
			idx -= n;
		uint32_t r = b->rank[idx];
		below += r < lo;
		b->win[m] = r;
		m += (uint32_t)(r - (uint32_t)lo) <= width;
	}
	size_t k_hi = n / 2, k_lo = n % 2 ? k_hi : k_hi - 1;
	if (below > k_lo || below + m <= k_hi)
		return false;
	memset(b->count, 0, (hi - lo + 1) * sizeof(*b->count));
	for (size_t i = 0; i < m; i++)
		b->count[b->win[i] - lo]++;
	size_t r_lo = counted_at(b->count, lo, hi, k_lo - below);
	size_t r_hi = k_hi == k_lo ? r_lo : counted_at(b->count, lo, hi, k_hi - below);
	*median = median_of(b->sorted[r_lo], b->sorted[r_hi], n);
	return true;
}

static double boot_side__resample(struct boot_side *b, uint64_t *state)
{
	uint64_t saved = *state;
	double median;
	if (!boot_side__try(b, state, b->lo, b->hi, &median)) {
		*state = saved;
		boot_side__try(b, state, 0, b->n - 1, &median); /* cannot miss */
	}
	return median;
}

/* k-th smallest (0-based) by selection, partially reordering a: O(n) on
 * average where a sort is O(n log n), and a comparison makes one per row. */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return a[k];
	}
	return a[k];
}

/* stats__quantile_sorted of the sorted a, without sorting it: the two
 * neighbouring order statistics it interpolates between, found by
 * selection, and the same arithmetic. 0 < q < 1. */
static double quantile_unsorted(double *a, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return select_kth(a, n, n - 1);
	double x = select_kth(a, n, lo);
	/* After selection everything right of lo is >= a[lo]. */
	double next = a[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		if (a[i] < next)
			next = a[i];
	double frac = h - (double)lo;
	return x + frac * (next - x);
}

#define BOOT_RESAMPLES 2000

void stats__overhead(const double *base, size_t nb, const double *virt, size_t nv,
		     bool higher_is_better, struct vb_overhead *out)
{
	out->percent = out->ci_low = out->ci_high = NAN;
	if (nb == 0 || nv == 0)
		return;
	struct boot_side sb, sv;
	if (boot_side__init(&sb, base, nb) < 0)
		return;
	if (boot_side__init(&sv, virt, nv) < 0) {
		boot_side__free(&sb);
		return;
	}
	double *boot = malloc(BOOT_RESAMPLES * sizeof(*boot));
	if (!boot)
		goto out;
	double mb = median_of(sb.sorted[(nb - 1) / 2], sb.sorted[nb / 2], nb);
	double mv = median_of(sv.sorted[(nv - 1) / 2], sv.sorted[nv / 2], nv);
	if (mb == 0 || !isfinite(mb) || !isfinite(mv))
		goto out;
	out->percent = overhead_of(mb, mv, higher_is_better);

	/* One stream for both sides, base first: the order of the draws is
	 * part of the result and is kept as it always was. */
	uint64_t state = 0x9E3779B97F4A7C15ULL;
	size_t nboot = 0;
	for (int r = 0; r < BOOT_RESAMPLES; r++) {
		double rb = boot_side__resample(&sb, &state);
		double rv = boot_side__resample(&sv, &state);
		if (rb == 0)
			continue;
		boot[nboot++] = overhead_of(rb, rv, higher_is_better);
	}
	if (nboot == 0)
		goto out;
	out->ci_low = quantile_unsorted(boot, nboot, 0.025);
	out->ci_high = quantile_unsorted(boot, nboot, 0.975);
	/* A percentile interval of a skewed statistic can, with few samples,
	 * miss the point estimate; widen it so the report never shows a figure
	 * outside its own interval. */
	if (out->percent < out->ci_low)
		out->ci_low = out->percent;
	if (out->percent > out->ci_high)
		out->ci_high = out->percent;
out:
	boot_side__free(&sb);
	boot_side__free(&sv);
	free(boot);
}

double stats__mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	if (na == 0 || nb == 0)
		return NAN;
	size_t n = na + nb;
	struct ranked *all = malloc(n * sizeof(*all));
	if (!all)
		return NAN;
	for (size_t i = 0; i < na; i++)
		all[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		all[na + i] = (struct ranked){ b[i], 1 };
	qsort(all, n, sizeof(*all), cmp_ranked);
	double rank_a = 0, ties = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && all[j + 1].v == all[i].v)
			j++;
		double t = (double)(j - i + 1);
		double avg = ((double)i + (double)j) / 2 + 1; /* average 1-based rank */
		for (size_t k = i; k <= j; k++)
			if (all[k].i == 0)
				rank_a += avg;
		ties += t * t * t - t;
		i = j + 1;
	}
	free(all);
	double dna = (double)na, dnb = (double)nb, dn = (double)n;
	double u = rank_a - dna * (dna + 1) / 2;
	double mu = dna * dnb / 2;
	double var = dna * dnb / 12 * ((dn + 1) - ties / (dn * (dn - 1)));
	if (!(var > 0))
		return 1.0; /* all values equal: no evidence of a difference */
	double z = (fabs(u - mu) - 0.5) / sqrt(var); /* continuity correction */
	if (z < 0)
		z = 0;
	double p = erfc(z / sqrt(2.0));
	return p > 1 ? 1 : p;
}
