/* Internals shared by vm.c (VM life cycle), vcpu.c (threads and the exit
 * loop), vcpu_exit.c (what one exit does) and pvdev.c (the paravirtual
 * device). Not for other areas. The files call each other on purpose: they are one object, the VM,
 * split by job to keep each small, not layers; code outside src/vm sees
 * only vm.h. */
#ifndef VB_VM_VM_IMPL_H
#define VB_VM_VM_IMPL_H

#include <pthread.h>
#include <stdatomic.h>

#include "vm/vm.h"

/* What the exit loop does after an exit was handled. */
enum vcpu_next {
	VCPU_CONTINUE = 0, /* re-enter the guest */
	VCPU_QUIT = 1,	   /* the VM is ending: leave the loop */
};

struct vcpu {
	struct vm *vm;
	unsigned index;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	struct vb_mailbox *mbox; /* host view of this vCPU's mailbox page */

	/* Protected by vm->lock. */
	uint64_t posted, completed; /* request numbers */
	bool ready_once;
	struct vm_request req;
	struct vm_vcpu_result res;

	/* Owned by the vCPU thread. */
	bool measuring;
	uint64_t pio_pings, mmio_pings, hlts;
	atomic_uint_fast64_t exits; /* every exit of KVM_RUN to the monitor, for vm__exits */
};

struct vm {
	struct vm_opts opts;
	int kvm_fd;
	bool own_kvm;
	int vm_fd;
	uint8_t *mem;
	uint64_t mem_size;
	uint64_t ram_base; /* arch__ram_base() */
	uint64_t mmio_gpa;
	size_t run_size;
	uint64_t counter_khz;
	uint64_t clock_mult;
	uint64_t heap_gpa, heap_size;
	struct vcpu *vcpu;
	unsigned nvcpus;

	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	atomic_bool quit;    /* every vCPU thread leaves at its next exit */
	bool failed;	     /* fail_err holds the first failure */
	struct vb_err fail_err;
	unsigned nready;
	struct vm_times t;
};

/* vcpu.c */
int vcpu__create(struct vm *vm, unsigned index, struct vb_err *err);
int vcpu__start(struct vcpu *v, struct vb_err *err);
void vcpu__kick(struct vcpu *v);
void vcpu__join(struct vcpu *v);
void vcpu__close(struct vcpu *v);
/* vcpu_exit.c: what the exit loop does with one decoded exit. */
enum vcpu_next vcpu__handle_exit(struct vcpu *v, const struct vm_exit *x);
/* Ends the VM with the first failure recorded (later ones are dropped) and
 * kicks every vCPU out of the guest. Callable from any thread. */
void vm__fail(struct vm *vm, int errnum, const char *fmt, ...) VB_PRINTF(3, 4);
void vm__kick_all(struct vm *vm);

/* pvdev.c: a guest access to the device's ports or MMIO page; returns what
 * the exit loop does next. */
enum vcpu_next pvdev__pio(struct vcpu *v, const struct vm_exit *x);
enum vcpu_next pvdev__mmio(struct vcpu *v, const struct vm_exit *x);

#endif
