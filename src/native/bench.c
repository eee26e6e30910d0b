#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "native/bench.h"

uint64_t native__share(uint64_t total, unsigned n, unsigned i)
{
	return total / n + (i < total % n ? 1 : 0);
}

struct vb_result *native__result(const char *benchmark, const char *metric, const char *unit,
				 bool higher_is_better, unsigned threads, struct vb_err *err)
{
	struct vb_result *r = result__new(benchmark, "native", metric, unit, higher_is_better);
	if (!r) {
		err__set(err, ENOMEM, "%s", benchmark);
		return NULL;
	}
	result__set_config(r, "threads", "%u", threads);
	return r;
}

void native__drop(struct vb_result **results, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		result__free(results[i]);
		results[i] = NULL;
	}
}

int native__keep(struct vb_result_set *out, struct vb_result **results, unsigned n,
		 struct vb_err *err)
{
	for (unsigned i = 0; i < n; i++) {
		if (!results[i])
			continue;
		native__config_build(results[i]);
		if (result_set__add(out, results[i]) < 0) {
			native__drop(results + i, n - i);
			return err__set(err, ENOMEM, "result set");
		}
		results[i] = NULL;
	}
	return 0;
}

void native__size_str(char *out, size_t size, uint64_t b)
{
	if (b >= (1ull << 30) && b % (1ull << 30) == 0)
		snprintf(out, size, "%" PRIu64 "G", b >> 30);
	else if (b >= (1ull << 20) && b % (1ull << 20) == 0)
		snprintf(out, size, "%" PRIu64 "M", b >> 20);
	else if (b >= 1024 && b % 1024 == 0)
		snprintf(out, size, "%" PRIu64 "K", b >> 10);
	else
		snprintf(out, size, "%" PRIu64, b);
}

/* Every thread did some of its work before the stop. */
static bool measured_all(const struct wl_report *reps, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!reps[i].elapsed_ns || !(reps[i].loads || reps[i].events) || reps[i].error)
			return false;
	return true;
}

int native__rates(uint32_t kind, const struct wl_report *reps, unsigned n, int run_rc, bool partial,
		  struct rates *s, struct vb_err *err)
{
	if (run_rc < 0 && partial && err && err->errnum == EINTR && measured_all(reps, n)) {
		struct vb_err ignore = { 0 };
		return rates__from_reports(kind, reps, n, s, &ignore) == 0 ? VB_ITER_CUT_SHORT
									   : run_rc;
	}
	if (run_rc < 0)
		return run_rc;
	return rates__from_reports(kind, reps, n, s, err);
}

static int run_summary(uint32_t kind, struct wl_job *jobs, unsigned n, struct rates *s,
		       bool partial, struct vb_err *err)
{
	struct wl_report *reps = calloc(n, sizeof(*reps));
	if (!reps)
		return err__set(err, ENOMEM, "native: reports");
	int rc =
		native__rates(kind, reps, n, native__run_jobs(jobs, n, reps, err), partial, s, err);
	free(reps);
	return rc;
}

int native__run_summary(uint32_t kind, struct wl_job *jobs, unsigned n, struct rates *s,
			struct vb_err *err)
{
	return run_summary(kind, jobs, n, s, false, err);
}

int native__run_summary_partial(uint32_t kind, struct wl_job *jobs, unsigned n, struct rates *s,
				struct vb_err *err)
{
	return run_summary(kind, jobs, n, s, true, err);
}

int native__finish(struct vb_result_set *out, struct vb_result **results, unsigned n, int rc,
		   const char *what, struct vb_err *err)
{
	if (rc == 0)
		return native__keep(out, results, n, err);
	if (err && err->errnum == EINTR) {
		struct vb_err kept = { 0 };
		out->incomplete = true;
		for (unsigned i = 0; i < n; i++) /* nothing measured: nothing to keep */
			if (results[i] && results[i]->nsamples == 0) {
				result__free(results[i]);
				results[i] = NULL;
			}
		if (native__keep(out, results, n, &kept) < 0)
			return err__set(err, ENOMEM, "%s", what);
		return -1;
	}
	native__drop(results, n);
	return err__wrap(err, "%s", what);
}
