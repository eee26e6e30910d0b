/* arm64 exit decoding: KVM's exit record turned into a generic event. The
 * record lives in memory the guest influences (addresses, sizes), so sizes
 * are checked before data is copied. */
#include <string.h>

#include "vm/arch.h"

void arch__decode_exit(const struct kvm_run *run, size_t run_size, struct vm_exit *e)
{
	(void)run_size;
	memset(e, 0, sizeof(*e));
	e->reason = run->exit_reason;
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		e->addr = run->mmio.phys_addr;
		e->len = run->mmio.len;
		e->is_write = run->mmio.is_write;
		if (e->len == 0 || e->len > 8) {
			e->kind = VM_EXIT_OTHER;
			return;
		}
		e->kind = VM_EXIT_MMIO;
		if (e->is_write)
			memcpy(&e->data, run->mmio.data, e->len);
		return;
	case KVM_EXIT_SYSTEM_EVENT:
		/* PSCI SYSTEM_OFF or SYSTEM_RESET: the vectors ask for a reset
		 * when the guest takes an exception it has no handler for. */
		e->hw_reason = run->system_event.type;
		e->kind = (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ||
			   run->system_event.type == KVM_SYSTEM_EVENT_RESET ||
			   run->system_event.type == KVM_SYSTEM_EVENT_CRASH) ?
				  VM_EXIT_SHUTDOWN :
				  VM_EXIT_OTHER;
		return;
	case KVM_EXIT_HYPERCALL:
		e->kind = VM_EXIT_HYPERCALL;
		e->addr = run->hypercall.nr;
		return;
	case KVM_EXIT_ARM_NISV:
		/* An MMIO access KVM cannot decode (no valid syndrome, e.g. a
		 * load pair or a write-back addressing mode). */
		e->kind = VM_EXIT_OTHER;
		e->addr = run->arm_nisv.fault_ipa;
		e->hw_reason = run->arm_nisv.esr_iss;
		return;
	case KVM_EXIT_FAIL_ENTRY:
		e->kind = VM_EXIT_FAIL;
		e->hw_reason = run->fail_entry.hardware_entry_failure_reason;
		return;
	case KVM_EXIT_INTERNAL_ERROR:
		e->kind = VM_EXIT_FAIL;
		e->hw_reason = run->internal.suberror;
		return;
	case KVM_EXIT_UNKNOWN:
		e->kind = VM_EXIT_OTHER;
		e->hw_reason = run->hw.hardware_exit_reason;
		return;
	default:
		e->kind = VM_EXIT_OTHER;
		return;
	}
}

void arch__complete_read(struct kvm_run *run, const struct vm_exit *e, uint64_t value)
{
	if (e->kind == VM_EXIT_MMIO && !e->is_write)
		memcpy(run->mmio.data, &value, e->len);
}
