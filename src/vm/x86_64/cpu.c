/* x86_64 vCPU set-up: CPUID from what KVM supports (plus a signature leaf
 * that tells the guest whether its CPUID was intercepted), long mode with
 * paging, flat segments at CPL3 (or CPL0 for the privilege probe and HLT),
 * IOPL 3 so the CPL3 guest reaches the device's ports, SSE enabled because
 * the compiler may use it in the workload core. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "core/clock.h"
#include "vm/arch.h"
#include "vm/guest/abi.h"
#include "vm/x86_64/x86.h"

#define CR0_PE		  (1ull << 0)
#define CR0_MP		  (1ull << 1)
#define CR0_ET		  (1ull << 4)
#define CR0_NE		  (1ull << 5)
#define CR0_WP		  (1ull << 16)
#define CR0_PG		  (1ull << 31)
#define CR4_PAE		  (1ull << 5)
#define CR4_OSFXSR	  (1ull << 9)
#define CR4_OSXMMEXCPT	  (1ull << 10)
#define EFER_LME	  (1ull << 8)
#define EFER_LMA	  (1ull << 10)
#define RFLAGS_FIXED	  0x2ull
#define RFLAGS_IOPL3	  0x3000ull

#define CPUID_MAX_ENTRIES 512

/* KVM's supported CPUID table, read once per process: it does not change
 * while the module stays loaded, and reading it costs more than the rest of
 * a vCPU's set-up. */
static struct {
	pthread_once_t once;
	int errnum;
	struct kvm_cpuid2 *table;
	int kvm_fd;
} cpuid_cache = { .once = PTHREAD_ONCE_INIT, .kvm_fd = -1 };

static void cpuid__load(void)
{
	size_t sz = sizeof(struct kvm_cpuid2) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *t = calloc(1, sz);
	if (!t) {
		cpuid_cache.errnum = ENOMEM;
		return;
	}
	t->nent = CPUID_MAX_ENTRIES;
	if (ioctl(cpuid_cache.kvm_fd, KVM_GET_SUPPORTED_CPUID, t) < 0) {
		cpuid_cache.errnum = errno;
		free(t);
		return;
	}
	/* Our signature in the hypervisor leaf; keep KVM's maximum leaf. */
	bool found = false;
	for (uint32_t i = 0; i < t->nent; i++) {
		struct kvm_cpuid_entry2 *e = &t->entries[i];
		if (e->function == 0x40000000) {
			e->ebx = VB_CPUID_SIG_EBX;
			e->ecx = VB_CPUID_SIG_ECX;
			e->edx = VB_CPUID_SIG_EDX;
			found = true;
		}
	}
	if (!found && t->nent < CPUID_MAX_ENTRIES) {
		struct kvm_cpuid_entry2 *e = &t->entries[t->nent++];
		memset(e, 0, sizeof(*e));
		e->function = 0x40000000;
		e->eax = 0x40000000;
		e->ebx = VB_CPUID_SIG_EBX;
		e->ecx = VB_CPUID_SIG_ECX;
		e->edx = VB_CPUID_SIG_EDX;
	}
	cpuid_cache.table = t;
}

static const struct vm_cap required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

const struct vm_cap *arch__required_caps(size_t *n)
{
	*n = sizeof(required_caps) / sizeof(required_caps[0]);
	return required_caps;
}

const char *arch__caps_hint(void)
{
	return "a Linux kernel 4.11 or newer with kvm_intel or kvm_amd loaded";
}

int arch__vm_init(const struct vm_arch_ctx *c, struct vb_err *err)
{
	(void)c;
	(void)err;
	/* No in-kernel irqchip: HLT then exits to user space, which the HLT
	 * test needs, and the guest takes no interrupts. */
	return 0;
}

static void seg__flat(struct kvm_segment *s, uint16_t sel, bool code, unsigned dpl)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel | (uint16_t)dpl;
	s->present = 1;
	s->dpl = (uint8_t)dpl;
	s->s = 1;
	s->g = 1;
	if (code) {
		s->type = 11; /* execute/read, accessed */
		s->l = 1;
	} else {
		s->type = 3; /* read/write, accessed */
		s->db = 1;
	}
}

