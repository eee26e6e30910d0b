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
#include "core/names.h"
#include "core/output.h"

#define BENCH	   VB_BENCH_CONTAINER_STARTUP
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

/* What ran: a user's image by its name, else the worker's own root file
 * system (the image docker and podman import from it included). */
static const char *image_name(const struct ct_driver *d)
{
	return d->user_image ? d->image : CT_WORKER_IMAGE;
}

/* Runs one platform; a failure becomes a skip, Ctrl-C ends the benchmark. */
static int measure(const struct container_opts *o, struct ct_driver *d, const char *platform,
		   bool seed, struct vb_result_set *out, struct vb_err *err)
{
	static const char *const metrics[] = { VB_METRIC_READY_MS, VB_METRIC_EXIT_MS,
					       VB_METRIC_TEARDOWN_MS };
	unsigned nm = seed ? 1 : 3;
	struct vb_result *r[3] = { 0 };
	for (unsigned i = 0; i < nm; i++) {
		r[i] = result__new(BENCH, platform, seed ? VB_METRIC_RUNNING_MS : metrics[i], "ms",
				   false);
		if (!r[i]) {
			for (unsigned k = 0; k < i; k++)
				result__free(r[k]);
			return err__set(err, ENOMEM, "result");
		}
		result__set_config(r[i], VB_CFG_IMAGE, "%s", image_name(d));
		result__set_config(r[i], VB_CFG_RUNTIME, "%s", platform);
		if (d->note[0])
			snprintf(r[i]->note, sizeof(r[i]->note), "%s", d->note);
	}
	struct vb_run_opts run = o->run;
	/* The seed's method follows the first-instruction runs of the same
	 * runtime and image, which warmed both. */
	if (seed)
		run.warmup = 0;
	char label[64];
	snprintf(label, sizeof(label), "startup %s%s%.40s", platform, d->user_image ? " " : "",
		 d->user_image ? d->image : "");
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
		result_set__skip(out, BENCH, platform, "%s%s%sfailed: %s",
				 d->user_image ? "image " : "", d->user_image ? d->image : "",
				 d->user_image ? ": " : "", e.msg);
		if (!o->silent)
			warn__("%s%s%s: failed: %s", platform, d->user_image ? " " : "",
			       d->user_image ? d->image : "", e.msg);
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
		const char *seed = container_runtime__seed_platform(i);
		if (rc == 0 && seed)
			rc = measure(o, &s.drv[i], seed, true, out, err);
		/* Each user's image: first instruction (the worker bind-mounted)
		 * and the seed's method (the image's own sleep), rows of its own. */
		for (unsigned k = 0; rc == 0 && k < s.nnamed; k++) {
			if (s.named[k].base != &s.drv[i])
				continue;
			rc = measure(o, &s.named[k], s.named[k].name, false, out, err);
			if (rc == 0 && seed)
				rc = measure(o, &s.named[k], seed, true, out, err);
		}
	}
	ct_session__close(&s);
	return rc < 0 ? err__wrap(err, "container startup") : 0;
}
