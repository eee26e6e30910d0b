/* Summary statistics of a sample set. The 95% confidence interval of the
 * median is distribution-free, from order statistics (binomial ranks), so it
 * is exact for any continuous distribution and needs no random resampling. */
#ifndef VB_CORE_STATS_H
#define VB_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct vb_stats {
	size_t n;
	double min, max, mean, median, stdev, p95;
	double ci_low, ci_high; /* 95% interval of the median */
	double ci_level;	/* confidence actually reached: < 0.95 when n < 6 */
	double mad;		/* median absolute deviation (unscaled) */
	size_t outliers;	/* samples with modified Z-score > 3.5 */
};

/* Fills *st from n samples (n may be 0: everything is NaN, n = 0). */
void stats__compute(const double *x, size_t n, struct vb_stats *st);
/* Linear-interpolated quantile q in [0,1] of an ascending sorted array. */
double stats__quantile_sorted(const double *sorted, size_t n, double q);
/* Modified Z-score (Iglewicz and Hoaglin): 0.6745 (x - median) / MAD. */
bool stats__is_outlier(double x, double median, double mad);
/* Relative half-width of the median interval: (hi - lo) / 2 / |median|. */
double stats__rel_ci_halfwidth(const struct vb_stats *st);

/* Overhead of `virt` against `base` in percent, with a 95% interval from a
 * deterministic bootstrap of the ratio of medians. higher_is_better tells the
 * direction: throughput overhead = (native - virtual) / native * 100, time
 * overhead = (virtual - native) / native * 100. */
struct vb_overhead {
	double percent, ci_low, ci_high;
};
void stats__overhead(const double *base, size_t nb, const double *virt, size_t nv,
		     bool higher_is_better, struct vb_overhead *out);

/* Two-sided Mann-Whitney U test p-value (normal approximation with tie
 * correction; exact enumeration is not needed at the sizes used here). */
double stats__mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

#endif
