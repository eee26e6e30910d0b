/* Shared pieces of the microVM benchmarks: result labelling, bringing a VM
 * up, running one request on every vCPU, and the workload jobs that the
 * guest and the native side run identically. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/output.h"
#include "vm/bench_impl.h"

#define READY_TIMEOUT_MS 10000
#define RUN_SLACK_MS	 5000 /* watchdog: this long past the expected run time */

struct vb_result *vmb__result(const char *bench, const char *platform, const char *metric,
			      const char *unit, bool higher_is_better, const struct vm_config *cfg,
			      const struct vm_env *env)
{
	struct vb_result *r = result__new(bench, platform, metric, unit, higher_is_better);
	if (!r)
		return NULL;
	if (cfg) {
		result__set_config(r, "vcpus", "%u", cfg->vcpus);
		result__set_config(r, "memory_mb", "%llu", (unsigned long long)cfg->mem_mb);
	}
	result__set_config(r, "arch", "%s", arch__name());
	if (env && env->probed) {
		result__set_config(r, "kvm_cpl0", "%s",
				   !env->cpl0_known	? "unknown"
				   : env->cpl0_emulated ? "emulated"
							: "native");
		if (env->module[0])
			result__set_config(r, "kvm_module", "%s", env->module);
		if (env->cpl0_emulated)
			snprintf(r->note, sizeof(r->note),
				 "guest kernel level emulated by this host's KVM (%s); guest code "
				 "runs at user level",
				 env->module[0] ? env->module : "kvm");
	}
	return r;
}

int vmb__add(struct vb_result_set *out, struct vb_result *r, struct vb_err *err)
{
	if (!r)
		return err__set(err, 0, "out of memory for a result");
	if (r->nsamples == 0) {
		result__free(r);
		return 0;
	}
	result__finish(r);
	if (result_set__add(out, r) < 0) {
		result__free(r);
		return err__set(err, 0, "out of memory adding a result");
	}
	return 0;
}

int vmb__up(const struct vm_opts *o, struct vm **out, struct vb_err *err)
{
	struct vm *vm;
	*out = NULL;
	if (vm__create(o, &vm, err) < 0)
		return -1;
	if (vm__start(vm, err) < 0 || vm__wait_ready(vm, READY_TIMEOUT_MS, err) < 0) {
		vm__destroy(vm, NULL);
		return -1;
	}
	*out = vm;
	return 0;
}

int vmb__run_all(struct vm *vm, const struct vm_request *r, unsigned timeout_ms, struct vb_err *err)
{
	for (unsigned i = 0; i < vm__vcpus(vm); i++) {
		struct vm_request ri = *r;
		ri.job.thread = i;
		if (vm__post(vm, i, &ri, err) < 0)
			return -1;
	}
	return vm__wait_done(vm, timeout_ms, err);
}

void vmb__job(enum vm_workload w, const struct vm_work_opts *o, unsigned threads,
	      struct vmb_job *out)
{
	memset(out, 0, sizeof(*out));
	struct wl_job *j = &out->job;
	j->threads = threads;
	j->time_ns = (uint64_t)(o->seconds * 1e9);
	switch (w) {
	case VM_WL_CPU:
		j->kind = WL_CPU;
		j->cpu_max_prime = o->cpu_max_prime;
		break;
	case VM_WL_MEMORY: /* sysbench memory defaults: 1 KiB blocks, seq write */
		j->kind = WL_MEMORY;
		j->mem_oper = WL_MEM_WRITE;
		j->mem_block_size = o->mem_block_size;
		j->mem_total_size = (100ull << 30) / threads;
		out->buf_size = o->mem_block_size < 4096 ? 4096 : o->mem_block_size;
		break;
	case VM_WL_MEMLAT:
		j->kind = WL_MEMLAT;
		j->max_events = 0;
		j->memlat_loads = 1u << 16; /* short events: the time limit is checked often */
		out->buf_size = o->memlat_bytes;
		break;
	case VM_WL_FAULT:
		j->kind = WL_FAULT;
		j->page_size = 4096;
		j->time_ns = 0; /* touches the whole region once */
		out->buf_size = o->fault_bytes;
		out->fresh_buf = true;
		break;
	}
}

