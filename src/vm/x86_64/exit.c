/* x86_64 exits: none of its own beyond those every architecture shares
 * (src/vm/exit.c); the names of its exit tests and of a shutdown. */
#include "vm/arch.h"
#include "vm/guest/abi.h"

bool arch__decode_exit(const struct kvm_run *run, struct vm_exit *e)
{
	(void)run;
	(void)e;
	return false;
}

const char *arch__shutdown_why(const struct vm_exit *e)
{
	(void)e;
	return "the guest triple-faulted (KVM_EXIT_SHUTDOWN): it raised an exception it has "
	       "no handler for";
}

const char *arch__other_why(const struct vm_exit *e)
{
	if (e->reason == KVM_EXIT_IO)
		return "string or repeated port I/O, which the device does not take";
	return "the monitor has no handler for it";
}

const char *arch__exit_how(unsigned test)
{
	switch (test) {
	case VB_EXITT_NONE: return "none";
	case VB_EXITT_PIO: return "out";
	case VB_EXITT_MMIO: return "mov"; /* a store to the device page */
	case VB_EXITT_INKERNEL: return "cpuid";
	case VB_EXITT_HLT: return "hlt";
	default: return NULL; /* no in-kernel interrupt controller to read */
	}
}
