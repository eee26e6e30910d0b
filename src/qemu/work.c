/* vm.cpu and vm.memory on QEMU: the workload runs in the guest (the worker
 * as PID 1, over the serial channel) and natively (the same static worker
 * binary as a host process, over pipes), alternating which goes first, so
 * both see the same host conditions; the guest's figure carries the
 * overhead against the native one. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/names.h"
#include "core/proc.h"
#include "measure/wclient.h"
#include "qemu/session.h"
#include "worker/protocol.h"

#define MAX_THREADS 256

struct native {
	struct vb_proc p;
	bool running;
	struct vbp_reader rd;
};

static int native_send(void *ctx, const char *line, struct vb_err *err)
{
	struct native *n = ctx;
	if (vbp__write_all(n->p.in_fd, line, strlen(line)) < 0)
		return err__set(err, errno, "writing to the native worker");
	return 0;
}

static int native_recv(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err)
{
	struct native *n = ctx;
	/* Short slices so Ctrl-C is noticed during a long run. */
	for (int waited = 0;; waited += 100) {
		if (interrupt__pending())
			return err__set(err, EINTR, "waiting for the native worker");
		int r = vbp__reader_line(&n->rd, line, size, 100);
		if (r >= 0)
			return 0;
		if (r == VBP_EOF)
			return err__set(err, 0, "the native worker exited");
		if (errno != ETIMEDOUT)
			return err__set(err, errno, "reading from the native worker");
		if (waited >= timeout_ms)
			return err__set(err, ETIMEDOUT,
					"no answer from the native worker within %d s",
					timeout_ms / 1000);
	}
}

static int native_start(struct native *n, const char *worker, struct wclient *c, struct vb_err *err)
{
	char *argv[] = { (char *)worker, "--marker", "native", NULL };
	/* A non-NULL stdin_data asks proc__spawn for a stdin pipe. */
	struct vb_proc_opts po = { .argv = argv, .stdin_data = "", .stdin_len = 0 };
	memset(n, 0, sizeof(*n));
	*c = (struct wclient){
		.name = "native", .send = native_send, .recv = native_recv, .ctx = n
	};
	if (proc__spawn(&po, &n->p, err) < 0)
		return err__wrap(err, "starting the native worker");
	n->running = true;
	vbp__reader_init(&n->rd, n->p.out_fd);
	if (wclient__wait_ready(c, "native", 10000, NULL, err) < 0)
		return err__wrap(err, "native worker");
	return 0;
}

static void native_stop(struct native *n, const struct wclient *c)
{
	if (!n->running)
		return;
	struct vb_err ignored = { 0 };
	wclient__exit(c, &ignored);
	proc__stop(&n->p, 1000);
	n->running = false;
}

int qemu_bench__run_job(const struct wclient *c, const struct wl_job *job, bool bytes,
			struct rates_batch *b, int timeout_ms, double *value, uint64_t *checksum,
			struct vb_err *err)
{
	struct rates r;
	if (wclient__run(c, job, 0, b, &r, timeout_ms, err) < 0)
		return -1;
	*value = bytes ? r.mib_per_sec : r.events_per_sec;
	*checksum = r.checksum;
	return 0;
}

struct work_ctx {
	struct wclient guest, native;
	struct wl_job job;
	struct rates_batch batch; /* one run's reports, either side's */
	bool bytes, check_checksum;
	int timeout_ms;
	uint64_t checksum;
};

static int work_once(void *arg, unsigned iteration, bool warmup, double *v, struct vb_err *err)
{
	struct work_ctx *c = arg;
	/* Alternate who goes first so a drift in host conditions hits both. */
	bool guest_first = iteration % 2;
	uint64_t sum[2];
	for (int k = 0; k < 2; k++) {
		int side = (k == 0) == guest_first ? 0 : 1; /* v[0] guest, v[1] native */
		const struct wclient *ep = side == 0 ? &c->guest : &c->native;
		if (qemu_bench__run_job(ep, &c->job, c->bytes, &c->batch, c->timeout_ms, &v[side],
					&sum[side], err) < 0)
			return -1;
	}
	if (c->check_checksum && sum[0] != sum[1])
		return err__set(err, 0,
				"the in-guest checksum %" PRIu64
				" differs from the native %" PRIu64,
				sum[0], sum[1]);
	c->checksum = sum[0];
	return 0;
}

struct work_kind {
	const char *benchmark, *metric, *unit;
	bool bytes, checksum;
};

static int work_config(struct qemu_session *s, const struct vb_guest_config *cfg,
		       const struct work_kind *k, const struct wl_job *job_tmpl,
		       struct vb_result_set *out, struct vb_err *err)
{
	struct qemu_guest g;
	struct native nat;
	struct vb_result *res[2] = { NULL, NULL };
	bool booted = false;
	int rc = -1;
	memset(&nat, 0, sizeof(nat));
	if (cfg->vcpus > MAX_THREADS)
		return err__usage(err, "--vcpus %u: at most %d for the workloads", cfg->vcpus,
				  MAX_THREADS);