const char *vmb__metric(enum vm_workload w, const char **unit, bool *higher_is_better)
{
	switch (w) {
	case VM_WL_MEMORY:
		*unit = "MiB/s";
		*higher_is_better = true;
		return "mib_per_sec";
	case VM_WL_MEMLAT:
		*unit = "ns";
		*higher_is_better = false;
		return "ns_per_load";
	case VM_WL_FAULT:
		*unit = "ns";
		*higher_is_better = false;
		return "ns_per_page";
	case VM_WL_CPU:
	default:
		*unit = "events/s";
		*higher_is_better = true;
		return "events_per_sec";
	}
}

double vmb__value(enum vm_workload w, const struct rates *s)
{
	switch (w) {
	case VM_WL_MEMORY: return s->mib_per_sec;
	case VM_WL_MEMLAT: return s->ns_per_load;
	case VM_WL_FAULT: return s->ns_per_page;
	case VM_WL_CPU:
	default: return s->events_per_sec;
	}
}

const char *vm_workload__name(enum vm_workload w)
{
	static const char *const names[VM_WL_COUNT] = { "cpu", "memory", "memlat", "fault" };
	return (unsigned)w < VM_WL_COUNT ? names[w] : "?";
}

uint64_t vmb__guest_mb(const struct vmb_job *j, unsigned n, uint64_t floor_mb)
{
	/* Fixed part (tables, image, mailboxes, stacks) fits in 8 MiB for 64
	 * vCPUs; round the heap up to 2 MiB pages. */
	uint64_t need = 8 + ((uint64_t)n * (VB_GUEST_STACK_SIZE >> 10) >> 10) +
			((j->buf_size * n + (2 * MIB_ - 1)) >> 20) + 2;
	need = (need + 1) & ~1ull;
	return need > floor_mb ? need : floor_mb;
}

int vmb__guest(struct vm *vm, const struct vmb_job *j, struct rates *s, struct vb_err *err)
{
	unsigned n = vm__vcpus(vm);
	if (j->buf_size && j->buf_size * n > vm__heap_size(vm))
		return err__usage(err,
				  "--memory: the guest needs %llu MiB of heap for this workload on "
				  "%u vCPUs",
				  (unsigned long long)(j->buf_size * n >> 20), n);
	uint64_t heap = vm__heap_gpa(vm);
	for (unsigned i = 0; i < n; i++) {
		struct vm_request r;
		memset(&r, 0, sizeof(r));
		r.request = VB_REQ_WORKLOAD;
		r.job = j->job;
		r.job.thread = i;
		r.job.threads = n;
		if (j->buf_size) {
			r.job.buf = (void *)(uintptr_t)(heap + i * j->buf_size);
			r.job.buf_size = j->buf_size;
		}
		r.job.stop =
			(const volatile uint32_t *)(uintptr_t)(vm__mailbox_gpa(vm, i) +
							       offsetof(struct vb_mailbox, stop));
		if (vm__post(vm, i, &r, err) < 0)
			return -1;
	}
	/* Expected: the run, plus preparing the buffers (first touch, the
	 * memlat chain), generously, since a loaded or emulated host is slow. */
	unsigned expect_ms =
		(unsigned)(j->job.time_ns / 1000000) + (unsigned)((j->buf_size * n >> 20) * 100);
	if (vm__wait_done(vm, expect_ms + RUN_SLACK_MS, err) < 0)
		return -1;
	const struct vm_vcpu_result *res[VB_GUEST_MAX_VCPUS];
	for (unsigned i = 0; i < n; i++)
		res[i] = vm__result(vm, i);
	if (j->fresh_buf && vm__discard(vm, heap, j->buf_size * n, err) < 0)
		return -1;
	return vmb__rates(j->job.kind, res, n, s, err);
}

int vmb__rates(uint32_t kind, const struct vm_vcpu_result *const *res, unsigned n, struct rates *s,
	       struct vb_err *err)
{
	struct wl_report reps[VB_GUEST_MAX_VCPUS];
	if (n > VB_GUEST_MAX_VCPUS)
		return err__set(err, EINVAL, "%u vCPUs", n);
	for (unsigned i = 0; i < n; i++) {
		if (!res[i]->has_report)
			return err__set(err, 0, "vCPU %u handed back no report", i);
		reps[i] = res[i]->report;
	}
	return rates__from_reports(kind, reps, n, s, err);
}

int vmb__iteration_failed(struct vb_result_set *out, const char *bench, const char *what,
			  unsigned iteration, const struct vb_err *why)
{
	warn__("%s %s: iteration %u failed: %s", bench, what, iteration, why->msg);
	result_set__skip(out, bench, VMB_PLATFORM, "%s: iteration %u failed: %s", what, iteration,
			 why->msg);
	return 0;
}

unsigned vmb__host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}