static int vcpu__set_cpuid(const struct vm_arch_ctx *c, int vcpu_fd, unsigned index,
			   struct vb_err *err)
{
	static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&fd_lock);
	if (cpuid_cache.kvm_fd < 0)
		cpuid_cache.kvm_fd = c->kvm_fd;
	pthread_mutex_unlock(&fd_lock);
	pthread_once(&cpuid_cache.once, cpuid__load);
	if (!cpuid_cache.table)
		return err__set(err, cpuid_cache.errnum, "KVM_GET_SUPPORTED_CPUID");

	const struct kvm_cpuid2 *t = cpuid_cache.table;
	size_t sz = sizeof(*t) + t->nent * sizeof(t->entries[0]);
	struct kvm_cpuid2 *mine = malloc(sz);
	if (!mine)
		return err__set(err, ENOMEM, "CPUID table");
	memcpy(mine, t, sz);
	for (uint32_t i = 0; i < mine->nent; i++) {
		struct kvm_cpuid_entry2 *e = &mine->entries[i];
		if (e->function == 1) /* initial APIC id */
			e->ebx = (e->ebx & 0x00ffffffu) | ((uint32_t)index << 24);
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = index; /* x2APIC id */
	}
	int rc = ioctl(vcpu_fd, KVM_SET_CPUID2, mine);
	int e = errno;
	free(mine);
	if (rc < 0)
		return err__set(err, e, "KVM_SET_CPUID2");
	return 0;
}

int arch__vcpu_init(const struct vm_arch_ctx *c, int vcpu_fd, unsigned index,
		    const struct vm_vcpu_boot *b, struct vb_err *err)
{
	if (vcpu__set_cpuid(c, vcpu_fd, index, err) < 0)
		return -1;

	struct kvm_sregs s;
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0)
		return err__set(err, errno, "KVM_GET_SREGS");
	unsigned dpl = b->priv == VM_PRIV_KERNEL ? 0 : 3;
	seg__flat(&s.cs, dpl ? X86_SEL_UCODE : X86_SEL_KCODE, true, dpl);
	seg__flat(&s.ss, dpl ? X86_SEL_UDATA : X86_SEL_KDATA, false, dpl);
	s.ds = s.es = s.fs = s.gs = s.ss;
	s.gdt.base = X86_GDT_GPA;
	s.gdt.limit = 8 * 5 - 1;
	s.idt.base = 0;
	s.idt.limit = 0; /* no handlers: any exception ends in a triple fault */
	s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s.cr3 = X86_PML4_GPA;
	s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s.efer = EFER_LME | EFER_LMA;
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &s) < 0)
		return err__set(err, errno, "KVM_SET_SREGS (long mode at CPL%u)", dpl);

	struct kvm_regs r;
	memset(&r, 0, sizeof(r));
	r.rip = b->entry;
	r.rsp = b->stack_top;
	r.rdi = b->arg0;
	r.rsi = b->arg1;
	r.rflags = RFLAGS_FIXED | RFLAGS_IOPL3; /* interrupts off, ports open at CPL3 */
	if (ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0)
		return err__set(err, errno, "KVM_SET_REGS");
	return 0;
}

/* The host TSC's rate measured against CLOCK_MONOTONIC over 20 ms, once per
 * process: the fallback when KVM cannot tell the guest's TSC frequency
 * (without TSC scaling the guest's TSC ticks at the host's rate). */
static uint64_t tsc__calibrated_khz;
static void tsc__calibrate(void)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	uint32_t lo, hi;
	uint64_t t0 = clock__now_ns();
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t c0 = ((uint64_t)hi << 32) | lo;
	nanosleep(&nap, NULL);
	uint64_t t1 = clock__now_ns();
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t c1 = ((uint64_t)hi << 32) | lo;
	double ns = (double)(t1 - t0);
	if (ns > 0 && c1 > c0)
		tsc__calibrated_khz = (uint64_t)((double)(c1 - c0) / ns * 1e6);
}

int arch__counter_khz(const struct vm_arch_ctx *c, int vcpu_fd, uint64_t *khz, struct vb_err *err)
{
	(void)c;
	int rc = ioctl(vcpu_fd, KVM_GET_TSC_KHZ, 0);
	if (rc > 0) {
		*khz = (uint64_t)rc;
		return 0;
	}
	int e = rc < 0 ? errno : 0;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, tsc__calibrate);
	if (!tsc__calibrated_khz)
		return err__set(err, e, "KVM_GET_TSC_KHZ: the guest clock needs the TSC frequency");
	*khz = tsc__calibrated_khz;
	return 0;
}
