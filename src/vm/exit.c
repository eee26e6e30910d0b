/* The exits every architecture shares. arm64 KVM never reports port I/O or
 * KVM_EXIT_SHUTDOWN; they decode the same there all the same, so the exit
 * loop sees one contract everywhere. */
#include <string.h>

#include "vm/exit.h"

static void exit__pio(const struct kvm_run *run, size_t run_size, struct vm_exit *e)
{
	uint32_t size = run->io.size;
	uint64_t off = run->io.data_offset;
	e->addr = run->io.port;
	if (run->io.count != 1 || (size != 1 && size != 2 && size != 4) || off > run_size ||
	    run_size - off < size) {
		e->kind = VM_EXIT_OTHER; /* string or repeated I/O: not ours */
		return;
	}
	e->kind = VM_EXIT_PIO;
	e->len = size;
	e->is_write = run->io.direction == KVM_EXIT_IO_OUT;
	if (e->is_write)
		memcpy(&e->data, (const uint8_t *)run + off, size);
}

static void exit__mmio(const struct kvm_run *run, struct vm_exit *e)
{
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
}

void vm_exit__decode(const struct kvm_run *run, size_t run_size, struct vm_exit *e)
{
	memset(e, 0, sizeof(*e));
	e->reason = run->exit_reason;
	if (arch__decode_exit(run, e))
		return;
	switch (run->exit_reason) {
	case KVM_EXIT_IO: exit__pio(run, run_size, e); return;
	case KVM_EXIT_MMIO: exit__mmio(run, e); return;
	case KVM_EXIT_HLT: e->kind = VM_EXIT_HLT; return;
	case KVM_EXIT_SHUTDOWN: e->kind = VM_EXIT_SHUTDOWN; return;
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
	default: e->kind = VM_EXIT_OTHER; return;
	}
}
