/* container startup: per runtime, time to ready (spawn to the worker's
 * first instruction), time to exit (a no-op run to completion) and
 * teardown; the unshare+exec floor in the same run; and for docker/podman
 * the seed's own definition (`run -d` until `inspect` says Running). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/interrupt.h"
#include "core/output.h"

#define BENCH	   "container.startup"
#define TIMEOUT_MS 60000

static int startup_iter(void *ctx, unsigned it, bool warmup, double *v, struct vb_err *err)
{
	struct ct_driver *d = ctx;
	static const char *const args[] = { "--once", "kind=noop", NULL };
	return ct__run_once(d, args, TIMEOUT_MS, NULL, NULL, &v[0], &v[1], &v[2], err);
}

static int seed_iter(void *ctx, unsigned it, bool warmup, double *v, struct vb_err *err)
{
	return ct_docker__seed_startup(ctx, &v[0], err);
}

static const char *image_name(const struct ct_driver *d)
{
	return d->image[0] ? d->image : "virtbench-worker";
}

/* Runs one platform; a failure becomes a skip, Ctrl-C ends the benchmark. */
static int measure(const struct container_opts *o, struct ct_driver *d, const char *platform,
		   bool seed, struct vb_result_set *out, struct vb_err *err)
{
	static const char *const metrics[] = { "ready_ms", "exit_ms", "teardown_ms" };
	unsigned nm = seed ? 1 : 3;
	struct vb_result *r[3] = { 0 };
	for (unsigned i = 0; i < nm; i++) {
		r[i] = result__new(BENCH, platform, seed ? "running_ms" : metrics[i], "ms", false);
		if (!r[i]) {
			for (unsigned k = 0; k < i; k++)
				result__free(r[k]);
			return err__set(err, ENOMEM, "result");
		}
		result__set_config(r[i], "image", "%s", image_name(d));
		result__set_config(r[i], "runtime", "%s", platform);
		if (d->note[0])
			snprintf(r[i]->note, sizeof(r[i]->note), "%s", d->note);
	}
	struct vb_run_opts run = o->run;
	char label[64];
	snprintf(label, sizeof(label), "startup %s", platform);
	run.label = o->quiet ? NULL : label;
	struct vb_err e = { 0 };
	int rc = runner__run(&run, seed ? seed_iter : startup_iter, d, r, nm, &e);
	if (rc < 0) {
		for (unsigned i = 0; i < nm; i++)
			result__free(r[i]);
		if (interrupt__pending()) {
			out->incomplete = true;
			return err__set(err, EINTR, "interrupted");
		}
		result_set__skip(out, BENCH, platform, "failed: %s", e.msg);
		if (!o->silent)
			warn__("%s: failed: %s", platform, e.msg);
		return 0;
	}
	for (unsigned i = 0; i < nm; i++)
		result_set__add(out, r[i]);
	return 0;
}

int container_bench__startup(const struct container_opts *o, struct vb_result_set *out,
			     struct vb_err *err)
{
	struct ct_session s;
	if (ct_session__open(&s, o, BENCH, out, err) < 0)
		return err__wrap(err, "container startup");
	int rc = 0;
	bool any = false;
	for (int i = 0; i < CT_RT_COUNT; i++)
		any |= s.usable[i];
	/* The floor is the yardstick of the runtimes: only with one to measure. */
	if (s.floor.open && any)
		rc = measure(o, &s.floor, s.floor.name, false, out, err);
	for (int i = 0; rc == 0 && i < CT_RT_COUNT; i++) {
		if (!s.usable[i])
			continue;
		rc = measure(o, &s.drv[i], s.drv[i].name, false, out, err);
		if (rc == 0 && (i == CT_RT_DOCKER || i == CT_RT_PODMAN)) {
			char platform[32];
			snprintf(platform, sizeof(platform), "%s-seed-method", s.drv[i].name);
			rc = measure(o, &s.drv[i], platform, true, out, err);
		}
	}
	ct_session__close(&s);
	return rc < 0 ? err__wrap(err, "container startup") : 0;
}
