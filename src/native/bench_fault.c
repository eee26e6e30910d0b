/* First-touch rate natively: each iteration maps a fresh region per thread
 * (never touched), the workload stores one byte per page, and the region is
 * unmapped again. With 2 MiB pages every iteration checks afterwards that the
 * kernel really used them; a probe decides beforehand whether to try. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native/bench.h"
#include "native/pages.h"

struct fault_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
	struct native_map *maps;
	bool huge;
	const char *source;
};

static int fault_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct fault_ctx *c = arg;
	const struct native_opts *o = c->o;
	int rc = 0;
	unsigned mapped = 0;
	for (; mapped < o->threads; mapped++) {
		if (native_map__create(&c->maps[mapped], o->size, c->huge, err) < 0) {
			rc = -1;
			goto out;
		}
		c->jobs[mapped] = (struct wl_job){
			.kind = WL_FAULT,
			.thread = mapped,
			.threads = o->threads,
			.buf = c->maps[mapped].base,
			.buf_size = c->maps[mapped].len,
			.page_size = c->huge ? NATIVE_2M : 4096,
		};
	}
	struct rates s;
	rc = native__run_summary(WL_FAULT, c->jobs, o->threads, &s, err);
	if (rc == 0 && c->huge) {
		for (unsigned i = 0; i < o->threads; i++)
			if (!native_map__is_huge(&c->maps[i])) {
				rc = err__set(err, 0,
					      "2 MiB pages not obtained for thread %u's "
					      "region (%s)",
					      i, native_map__source(&c->maps[i]));
				goto out;
			}
	}
	if (rc == 0) {
		values[0] = s.gib_per_sec;
		values[1] = s.ns_per_page;
		c->source = native_map__source(&c->maps[0]);
	}
out:
	for (unsigned i = 0; i < mapped; i++)
		native_map__destroy(&c->maps[i]);
	return rc;
}

/* Whether 2 MiB pages can be had at all: one 2 MiB map, touched. */
static bool fault_probe(char *why, size_t len)
{
	struct native_map m;
	struct vb_err err = { 0 };
	if (native_map__create(&m, NATIVE_2M, true, &err) < 0) {
		snprintf(why, len, "%.200s", err.msg);
		return false;
	}
	memset(m.base, 1, 4096);
	int64_t got = native_map__huge_bytes(&m);
	bool ok = got >= (int64_t)m.len;
	if (!ok)
		snprintf(why, len, "2 MiB pages not obtained (%s: %" PRId64 " of %zu bytes huge)",
			 native_map__source(&m), got < 0 ? 0 : got, m.len);
	native_map__destroy(&m);
	return ok;
}

static int fault_one(struct fault_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	const struct native_opts *o = c->o;
	char size[32], why[256], cfg[64];
	native__size_str(size, sizeof(size), o->size);
	if (c->huge && !fault_probe(why, sizeof(why))) {
		snprintf(cfg, sizeof(cfg), "fault (size %s, page_size 2M)", size);
		return result_set__skip(out, "fault", "native", "%s: %s", cfg, why) < 0
			       ? err__set(err, ENOMEM, "fault")
			       : 0;
	}
	struct vb_result *r[2] = {
		native__result("fault", "gib_per_sec", "GiB/s", true, o->threads, err),
		native__result("fault", "ns_per_page", "ns", false, o->threads, err),
	};
	if (!r[0] || !r[1]) {
		native__drop(r, 2);
		return -1;
	}
	c->source = c->huge ? "?" : "4k";
	int rc = runner__run(&o->run, fault_iteration, c, r, 2, err);
	for (int i = 0; i < 2; i++) {
		result__set_config(r[i], "size", "%s", size);
		result__set_config(r[i], "page_size", "%s", c->huge ? "2M" : "4K");
		result__set_config(r[i], "page_source", "%s", c->source);
	}
	return native__finish(out, r, 2, rc, "native fault", err);
}

int native__bench_fault(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct fault_ctx c = { .o = o };
	c.jobs = calloc(o->threads, sizeof(*c.jobs));
	c.maps = calloc(o->threads, sizeof(*c.maps));
	int rc = 0;
	if (!c.jobs || !c.maps)
		rc = err__set(err, ENOMEM, "fault");
	for (int p = 0; p < 2 && rc == 0; p++) {
		c.huge = p == 1;
		if (o->pages & (c.huge ? NATIVE_PAGES_2M : NATIVE_PAGES_4K))
			rc = fault_one(&c, out, err);
	}
	free(c.jobs);
	free(c.maps);
	return rc;
}
