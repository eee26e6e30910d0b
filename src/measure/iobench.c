/* The disk and network benchmarks of every platform (iobench.h). */
#include "measure/iobench.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/names.h"
#include "core/owner.h"
#include "core/sweep.h"
#include "worker/io.h"

void iobench_opts__init(struct iobench_opts *o, bool net)
{
	*o = (struct iobench_opts){ .net = net };
	runner__defaults(&o->run);
	o->tests = net ? (1u << IOB_NET_N) - 1 : (1u << IOB_DISK_N) - 1;
	o->time_s = 1;
	o->max_bytes = net ? 64ull << 30 : 16ull << 30;
	o->size = 256ull << 20;
	o->depths[0] = 1;
	o->depths[1] = 32;
	o->ndepths = 2;
	o->msg_sizes[0] = 1;
	o->msg_sizes[1] = 64;
	o->nmsg_sizes = 2;
}

/* One test as measured: the job and the metrics it yields. */
struct spec {
	uint32_t test;	/* enum io_test */
	unsigned depth; /* disk random */
	uint64_t block; /* disk block or net message */
	const char *metrics[3];
	const char *units[3];
	bool higher[3];
	unsigned n;
};

struct iter_ctx {
	const struct iobench_opts *o;
	const struct iobench_target *t; /* nt of them, measured in turn */
	unsigned nt;
	const struct spec *s;
	struct wl_report last[IOB_MAX_TARGETS];
};

static double per_sec(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e9 / (double)ns : 0;
}

static double value_of(const char *metric, const struct wl_report *r)
{
	if (!strcmp(metric, VB_METRIC_MIB_PER_SEC))
		return per_sec(r->bytes, r->elapsed_ns) / (1 << 20);
	if (!strcmp(metric, VB_METRIC_GBIT_PER_SEC))
		return per_sec(r->bytes, r->elapsed_ns) * 8 / 1e9;
	if (!strcmp(metric, VB_METRIC_IOPS) || !strcmp(metric, VB_METRIC_TRANSACTIONS_PER_SEC))
		return per_sec(r->events, r->elapsed_ns);
	if (!strcmp(metric, VB_METRIC_P50_US))
		return (double)r->lat_p50_ns / 1e3;
	return (double)r->lat_p99_ns / 1e3; /* VB_METRIC_P99_US */
}

static void make_job(const struct iobench_opts *o, const struct iobench_target *t,
		     const struct spec *s, struct wl_job *j)
{
	*j = (struct wl_job){
		.kind = o->net ? WL_NET : WL_DISK,
		.threads = 1,
		.time_ns = (uint64_t)(o->time_s * 1e9),
		.io_test = s->test,
		.io_depth = s->depth,
		.io_direct = !o->buffered,
		.io_block = s->block,
		.io_file_size = o->size,
		.io_max_bytes = o->max_bytes,
		.io_peer = t->peer,
		.io_port = t->port,
		.io_dir = t->io_dir,
		.io_dev = t->io_dev,
	};
	if (o->max_bytes && !o->net) /* a whole number of blocks */
		j->io_max_bytes = o->max_bytes / s->block * s->block;
}

/* One iteration: the test on every target in turn (A B A B ...), so that
 * what drifts over the run (caches, a neighbour's load) falls on all; the
 * first target moves on by one each iteration, so that none (native, in
 * practice) always runs first, on the file the previous test left. */
static int iteration(void *arg, unsigned it, bool warmup, double *values, struct vb_err *err)
{
	struct iter_ctx *c = arg;
	for (unsigned k = 0; k < c->nt; k++) {
		unsigned t = (k + it) % c->nt;
		const struct iobench_target *tg = &c->t[t];
		struct wl_job job;
		make_job(c->o, tg, c->s, &job);
		struct wl_report rep;
		if (tg->exec(tg->ctx, &job, &rep, err) < 0)
			return err__wrap(err, "%s", tg->platform);
		if (rep.io_bad_blocks)
			return err__set(err, EIO, "%s: %s: %" PRIu64 " blocks read back wrong",
					tg->platform, io__test_name(c->s->test), rep.io_bad_blocks);
		if (!rep.events || !rep.elapsed_ns)
			return err__set(err, EIO, "%s: %s: nothing was done", tg->platform,
					io__test_name(c->s->test));
		for (unsigned m = 0; m < c->s->n; m++)
			values[t * c->s->n + m] = value_of(c->s->metrics[m], &rep);
		c->last[t] = rep;
	}
	return 0;
}

