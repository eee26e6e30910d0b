/* container cpu / memory: the seed's sysbench configurations run by the
 * same worker binary natively and in each runtime, alternating within every
 * iteration (the order rotates, so drift of a noisy host spreads evenly),
 * with overhead_percent against native and its interval. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "core/output.h"

struct wl_ctx {
#define WL_NPLAT (CT_NDRV + 2 * CT_MAX_IMAGES + 1)
	struct ct_driver *plat[WL_NPLAT]; /* [0] native, then runtimes, then images */
	unsigned nplat;
	bool failed[WL_NPLAT];
	char why[WL_NPLAT][256];
	struct wl_job job;
	bool hist, memory;
	int timeout_ms;
	struct rates_batch batch; /* one run's reports, every platform in turn */
};

/* The figure of one run: the rates every platform computes alike. */
double container_bench__value(bool memory, const struct rates *r)
{
	return memory ? r->mib_per_sec : r->events_per_sec;
}

static int wl_iter(void *ctx, unsigned it, bool warmup, double *v, struct vb_err *err)
{
	struct wl_ctx *c = ctx;
	char buf[VBP_LINE_MAX];
	const char *args[CT_MAX_ARGS];
	if (ct__job_args(&c->job, c->hist, buf, sizeof(buf), args, CT_MAX_ARGS) < 0)
		return err__set(err, E2BIG, "job arguments");
	for (unsigned k = 0; k < c->nplat; k++) {
		unsigned p = (k + it) % c->nplat;
		/* A runtime that failed keeps a placeholder: its result is
		 * dropped and the failure recorded as a skip afterwards. */
		v[p] = 0;
		if (c->failed[p])
			continue;
		if (interrupt__pending())
			return err__set(err, EINTR, "interrupted");
		struct rates rt;
		struct vb_err e = { 0 };
		if (ct__run_once(c->plat[p], args, c->timeout_ms, &c->batch, &rt, NULL, NULL, NULL,
				 &e) < 0) {
			if (interrupt__pending())
				return err__set(err, EINTR, "interrupted");
			if (p == 0) { /* native failing means nothing compares */
				*err = e;
				return -1;
			}
			c->failed[p] = true;
			snprintf(c->why[p], sizeof(c->why[p]), "%.255s", e.msg);
			continue;
		}
		v[p] = container_bench__value(c->memory, &rt);
	}
	return 0;
}

/* The seed's sysbench configurations: cpu for time_s, memory writes of the
 * per-thread share of mem_total. */
static void make_job(const struct container_opts *o, struct wl_ctx *c, unsigned threads)
{
	struct wl_job *j = &c->job;
	j->threads = threads;
	j->time_ns = (uint64_t)(o->time_s * 1e9);
	if (c->memory) {
		j->kind = WL_MEMORY;
		j->mem_oper = WL_MEM_WRITE;
		j->mem_sysbench = 1;
		j->mem_block_size = o->mem_block;
		j->mem_total_size = o->mem_total / threads; /* sysbench's per-thread share */
		j->buf_size = o->mem_block;
		c->hist = true;
		/* sysbench's --time=10 stays the upper bound of a memory run. */
		if (j->time_ns < 10000000000ull)
			j->time_ns = 10000000000ull;
	} else {
		j->kind = WL_CPU;
		j->cpu_max_prime = o->cpu_max_prime;
	}
}

static struct vb_result *make_result(const struct container_opts *o, const char *bench,
				     const struct ct_driver *d, unsigned threads)
{
	bool memory = !strcmp(bench, VB_BENCH_CONTAINER_MEMORY);
	struct vb_result *r = result__new(bench, d->name,
					  memory ? VB_METRIC_MIB_PER_SEC : VB_METRIC_EVENTS_PER_SEC,
					  memory ? "MiB/s" : "events/s", true);
	if (!r)
		return NULL;
	result__set_config(r, VB_CFG_THREADS, "%u", threads);
	result__set_config(r, VB_CFG_IMAGE, "%s", d->user_image ? d->image : CT_WORKER_IMAGE);
	if (memory) {
		result__set_config(r, VB_CFG_BLOCK_SIZE, "%llu", (unsigned long long)o->mem_block);
		result__set_config(r, VB_CFG_TOTAL_SIZE, "%llu", (unsigned long long)o->mem_total);
	} else {
		result__set_config(r, VB_CFG_TIME_S, "%g", o->time_s);
		result__set_config(r, VB_CFG_CPU_MAX_PRIME, "%u", o->cpu_max_prime);
	}
	return r;
}

