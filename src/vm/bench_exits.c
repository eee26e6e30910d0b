/* `vm exits`: what one exit costs, as ns per exit, the kvm-unit-tests
 * vmexit way: the guest repeats the exit N times, N doubling until a run
 * lasts long enough, then each sample is one run of that N. Timed by the
 * guest clock (TSC scaled by KVM's frequency) and by the host (from the
 * START exit to the STOP exit). Counts of exits that reach user space are
 * checked exactly. Kinds: port I/O and MMIO to user space, CPUID (handled
 * inside KVM, if it exits at all), HLT (kernel level only), and the bare
 * KVM_RUN ioctl without entering the guest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/interrupt.h"
#include "core/output.h"
#include "vm/bench_impl.h"

#define MAX_COUNT (1ull << 32)
#define SLACK_MS  10000

void vm_exits_opts__init(struct vm_exits_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 5;
	o->run.warmup = 0; /* the doubling runs warm up */
	o->kinds = VM_EXITS_ALL;
	o->min_seconds = 0.1;
}

struct exit_kind {
	unsigned bit;
	enum vb_exit_test test;
	const char *name; /* metric stem */
	enum vm_priv priv;
};

static const struct exit_kind kinds[] = {
	{ VM_EXITS_PIO, VB_EXITT_PIO, "pio", VM_PRIV_USER },
	{ VM_EXITS_MMIO, VB_EXITT_MMIO, "mmio", VM_PRIV_USER },
	{ VM_EXITS_INKERNEL, VB_EXITT_INKERNEL, "inkernel", VM_PRIV_USER },
	{ VM_EXITS_HLT, VB_EXITT_HLT, "hlt", VM_PRIV_KERNEL },
	{ VM_EXITS_MMIO_KERNEL, VB_EXITT_MMIO_KERNEL, "mmio_kernel", VM_PRIV_USER },
};

/* One run of `count` exits; per-exit ns by host and guest clock. */
static int exits__run(struct vm *vm, const struct exit_kind *k, uint64_t count, uint64_t expect_ms,
		      double *host_ns, double *guest_ns, uint64_t *value, struct vb_err *err)
{
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_EXITS;
	r.arg[0] = k->test;
	r.arg[1] = count;
	r.arg[2] = arch__mmio_gpa(vm__heap_gpa(vm) + vm__heap_size(vm) - arch__ram_base());
	if (vm__post(vm, 0, &r, err) < 0 ||
	    vm__wait_done(vm, (unsigned)expect_ms + SLACK_MS, err) < 0)
		return -1;
	const struct vm_vcpu_result *res = vm__result(vm, 0);
	uint64_t seen = k->test == VB_EXITT_PIO	   ? res->pio_pings
			: k->test == VB_EXITT_MMIO ? res->mmio_pings
			: k->test == VB_EXITT_HLT  ? res->hlts
						   : count;
	if (seen != count)
		return err__set(err, 0, "%s: the guest made %llu exits, the VMM saw %llu", k->name,
				(unsigned long long)count, (unsigned long long)seen);
	*host_ns = (double)(res->host_stop - res->host_start) / (double)count;
	*guest_ns = (double)res->guest_ns / (double)count;
	*value = res->value[0];
	return 0;
}

static int exits__vm(enum vm_priv priv, struct vm **vm, struct vb_err *err)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.mem_bytes = 16 * MIB_;
	o.priv = priv;
	return vmb__up(&o, vm, err);
}

/* Calibration: double the count until one run lasts min_seconds. On
 * failure the VM is gone. */
static int exits__calibrate(const struct vm_exits_opts *o, const struct exit_kind *k,
			    struct vm **vm, uint64_t *count, double *h, uint64_t *value,
			    struct vb_err *err)
{
	uint64_t min_ns = (uint64_t)(o->min_seconds * 1e9);
	double g = 0;
	*count = 16;
	*h = 0;
	for (;;) {
		if (exits__run(*vm, k, *count, (uint64_t)(*h * *count * 4 / 1e6) + 1000, h, &g,
			       value, err) < 0) {
			vm__destroy(*vm, NULL);
			*vm = NULL;
			return -1;
		}
		if (*h * (double)*count >= (double)min_ns || *count >= MAX_COUNT)
			return 0;
		*count *= 2;
	}
}

