/* The microVM monitor: a VM over /dev/kvm with guest RAM in one slot, one
 * host thread per vCPU running the exit loop, and the paravirtual device
 * through which the built-in guest image reports and takes requests.
 *
 * Life of a VM: vm__create (open, create, map, vCPUs, load: each phase
 * timestamped), vm__start (vCPU threads enter the guest), vm__wait_ready,
 * then any number of vm__post + vm__wait_done rounds, and vm__destroy, which
 * works from any state, including after a failure. */
#ifndef VB_VM_VM_H
#define VB_VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "vm/arch.h"
#include "vm/guest/abi.h"
#include "workload/workload.h"

enum vm_huge {
	VM_HUGE_NONE = 0,
	VM_HUGE_THP = 1,     /* madvise(MADV_HUGEPAGE): transparent 2 MiB pages */
	VM_HUGE_HUGETLB = 2, /* MAP_HUGETLB: reserved 2 MiB pages (vm.nr_hugepages) */
};

struct vm_opts {
	unsigned vcpus;	    /* 1 .. VB_GUEST_MAX_VCPUS */
	uint64_t mem_bytes; /* guest RAM, multiple of 2 MiB */
	enum vm_huge huge;
	enum vm_priv priv;
	int kvm_fd;	     /* shared open /dev/kvm, or -1: open (and close) our own */
	size_t thread_stack; /* vCPU thread stack, 0 = small default */
	/* Test hook, not a user option (no command sets it): a guest image of
	 * the test's own, loaded and entered where the built-in one is, e.g.
	 * the hostile guests of tests/test_vm_fuzz.c. NULL: the built-in. */
	const void *test_image;
	size_t test_image_len;
};

void vm_opts__init(struct vm_opts *o);

/* CLOCK_MONOTONIC timestamps (ns) of the start-up phases. */
struct vm_times {
	uint64_t begin;	  /* vm__create called */
	uint64_t opened;  /* /dev/kvm open and checked */
	uint64_t created; /* KVM_CREATE_VM done */
	uint64_t mapped;  /* guest RAM mapped and registered */
	uint64_t vcpus;	  /* vCPUs created and their state set */
	uint64_t loaded;  /* guest image, tables and mailboxes in place */
	uint64_t started; /* vm__start called */
	uint64_t entered; /* first ENTERED command from any vCPU */
	uint64_t ready;	  /* last vCPU's first READY */
};

/* One request for one vCPU. */
struct vm_request {
	uint32_t request; /* enum vb_request */
	uint64_t arg[4];
	struct wl_job job; /* VB_REQ_WORKLOAD: buf/stop/shared are guest addresses */
};

/* What one vCPU handed back for its last request. */
struct vm_vcpu_result {
	bool has_report;
	struct wl_report report;
	uint64_t guest_ns;		      /* guest clock, START to STOP */
	uint64_t host_start, host_stop;	      /* CLOCK_MONOTONIC at START and STOP */
	uint64_t pio_pings, mmio_pings, hlts; /* exits between START and STOP */
	uint64_t value[4];
};

struct vm;

/* Host-side checks before anything is created: KVM present and usable. */
int vm__open_kvm(int *kvm_fd, struct vb_err *err);
/* Refuses guest memory the host cannot give (MemAvailable), naming the
 * option; `what` is e.g. "--memory". */
int vm__check_host_memory(uint64_t bytes, const char *what, struct vb_err *err);

int vm__create(const struct vm_opts *o, struct vm **out, struct vb_err *err);
int vm__start(struct vm *vm, struct vb_err *err);
/* Waits until every vCPU said READY; the watchdog fires at timeout_ms. */
int vm__wait_ready(struct vm *vm, unsigned timeout_ms, struct vb_err *err);
/* Hands a request to an idle vCPU (it runs at once). */
int vm__post(struct vm *vm, unsigned vcpu, const struct vm_request *r, struct vb_err *err);
/* Waits until every posted request has completed; on timeout_ms, on Ctrl-C or
 * on a guest failure it ends the VM and returns the reason. */
int vm__wait_done(struct vm *vm, unsigned timeout_ms, struct vb_err *err);
/* Asks running workloads to stop early (sets mailbox.stop). */
void vm__request_stop(struct vm *vm);
/* Ends the VM: stops vCPU threads, closes descriptors, unmaps memory.
 * Stores the teardown's own duration in *teardown_ns when not NULL. */
void vm__destroy(struct vm *vm, uint64_t *teardown_ns);

const struct vm_times *vm__times(const struct vm *vm);
const struct vm_vcpu_result *vm__result(const struct vm *vm, unsigned vcpu);
unsigned vm__vcpus(const struct vm *vm);
bool vm__failed(const struct vm *vm);
/* Guest heap (workload buffers): guest-physical range and host pointer. */
uint64_t vm__heap_gpa(const struct vm *vm);
uint64_t vm__heap_size(const struct vm *vm);
/* Host address of guest range [gpa, gpa+len), or NULL when outside RAM. */
void *vm__gpa_to_host(const struct vm *vm, uint64_t gpa, uint64_t len);
uint64_t vm__mailbox_gpa(const struct vm *vm, unsigned vcpu);
uint64_t vm__shared_gpa(const struct vm *vm);
/* Gives the host pages behind a guest range back (they fault in anew). */
int vm__discard(struct vm *vm, uint64_t gpa, uint64_t len, struct vb_err *err);
/* Bytes of guest RAM the host has backed so far (pages the guest touched
 * or the VMM wrote). */
uint64_t vm__resident_bytes(const struct vm *vm);
/* Exits of KVM_RUN to the monitor so far, all vCPUs together. */
uint64_t vm__exits(const struct vm *vm);
/* Counter frequency the guest clock is scaled by, kHz. */
uint64_t vm__counter_khz(const struct vm *vm);

/* `n` empty KVM_RUN calls on vCPU 0 (immediate_exit set: the ioctl returns
 * at once without entering the guest). Only before vm__start. */
int vm__empty_runs(struct vm *vm, uint64_t n, uint64_t *elapsed_ns, struct vb_err *err);

/* The embedded guest image. */
const unsigned char *vm__guest_image(size_t *len);

#endif
