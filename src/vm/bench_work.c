/* `vm cpu`, `vm memory` and `vm scale`: a workload inside the guest (one
 * thread per vCPU) and the same job natively (as many threads), alternating
 * in the same run so that drift on a shared machine hits both alike, and
 * the overhead of the guest with its 95% interval. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/interrupt.h"
#include "vm/bench_impl.h"

void vm_work_opts__init(struct vm_work_opts *o, unsigned workloads)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 5;
	static const struct vm_config seed[] = { { 1, 512 }, { 2, 1024 }, { 4, 2048 } };
	for (unsigned i = 0; i < 3; i++)
		o->configs[i] = seed[i];
	o->nconfigs = 3;
	o->workloads = workloads;
	o->seconds = 1.0;
	o->cpu_max_prime = 10000;
	o->mem_block_size = 1024;
	o->memlat_bytes = 32 * MIB_;
	o->fault_bytes = 32 * MIB_;
}

/* The pair of results of one comparison. */
struct work_pair {
	struct vb_result *native, *guest, *guest_per_vcpu, *native_per_thread;
};

static int work__vm(const struct vm_config *cfg, const struct vmb_job *j, enum vm_huge huge,
		    struct vm **vm, struct vb_err *err)
{
	struct vm_opts vo;
	vm_opts__init(&vo);
	vo.vcpus = cfg->vcpus;
	vo.mem_bytes = vmb__guest_mb(j, cfg->vcpus, cfg->mem_mb) * MIB_;
	vo.huge = huge;
	return vmb__up(&vo, vm, err);
}

/* --adaptive stops when the figure this benchmark exists for, the guest's
 * overhead, is known to within the target: its 95% interval at most
 * target x 100 points either side (--target-ci 1% = +-1 point). Each side's
 * own median being narrow is not enough: two medians each within +-1% still
 * leave their ratio uncertain by up to +-2 points. results: native, guest. */
static bool work__narrow(void *ctx, struct vb_result *const *results, unsigned nmetrics,
			 double target)
{
	const struct vb_result *native = results[0], *guest = results[1];
	/* A bootstrap interval from a handful of pairs is too narrow to trust:
	 * on kvm_pvm, 6 pairs once claimed +-0.9 points where runs of 20 pairs
	 * showed +-1.3. */
	if (native->nsamples < 10 || guest->nsamples < 10)
		return false;
	struct vb_overhead o;
	stats__overhead(native->samples, native->nsamples, guest->samples, guest->nsamples,
			guest->higher_is_better, &o);
	double half = (o.ci_high - o.ci_low) / 2;
	return isfinite(half) && half <= 100 * target;
}

/* One comparison's run: the VM lives from the first guest run until one
 * fails (the next iteration starts a new one) or the run ends. */
struct work_run {
	const struct vm_config *cfg;
	const struct vmb_job *j;
	enum vm_workload w;
	enum vm_huge huge;
	const char *bench;
	char what[64];
	struct vb_result_set *out;
	struct vm *vm;
	unsigned calls; /* which side goes first alternates with every call */
	bool per_thread;
};

static int work__guest(struct work_run *r, struct rates *sg, struct vb_err *err)
{
	if (!r->vm && work__vm(r->cfg, r->j, r->huge, &r->vm, err) < 0)
		return err->status == VB_EXIT_USAGE ? -1 : VB_ITER_FAILED;
	if (vmb__guest(r->vm, r->j, sg, err) == 0)
		return 0;
	vm__destroy(r->vm, NULL);
	r->vm = NULL;
	return VB_ITER_FAILED;
}

/* values: native, guest (and per thread: guest per vCPU, native per thread). */
static int work__iteration(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct work_run *r = arg;
	struct rates sn, sg;
	bool native_first = r->calls++ % 2 == 0;
	for (int half = 0; half < 2; half++) {
		if ((half == 0) == native_first) {
			if (vmb__native(r->j, r->cfg->vcpus, &sn, err) < 0)
				return err__wrap(err, "native");
			continue;
		}
		int rc = work__guest(r, &sg, err);
		if (rc != 0)
			return rc;
	}
	v[0] = vmb__value(r->w, &sn);
	v[1] = vmb__value(r->w, &sg);
	if (r->per_thread) {
		v[2] = sg.events_per_sec_thread;
		v[3] = sn.events_per_sec_thread;
	}
	return 0;
}

static void work__failed(void *arg, unsigned iteration, bool warmup, const struct vb_err *why)
{
	struct work_run *r = arg;
	vmb__iteration_failed(r->out, r->bench, r->what, iteration, why);
}

/* Alternates native and guest runs of one job; a failed guest run ends that
 * VM, is recorded, and the next iteration starts a new one. */