/* What each exit kind's figures say about themselves. */
static void exits__describe(struct vb_result *r, bool guest_clock, const struct exit_kind *k,
			    uint64_t count, uint64_t value)
{
	result__set_config(r, "exits_per_sample", "%llu", (unsigned long long)count);
	result__set_config(r, "clock", "%s", guest_clock ? "guest" : "host");
	result__set_config(r, "guest_level", "%s", k->priv == VM_PRIV_KERNEL ? "kernel" : "user");
	/* The instruction differs by architecture (x86 CPUID, arm64 HVC ...):
	 * provenance, which compare does not match on. */
	const char *how = arch__exit_how(k->test);
	result__set_config(r, "exit", "%s", how);
	if (k->test == VB_EXITT_INKERNEL) {
		char up[16];
		size_t j = 0;
		for (; how[j] && j + 1 < sizeof(up); j++)
			up[j] = (char)(how[j] >= 'a' && how[j] <= 'z' ? how[j] - 32 : how[j]);
		up[j] = 0;
		if (value)
			snprintf(r->note, sizeof(r->note), "%s answered by KVM inside the kernel",
				 up);
		else
			snprintf(r->note, sizeof(r->note),
				 "%s did not exit: the CPU answered it at guest user level (no "
				 "intercept on this host)",
				 up);
	} else if (k->test == VB_EXITT_HLT) {
		snprintf(r->note, sizeof(r->note),
			 "each halt returns to the VMM, which resumes the vCPU at once: the "
			 "wake-up is the re-entry");
	} else if (k->test == VB_EXITT_MMIO_KERNEL) {
		snprintf(r->note, sizeof(r->note),
			 "a read of an in-kernel interrupt controller register: KVM "
			 "completes the MMIO exit without returning to the VMM");
	}
}

/* The measured runs of one kind: a VM that fails is recorded and replaced. */
struct exits_run {
	const struct exit_kind *k;
	struct vb_result_set *out;
	struct vm *vm;
	uint64_t count, value;
	double h;
	unsigned failed;
};

/* values: ns per exit by the host clock, by the guest clock. */
static int exits__iteration(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct exits_run *r = arg;
	if (!r->vm && exits__vm(r->k->priv, &r->vm, err) < 0)
		return VB_ITER_FAILED;
	double g;
	if (exits__run(r->vm, r->k, r->count, (uint64_t)(r->h * r->count * 4 / 1e6), &r->h, &g,
		       &r->value, err) < 0) {
		vm__destroy(r->vm, NULL);
		r->vm = NULL;
		return VB_ITER_FAILED;
	}
	v[0] = r->h;
	v[1] = g;
	return 0;
}

static void exits__failed(void *arg, unsigned iteration, bool warmup, const struct vb_err *why)
{
	struct exits_run *r = arg;
	r->failed++;
	vmb__iteration_failed(r->out, "vm.exits", r->k->name, iteration, why);
}

static int exits__kind(const struct vm_exits_opts *o, const struct exit_kind *k,
		       const struct vm_env *env, struct vb_result_set *out, struct vb_err *err)
{
	char mh[48], mg[48];
	snprintf(mh, sizeof(mh), "%s_ns", k->name);
	snprintf(mg, sizeof(mg), "%s_guest_ns", k->name);
	struct exits_run x = { .k = k, .out = out };
	if (exits__vm(k->priv, &x.vm, err) < 0 ||
	    exits__calibrate(o, k, &x.vm, &x.count, &x.h, &x.value, err) < 0)
		return -1;
	struct vb_result *r[2] = {
		vmb__result("vm.exits", VMB_PLATFORM, mh, "ns", false, NULL, env),
		vmb__result("vm.exits", VMB_PLATFORM, mg, "ns", false, NULL, env),
	};
	int rc = 0;
	if (!r[0] || !r[1]) {
		rc = err__set(err, ENOMEM, "result");
		goto out;
	}
	for (int i = 0; i < 2; i++)
		exits__describe(r[i], i == 1, k, x.count, x.value);
	char label[48];
	snprintf(label, sizeof(label), "vm exits %s", k->name);
	struct vb_run_opts run = o->run;
	run.label = label;
	static const struct runner_hooks hooks = { .failed = exits__failed };
	rc = runner__run_hooked(&run, &hooks, exits__iteration, &x, r, 2, err);
	/* Every run failed: each is a skip already, and the kind has no figure. */
	if (rc < 0 && x.failed && r[0]->nsamples == 0 && !interrupt__pending())
		rc = 0;
out:
	vm__destroy(x.vm, NULL);
	if (vmb__add(out, r[0], err) < 0 || vmb__add(out, r[1], err) < 0)
		rc = -1;
	return rc;
}

