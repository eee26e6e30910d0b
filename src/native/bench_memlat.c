/* Memory latency natively: for each page size and each working set (min to
 * max, doubling), every thread chases its own random cyclic chain of cache
 * lines over a fresh map; one iteration is max(1M, lines) dependent loads,
 * so large sets are walked at least once per iteration. The chain is built
 * before the measurement; the first (warm-up) iteration loads the caches and
 * TLB. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/interrupt.h"
#include "native/bench.h"
#include "native/pages.h"

struct lat_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
	struct native_map *maps;
	uint64_t ws, loads;
	bool cut_short; /* the last iteration ended early (Ctrl-C) */
};

static int lat_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct lat_ctx *c = arg;
	for (unsigned i = 0; i < c->o->threads; i++) {
		c->jobs[i] = (struct wl_job){
			.kind = WL_MEMLAT,
			.thread = i,
			.threads = c->o->threads,
			.max_events = 1,
			.buf = c->maps[i].base,
			.buf_size = c->ws,
			.memlat_loads = c->loads,
		};
	}
	struct rates s;
	int rc = native__run_summary_partial(WL_MEMLAT, c->jobs, c->o->threads, &s, err);
	if (rc < 0)
		return -1;
	values[0] = s.ns_per_load;
	if (rc == VB_ITER_CUT_SHORT)
		c->cut_short = true;
	return rc;
}

static void lat_unmap(struct lat_ctx *c)
{
	for (unsigned i = 0; i < c->o->threads; i++)
		native_map__destroy(&c->maps[i]);
}

/* Maps and builds every thread's chain. Returns 1 when 2 MiB pages were
 * asked for and not obtained (reason in why), 0 ok, -1 error. */
static int lat_prepare(struct lat_ctx *c, bool huge, char *why, size_t whylen, struct vb_err *err)
{
	for (unsigned i = 0; i < c->o->threads; i++) {
		if (native_map__create(&c->maps[i], c->ws, huge, err) < 0)
			return -1;
		/* Building a GiB's chain takes seconds: Ctrl-C ends it too. */
		struct wl_job job = { .kind = WL_MEMLAT,
				      .thread = i,
				      .buf = c->maps[i].base,
				      .buf_size = c->ws,
				      .stop = interrupt__flag() };
		if (wl_memlat__prepare(&job))
			return err__set(err, EINTR, "interrupted");
		if (huge && !native_map__is_huge(&c->maps[i])) {
			int64_t got = native_map__huge_bytes(&c->maps[i]);
			snprintf(why, whylen,
				 "2 MiB pages not obtained (%s: %" PRId64 " of %zu bytes huge)",
				 native_map__source(&c->maps[i]), got < 0 ? 0 : got,
				 c->maps[i].len);
			return 1;
		}
	}
	return 0;
}

static int lat_one(struct lat_ctx *c, bool huge, struct vb_result_set *out, struct vb_err *err)
{
	const struct native_opts *o = c->o;
	char ws[32], label[64], why[256];
	native__size_str(ws, sizeof(ws), c->ws);
	const char *page = huge ? "2M" : "4K";
	uint64_t lines = c->ws / WL_MEMLAT_STRIDE;
	c->loads = o->loads ? o->loads : (lines > (1u << 20) ? lines : (1u << 20));
	int prep = lat_prepare(c, huge, why, sizeof(why), err);
	if (prep != 0) {
		lat_unmap(c);
		if (prep < 0)
			return err__wrap(err, "memlat %s with %s pages", ws, page);
		char cfg[96];
		snprintf(cfg, sizeof(cfg), "memlat (working_set %s, page_size 2M)", ws);
		return result_set__skip(out, "memlat", "native", "%s: %s", cfg, why) < 0
			       ? err__set(err, ENOMEM, "memlat")
			       : 0;
	}
	struct vb_result *r = native__result("memlat", "ns_per_load", "ns", false, o->threads, err);
	if (!r) {
		lat_unmap(c);
		return -1;
	}
	result__set_config(r, "working_set", "%s", ws);
	result__set_config(r, "page_size", "%s", page);
	result__set_config(r, "page_source", "%s", native_map__source(&c->maps[0]));
	result__set_config(r, "loads", "%" PRIu64, (uint64_t)((c->loads + 7) & ~7ull));
	struct vb_run_opts run = o->run;
	snprintf(label, sizeof(label), "memlat %s %s", ws, page);
	if (run.label)
		run.label = label;
	c->cut_short = false;
	int rc = runner__run(&run, lat_iteration, c, &r, 1, err);
	if (c->cut_short)
		snprintf(r->note, sizeof(r->note),
			 "the last iteration was cut short by Ctrl-C: fewer loads than configured");
	lat_unmap(c);
	return native__finish(out, &r, 1, rc, "native memlat", err);
}

int native__bench_memlat(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct lat_ctx c = { .o = o };
	c.jobs = calloc(o->threads, sizeof(*c.jobs));
	c.maps = calloc(o->threads, sizeof(*c.maps));
	int rc = 0;
	if (!c.jobs || !c.maps)
		rc = err__set(err, ENOMEM, "memlat");
	for (int p = 0; p < 2 && rc == 0; p++) {
		bool huge = p == 1;
		if (!(o->pages & (huge ? NATIVE_PAGES_2M : NATIVE_PAGES_4K)))
			continue;
		for (c.ws = o->min_size; c.ws <= o->max_size && rc == 0; c.ws *= 2)
			rc = lat_one(&c, huge, out, err);
	}
	free(c.jobs);
	free(c.maps);
	return rc;
}
