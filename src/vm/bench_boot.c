/* `vm boot`: start-up of a microVM split into phases (as Firecracker's boot
 * timer splits it), each from CLOCK_MONOTONIC stamps taken by the VMM, plus
 * the create-to-ready and total times and the process CPU time a boot and
 * its teardown cost. Every iteration is a complete VM: /dev/kvm is opened
 * anew, nothing is kept from one boot to the next except KVM's supported
 * CPUID table (read once per process, as a long-running VMM would). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vm/bench_impl.h"

enum boot_metric {
	BM_READY,
	BM_TOTAL,
	BM_CPU,
	BM_OPEN,
	BM_CREATE,
	BM_MAP,
	BM_VCPUS,
	BM_LOAD,
	BM_FIRST,
	BM_ALL_READY,
	BM_TEARDOWN,
	BM_COUNT
};

static const char *const boot_metrics[BM_COUNT] = {
	"ready_ms",
	"total_ms",
	"vmm_cpu_ms",
	"phase.open_kvm_ms",
	"phase.create_vm_ms",
	"phase.map_memory_ms",
	"phase.create_vcpus_ms",
	"phase.load_guest_ms",
	"phase.first_instruction_ms",
	"phase.all_vcpus_ready_ms",
	"phase.teardown_ms",
};

void vm_boot_opts__init(struct vm_boot_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 3;
	static const struct vm_config seed[] = { { 1, 512 }, { 2, 1024 }, { 4, 2048 } };
	for (unsigned i = 0; i < 3; i++)
		o->configs[i] = seed[i];
	o->nconfigs = 3;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double ms(uint64_t a, uint64_t b)
{
	return b >= a ? (double)(b - a) / 1e6 : NAN;
}

/* One boot; values[] in ms. */
static int boot__once(const struct vm_config *cfg, enum vm_huge huge, double *v, struct vb_err *err)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.vcpus = cfg->vcpus;
	o.mem_bytes = cfg->mem_mb * MIB_;
	o.huge = huge;
	uint64_t c0 = cpu_ns();
	struct vm *vm;
	if (vm__create(&o, &vm, err) < 0)
		return -1;
	int rc = vm__start(vm, err);
	if (rc == 0)
		rc = vm__wait_ready(vm, 10000, err);
	struct vm_times t = *vm__times(vm);
	uint64_t teardown;
	vm__destroy(vm, &teardown);
	uint64_t c1 = cpu_ns();
	if (rc < 0)
		return -1;
	v[BM_OPEN] = ms(t.begin, t.opened);
	v[BM_CREATE] = ms(t.opened, t.created);
	v[BM_MAP] = ms(t.created, t.mapped);
	v[BM_VCPUS] = ms(t.mapped, t.vcpus);
	v[BM_LOAD] = ms(t.vcpus, t.loaded);
	v[BM_FIRST] = ms(t.loaded, t.entered);
	v[BM_ALL_READY] = ms(t.entered, t.ready);
	v[BM_TEARDOWN] = (double)teardown / 1e6;
	v[BM_READY] = ms(t.begin, t.ready);
	v[BM_TOTAL] = v[BM_READY] + v[BM_TEARDOWN];
	v[BM_CPU] = (double)(c1 - c0) / 1e6;
	return 0;
}

struct boot_run {
	const struct vm_config *cfg;
	enum vm_huge huge;
	struct vb_result_set *out;
};

/* A boot that failed ends that VM only; a usage error ends the run. */
static int boot__iteration(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct boot_run *b = arg;
	if (boot__once(b->cfg, b->huge, v, err) == 0)
		return 0;
	return err->status == VB_EXIT_USAGE ? -1 : VB_ITER_FAILED;
}

static void boot__failed(void *arg, unsigned iteration, bool warmup, const struct vb_err *why)
{
	struct boot_run *b = arg;
	char what[96];
	snprintf(what, sizeof(what), "%u vCPU/%llu MiB%s", b->cfg->vcpus,
		 (unsigned long long)b->cfg->mem_mb, warmup ? " warm-up" : "");
	vmb__iteration_failed(b->out, "vm.boot", what, iteration, why);
}

static int boot__config(const struct vm_boot_opts *o, const struct vm_config *cfg,
			const struct vm_env *env, struct vb_result_set *out, struct vb_err *err)
{
	struct vb_result *r[BM_COUNT] = { 0 };
	int rc = 0;
	for (unsigned m = 0; m < BM_COUNT; m++) {
		r[m] = vmb__result("vm.boot", VMB_PLATFORM, boot_metrics[m], "ms", false, cfg, env);
		if (!r[m]) {
			rc = err__set(err, 0, "out of memory");
			goto out;
		}
		if (m == BM_CPU)
			snprintf(r[m]->note, sizeof(r[m]->note),
				 "CPU time of the whole process over boot and teardown, guest time "
				 "of the vCPU threads included");
	}
	char label[64];
	snprintf(label, sizeof(label), "vm boot %u vCPU/%llu MiB", cfg->vcpus,
		 (unsigned long long)cfg->mem_mb);
	struct vb_run_opts run = o->run;
	run.label = label;
	struct boot_run b = { .cfg = cfg, .huge = o->huge, .out = out };
	static const struct runner_hooks hooks = { .failed = boot__failed };
	rc = runner__run_hooked(&run, &hooks, boot__iteration, &b, r, BM_COUNT, err);
out:
	for (unsigned m = 0; m < BM_COUNT; m++) {
		if (!r[m])
			continue;
		if (rc == 0 || r[m]->nsamples) {
			struct vb_err e2;
			if (vmb__add(out, r[m], &e2) < 0 && rc == 0) {
				*err = e2;
				rc = -1;
			}
		} else {
			result__free(r[m]);
		}
	}
	return rc;
}

int vm_bench__boot(const struct vm_boot_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	for (unsigned c = 0; c < o->nconfigs; c++)
		if (vm__check_host_memory(o->configs[c].mem_mb * MIB_, "--memory", err) < 0)
			return -1;
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	for (unsigned c = 0; c < o->nconfigs; c++)
		if (boot__config(o, &o->configs[c], &env, out, err) < 0)
			return err__wrap(err, "vm boot %u vCPU/%llu MiB", o->configs[c].vcpus,
					 (unsigned long long)o->configs[c].mem_mb);
	return 0;
}