static int run_config(const struct container_opts *o, struct ct_session *s, const char *bench,
		      unsigned threads, struct vb_result_set *out, struct vb_err *err)
{
	struct wl_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return err__set(err, ENOMEM, "context");
	bool memory = !strcmp(bench, VB_BENCH_CONTAINER_MEMORY);
	c->memory = memory;
	c->plat[c->nplat++] = &s->native;
	for (int i = 0; i < CT_RT_COUNT; i++)
		if (s->usable[i])
			c->plat[c->nplat++] = &s->drv[i];
	for (unsigned k = 0; k < s->nnamed && c->nplat < WL_NPLAT; k++)
		c->plat[c->nplat++] = &s->named[k];
	make_job(o, c, threads);
	struct wl_job *j = &c->job;
	c->timeout_ms = (int)(j->time_ns / 1000000) + 120000;
	if (rates_batch__init(&c->batch, j->kind, threads, err) < 0) {
		free(c);
		return -1;
	}

	struct vb_result *r[WL_NPLAT] = { 0 };
	int rc = 0;
	for (unsigned p = 0; p < c->nplat && rc == 0; p++) {
		r[p] = make_result(o, bench, c->plat[p], threads);
		if (!r[p])
			rc = err__set(err, ENOMEM, "result");
	}
	if (rc < 0)
		goto out;
	struct vb_run_opts run = o->run;
	char label[64];
	snprintf(label, sizeof(label), "%s %u thread%s", bench, threads, threads > 1 ? "s" : "");
	run.label = o->quiet ? NULL : label;
	rc = runner__run(&run, wl_iter, c, r, c->nplat, err);
	if (rc < 0) {
		if (interrupt__pending())
			out->incomplete = true;
		goto out;
	}
	double native_median = r[0]->stats.median;
	for (unsigned p = 1; p < c->nplat; p++) {
		if (c->failed[p]) {
			const struct ct_driver *d = c->plat[p];
			const char *img = d->user_image ? d->image : "";
			result_set__skip(out, bench, d->name, "%s%s%sfailed: %s",
					 *img ? "image " : "", img, *img ? ": " : "", c->why[p]);
			if (!o->silent)
				warn__("%s%s%s: failed: %s", d->name, *img ? " " : "", img,
				       c->why[p]);
			result__free(r[p]);
			r[p] = NULL;
			continue;
		}
		result__set_overhead(r[p], r[0], r[p]);
		result__set_config(
			r[p], memory ? VB_CFG_NATIVE_SPEED_MIB_SEC : VB_CFG_NATIVE_EVENTS_PER_SEC,
			"%.6g", native_median);
	}
	for (unsigned p = 0; p < c->nplat; p++) {
		if (r[p])
			result_set__add(out, r[p]);
		r[p] = NULL;
	}
out:
	for (unsigned p = 0; p < c->nplat; p++)
		result__free(r[p]);
	rates_batch__free(&c->batch);
	free(c);
	return rc;
}

static int bench_workload(const struct container_opts *o, const char *bench,
			  struct vb_result_set *out, struct vb_err *err)
{
	struct ct_session s;
	if (ct_session__open(&s, o, bench, out, err) < 0)
		return err__wrap(err, "%s", bench);
	int rc = 0;
	for (unsigned t = 0; rc == 0 && t < o->nthreads; t++)
		rc = run_config(o, &s, bench, o->threads[t], out, err);
	ct_session__close(&s);
	return rc < 0 ? err__wrap(err, "%s", bench) : 0;
}

int container_bench__cpu(const struct container_opts *o, struct vb_result_set *out,
			 struct vb_err *err)
{
	return bench_workload(o, VB_BENCH_CONTAINER_CPU, out, err);
}

int container_bench__memory(const struct container_opts *o, struct vb_result_set *out,
			    struct vb_err *err)
{
	return bench_workload(o, VB_BENCH_CONTAINER_MEMORY, out, err);
}

int container_bench__run_job(int rt, const struct container_opts *o, const struct wl_job *job,
			     bool hist, struct wl_report *reps, unsigned cap, unsigned *n,
			     struct vb_err *err)
{
	struct container_opts one = *o;
	one.runtimes = rt >= 0 ? 1u << rt : 0;
	one.nimages = 0; /* the worker's image: what the callers compare */
	one.quiet = true;
	one.silent = true;
	struct vb_result_set skips;
	result_set__init(&skips);
	struct ct_session s;
	if (ct_session__open(&s, &one, "container.job", &skips, err) < 0) {
		result_set__free(&skips);
		return -1;
	}
	int rc = 0;
	struct ct_driver *d = rt >= 0 ? &s.drv[rt] : &s.native;
	if (rt >= 0 && !s.usable[rt])
		rc = err__set(err, 0, "%s", skips.nskips ? skips.skips[0].reason : "not usable");
	char buf[VBP_LINE_MAX];
	const char *args[CT_MAX_ARGS];
	if (rc == 0 && ct__job_args(job, hist, buf, sizeof(buf), args, CT_MAX_ARGS) < 0)
		rc = err__set(err, E2BIG, "job arguments");
	struct rates_batch b = { 0 };
	struct rates r;
	unsigned threads = job->threads ? job->threads : 1; /* the worker's default */
	if (rc == 0 && threads > cap)
		rc = err__set(err, EINVAL, "%u threads, room for %u reports", threads, cap);
	if (rc == 0)
		rc = rates_batch__init(&b, job->kind, threads, err);
	if (rc == 0)
		rc = ct__run_once(d, args, 600000, &b, &r, NULL, NULL, NULL, err);
	if (rc == 0) {
		memcpy(reps, b.reps, threads * sizeof(*reps));
		*n = threads;
	}
	rates_batch__free(&b);
	ct_session__close(&s);
	result_set__free(&skips);
	return rc;
}
