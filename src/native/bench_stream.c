/* Memory bandwidth natively (memory --mode bandwidth): STREAM's copy, scale,
 * add and triad kernels, each thread over its own three arrays (filling
 * --size), reported in GB/s (10^9 bytes, as STREAM reports). One iteration
 * runs each kernel for --events passes or --time seconds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "native/bench.h"
#include "native/pages.h"

static const char *const kernel_names[] = { "copy", "scale", "add", "triad" };

struct stream_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
	struct native_map *maps;
	uint32_t kernel;
};

static int stream_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct stream_ctx *c = arg;
	const struct native_opts *o = c->o;
	for (unsigned i = 0; i < o->threads; i++) {
		c->jobs[i] = (struct wl_job){
			.kind = WL_STREAM,
			.thread = i,
			.threads = o->threads,
			.max_events = o->events,
			.time_ns = (uint64_t)(o->time_s * 1e9),
			.buf = c->maps[i].base,
			.buf_size = o->size,
			.stream_kernel = c->kernel,
		};
	}
	struct rates s;
	if (native__run_summary(WL_STREAM, c->jobs, o->threads, &s, err) < 0)
		return -1;
	values[0] = s.gb_per_sec;
	return 0;
}

int native__bench_stream(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct stream_ctx c = { .o = o };
	c.jobs = calloc(o->threads, sizeof(*c.jobs));
	c.maps = calloc(o->threads, sizeof(*c.maps));
	int rc = 0;
	if (!c.jobs || !c.maps)
		rc = err__set(err, ENOMEM, "stream");
	/* 4 KiB pages: the arrays are what STREAM gets from malloc. */
	for (unsigned i = 0; i < o->threads && rc == 0; i++)
		rc = native_map__create(&c.maps[i], o->size, false, err);
	char size[32];
	native__size_str(size, sizeof(size), o->size);
	for (c.kernel = WL_STREAM_COPY; c.kernel <= WL_STREAM_TRIAD && rc == 0; c.kernel++) {
		if (!(o->kernels & (1u << c.kernel)))
			continue;
		struct vb_result *r =
			native__result("stream", "gb_per_sec", "GB/s", true, o->threads, err);
		if (!r) {
			rc = -1;
			break;
		}
		result__set_config(r, "kernel", "%s", kernel_names[c.kernel]);
		result__set_config(r, "total_size", "%s", size);
		result__set_config(r, "mode", "bandwidth");
		result__set_config(r, "element", "uint64");
		int r_rc = runner__run(&o->run, stream_iteration, &c, &r, 1, err);
		rc = native__finish(out, &r, 1, r_rc, "native stream", err);
	}
	if (c.maps)
		for (unsigned i = 0; i < o->threads; i++)
			native_map__destroy(&c.maps[i]);
	free(c.jobs);
	free(c.maps);
	return rc;
}
