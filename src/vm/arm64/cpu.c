/* arm64 vCPU set-up: KVM_ARM_PREFERRED_TARGET and KVM_ARM_VCPU_INIT with
 * PSCI 0.2, then the EL1 system registers a guest kernel would program
 * (MMU on with the monitor's tables, caches on, FP/SIMD enabled, EL0 access
 * to the virtual counter, the vectors) and the entry state: every vCPU
 * starts directly at the guest entry with its own stack and arguments, at
 * EL0 (user) or EL1 (kernel) with all interrupts masked. */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vm/arch.h"
#include "vm/arm64/arm64.h"

#define CORE_REG(x)                                                                                \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                                     \
	 (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))

#define REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_CPACR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define REG_TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define REG_TCR_EL1	ARM64_SYS_REG(3, 0, 2, 0, 2)
#define REG_MAIR_EL1	ARM64_SYS_REG(3, 0, 10, 2, 0)
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_CNTKCTL_EL1 ARM64_SYS_REG(3, 0, 14, 1, 0)

/* SCTLR_EL1: MMU, data and instruction caches on; EL0 may use WFI/WFE,
 * CTR_EL0, DC ZVA and cache maintenance by VA; plus the bits that are RES1
 * in ARMv8.0. No alignment checks, little-endian, WXN off. */
#define SCTLR_M		(1ull << 0)
#define SCTLR_C		(1ull << 2)
#define SCTLR_I		(1ull << 12)
#define SCTLR_DZE	(1ull << 14)
#define SCTLR_UCT	(1ull << 15)
#define SCTLR_NTWI	(1ull << 16)
#define SCTLR_NTWE	(1ull << 18)
#define SCTLR_UCI	(1ull << 26)
#define SCTLR_RES1                                                                                 \
	((1ull << 11) | (1ull << 20) | (1ull << 22) | (1ull << 23) | (1ull << 28) | (1ull << 29))
#define SCTLR_VALUE                                                                                \
	(SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_DZE | SCTLR_UCT | SCTLR_NTWI | SCTLR_NTWE |           \
	 SCTLR_UCI | SCTLR_RES1)

/* TCR_EL1: TTBR0 walks only (EPD1), 39-bit addresses (T0SZ 25, so the walk
 * starts at level 1), 4 KiB granule, walks cacheable and inner shareable,
 * 40-bit intermediate physical addresses (RAM ends far below 1 TiB). */
#define TCR_VALUE                                                                                  \
	((25ull << 0) | (1ull << 8) | (1ull << 10) | (3ull << 12) | (0ull << 14) | (1ull << 23) |  \
	 (2ull << 32))

#define CPACR_FPEN	 (3ull << 20) /* FP/SIMD at EL0 and EL1: compilers use it */
#define CNTKCTL_EL0VCTEN (1ull << 1)

#define PSTATE_DAIF	 0x3c0ull /* D, A, I, F masked */
#define PSTATE_EL0T	 0x0ull
#define PSTATE_EL1H	 0x5ull

static const struct vm_cap required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG" },
	{ KVM_CAP_ARM_PSCI_0_2, "KVM_CAP_ARM_PSCI_0_2" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
	{ KVM_CAP_DEVICE_CTRL, "KVM_CAP_DEVICE_CTRL" },
};

const struct vm_cap *arch__required_caps(size_t *n)
{
	*n = sizeof(required_caps) / sizeof(required_caps[0]);
	return required_caps;
}

const char *arch__caps_hint(void)
{
	return "a Linux kernel 4.11 or newer with KVM enabled (booted at EL2)";
}

