#include "report/check.h"

#include <math.h>
#include <string.h>

/* Quantities that can be negative: differences and overheads (a guest can
 * be faster than native, within noise). Everything else measured here is a
 * time, a rate, a size or a count. */
static bool may_be_negative(const struct vb_result *r)
{
	return !strcmp(r->unit, "%") || strstr(r->metric, "overhead") ||
	       strstr(r->metric, "percent") || strstr(r->metric, "diff");
}

size_t check__plausibility(struct vb_result_set *s)
{
	size_t warned = 0;
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *r = s->results[i];
		r->warning[0] = '\0';
		if (may_be_negative(r))
			continue;
		size_t neg = 0, first = 0;
		for (size_t j = 0; j < r->nsamples; j++)
			if (r->samples[j] < 0 && !neg++)
				first = j;
		if (!neg)
			continue;
		result__warn(r,
			     "samples[%zu]: %g is negative, impossible for %s in %s (%zu of %zu "
			     "samples); the statistics include it",
			     first, r->samples[first], r->metric, r->unit[0] ? r->unit : "its unit",
			     neg, r->nsamples);
		warned++;
	}
	return warned;
}

int check__set(struct vb_result_set *s, const char *file, bool allow_empty, struct vb_err *err)
{
	if (s->nresults == 0 && !allow_empty)
		return err__set(err, 0, "%s: results: empty, the file holds no measurement", file);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		static const char *const names[] = { "benchmark", "platform", "metric" };
		const char *vals[] = { r->benchmark, r->platform, r->metric };
		for (size_t k = 0; k < 3; k++)
			if (!vals[k][0])
				return err__set(err, 0, "%s: results[%zu].%s: empty", file, i,
						names[k]);
		if (r->nsamples == 0)
			return err__set(err, 0, "%s: results[%zu].samples: empty (%s %s %s)", file,
					i, r->benchmark, r->platform, r->metric);
		for (size_t j = 0; j < r->nsamples; j++) {
			double v = r->samples[j];
			if (!isfinite(v) || fabs(v) > CHECK_MAX_ABS)
				return err__set(
					err, 0,
					"%s: results[%zu].samples[%zu]: %g is not a plausible "
					"measurement (%s %s %s)",
					file, i, j, v, r->benchmark, r->platform, r->metric);
		}
		if (r->has_overhead) {
			const double ov[] = { r->overhead.percent, r->overhead.ci_low,
					      r->overhead.ci_high };
			static const char *const on[] = { "percent", "ci_low", "ci_high" };
			for (size_t k = 0; k < 3; k++)
				if (isfinite(ov[k]) && fabs(ov[k]) > 1e6)
					return err__set(err, 0,
							"%s: results[%zu].overhead.%s: %g%% is not "
							"a plausible overhead",
							file, i, on[k], ov[k]);
		}
	}
	check__plausibility(s);
	return 0;
}

void check__print_warnings(const struct vb_result_set *s, const char *file, FILE *f, size_t max)
{
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!r->warning[0])
			continue;
		if (total++ < max) {
			fprintf(f, "virtbench: warning: %s: results[%zu] (%s %s %s): %s\n", file, i,
				r->benchmark, r->platform, r->metric, r->warning);
			shown++;
		}
	}
	if (total > shown)
		fprintf(f, "virtbench: warning: %s: %zu more results with a warning\n", file,
			total - shown);
}