static int work__compare(const struct vb_run_opts *run, const struct vm_config *cfg,
			 const struct vmb_job *j, enum vm_workload w, enum vm_huge huge,
			 const char *bench, struct work_pair *p, struct vb_result_set *out,
			 struct vb_err *err)
{
	struct work_run r = { .cfg = cfg, .j = j, .w = w, .huge = huge, .bench = bench, .out = out };
	char label[80];
	snprintf(r.what, sizeof(r.what), "%s %u vCPU/%llu MiB", vm_workload__name(w), cfg->vcpus,
		 (unsigned long long)cfg->mem_mb);
	snprintf(label, sizeof(label), "%s %s", bench, r.what);
	struct vb_run_opts o = *run;
	o.label = label;
	struct vb_result *res[4] = { p->native, p->guest, p->guest_per_vcpu, p->native_per_thread };
	r.per_thread = p->guest_per_vcpu != NULL;
	unsigned n = r.per_thread ? 4 : 2;
	static const struct runner_hooks hooks = { .failed = work__failed,
						   .precise = work__narrow };
	int rc = runner__run_hooked(&o, &hooks, work__iteration, &r, res, n, err);
	vm__destroy(r.vm, NULL);
	if (rc < 0 && !interrupt__pending())
		err__wrap(err, "%s", r.what);
	return rc;
}

/* Finishes the pair, sets the overhead on the guest result, adds them. */
static int work__emit(struct work_pair *p, struct vb_result_set *out, struct vb_err *err)
{
	struct vb_result *all[] = { p->native, p->guest, p->guest_per_vcpu, p->native_per_thread };
	for (size_t i = 0; i < 4; i++)
		if (all[i])
			result__finish(all[i]);
	if (p->native && p->guest && p->native->nsamples && p->guest->nsamples)
		result__set_overhead(p->guest, p->native, p->guest);
	int rc = 0;
	for (size_t i = 0; i < 4; i++)
		if (all[i] && vmb__add(out, all[i], err) < 0)
			rc = -1;
	memset(p, 0, sizeof(*p));
	return rc;
}

static int work__pair(const char *bench, enum vm_workload w, const struct vm_config *cfg,
		      const struct vm_env *env, bool per_thread, struct work_pair *p,
		      struct vb_err *err)
{
	const char *unit;
	bool hib;
	const char *metric = vmb__metric(w, &unit, &hib);
	memset(p, 0, sizeof(*p));
	p->native = vmb__result(bench, "native", metric, unit, hib, cfg, env);
	p->guest = vmb__result(bench, VMB_PLATFORM, metric, unit, hib, cfg, env);
	if (per_thread) {
		p->guest_per_vcpu = vmb__result(bench, VMB_PLATFORM, "per_vcpu_events_per_sec",
						"events/s", true, cfg, env);
		p->native_per_thread = vmb__result(bench, "native", "per_vcpu_events_per_sec",
						   "events/s", true, cfg, env);
	}
	if (!p->native || !p->guest ||
	    (per_thread && (!p->guest_per_vcpu || !p->native_per_thread)))
		return err__set(err, ENOMEM, "results");
	if (p->native)
		p->native->note[0] = 0; /* the host caveat is about the guest */
	if (p->native_per_thread)
		p->native_per_thread->note[0] = 0;
	return 0;
}

int vm_bench__workload(const struct vm_work_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	for (unsigned c = 0; c < o->nconfigs; c++)
		if (vm__check_host_memory(o->configs[c].mem_mb * MIB_, "--memory", err) < 0)
			return -1;
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	for (unsigned c = 0; c < o->nconfigs; c++) {
		const struct vm_config *cfg = &o->configs[c];
		for (unsigned w = 0; w < VM_WL_COUNT; w++) {
			if (!(o->workloads & (1u << w)))
				continue;
			char bench[32];
			snprintf(bench, sizeof(bench), "vm.%s", vm_workload__name(w));
			struct vmb_job j;
			vmb__job(w, o, cfg->vcpus, &j);
			struct work_pair p;
			if (work__pair(bench, w, cfg, &env, false, &p, err) < 0) {
				work__emit(&p, out, &(struct vb_err){ 0 });
				return -1;
			}
			int rc = work__compare(&o->run, cfg, &j, w, o->huge, bench, &p, out, err);
			struct vb_err e2 = { 0 };
			if (work__emit(&p, out, &e2) < 0 && rc == 0) {
				*err = e2;
				rc = -1;
			}
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

void vm_scale_opts__init(struct vm_scale_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 3;
	o->max_vcpus = 2 * vmb__host_cpus();
	o->seconds = 1.0;
	o->cpu_max_prime = 10000;
}

int vm_bench__scale(const struct vm_scale_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	struct vm_work_opts wo;
	vm_work_opts__init(&wo, 1u << VM_WL_CPU);
	wo.seconds = o->seconds;
	wo.cpu_max_prime = o->cpu_max_prime;
	for (unsigned n = 1; n <= o->max_vcpus;
	     n = n * 2 > o->max_vcpus && n < o->max_vcpus ? o->max_vcpus : n * 2) {
		struct vm_config cfg = { n, 256 };
		struct vmb_job j;
		vmb__job(VM_WL_CPU, &wo, n, &j);
		struct work_pair p;
		if (work__pair("vm.scale", VM_WL_CPU, &cfg, &env, true, &p, err) < 0) {
			work__emit(&p, out, &(struct vb_err){ 0 });
			return -1;
		}
		int rc = work__compare(&o->run, &cfg, &j, VM_WL_CPU, VM_HUGE_NONE, "vm.scale", &p,
				       out, err);
		struct vb_err e2 = { 0 };
		if (work__emit(&p, out, &e2) < 0 && rc == 0) {
			*err = e2;
			rc = -1;
		}
		if (rc < 0)
			return rc;
		if (n == o->max_vcpus)
			break;
	}
	return 0;
}