static struct vb_result *new_result(const struct iobench_opts *o, const struct iobench_target *t,
				    const struct spec *s, unsigned m)
{
	struct vb_result *r =
		result__new(t->benchmark, t->platform, s->metrics[m], s->units[m], s->higher[m]);
	if (!r)
		return NULL;
	result__set_config(r, VB_CFG_TEST, "%s", io__test_name(s->test));
	result__set_config(r, VB_CFG_MODE, "%s", t->mode);
	if (o->net) {
		result__set_config(r, VB_CFG_MESSAGE_SIZE, "%" PRIu64, s->block);
	} else {
		result__set_config(r, VB_CFG_BLOCK_SIZE, "%" PRIu64, s->block);
		result__set_config(r, VB_CFG_DEPTH, "%u", s->depth);
		result__set_config(r, VB_CFG_SIZE, "%" PRIu64, o->size);
	}
	result__set_config(r, VB_CFG_TIME_S, "%g", o->time_s);
	if (t->label)
		t->label(t->ctx, r);
	return r;
}

static int run_spec(const struct iobench_opts *o, const struct iobench_target *t, unsigned nt,
		    const struct spec *s, struct vb_result_set *out, struct vb_err *err)
{
	struct vb_result *rs[IOB_MAX_TARGETS * 3] = { 0 };
	unsigned n = nt * s->n;
	for (unsigned i = 0; i < n; i++) {
		rs[i] = new_result(o, &t[i / s->n], s, i % s->n);
		if (!rs[i]) {
			for (unsigned k = 0; k < i; k++)
				result__free(rs[k]);
			return err__set(err, ENOMEM, "%s", t->benchmark);
		}
	}
	struct iter_ctx c = { .o = o, .t = t, .nt = nt, .s = s };
	struct vb_run_opts run = o->run;
	char label[96];
	if (run.label) {
		snprintf(label, sizeof(label), "%s %s", run.label, io__test_name(s->test));
		run.label = label;
	}
	int rc = runner__run(&run, iteration, &c, rs, n, err);
	bool keep = rc == 0 || (err && err->errnum == EINTR);
	for (unsigned i = 0; i < n; i++) {
		unsigned ti = i / s->n;
		if (keep && rs[i]->nsamples) {
			if (!o->net) {
				result__set_config(rs[i], VB_CFG_DIRECT, "%u",
						   c.last[ti].io_direct);
				result__set_config(rs[i], VB_CFG_ENGINE, "%s",
						   io__engine_name(c.last[ti].io_engine));
			}
			/* Against the first target when that is the native run. */
			if (ti > 0 && rc == 0 && !strcmp(t[0].platform, VB_PLATFORM_NATIVE))
				result__set_overhead(rs[i], rs[i % s->n], rs[i]);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (keep && rs[i]->nsamples && result_set__add(out, rs[i]) == 0)
			continue;
		result__free(rs[i]);
	}
	if (rc < 0 && err && err->errnum == EINTR)
		out->incomplete = true;
	return rc < 0 ? err__wrap(err, "%s %s", t->benchmark, io__test_name(s->test)) : 0;
}

/* The tests chosen, in order. */
static unsigned make_specs(const struct iobench_opts *o, struct spec *sp, unsigned cap)
{
	unsigned n = 0;
#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (n < cap)                                                                       \
			sp[n++] = (struct spec)__VA_ARGS__;                                        \
	} while (0)
	if (o->net) {
		if (o->tests & (1u << IOB_STREAM))
			ADD({ IO_TCP_STREAM,
			      1,
			      128 << 10,
			      { VB_METRIC_GBIT_PER_SEC },
			      { "Gbit/s" },
			      { true },
			      1 });
		if (o->tests & (1u << IOB_STREAM_RX))
			ADD({ IO_TCP_STREAM_RX,
			      1,
			      128 << 10,
			      { VB_METRIC_GBIT_PER_SEC },
			      { "Gbit/s" },
			      { true },
			      1 });
		for (unsigned i = 0; i < o->nmsg_sizes && (o->tests & (1u << IOB_RR)); i++)
			ADD({ IO_TCP_RR,
			      1,
			      o->msg_sizes[i],
			      { VB_METRIC_P50_US, VB_METRIC_P99_US,
				VB_METRIC_TRANSACTIONS_PER_SEC },
			      { "us", "us", "trans/s" },
			      { false, false, true },
			      3 });
		if (o->tests & (1u << IOB_CRR))
			ADD({ IO_TCP_CRR,
			      1,
			      1,
			      { VB_METRIC_TRANSACTIONS_PER_SEC, VB_METRIC_P50_US },
			      { "trans/s", "us" },
			      { true, false },
			      2 });
		return n;
	}
	if (o->tests & (1u << IOB_SEQ_READ))
		ADD({ IO_SEQ_READ, 1, 1 << 20, { VB_METRIC_MIB_PER_SEC }, { "MiB/s" }, { true }, 1 });
	if (o->tests & (1u << IOB_SEQ_WRITE))
		ADD({ IO_SEQ_WRITE,
		      1,
		      1 << 20,
		      { VB_METRIC_MIB_PER_SEC },
		      { "MiB/s" },
		      { true },
		      1 });
	for (unsigned w = 0; w < 2; w++) {
		if (!(o->tests & (1u << (w ? IOB_RAND_WRITE : IOB_RAND_READ))))
			continue;
		for (unsigned i = 0; i < o->ndepths; i++)
			ADD({ w ? IO_RAND_WRITE : IO_RAND_READ,
			      o->depths[i],
			      4096,
			      { VB_METRIC_IOPS, VB_METRIC_P50_US, VB_METRIC_P99_US },
			      { "IOPS", "us", "us" },
			      { true, false, false },
			      3 });
	}
	if (o->tests & (1u << IOB_FSYNC))
		ADD({ IO_FSYNC,
		      1,
		      4096,
		      { VB_METRIC_P50_US, VB_METRIC_P99_US },
		      { "us", "us" },
		      { false, false },
		      2 });
#undef ADD
	return n;
}

