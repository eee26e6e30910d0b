/* The microVM benchmarks as library functions: `virtbench vm ...` is a thin
 * CLI over them and `virtbench run` calls them directly. Each appends its
 * results (benchmark "vm.<name>", platform "microvm", and "native" for the
 * side-by-side runs) to a result set. A failed iteration ends only that
 * VM: it is reported as a skip naming the iteration and the reason, and
 * the other iterations go on. */
#ifndef VB_VM_VM_BENCH_H
#define VB_VM_VM_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/result.h"
#include "measure/runner.h"
#include "vm/vm.h"

#define VM_BENCH_MAX_CONFIGS 16

/* What the host's KVM is like, probed once per process. */
struct vm_env {
	bool probed;
	bool cpl0_known;       /* the kernel-level probe ran */
	bool cpl0_emulated;    /* guest kernel-level code is emulated (kvm_pvm) */
	double cpl0_ratio;     /* time of a loop at kernel level / at user level */
	int cpuid_intercepted; /* 1 KVM answers CPUID at user level, 0 the CPU, -1 unknown */
	uint64_t counter_khz;  /* guest clock frequency */
	char module[32];       /* kvm_pvm, kvm_amd, kvm_intel or "" */
};

/* Can this host run microVMs? 0, or -1 with one line saying what is
 * missing and how to fix it (for `virtbench run` to skip with). */
int vm_bench__available(struct vb_err *err);
/* Probes once (later calls return the cached answer). */
int vm_bench__env(struct vm_env *out, struct vb_err *err);

/* Records the host's KVM kind in the set: extra.microvm (kvm_cpl0,
 * cpl0_ratio, cpuid_exits, guest_counter_khz, kvm_module) and kvm_cpl0 in
 * the host block when there is one. Does nothing when KVM is unusable. */
void vm_bench__annotate(struct vb_result_set *s);

struct vm_config {
	unsigned vcpus;
	uint64_t mem_mb;
};

struct vm_boot_opts {
	struct vb_run_opts run;
	struct vm_config configs[VM_BENCH_MAX_CONFIGS]; /* default 1/512, 2/1024, 4/2048 */
	unsigned nconfigs;
	enum vm_huge huge;
};
void vm_boot_opts__init(struct vm_boot_opts *o);
int vm_bench__boot(const struct vm_boot_opts *o, struct vb_result_set *out, struct vb_err *err);

/* Exit kinds, as bits of vm_exits_opts.kinds. */
#define VM_EXITS_PIO	     (1u << 0)
#define VM_EXITS_MMIO	     (1u << 1)
#define VM_EXITS_INKERNEL    (1u << 2)
#define VM_EXITS_HLT	     (1u << 3)
#define VM_EXITS_EMPTY_RUN   (1u << 4)
#define VM_EXITS_MMIO_KERNEL (1u << 5) /* arm64: MMIO completed by the in-kernel GIC */
#define VM_EXITS_ALL	     0x3fu

struct vm_exits_opts {
	struct vb_run_opts run;
	unsigned kinds;
	double min_seconds; /* each sample lasts at least this long (default 0.1) */
	bool force_hlt;	    /* measure HLT even where kernel level is emulated */
};
void vm_exits_opts__init(struct vm_exits_opts *o);
int vm_bench__exits(const struct vm_exits_opts *o, struct vb_result_set *out, struct vb_err *err);

/* Workloads run in the guest and natively. */
enum vm_workload {
	VM_WL_CPU = 0,
	VM_WL_MEMORY = 1,
	VM_WL_MEMLAT = 2,
	VM_WL_FAULT = 3,
};
#define VM_WL_COUNT 4
const char *vm_workload__name(enum vm_workload w);

struct vm_work_opts {
	struct vb_run_opts run;
	struct vm_config configs[VM_BENCH_MAX_CONFIGS];
	unsigned nconfigs;
	unsigned workloads;	 /* bit per enum vm_workload */
	double seconds;		 /* per run, default 1 */
	uint32_t cpu_max_prime;	 /* default 10000 */
	uint64_t mem_block_size; /* default 1 KiB */
	uint64_t memlat_bytes;	 /* per thread, default 32 MiB */
	uint64_t fault_bytes;	 /* per thread, default 32 MiB */
	enum vm_huge huge;
};
void vm_work_opts__init(struct vm_work_opts *o, unsigned workloads);
/* `vm cpu` (cpu) and `vm memory` (memory, memlat, fault): in-guest against
 * native, alternating, with the overhead and its interval. */
int vm_bench__workload(const struct vm_work_opts *o, struct vb_result_set *out, struct vb_err *err);

struct vm_scale_opts {
	struct vb_run_opts run;
	unsigned max_vcpus; /* default 2 x host CPUs */
	double seconds;
	uint32_t cpu_max_prime;
};
void vm_scale_opts__init(struct vm_scale_opts *o);
int vm_bench__scale(const struct vm_scale_opts *o, struct vb_result_set *out, struct vb_err *err);

struct vm_density_opts {
	struct vb_run_opts run;
	unsigned max_vms; /* default 1024 */
	uint64_t mem_mb;  /* per VM, default 64 */
	double seconds;	  /* in-guest cpu run with all VMs up, default 0.5; 0 skips */
};
void vm_density_opts__init(struct vm_density_opts *o);
int vm_bench__density(const struct vm_density_opts *o, struct vb_result_set *out,
		      struct vb_err *err);

struct vm_interference_opts {
	struct vb_run_opts run;
	unsigned guests[VM_BENCH_MAX_CONFIGS]; /* default 0, 1, 2, 4 */
	unsigned nguests;
	bool busy; /* guests run the cpu workload (else they sit idle) */
	bool both; /* measure busy and idle */
	double seconds;
	uint32_t cpu_max_prime;
};
void vm_interference_opts__init(struct vm_interference_opts *o);
int vm_bench__interference(const struct vm_interference_opts *o, struct vb_result_set *out,
			   struct vb_err *err);

#endif
