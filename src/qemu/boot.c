/* vm.boot on QEMU: one boot per iteration, timed from QEMU's spawn. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/names.h"
#include "qemu/session.h"

enum {
	M_TOTAL,
	M_QEMU_READY,
	M_LOADER,
	M_KERNEL_ENTRY,
	M_KERNEL_DONE,
	M_CLOUD_INIT,
	M_SHUTDOWN,
	M_COUNT
};

static const char *const metric_names[M_COUNT] = {
	[M_TOTAL] = VB_METRIC_TOTAL_MS,
	[M_QEMU_READY] = VB_METRIC_PHASE_QEMU_READY_MS,
	[M_LOADER] = VB_METRIC_PHASE_LOADER_MS,
	[M_KERNEL_ENTRY] = VB_METRIC_PHASE_KERNEL_ENTRY_MS,
	[M_KERNEL_DONE] = VB_METRIC_PHASE_KERNEL_DONE_MS,
	[M_CLOUD_INIT] = VB_METRIC_PHASE_CLOUD_INIT_MS,
	[M_SHUTDOWN] = VB_METRIC_PHASE_SHUTDOWN_MS,
};

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
unsigned qemu_bench__configs(const struct qemu_bench_opts *o, const struct vb_guest_config **out)
{
	if (o->nconfigs) {
		*out = o->configs;
		return o->nconfigs;
	}
	*out = vb_seed_configs;
	return VB_SEED_NCONFIGS;
}

struct boot_ctx {
	struct qemu_session *s;
	const struct vb_guest_config *c;
	bool image;		  /* a cloud image: its phases come from qemu/bootlog.h */
	unsigned idx[M_COUNT], n; /* the metrics reported, in runner order */
};

/* The embedded guest's phases: its kernel always prints them. */
static int kernel_phases(const struct qemu_guest *g, double *full, struct vb_err *err)
{
	struct qemu_boot_times t;
	qemu_guest__times(g, &t);
	if (!t.have_kernel_entry || !t.have_kernel_done)
		return err__set(err, 0,
				"the guest console showed no kernel timestamps (a kernel without "
				"CONFIG_PRINTK_TIME, or printk.time=0 in --append?)");
	full[M_KERNEL_ENTRY] = t.kernel_entry_ms;
	full[M_KERNEL_DONE] = t.kernel_done_ms;
	return 0;
}

static int image_phases(const struct qemu_guest *g, double *full, struct vb_err *err)
{
	struct qemu_image_phases p;
	if (qemu_bootlog__phases(&g->boot, &p, err) < 0)
		return -1;
	full[M_LOADER] = p.loader_ms;
	full[M_KERNEL_ENTRY] = p.kernel_entry_ms;
	full[M_KERNEL_DONE] = p.init_ms;
	full[M_CLOUD_INIT] = p.cloud_init_ms;
	return 0;
}

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
		[M_SHUTDOWN] = t.shutdown_ms,
	};
	if ((ctx->image ? image_phases : kernel_phases)(&g, full, err) < 0)
		return err__wrap(err, "qemu guest %u vCPU/%u MiB (%s)", ctx->c->vcpus,
				 ctx->c->memory_mb, ctx->s->accel.accel);
	for (unsigned i = 0; i < ctx->n; i++)
		v[i] = full[ctx->idx[i]];
	return 0;
}

static int boot_config(struct qemu_session *s, const struct vb_guest_config *c,
		       struct vb_result_set *out, struct vb_err *err)
{
	struct boot_ctx ctx = { .s = s, .c = c, .image = s->image_abs != NULL };
	/* The boot loader and cloud-init are a cloud image's alone. */
	for (unsigned m = 0; m < M_COUNT; m++)
		if (ctx.image || (m != M_LOADER && m != M_CLOUD_INIT))
			ctx.idx[ctx.n++] = m;
	struct vb_result *res[M_COUNT] = { 0 };
	int rc = 0;
	for (unsigned i = 0; i < ctx.n; i++) {
		res[i] = result__new(VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, metric_names[ctx.idx[i]],
				     "ms", false);
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
	const struct vb_guest_config *cfgs;
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
