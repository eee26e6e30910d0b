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
#include "core/proc.h"
#include "qemu/session.h"
#include "worker/protocol.h"

#define MAX_THREADS 256

/* One side of the comparison: something that speaks the protocol. */
struct endpoint {
	const char *name;
	int (*send)(void *ctx, const char *line, struct vb_err *err);
	int (*recv)(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err);
	void *ctx;
};

static int guest_send(void *ctx, const char *line, struct vb_err *err)
{
	return guest__send(ctx, line, err);
}

static int guest_recv(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err)
{
	return guest__recv(ctx, line, size, timeout_ms, err);
}

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
			return err__set(err, ETIMEDOUT, "no answer from the native worker within %d s",
					timeout_ms / 1000);
	}
}

static int native_start(struct native *n, const char *worker, struct vb_err *err)
{
	char *argv[] = { (char *)worker, "--marker", "native", NULL };
	/* A non-NULL stdin_data asks proc__spawn for a stdin pipe. */
	struct vb_proc_opts po = { .argv = argv, .stdin_data = "", .stdin_len = 0 };
	memset(n, 0, sizeof(*n));
	if (proc__spawn(&po, &n->p, err) < 0)
		return err__wrap(err, "starting the native worker");
	n->running = true;
	vbp__reader_init(&n->rd, n->p.out_fd);
	char line[VBP_LINE_MAX];
	struct vbp_msg m;
	const char *why = "";
	if (native_recv(n, line, sizeof(line), 10000, err) < 0)
		return err__wrap(err, "native worker");
	if (vbp__parse(line, &m, &why) < 0 || m.type != VBP_READY)
		return err__set(err, 0, "native worker: expected VBREADY, got \"%.80s\"", line);
	return 0;
}

static void native_stop(struct native *n)
{
	if (!n->running)
		return;
	vbp__write_all(n->p.in_fd, "VBEXIT\n", 7);
	proc__stop(&n->p, 1000);
	n->running = false;
}

struct job_outcome {
	double rate;        /* events/s or MiB/s */
	uint64_t checksum;  /* thread 0's */
	bool checksums_agree; /* every thread reported the same checksum */
};

/* Sends one VBRUN and collects a VBRESULT per thread up to VBDONE. */
static int run_job(const struct endpoint *ep, const struct wl_job *job, bool bytes,
		   int timeout_ms, struct job_outcome *out, struct vb_err *err)
{
	char line[VBP_LINE_MAX];
	int n = vbp__format_run(line, sizeof(line), job, 0);
	if (n < 0)
		return err__set(err, EINVAL, "formatting the job");
	if (ep->send(ep->ctx, line, err) < 0)
		return err__wrap(err, "%s", ep->name);
	struct wl_report rep[MAX_THREADS];
	bool seen[MAX_THREADS] = { false };
	for (;;) {
		if (ep->recv(ep->ctx, line, sizeof(line), timeout_ms, err) < 0)
			return err__wrap(err, "%s", ep->name);
		struct vbp_msg m;
		const char *why = "";
		if (vbp__parse(line, &m, &why) < 0)
			continue; /* noise on a serial line is not ours */
		if (m.type == VBP_ERROR)
			return err__set(err, 0, "%s worker: %s", ep->name, m.text);
		if (m.type == VBP_RESULT && m.result.thread < job->threads) {
			rep[m.result.thread] = m.result.rep;
			seen[m.result.thread] = true;
		}
		if (m.type == VBP_DONE)
			break;
	}
	uint64_t total = 0, elapsed = 0;
	out->checksums_agree = true;
	for (uint32_t t = 0; t < job->threads; t++) {
		if (!seen[t])
			return err__set(err, 0, "%s worker: no result for thread %u", ep->name, t);
		if (rep[t].error)
			return err__set(err, 0, "%s worker: workload error %u on thread %u", ep->name,
					rep[t].error, t);
		total += bytes ? rep[t].bytes : rep[t].events;
		if (rep[t].elapsed_ns > elapsed)
			elapsed = rep[t].elapsed_ns;
		if (rep[t].checksum != rep[0].checksum)
			out->checksums_agree = false;
	}
	if (!elapsed)
		return err__set(err, 0, "%s worker: zero elapsed time", ep->name);
	out->checksum = rep[0].checksum;
	double scale = bytes ? 1.0 / (1024.0 * 1024.0) : 1.0;
	out->rate = (double)total * scale / ((double)elapsed / 1e9);
	return 0;
}

