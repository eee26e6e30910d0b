/* container density: N containers started at once (1, 2, 4 ... up to the
 * list's end or the first failure), each worker serving its open stdin so
 * all are up together; start rate and the time until the last is ready. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "core/output.h"

#define BENCH	   VB_BENCH_CONTAINER_DENSITY
#define TIMEOUT_MS 120000

struct dens_ctx {
	struct ct_driver *d;
	unsigned n;
	struct ct_inst *in;
};

static int dens_iter(void *ctx, unsigned it, bool warmup, double *v, struct vb_err *err)
{
	struct dens_ctx *c = ctx;
	static const char *const args[] = { "--marker", "density", NULL };
	struct ct_start s = { .args = args, .keep_stdin = true };
	unsigned started = 0;
	int rc = 0;
	for (unsigned i = 0; i < c->n; i++)
		ct_inst__init(&c->in[i]);
	for (; started < c->n && rc == 0; started++) {
		if (interrupt__pending()) {
			rc = err__set(err, EINTR, "interrupted");
			break;
		}
		rc = c->d->ops->start(c->d, &s, &c->in[started], err);
		if (rc < 0 && c->in[started].created)
			started++; /* half-started: still needs its teardown */
		if (rc < 0)
			break;
	}
	uint64_t last = 0;
	for (unsigned i = 0; rc == 0 && i < c->n; i++) {
		rc = ct_inst__wait_ready(&c->in[i], TIMEOUT_MS, err);
		if (rc == 0 && c->in[i].t_ready_ns > last)
			last = c->in[i].t_ready_ns;
	}
	/* The worker stamps its readiness with CLOCK_MONOTONIC; a runtime that
	 * gives it another clock (a time namespace, a VM) makes the figure
	 * meaningless, and a negative time is refused rather than recorded. */
	if (rc == 0 && last < c->in[0].t_spawn_ns)
		rc = err__set(err, 0,
			      "the worker's ready time precedes its start: %s does not "
			      "share the host's monotonic clock",
			      c->d->name);
	if (rc == 0) {
		double all_ms = (double)(last - c->in[0].t_spawn_ns) / 1e6;
		v[0] = all_ms;
		v[1] = all_ms > 0 ? c->n / (all_ms / 1000.0) : 0;
	}
	/* End them all: EOF on stdin ends the serving worker; then remove. */
	for (unsigned i = 0; i < started; i++)
		if (c->in[i].in_fd >= 0) {
			if (c->in[i].proc.pid > 0)
				c->in[i].proc.in_fd = -1;
			close(c->in[i].in_fd);
			c->in[i].in_fd = -1;
		}
	for (unsigned i = 0; i < started; i++) {
		struct vb_err e = { 0 };
		if (rc == 0 && ct_inst__wait_exit(&c->in[i], TIMEOUT_MS, &e) < 0) {
			*err = e;
			rc = -1;
		}
		struct vb_err terr = { 0 };
		if (c->d->ops->teardown(c->d, &c->in[i], &terr) < 0 && rc == 0) {
			*err = terr;
			rc = -1;
		}
	}
	return rc;
}

static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* One runtime, growing N; stops at the first failure (a limit). */
static int measure(const struct container_opts *o, struct ct_driver *d, struct vb_result_set *out,
		   struct vb_err *err)
{
	for (unsigned k = 0; k < o->ncounts; k++) {
		unsigned n = o->counts[k];
		struct dens_ctx c = { .d = d, .n = n, .in = calloc(n, sizeof(struct ct_inst)) };
		if (!c.in)
			return err__set(err, ENOMEM, "instances");
		struct vb_result *r[2] = {
			result__new(BENCH, d->name, VB_METRIC_ALL_READY_MS, "ms", false),
			result__new(BENCH, d->name, VB_METRIC_START_RATE_PER_SEC, "containers/s",
				    true),
		};
		if (!r[0] || !r[1]) {
			result__free(r[0]);
			result__free(r[1]);
			free(c.in);
			return err__set(err, ENOMEM, "result");
		}
		for (int i = 0; i < 2; i++) {
			result__set_config(r[i], VB_CFG_CONTAINERS, "%u", n);
			result__set_config(r[i], VB_CFG_IMAGE, "%s", CT_WORKER_IMAGE);
			if (d->note[0])
				snprintf(r[i]->note, sizeof(r[i]->note), "%s", d->note);
		}
		struct vb_run_opts run = o->run;
		char label[64];
		snprintf(label, sizeof(label), "density %s x%u", d->name, n);
		run.label = o->quiet ? NULL : label;
		struct vb_err e = { 0 };
		int rc = runner__run(&run, dens_iter, &c, r, 2, &e);
		free(c.in);
		if (rc < 0) {
			result__free(r[0]);
			result__free(r[1]);
			if (interrupt__pending()) {
				out->incomplete = true;
				return err__set(err, EINTR, "interrupted");
			}
			result_set__skip(out, BENCH, d->name, "stopped at %u containers: %s", n,
					 e.msg);
			if (!o->silent)
				warn__("%s: density stopped at %u containers: %s", d->name, n,
				       e.msg);
			return 0;
		}
		result_set__add(out, r[0]);
		result_set__add(out, r[1]);
	}
	return 0;
}

int container_bench__density(const struct container_opts *o, struct vb_result_set *out,
			     struct vb_err *err)
{
	raise_fd_limit();
	struct ct_session s;
	if (ct_session__open(&s, o, BENCH, out, err) < 0)
		return err__wrap(err, "container density");
	int rc = 0;
	for (int i = 0; rc == 0 && i < CT_RT_COUNT; i++)
		if (s.usable[i])
			rc = measure(o, &s.drv[i], out, err);
	ct_session__close(&s);
	return rc < 0 ? err__wrap(err, "container density") : 0;
}