static int file_job(const struct iobench_opts *o, const struct iobench_target *t, uint64_t size,
		    struct vb_err *err)
{
	struct wl_job j = { .kind = WL_DISK,
			    .threads = 1,
			    .io_test = IO_NONE,
			    .io_direct = !o->buffered,
			    .io_file_size = size,
			    .io_dir = t->io_dir,
			    .io_dev = t->io_dev };
	struct wl_report rep;
	if (t->exec(t->ctx, &j, &rep, err) < 0)
		return err__wrap(err, "%s: %s the test file", t->platform,
				 size ? "making" : "removing");
	return 0;
}

int iobench__run(const struct iobench_opts *o, const struct iobench_target *t, unsigned nt,
		 struct vb_result_set *out, struct vb_err *err)
{
	if (nt < 1 || nt > IOB_MAX_TARGETS)
		return err__set(err, EINVAL, "%u I/O targets", nt);
	struct spec specs[32];
	unsigned n = make_specs(o, specs, 32);
	int rc = 0;
	unsigned made = 0;
	for (; !o->net && made < nt && rc == 0; made++)
		rc = file_job(o, &t[made], o->size, err);
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = run_spec(o, t, nt, &specs[i], out, err);
	/* Every file that may exist goes, the one that failed half-made too. */
	for (unsigned i = 0; i < made; i++) {
		struct vb_err e2 = { 0 };
		if (file_job(o, &t[i], 0, &e2) < 0 && rc == 0) {
			*err = e2;
			rc = -1;
		}
	}
	return rc;
}

int iobench__check_dir(const char *opt, const char *dir, uint64_t size, struct vb_err *err)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return err__usage(err, "%s %s: %s", opt, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err__usage(err, "%s %s: not a directory", opt, dir);
	struct statvfs vfs;
	if (statvfs(dir, &vfs) < 0)
		return err__usage(err, "%s %s: %s", opt, dir, strerror(errno));
	if (vfs.f_flag & ST_RDONLY)
		return err__usage(err, "%s %s: a read-only file system; name a writable directory",
				  opt, dir);
	if (access(dir, W_OK | X_OK) < 0)
		return err__usage(err, "%s %s: not writable (%s)", opt, dir, strerror(errno));
	uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	/* Room for the file and 64 MiB besides, so the file system is never
	 * filled by a benchmark. */
	if (avail < size + (64ull << 20))
		return err__usage(err,
				  "%s %s: %" PRIu64 " MiB free, the test file needs %" PRIu64
				  " MiB (and 64 MiB to spare); use a smaller --size",
				  opt, dir, avail >> 20, size >> 20);
	return 0;
}

static bool io_owner(const char *name, struct vb_owner *o)
{
	size_t n = strlen(IOB_DIR_PREFIX);
	if (strncmp(name, IOB_DIR_PREFIX, n))
		return false;
	const char *p = owner__scan(name + n, '.', true, o);
	return p && *p == '.';
}

void iobench__sweep(const char *dir, struct sweep_tally *t)
{
	sweep__dirs_in(dir, io_owner, NULL, NULL, t);
}