	struct work_ctx c = {
		.job = *job_tmpl,
		.bytes = k->bytes,
		.check_checksum = k->checksum,
	};
	c.job.threads = cfg->vcpus;
	qemu_guest__client(&g, &c.guest);
	if (rates_batch__init(&c.batch, c.job.kind, cfg->vcpus, err) < 0)
		return -1;
	c.job.mem_total_size = job_tmpl->mem_total_size / cfg->vcpus; /* each thread its share */
	/* Emulated guests run many times slower than the host. */
	c.timeout_ms = (int)(s->o->work_ms * 50) + session__timeout_ms(s);

	if (session__boot(s, cfg, &g, err) < 0)
		goto out;
	booted = true;
	if (native_start(&nat, s->worker, &c.native, err) < 0)
		goto out;
	res[0] = result__new(k->benchmark, VB_PLATFORM_QEMU, k->metric, k->unit, true);
	res[1] = result__new(k->benchmark, VB_PLATFORM_NATIVE, k->metric, k->unit, true);
	if (!res[0] || !res[1]) {
		err__set(err, ENOMEM, "%s results", k->benchmark);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		if (session__describe(s, cfg, res[i]) < 0 ||
		    result__set_config(res[i], VB_CFG_THREADS, "%u", cfg->vcpus) < 0 ||
		    result__set_config(res[i], VB_CFG_TIME_MS, "%u", s->o->work_ms) < 0) {
			err__set(err, ENOMEM, "%s results", k->benchmark);
			goto out;
		}
	}
	/* The native figure is the host's: its note says nothing about tcg. */
	res[1]->note[0] = '\0';
	char label[96];
	snprintf(label, sizeof(label), "%s qemu %u vCPU/%u MiB (%s)", k->benchmark, cfg->vcpus,
		 cfg->memory_mb, s->accel.accel);
	struct vb_run_opts ro = s->o->run;
	if (ro.label)
		ro.label = label;
	rc = runner__run(&ro, work_once, &c, res, 2, err);
	if (rc < 0 && !interrupt__pending())
		session__kvm_hint(s, err);
	if (res[0]->nsamples && res[1]->nsamples) {
		result__set_overhead(res[0], res[1], res[0]);
		if (k->checksum) {
			result__set_config(res[0], VB_CFG_CHECKSUM, "%" PRIu64, c.checksum);
			result__set_config(res[1], VB_CFG_CHECKSUM, "%" PRIu64, c.checksum);
		}
		for (int i = 0; i < 2; i++)
			if (result_set__add(out, res[i]) == 0)
				res[i] = NULL;
	}
	if (rc == 0) {
		booted = false;
		rc = session__halt(s, &g, err);
	}
out:
	native_stop(&nat, &c.native);
	rates_batch__free(&c.batch);
	if (booted)
		session__abort(s, &g);
	result__free(res[0]);
	result__free(res[1]);
	return rc;
}

static int run_workload(const struct qemu_bench_opts *o, const struct work_kind *k,
			const struct wl_job *job, struct vb_result_set *out, struct vb_err *err)
{
	if (o->image)
		return err__usage(err, "--image boots a cloud image for vm boot only; the in-guest "
				       "workloads run in the embedded guest (drop --image)");
	struct qemu_session s;
	if (session__open(&s, o, err) < 0)
		return err__wrap(err, "%s (qemu)", k->benchmark);
	session__record(&s, out);
	const struct vb_guest_config *cfgs;
	unsigned n = qemu_bench__configs(o, &cfgs);
	int rc = 0;
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = work_config(&s, &cfgs[i], k, job, out, err);
	session__close(&s);
	return rc < 0 ? err__wrap(err, "%s (qemu)", k->benchmark) : 0;
}

int qemu_bench__cpu(const struct qemu_bench_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	static const struct work_kind k = { VB_BENCH_VM_CPU, VB_METRIC_EVENTS_PER_SEC, "events/s",
					    false, true };
	struct wl_job job = {
		.kind = WL_CPU,
		.time_ns = (uint64_t)o->work_ms * 1000000u,
		.cpu_max_prime = o->cpu_max_prime,
	};
	return run_workload(o, &k, &job, out, err);
}

int qemu_bench__memory(const struct qemu_bench_opts *o, struct vb_result_set *out,
		       struct vb_err *err)
{
	static const struct work_kind k = { VB_BENCH_VM_MEMORY, VB_METRIC_MIB_PER_SEC, "MiB/s",
					    true, false };
	struct wl_job job = {
		.kind = WL_MEMORY,
		.time_ns = (uint64_t)o->work_ms * 1000000u,
		.mem_oper = o->mem_oper,
		.mem_access_rnd = o->mem_rnd,
		.mem_block_size = o->mem_block_size,
		.mem_total_size = o->mem_total_size,
		/* sysbench's default scope: each thread its own block. */
		.buf_size = o->mem_block_size,
	};
	return run_workload(o, &k, &job, out, err);
}
