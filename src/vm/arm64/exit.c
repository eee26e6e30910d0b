/* arm64's own exits: the PSCI system events the guest's vectors raise
 * when it crashes, and MMIO that KVM could not decode. The rest are shared
 * with every architecture (src/vm/exit.c). */
#include "vm/arch.h"
#include "vm/guest/abi.h"

bool arch__decode_exit(const struct kvm_run *run, struct vm_exit *e)
{
	switch (run->exit_reason) {
	case KVM_EXIT_SYSTEM_EVENT:
		/* PSCI SYSTEM_OFF or SYSTEM_RESET: the vectors ask for a reset
		 * when the guest takes an exception it has no handler for. */
		e->hw_reason = run->system_event.type;
		e->kind = (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ||
			   run->system_event.type == KVM_SYSTEM_EVENT_RESET ||
			   run->system_event.type == KVM_SYSTEM_EVENT_CRASH)
				  ? VM_EXIT_SHUTDOWN
				  : VM_EXIT_OTHER;
		return true;
	case KVM_EXIT_ARM_NISV:
		/* An MMIO access KVM cannot decode (no valid syndrome, e.g. a
		 * load pair or a write-back addressing mode). */
		e->kind = VM_EXIT_OTHER;
		e->addr = run->arm_nisv.fault_ipa;
		e->hw_reason = run->arm_nisv.esr_iss;
		return true;
	default: return false;
	}
}

const char *arch__shutdown_why(const struct vm_exit *e)
{
	if (e->reason == KVM_EXIT_SYSTEM_EVENT && e->hw_reason == KVM_SYSTEM_EVENT_RESET)
		return "the guest took an exception it has no handler for (its vectors asked "
		       "PSCI for a system reset)";
	return "the guest stopped itself (PSCI system off, or a crash event)";
}

const char *arch__other_why(const struct vm_exit *e)
{
	if (e->reason == KVM_EXIT_ARM_NISV)
		return "an access to no memory that KVM cannot decode (a load or store pair, or "
		       "one with write-back)";
	return "the monitor has no handler for it";
}

const char *arch__exit_how(unsigned test)
{
	switch (test) {
	case VB_EXITT_NONE: return "none";
	case VB_EXITT_MMIO: return "str"; /* a store to the device page */
	case VB_EXITT_INKERNEL:
		/* SMCCC_VERSION by HVC (from EL0 through the SVC vector). */
		return "hvc";
	case VB_EXITT_MMIO_KERNEL: return "gicd-read"; /* a load of GICD_IIDR */
	default:
		/* No I/O ports; and WFI never reaches the monitor: KVM blocks
		 * the vCPU in the kernel until an interrupt, which this guest
		 * never takes. */
		return NULL;
	}
}
