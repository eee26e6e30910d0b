/* Helpers shared by the bench_*.c files (not for other areas). */
#ifndef VB_VM_BENCH_IMPL_H
#define VB_VM_BENCH_IMPL_H

#include "measure/rates.h"
#include "vm/vm_bench.h"

#define VMB_PLATFORM "microvm"
#define MIB_	     (1ull << 20)

/* A result with the configuration every microVM figure carries: vCPUs and
 * memory (when cfg != NULL), architecture and whether guest kernel-level
 * code is emulated on this host. */
struct vb_result *vmb__result(const char *bench, const char *platform, const char *metric,
			      const char *unit, bool higher_is_better, const struct vm_config *cfg,
			      const struct vm_env *env);
/* Adds r to the set (or frees it when empty and `keep_empty` is false). */
int vmb__add(struct vb_result_set *out, struct vb_result *r, struct vb_err *err);

/* Creates, starts and waits until every vCPU is ready. */
int vmb__up(const struct vm_opts *o, struct vm **out, struct vb_err *err);
/* Posts one request per vCPU (vcpu index filled into job.thread) and waits. */
int vmb__run_all(struct vm *vm, const struct vm_request *r, unsigned timeout_ms,
		 struct vb_err *err);

/* Workload jobs, identical for the guest and the native run. */
struct vmb_job {
	struct wl_job job; /* buf, buf_size filled by the platform */
	uint64_t buf_size; /* per thread, 0 = none */
	bool fresh_buf;	   /* the buffer must be untouched memory (fault) */
};
void vmb__job(enum vm_workload w, const struct vm_work_opts *o, unsigned threads,
	      struct vmb_job *out);
/* The figure a workload is judged by, from its summary. */
const char *vmb__metric(enum vm_workload w, const char **unit, bool *higher_is_better);
double vmb__value(enum vm_workload w, const struct rates *s);

/* Prepares a thread's buffer before the measurement, identically natively
 * and in the guest (memlat: the pointer chain, addresses as seen there). */
static inline void vmb__prepare(struct wl_job *j)
{
	if (j->kind == WL_MEMLAT && j->buf && j->buf_size >= 64)
		wl_memlat__build(j->buf, j->buf_size / 64, 64, VB_MEMLAT_SEED + j->thread);
}

/* Runs the job natively on `threads` threads (own buffer each, fresh per
 * call) and summarises. */
int vmb__native(const struct vmb_job *j, unsigned threads, struct rates *s, struct vb_err *err);
/* Runs the job in the VM, one thread per vCPU, buffers in the guest heap. */
int vmb__guest(struct vm *vm, const struct vmb_job *j, struct rates *s, struct vb_err *err);
/* The rates of what the vCPUs handed back for one run (each must have
 * handed back its report), computed as on every platform. */
int vmb__rates(uint32_t kind, const struct vm_vcpu_result *const *res, unsigned n, struct rates *s,
	       struct vb_err *err);
/* Guest memory a VM needs for the job on n vCPUs, in MiB (at least floor_mb). */
uint64_t vmb__guest_mb(const struct vmb_job *j, unsigned n, uint64_t floor_mb);

/* Records a failed iteration as a skip entry and a warning; returns 0. */
int vmb__iteration_failed(struct vb_result_set *out, const char *bench, const char *what,
			  unsigned iteration, const struct vb_err *why);

/* Online host CPUs. */
unsigned vmb__host_cpus(void);

#endif
