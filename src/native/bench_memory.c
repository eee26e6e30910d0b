/* sysbench memory, natively: one iteration is one sysbench run. Buffers as
 * in sysbench 1.0.20: one block-sized, page-aligned, zeroed buffer shared by
 * all threads (--memory-scope global) or one per thread (local); each thread
 * does total / block / threads events. --mode bandwidth hands over to the
 * STREAM kernels instead. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "native/bench.h"

struct mem_ctx {
	const struct native_opts *o;
	struct wl_job *jobs;
	void **bufs; /* one per thread; all the same with global scope */
	uint64_t *hist;
};

static const char *const oper_names[] = { "none", "read", "write" };

static int mem_iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct mem_ctx *c = arg;
	const struct native_opts *o = c->o;
	uint64_t per_thread = o->total_size / o->block_size / o->threads * o->block_size;
	for (unsigned i = 0; i < o->threads; i++) {
		c->jobs[i] = (struct wl_job){
			.kind = WL_MEMORY,
			.thread = i,
			.threads = o->threads,
			.max_events = native__share(o->events, o->threads, i),
			.time_ns = (uint64_t)(o->time_s * 1e9),
			.mem_oper = o->oper,
			.mem_access_rnd = o->access_rnd,
			.mem_sysbench = o->mode == NATIVE_MEM_SYSBENCH,
			.mem_block_size = o->block_size,
			.mem_total_size = per_thread,
			.mem_scope_local = o->scope_local,
			.buf = c->bufs[i],
			.buf_size = o->block_size,
			.hist = c->hist,
			.seed = it + 1,
		};
	}
	struct rates s;
	if (native__run_summary(WL_MEMORY, c->jobs, o->threads, &s, err) < 0)
		return -1;
	/* Metric 0 drives --adaptive: MiB/s, or ops/s for --memory-oper none. */
	if (o->oper == WL_MEM_NONE) {
		values[0] = s.ops_per_sec;
	} else {
		values[0] = s.mib_per_sec;
		values[1] = s.ops_per_sec;
	}
	return 0;
}

static void mem_free(struct mem_ctx *c)
{
	if (c->bufs) {
		unsigned n = c->o->scope_local ? c->o->threads : 1;
		for (unsigned i = 0; i < n; i++)
			free(c->bufs[i]);
	}
	free(c->bufs);
	free(c->jobs);
	free(c->hist);
}

static int mem_alloc(struct mem_ctx *c, struct vb_err *err)
{
	const struct native_opts *o = c->o;
	long page = sysconf(_SC_PAGESIZE);
	c->jobs = calloc(o->threads, sizeof(*c->jobs));
	c->bufs = calloc(o->threads, sizeof(*c->bufs));
	if (o->mode == NATIVE_MEM_SYSBENCH)
		c->hist = calloc((size_t)WL_HIST_SLOTS * WL_HIST_SIZE, sizeof(uint64_t));
	if (!c->jobs || !c->bufs || (o->mode == NATIVE_MEM_SYSBENCH && !c->hist))
		return err__set(err, ENOMEM, "memory");
	unsigned n = o->scope_local ? o->threads : 1;
	for (unsigned i = 0; i < n; i++) {
		int e = posix_memalign(&c->bufs[i], page > 0 ? (size_t)page : 4096, o->block_size);
		if (e) {
			c->bufs[i] = NULL;
			return err__set(err, e, "memory: a %llu-byte block",
					(unsigned long long)o->block_size);
		}
		memset(c->bufs[i], 0, o->block_size);
	}
	for (unsigned i = n; i < o->threads; i++)
		c->bufs[i] = c->bufs[0];
	return 0;
}

int native__bench_memory(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	if (o->mode == NATIVE_MEM_BANDWIDTH)
		return native__bench_stream(o, out, err);
	bool moves = o->oper != WL_MEM_NONE;
	unsigned nr = moves ? 2 : 1;
	struct vb_result *r[2] = {
		moves ? native__result("memory", "mib_per_sec", "MiB/s", true, o->threads, err)
		      : native__result("memory", "ops_per_sec", "ops/s", true, o->threads, err),
		moves ? native__result("memory", "ops_per_sec", "ops/s", true, o->threads, err)
		      : NULL,
	};
	struct mem_ctx c = { .o = o };
	if (!r[0] || (moves && !r[1]) || mem_alloc(&c, err) < 0) {
		native__drop(r, 2);
		mem_free(&c);
		return err__wrap(err, "native memory");
	}
	char bs[32], ts[32];
	native__size_str(bs, sizeof(bs), o->block_size);
	native__size_str(ts, sizeof(ts), o->total_size);
	for (unsigned i = 0; i < nr; i++) {
		result__set_config(r[i], "block_size", "%s", bs);
		result__set_config(r[i], "total_size", "%s", ts);
		result__set_config(r[i], "oper", "%s", oper_names[o->oper]);
		result__set_config(r[i], "access_mode", "%s", o->access_rnd ? "rnd" : "seq");
		result__set_config(r[i], "scope", "%s", o->scope_local ? "local" : "global");
		result__set_config(r[i], "mode", "%s",
				   o->mode == NATIVE_MEM_SYSBENCH ? "sysbench" : "plain");
		result__set_config(r[i], "time", "%g", o->time_s);
		result__set_config(r[i], "events", "%llu", (unsigned long long)o->events);
	}
	int rc = runner__run(&o->run, mem_iteration, &c, r, nr, err);
	mem_free(&c);
	if (native__finish(out, r, 2, rc, "native memory", err) < 0)
		return -1;
	if (o->mode != NATIVE_MEM_SYSBENCH)
		return 0;
	/* Three clock reads per event are much of what this mode measures, and
	 * their cost differs between platforms: report it next to it. */
	struct native_opts co;
	native_opts__init(&co, WL_CLOCK);
	co.run = o->run;
	return native__bench_clock(&co, out, err);
}
