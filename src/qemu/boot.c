/* vm.boot on QEMU: one boot per iteration, timed from QEMU's spawn. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qemu/session.h"

enum { M_TOTAL, M_QEMU_READY, M_KERNEL_ENTRY, M_KERNEL_DONE, M_SHUTDOWN, M_COUNT };

static const char *const metric_names[M_COUNT] = {
	[M_TOTAL] = "total_ms",
	[M_QEMU_READY] = "phase.qemu_ready_ms",
	[M_KERNEL_ENTRY] = "phase.kernel_entry_ms",
	[M_KERNEL_DONE] = "phase.kernel_done_ms",
	[M_SHUTDOWN] = "phase.shutdown_ms",
};

static const struct qemu_vm_config seed_configs[] = { { 1, 512 }, { 2, 1024 }, { 4, 2048 } };

void qemu_bench__defaults(struct qemu_bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 3; /* the seed's count */
	o->accel = QEMU_ACCEL_AUTO;
	o->work_ms = 1000;
	o->cpu_max_prime = 10000;
	o->mem_block_size = 1024;
	o->mem_oper = 2; /* write, sysbench's default */
}

/* The configurations to run: the user's, or the seed's three. */
unsigned qemu_bench__configs(const struct qemu_bench_opts *o, const struct qemu_vm_config **out)
{
	if (o->nconfigs) {
		*out = o->configs;
		return o->nconfigs;
	}
	*out = seed_configs;
	return sizeof(seed_configs) / sizeof(*seed_configs);
}

struct boot_ctx {
	struct qemu_session *s;
	const struct qemu_vm_config *c;
	bool kernel_phases;	  /* the embedded guest always prints them */
	unsigned idx[M_COUNT], n; /* the metrics reported, in runner order */
};

static int boot_once(void *arg, unsigned iteration, bool warmup, double *v, struct vb_err *err)
{
	struct boot_ctx *ctx = arg;
	struct qemu_guest g;
	if (session__boot(ctx->s, ctx->c, &g, err) < 0)
		return -1;
	/* The times are kept in g after the guest is gone. */
	if (session__halt(ctx->s, &g, err) < 0)
		return -1;
	struct qemu_boot_times t;
	qemu_guest__times(&g, &t);
	double full[M_COUNT] = {
		[M_TOTAL] = t.ready_ms,
		[M_QEMU_READY] = t.qemu_ready_ms,
		[M_KERNEL_ENTRY] = t.kernel_entry_ms,
		[M_KERNEL_DONE] = t.kernel_done_ms,
		[M_SHUTDOWN] = t.shutdown_ms,
	};
	if (ctx->kernel_phases && (!t.have_kernel_entry || !t.have_kernel_done))
		return err__set(err, 0,
				"the guest console showed no kernel timestamps (a kernel without "
				"CONFIG_PRINTK_TIME, or printk.time=0 in --append?)");
	for (unsigned i = 0; i < ctx->n; i++)
		v[i] = full[ctx->idx[i]];
	return 0;
}

static int boot_config(struct qemu_session *s, const struct qemu_vm_config *c,
		       struct vb_result_set *out, struct vb_err *err)
{
	struct boot_ctx ctx = { .s = s, .c = c, .kernel_phases = s->kernel != NULL };
	/* A disk image's kernel console is its own business (often quiet):
	 * only the phases virtbench can always see are reported for it. */
	for (unsigned m = 0; m < M_COUNT; m++)
		if (ctx.kernel_phases || (m != M_KERNEL_ENTRY && m != M_KERNEL_DONE))
			ctx.idx[ctx.n++] = m;
	struct vb_result *res[M_COUNT] = { 0 };
	int rc = 0;
	for (unsigned i = 0; i < ctx.n; i++) {
		res[i] = result__new("vm.boot", "qemu", metric_names[ctx.idx[i]], "ms", false);
		if (!res[i] || session__describe(s, c, res[i]) < 0) {
			rc = err__set(err, ENOMEM, "vm.boot results");
			goto out;
		}
	}
	char label[96];
	snprintf(label, sizeof(label), "qemu boot %u vCPU/%u MiB (%s)", c->vcpus, c->memory_mb,
		 s->accel.accel);
	struct vb_run_opts ro = s->o->run;
	if (ro.label)
		ro.label = label;
	rc = runner__run(&ro, boot_once, &ctx, res, ctx.n, err);
	/* What was measured is kept, also when a later iteration failed. */
	for (unsigned i = 0; i < ctx.n; i++) {
		if (res[i]->nsamples && result_set__add(out, res[i]) == 0)
			res[i] = NULL;
	}
out:
	for (unsigned i = 0; i < ctx.n; i++)
		result__free(res[i]);
	return rc;
}

int qemu_bench__boot(const struct qemu_bench_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct qemu_session s;
	if (session__open(&s, o, err) < 0)
		return err__wrap(err, "vm boot (qemu)");
	session__record(&s, out);
	const struct qemu_vm_config *cfgs;
	unsigned n = qemu_bench__configs(o, &cfgs);
	int rc = 0;
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = boot_config(&s, &cfgs[i], out, err);
	session__close(&s);
	return rc < 0 ? err__wrap(err, "vm boot (qemu)") : 0;
}

int qemu_bench__accel(const struct qemu_bench_opts *o, struct qemu_accel_info *info,
		      struct vb_err *err)
{
	struct qemu_session s;
	if (session__open(&s, o, err) < 0)
		return -1;
	*info = s.accel;
	session__close(&s);
	return 0;
}
