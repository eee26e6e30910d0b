/* What the exit loop does with one decoded exit, and the two things that
 * needs from the VM: guest RAM lookups and the failure that ends it. No KVM
 * call and no thread is made here (vm__fail kicks the vCPUs through
 * vm__kick_all, in vcpu.c), so tests/fuzz/fuzz_pvdev.c drives this file,
 * pvdev.c and exit.c with exits made up from its input, without /dev/kvm. */
#include <stdarg.h>
#include <stdio.h>

#include "vm/vm_impl.h"

enum vcpu_next vcpu__handle_exit(struct vcpu *v, const struct vm_exit *x)
{
	struct vm *vm = v->vm;
	atomic_fetch_add_explicit(&v->exits, 1, memory_order_relaxed);
	switch (x->kind) {
	case VM_EXIT_PIO: return pvdev__pio(v, x);
	case VM_EXIT_MMIO: return pvdev__mmio(v, x);
	case VM_EXIT_HLT:
		v->hlts++; /* resume at once: the wake-up is re-entry */
		return VCPU_CONTINUE;
	case VM_EXIT_SHUTDOWN:
		vm__fail(vm, 0, "vCPU %u: %s", v->index, arch__shutdown_why(x));
		return VCPU_QUIT;
	case VM_EXIT_FAIL:
		vm__fail(vm, 0,
			 "vCPU %u: KVM could not run the guest (exit reason %u, hardware reason "
			 "0x%llx)",
			 v->index, x->reason, (unsigned long long)x->hw_reason);
		return VCPU_QUIT;
	default:
		vm__fail(vm, 0, "vCPU %u: unexpected exit (reason %u, address 0x%llx): %s",
			 v->index, x->reason, (unsigned long long)x->addr, arch__other_why(x));
		return VCPU_QUIT;
	}
}

void *vm__gpa_to_host(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t base = vm->ram_base;
	if (gpa < base || len > vm->mem_size || gpa - base > vm->mem_size - len)
		return NULL;
	return vm->mem + (gpa - base);
}

void vm__fail(struct vm *vm, int errnum, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&vm->lock);
	if (!vm->failed) {
		vm->failed = true;
		err__set(&vm->fail_err, errnum, "%s", msg);
	}
	bool first = !atomic_exchange(&vm->quit, true);
	pthread_cond_broadcast(&vm->cond);
	/* Only the call that ends the VM kicks, and under the lock: when
	 * every vCPU fails at once, a vCPU thread still kicking after the
	 * lock is released could signal a thread vm__destroy has joined
	 * already (its pthread_t then names nothing, or another thread).
	 * vm__destroy sets quit under the lock before it joins, so every
	 * kick of a vm__fail is over by then and none starts later. */
	if (first)
		vm__kick_all(vm);
	pthread_mutex_unlock(&vm->lock);
}

uint64_t vm__exits(const struct vm *vm)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		n += atomic_load_explicit(&vm->vcpu[i].exits, memory_order_relaxed);
	return n;
}