/* values: ns per KVM_RUN call that does not enter the guest. */
struct empty_run {
	struct vm *vm;
	uint64_t n;
};

static int exits__empty_iteration(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct empty_run *e = arg;
	uint64_t el = 0;
	if (vm__empty_runs(e->vm, e->n, &el, err) < 0)
		return -1;
	v[0] = (double)el / (double)e->n;
	return 0;
}

static int exits__empty(const struct vm_exits_opts *o, const struct vm_env *env,
			struct vb_result_set *out, struct vb_err *err)
{
	struct vm_opts vo;
	vm_opts__init(&vo);
	vo.mem_bytes = 16 * MIB_;
	struct empty_run e = { .n = 64 };
	if (vm__create(&vo, &e.vm, err) < 0)
		return -1;
	uint64_t el = 0;
	int rc = 0;
	uint64_t min_ns = (uint64_t)(o->min_seconds * 1e9);
	while ((rc = vm__empty_runs(e.vm, e.n, &el, err)) == 0 && el < min_ns && e.n < MAX_COUNT)
		e.n *= 2;
	struct vb_result *r =
		vmb__result("vm.exits", VMB_PLATFORM, "kvm_run_empty_ns", "ns", false, NULL, env);
	if (!r) {
		vm__destroy(e.vm, NULL);
		return err__set(err, ENOMEM, "result");
	}
	result__set_config(r, "calls_per_sample", "%llu", (unsigned long long)e.n);
	snprintf(
		r->note, sizeof(r->note),
		"KVM_RUN with immediate_exit set: the ioctl round trip without entering the guest");
	struct vb_run_opts run = o->run;
	run.label = "vm exits kvm_run_empty";
	if (rc == 0)
		rc = runner__run(&run, exits__empty_iteration, &e, &r, 1, err);
	vm__destroy(e.vm, NULL);
	struct vb_err e2 = { 0 };
	if (vmb__add(out, r, &e2) < 0 && rc == 0) {
		*err = e2;
		rc = -1;
	}
	return rc;
}

int vm_bench__exits(const struct vm_exits_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct exit_kind *k = &kinds[i];
		if (!(o->kinds & k->bit))
			continue;
		if (!arch__exit_how(k->test)) {
			result_set__skip(out, "vm.exits", VMB_PLATFORM, "%s: %s has no such exit",
					 k->name, arch__name());
			continue;
		}
		if (k->priv == VM_PRIV_KERNEL && env.cpl0_emulated && !o->force_hlt) {
			result_set__skip(
				out, "vm.exits", VMB_PLATFORM,
				"%s: needs guest kernel level, which this host's KVM (%s) "
				"emulates at about %.0fx the native cost; --force-hlt measures "
				"it anyway",
				k->name, env.module[0] ? env.module : "kvm", env.cpl0_ratio);
			continue;
		}
		if (k->priv == VM_PRIV_KERNEL && !env.cpl0_known && !o->force_hlt) {
			result_set__skip(out, "vm.exits", VMB_PLATFORM,
					 "%s: needs guest kernel level, which did not run on this "
					 "host; --force-hlt tries anyway",
					 k->name);
			continue;
		}
		if (exits__kind(o, k, &env, out, err) < 0) {
			if (interrupt__pending())
				return -1;
			struct vb_err e = *err;
			vmb__iteration_failed(out, "vm.exits", k->name, 0, &e);
		}
	}
	if ((o->kinds & VM_EXITS_EMPTY_RUN) && exits__empty(o, &env, out, err) < 0)
		return err__wrap(err, "vm exits: empty KVM_RUN");
	return 0;
}