struct work_ctx {
	struct endpoint guest, native;
	struct wl_job job;
	bool bytes, check_checksum;
	int timeout_ms;
	uint64_t checksum;
};

static int work_once(void *arg, unsigned iteration, bool warmup, double *v, struct vb_err *err)
{
	struct work_ctx *c = arg;
	struct job_outcome g, n;
	/* Alternate who goes first so a drift in host conditions hits both. */
	const struct endpoint *first = iteration % 2 ? &c->guest : &c->native;
	const struct endpoint *second = iteration % 2 ? &c->native : &c->guest;
	struct job_outcome *o1 = iteration % 2 ? &g : &n, *o2 = iteration % 2 ? &n : &g;
	if (run_job(first, &c->job, c->bytes, c->timeout_ms, o1, err) < 0 ||
	    run_job(second, &c->job, c->bytes, c->timeout_ms, o2, err) < 0)
		return -1;
	if (c->check_checksum && (g.checksum != n.checksum || !g.checksums_agree ||
				  !n.checksums_agree))
		return err__set(err, 0,
				"the in-guest checksum %" PRIu64 " differs from the native %" PRIu64,
				g.checksum, n.checksum);
	c->checksum = g.checksum;
	v[0] = g.rate;
	v[1] = n.rate;
	return 0;
}

struct work_kind {
	const char *benchmark, *metric, *unit;
	bool bytes, checksum;
};

static int work_config(struct qemu_session *s, const struct qemu_vm_config *cfg,
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
		.guest = { "guest", guest_send, guest_recv, &g },
		.native = { "native", native_send, native_recv, &nat },
		.job = *job_tmpl,
		.bytes = k->bytes,
		.check_checksum = k->checksum,
	};
	c.job.threads = cfg->vcpus;
	c.job.mem_total_size = job_tmpl->mem_total_size / cfg->vcpus; /* each thread its share */
	/* Emulated guests run many times slower than the host. */
	c.timeout_ms = (int)(s->o->work_ms * 50) + session__timeout_ms(s);

	if (session__boot(s, cfg, &g, err) < 0)
		goto out;
	booted = true;
	if (native_start(&nat, s->worker, err) < 0)
		goto out;
	res[0] = result__new(k->benchmark, "qemu", k->metric, k->unit, true);
	res[1] = result__new(k->benchmark, "native", k->metric, k->unit, true);
	if (!res[0] || !res[1]) {
		err__set(err, ENOMEM, "%s results", k->benchmark);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		if (session__describe(s, cfg, res[i]) < 0 ||
		    result__set_config(res[i], "threads", "%u", cfg->vcpus) < 0 ||
		    result__set_config(res[i], "time_ms", "%u", s->o->work_ms) < 0) {
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
	if (res[0]->nsamples && res[1]->nsamples) {
		result__set_overhead(res[0], res[1], res[0]);
		if (k->checksum) {
			result__set_config(res[0], "checksum", "%" PRIu64, c.checksum);
			result__set_config(res[1], "checksum", "%" PRIu64, c.checksum);
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
	native_stop(&nat);
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
		return err__usage(err,
				  "--image boots a cloud image for vm boot only; the in-guest "
				  "workloads run in the embedded guest (drop --image)");
	struct qemu_session s;
	if (session__open(&s, o, err) < 0)
		return err__wrap(err, "%s (qemu)", k->benchmark);
	session__record(&s, out);
	const struct qemu_vm_config *cfgs;
	unsigned n = qemu_bench__configs(o, &cfgs);
	int rc = 0;
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = work_config(&s, &cfgs[i], k, job, out, err);
	session__close(&s);
	return rc < 0 ? err__wrap(err, "%s (qemu)", k->benchmark) : 0;
}

int qemu_bench__cpu(const struct qemu_bench_opts *o, struct vb_result_set *out,
		    struct vb_err *err)
{
	static const struct work_kind k = { "vm.cpu", "events_per_sec", "events/s", false, true };
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
	static const struct work_kind k = { "vm.memory", "mib_per_sec", "MiB/s", true, false };
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