int arch__vm_init(const struct vm_arch_ctx *c, struct vb_err *err)
{
	(void)err;
	/* An MMIO access KVM cannot decode (a load or store pair, or one with
	 * write-back: no instruction syndrome) otherwise fails KVM_RUN with
	 * ENOSYS, and the VM ends saying only that; as a KVM_EXIT_ARM_NISV
	 * exit it ends naming the address. Best effort: kernels before 5.5
	 * lack it. */
	if (ioctl(c->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
		ioctl(c->vm_fd, KVM_ENABLE_CAP, &cap);
	}
	/* The GIC needs every vCPU to exist first: see arch__vcpu_init. */
	return 0;
}

/* KVM_ARM_PREFERRED_TARGET answers the same for every VM of this host, so
 * it is asked once per process. */
static struct {
	pthread_mutex_t lock;
	bool known;
	struct kvm_vcpu_init init;
} target = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int vcpu__target(int vm_fd, struct kvm_vcpu_init *out, struct vb_err *err)
{
	pthread_mutex_lock(&target.lock);
	if (!target.known) {
		memset(&target.init, 0, sizeof(target.init));
		if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &target.init) < 0) {
			int e = errno;
			pthread_mutex_unlock(&target.lock);
			return err__set(err, e, "KVM_ARM_PREFERRED_TARGET");
		}
		target.known = true;
	}
	*out = target.init;
	pthread_mutex_unlock(&target.lock);
	return 0;
}

static int reg__set(int vcpu_fd, uint64_t id, uint64_t value, const char *name, struct vb_err *err)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&value };
	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &r) < 0)
		return err__set(err, errno, "KVM_SET_ONE_REG %s", name);
	return 0;
}

int arch__vcpu_init(const struct vm_arch_ctx *c, int vcpu_fd, unsigned index,
		    const struct vm_vcpu_boot *b, struct vb_err *err)
{
	struct kvm_vcpu_init init;
	if (vcpu__target(c->vm_fd, &init, err) < 0)
		return -1;
	memset(init.features, 0, sizeof(init.features));
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return err__set(err, errno, "KVM_ARM_VCPU_INIT (target %u)", init.target);

	bool kernel = b->priv == VM_PRIV_KERNEL;
	const struct {
		uint64_t id, value;
		const char *name;
	} regs[] = {
		{ REG_MAIR_EL1, ARM64_MAIR_VALUE, "MAIR_EL1" },
		{ REG_TCR_EL1, TCR_VALUE, "TCR_EL1" },
		{ REG_TTBR0_EL1, kernel ? ARM64_ROOT_KERNEL : ARM64_ROOT_USER, "TTBR0_EL1" },
		{ REG_VBAR_EL1, ARM64_RAM_BASE + ARM64_VECTORS_OFF, "VBAR_EL1" },
		{ REG_CPACR_EL1, CPACR_FPEN, "CPACR_EL1" },
		{ REG_CNTKCTL_EL1, CNTKCTL_EL0VCTEN, "CNTKCTL_EL1" },
		{ REG_SCTLR_EL1, SCTLR_VALUE, "SCTLR_EL1" },
		{ CORE_REG(regs.regs[0]), b->arg0, "x0" },
		{ CORE_REG(regs.regs[1]), b->arg1, "x1" },
		/* SP_EL0 is the stack at EL0; at EL1h SP_EL1 is. The vectors
		 * use no stack, so both get the vCPU's stack. */
		{ CORE_REG(regs.sp), b->stack_top, "SP_EL0" },
		{ CORE_REG(sp_el1), b->stack_top, "SP_EL1" },
		{ CORE_REG(regs.pc), b->entry, "PC" },
		{ CORE_REG(regs.pstate), PSTATE_DAIF | (kernel ? PSTATE_EL1H : PSTATE_EL0T),
		  "PSTATE" },
	};
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (reg__set(vcpu_fd, regs[i].id, regs[i].value, regs[i].name, err) < 0)
			return -1;

	/* The last vCPU completes the VM: the in-kernel GIC wants them all. */
	if (index + 1 == c->nvcpus && arm64__gic_create(c->vm_fd, c->nvcpus, err) < 0)
		return -1;
	return 0;
}

int arch__counter_khz(const struct vm_arch_ctx *c, int vcpu_fd, uint64_t *khz, struct vb_err *err)
{
	(void)c;
	(void)vcpu_fd;
	/* The guest reads the same CNTFRQ_EL0 the host does: firmware sets it
	 * once for the whole machine, and KVM does not change it. */
	uint64_t hz;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	if (hz < 1000)
		return err__set(err, 0,
				"CNTFRQ_EL0 is %llu Hz: the firmware did not set the "
				"counter frequency",
				(unsigned long long)hz);
	*khz = hz / 1000;
	return 0;
}
