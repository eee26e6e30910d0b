/* arm64 exit decoding: KVM's exit record turned into a generic event. The
 * record lives in memory the guest influences (addresses, sizes), so sizes
 * and offsets are checked before data is copied. arm64 KVM never reports
 * port I/O or a shutdown exit; they decode as on x86 all the same, so the
 * exit loop sees one contract on every architecture. */
#include <string.h>

#include "vm/arch.h"
#include "vm/guest/abi.h"

void arch__decode_exit(const struct kvm_run *run, size_t run_size, struct vm_exit *e)
{
	memset(e, 0, sizeof(*e));
	e->reason = run->exit_reason;
	switch (run->exit_reason) {
	case KVM_EXIT_IO: {
		uint32_t size = run->io.size;
		uint64_t off = run->io.data_offset;
		e->addr = run->io.port;
		if (run->io.count != 1 || (size != 1 && size != 2 && size != 4) || off > run_size ||
		    run_size - off < size) {
			e->kind = VM_EXIT_OTHER;
			return;
		}
		e->kind = VM_EXIT_PIO;
		e->len = size;
		e->is_write = run->io.direction == KVM_EXIT_IO_OUT;
		if (e->is_write)
			memcpy(&e->data, (const uint8_t *)run + off, size);
		return;
	}
	case KVM_EXIT_SHUTDOWN:
		e->kind = VM_EXIT_SHUTDOWN;
		return;
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
	if (e->kind == VM_EXIT_PIO && !e->is_write)
		memcpy((uint8_t *)run + run->io.data_offset, &value, e->len);
	else if (e->kind == VM_EXIT_MMIO && !e->is_write)
		memcpy(run->mmio.data, &value, e->len);
}

const char *arch__shutdown_why(const struct vm_exit *e)
{
	if (e->reason == KVM_EXIT_SYSTEM_EVENT && e->hw_reason == KVM_SYSTEM_EVENT_RESET)
		return "the guest took an exception it has no handler for (its vectors asked "
		       "PSCI for a system reset)";
	return "the guest stopped itself (PSCI system off, or a crash event)";
}

const char *arch__exit_how(unsigned test)
{
	switch (test) {
	case VB_EXITT_NONE:
		return "none";
	case VB_EXITT_MMIO:
		return "str"; /* a store to the device page */
	case VB_EXITT_INKERNEL:
		/* SMCCC_VERSION by HVC (from EL0 through the SVC vector). */
		return "hvc";
	case VB_EXITT_MMIO_KERNEL:
		return "gicd-read"; /* a load of GICD_IIDR */
	default:
		/* No I/O ports; and WFI never reaches the monitor: KVM blocks
		 * the vCPU in the kernel until an interrupt, which this guest
		 * never takes. */
		return NULL;
	}
}
