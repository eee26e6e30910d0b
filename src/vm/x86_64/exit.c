/* x86_64 exit decoding: KVM's exit record turned into a generic event. The
 * record lives in memory the guest influences (port, sizes, data offset), so
 * every offset is checked against the mapping before it is followed. */
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
		if (run->io.count != 1 || (size != 1 && size != 2 && size != 4) || off > run_size ||
		    run_size - off < size) {
			e->kind = VM_EXIT_OTHER; /* string or repeated I/O: not ours */
			e->addr = run->io.port;
			return;
		}
		e->kind = VM_EXIT_PIO;
		e->addr = run->io.port;
		e->len = size;
		e->is_write = run->io.direction == KVM_EXIT_IO_OUT;
		if (e->is_write)
			memcpy(&e->data, (const uint8_t *)run + off, size);
		return;
	}
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
	case KVM_EXIT_HLT:
		e->kind = VM_EXIT_HLT;
		return;
	case KVM_EXIT_SHUTDOWN:
		e->kind = VM_EXIT_SHUTDOWN;
		return;
	case KVM_EXIT_HYPERCALL:
		e->kind = VM_EXIT_HYPERCALL;
		e->addr = run->hypercall.nr;
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
	(void)e;
	return "the guest triple-faulted (KVM_EXIT_SHUTDOWN): it raised an exception it has "
	       "no handler for";
}

const char *arch__exit_how(unsigned test)
{
	switch (test) {
	case VB_EXITT_NONE:
		return "none";
	case VB_EXITT_PIO:
		return "out";
	case VB_EXITT_MMIO:
		return "mov"; /* a store to the device page */
	case VB_EXITT_INKERNEL:
		return "cpuid";
	case VB_EXITT_HLT:
		return "hlt";
	default:
		return NULL; /* no in-kernel interrupt controller to read */
	}
}
