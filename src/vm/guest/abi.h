/* The contract between the monitor and the guest image: guest-physical
 * layout, the paravirtual device's ports and MMIO offsets, the commands the
 * guest sends and the per-vCPU mailbox. Compiled into both sides, so only
 * fixed-width types and the workload structs (LP64 on every architecture).
 *
 * Protocol. The guest writes a command (32-bit) to VB_PORT_CMD (x86) or to
 * MMIO offset VB_MMIO_CMD. ENTERED is the first instruction it executes.
 * READY means "give me the next request": the monitor writes the request
 * into this vCPU's mailbox before it lets the guest run on, and the guest
 * reads it after the write returns. START and STOP bracket the measured part
 * (the monitor timestamps both); at STOP the guest hands back where its
 * report lies (res_gpa, res_len), which the monitor checks against guest RAM
 * before copying. PANIC hands back a message (msg_gpa, msg_len) and ends the
 * VM. The guest is untrusted: every field it writes is validated. */
#ifndef VB_VM_GUEST_ABI_H
#define VB_VM_GUEST_ABI_H

#include <stdint.h>

#include "workload/workload.h"

/* Layout, as offsets from the start of guest RAM. Below IMAGE_OFF: the
 * architecture's tables (arch__reserved_bytes() must stay under it). */
#define VB_GUEST_IMAGE_OFF   0x100000ull /* guest image, loaded as is */
#define VB_GUEST_IMAGE_MAX   0x0ff000ull /* image + bss, checked by the linker */
#define VB_GUEST_SHARED_OFF  0x1ff000ull /* one page shared by all vCPUs */
#define VB_GUEST_MAILBOX_OFF 0x200000ull /* one page per vCPU */
#define VB_GUEST_STACK_OFF   0x300000ull /* VB_GUEST_STACK_SIZE per vCPU */
#define VB_GUEST_STACK_SIZE  0x10000ull
#define VB_GUEST_MAX_VCPUS   256u
#define VB_GUEST_PAGE	     4096ull
/* The heap (workload buffers) starts at the first 2 MiB boundary after the
 * stacks and runs to the end of RAM. */
#define VB_GUEST_HEAP_ALIGN  0x200000ull

/* Paravirtual device. */
#define VB_PORT_CMD	     0x510 /* 32-bit OUT: a command */
#define VB_PORT_PING	     0x511 /* 8-bit OUT: one counted exit, nothing else */
#define VB_MMIO_CMD	     0x0   /* 32-bit store: a command */
#define VB_MMIO_PING	     0x8   /* 8-bit store: one counted exit */

enum vb_cmd {
	VB_CMD_ENTERED = 0x56420001, /* first guest instruction */
	VB_CMD_READY = 0x56420002,   /* idle, waiting for the next request */
	VB_CMD_START = 0x56420003,   /* measured part begins */
	VB_CMD_STOP = 0x56420004,    /* measured part ended, report handed back */
	VB_CMD_PANIC = 0x56420005,   /* the guest gives up; message handed back */
};

enum vb_request {
	VB_REQ_NONE = 0,
	VB_REQ_WORKLOAD = 1, /* run mailbox.job */
	VB_REQ_EXITS = 2,    /* arg[0] = enum vb_exit_test, arg[1] = count */
	VB_REQ_SPIN = 3,     /* arg[0] = iterations of a register-only loop */
	/* Test modes: misbehaving guests the monitor must survive. */
	VB_REQ_CRASH = 100,	 /* undefined instruction with no handler: triple fault */
	VB_REQ_HANG = 101,	 /* loops forever without an exit */
	VB_REQ_BAD_REPORT = 102, /* STOP with a report address outside RAM */
	VB_REQ_BAD_CMD = 103,	 /* writes an unknown command */
	VB_REQ_PANIC = 104,	 /* gives up with a message (arg[0] != 0: a bogus one,
				  * address arg[1], length arg[2]) */
};

enum vb_exit_test {
	VB_EXITT_NONE = 0,	  /* the empty loop: clock and loop cost */
	VB_EXITT_PIO = 1,	  /* OUT to VB_PORT_PING: exit to user space */
	VB_EXITT_MMIO = 2,	  /* store to VB_MMIO_PING: exit to user space */
	VB_EXITT_INKERNEL = 3,	  /* x86 CPUID: handled inside KVM */
	VB_EXITT_HLT = 4,	  /* x86 HLT / arm64 WFI: needs VM_PRIV_KERNEL */
	VB_EXITT_MMIO_KERNEL = 5, /* arm64: load from the in-kernel GIC, completed inside KVM */
};

/* memlat chains: seed + thread index, the same natively and in the guest. */
#define VB_MEMLAT_SEED	 0x6d656d6c6174ull

#define VB_MAILBOX_MAGIC 0x5642564dU /* "VBVM" */

/* The CPUID leaf 0x40000000 signature the monitor installs, so the guest can
 * tell whether CPUID was answered by KVM (intercepted) or by the CPU. */
#define VB_CPUID_SIG_EBX 0x74726976U /* "virt" */
#define VB_CPUID_SIG_ECX 0x636e6562U /* "benc" */
#define VB_CPUID_SIG_EDX 0x4d4d5668U /* "hVMM" */

struct vb_mailbox {
	/* Written by the monitor. */
	uint32_t magic;
	uint32_t vcpu; /* this vCPU's index */
	uint32_t nvcpus;
	uint32_t request;    /* enum vb_request */
	uint64_t seq;	     /* request number, for the guest's own checks */
	uint64_t clock_mult; /* ns = (counter ticks * clock_mult) >> 32 */
	uint64_t arg[4];
	uint32_t stop; /* nonzero: end the workload now (job.stop points here) */
	uint32_t pad0_;
	struct wl_job job; /* buf, stop and shared are guest addresses */
	/* Written by the guest. */
	uint64_t res_gpa; /* its struct wl_report */
	uint64_t res_len;
	uint64_t elapsed_ns; /* guest clock, START to STOP */
	uint64_t value[4];   /* exits: value[0] = 1 when CPUID showed our signature */
	uint64_t msg_gpa, msg_len;
};

_Static_assert(sizeof(struct vb_mailbox) <= VB_GUEST_PAGE, "mailbox fits a page");

#endif
