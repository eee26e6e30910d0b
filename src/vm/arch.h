/* What the microVM monitor needs from an architecture. The generic core
 * (vm.c, vcpu.c, pvdev.c, bench_*.c) never looks at a register, a page table
 * entry or an architecture-specific exit reason: it asks the functions below,
 * implemented once in src/vm/x86_64/ and once in src/vm/arm64/ (the Makefile
 * compiles only the host's folder).
 *
 * Guest physical memory is one slot of RAM at arch__ram_base(), identity
 * mapped (guest virtual = guest physical). The first arch__reserved_bytes()
 * of RAM belong to the architecture (page tables, descriptor tables); the
 * generic layout (guest image, mailboxes, stacks, heap) follows, see
 * src/vm/guest/abi.h. The paravirtual device's MMIO page sits outside RAM at
 * arch__mmio_gpa(); on x86 the device also answers on I/O ports. */
#ifndef VB_VM_ARCH_H
#define VB_VM_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "core/err.h"

/* Privilege level the guest code runs at. User (x86 CPL3, arm64 EL0) is the
 * default: on kvm_pvm hosts only user-level guest code runs natively.
 * Kernel (x86 CPL0, arm64 EL1) is for the privilege probe and HLT/WFI. */
enum vm_priv {
	VM_PRIV_USER = 0,
	VM_PRIV_KERNEL = 1,
};

/* An exit decoded into a generic event. */
enum vm_exit_kind {
	VM_EXIT_PIO,	   /* port I/O (x86 only) */
	VM_EXIT_MMIO,	   /* access to guest-physical memory with no RAM behind it */
	VM_EXIT_HYPERCALL, /* hypercall to user space (x86 KVM_EXIT_HYPERCALL, arm64 HVC) */
	VM_EXIT_HLT,	   /* x86 HLT / arm64 WFI reaching user space */
	VM_EXIT_SHUTDOWN,  /* x86 triple fault, arm64 system reset/off (PSCI) */
	VM_EXIT_FAIL,	   /* the guest could not be entered or run on */
	VM_EXIT_OTHER,	   /* anything else: the VM ends with an error */
};

struct vm_exit {
	enum vm_exit_kind kind;
	bool is_write;
	uint32_t len;	    /* access size in bytes (1, 2, 4, 8) */
	uint64_t addr;	    /* port number or guest-physical address */
	uint64_t data;	    /* value written by the guest (writes) */
	uint32_t reason;    /* raw KVM exit reason, for messages */
	uint64_t hw_reason; /* hardware reason or suberror, for messages */
};

/* How a vCPU starts: entry point and stack are guest addresses; arg0 and
 * arg1 land in the first two argument registers of the C calling
 * convention (x86_64 rdi/rsi, arm64 x0/x1). */
struct vm_vcpu_boot {
	uint64_t entry;
	uint64_t stack_top; /* 16-byte aligned */
	uint64_t arg0, arg1;
	enum vm_priv priv;
};

/* Everything the architecture code may look at. */
struct vm_arch_ctx {
	int kvm_fd, vm_fd;
	uint8_t *mem;	   /* host address of guest RAM */
	uint64_t mem_size; /* bytes of guest RAM */
	unsigned nvcpus;
};

/* Name as used in results ("x86_64", "arm64"). */
const char *arch__name(void);
/* Guest-physical address of the first byte of RAM. */
uint64_t arch__ram_base(void);
/* Bytes at the start of RAM the architecture keeps for itself (page
 * tables and the like) for a VM of mem_size bytes. A multiple of 4 KiB. */
uint64_t arch__reserved_bytes(uint64_t mem_size);
/* Guest-physical address of the paravirtual device's MMIO page for a VM of
 * mem_size bytes (outside RAM, mapped for the guest by arch__setup_memory). */
uint64_t arch__mmio_gpa(uint64_t mem_size);
/* Largest guest RAM the page-table layout supports. */
uint64_t arch__max_mem(void);

/* The KVM capabilities this architecture needs (vm__open_kvm checks them),
 * and what provides them, for the message when one is missing. */
struct vm_cap {
	int cap;
	const char *name;
};
const struct vm_cap *arch__required_caps(size_t *n);
const char *arch__caps_hint(void);
/* After KVM_CREATE_VM, before memory and vCPUs. */
int arch__vm_init(const struct vm_arch_ctx *c, struct vb_err *err);
/* Writes the architecture's tables into guest RAM (after the slot exists). */
int arch__setup_memory(const struct vm_arch_ctx *c, struct vb_err *err);
/* After KVM_CREATE_VCPU: CPU features, registers, privilege, entry point. */
int arch__vcpu_init(const struct vm_arch_ctx *c, int vcpu_fd, unsigned index,
		    const struct vm_vcpu_boot *b, struct vb_err *err);
/* Frequency of the counter the guest reads (x86 TSC, arm64 CNTVCT), in kHz. */
int arch__counter_khz(const struct vm_arch_ctx *c, int vcpu_fd, uint64_t *khz, struct vb_err *err);

/* Decodes the exits only this architecture reports (arm64: system events,
 * MMIO KVM could not decode) into e, whose reason is set; false leaves the
 * exit to the generic decoder, vm_exit__decode (src/vm/exit.h). */
bool arch__decode_exit(const struct kvm_run *run, struct vm_exit *e);
/* What a VM_EXIT_SHUTDOWN means on this architecture, for the message that
 * ends the VM. */
const char *arch__shutdown_why(const struct vm_exit *e);

/* What a VM_EXIT_OTHER means, for the message that ends the VM. */
const char *arch__other_why(const struct vm_exit *e);

/* How the guest makes exit test `test` (enum vb_exit_test) on this
 * architecture, as a short name for results ("out", "cpuid", "hvc",
 * "gicd-read", ...), or NULL when the architecture has no such exit (arm64
 * has no I/O ports, the x86 microVM has no in-kernel interrupt controller). */
const char *arch__exit_how(unsigned test);

#endif
