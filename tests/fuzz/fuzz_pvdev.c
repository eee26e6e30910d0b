/* libFuzzer target for the monitor's side of the guest boundary, without
 * KVM: the exit decoder (src/vm/exit.c and the architecture's exit.c), the
 * exit dispatch (src/vm/vcpu_exit.c) and the paravirtual device
 * (src/vm/pvdev.c), fed made-up kvm_run records (any exit reason, port,
 * width, data offset, address, length, command word) interleaved with
 * guest writes to the mailboxes and to guest RAM (report and message
 * addresses and lengths, garbage, reports twice). Guest RAM lies between
 * two inaccessible pages and the kvm_run record is allocated at its exact
 * size, so a read past either faults or AddressSanitizer reports it. Built twice: for the x86_64 layout and, with
 * FUZZ_ARM64, for arm64's (RAM at 1 GiB, the device page below it).
 *
 * Checked after every exit: an exit ends the VM exactly when it records a
 * failure, the reason is printable, a report the monitor took lies inside
 * RAM and is what RAM holds there, and accesses decode to sane widths. */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vm/exit.h"
#include "vm/vm_impl.h"
#ifdef FUZZ_ARM64
#include "vm/arm64/layout.h"
#define RAM_BASE ARM64_RAM_BASE
#else
#define RAM_BASE 0ull
#endif

#define MAX_VCPUS 4u
#define RUN_SIZES 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No vCPU threads here: nothing to kick. */
void vm__kick_all(struct vm *vm)
{
	(void)vm;
}

/* The controller's part, as vm__post plays it, without a thread of its
 * own: the device's only wait (READY completes a request and waits for the
 * next) is linked to this (-Wl,--wrap=pthread_cond_wait), which posts a
 * request for every vCPU that has completed its last one and returns, as a
 * wait may. The caller holds vm->lock, as vm__post would. */
static struct vm *current_vm;
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *lock);
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *lock)
{
	(void)cond;
	(void)lock;
	struct vm *vm = current_vm;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];
		if (v->posted == v->completed) {
			memset(&v->req, 0, sizeof(v->req));
			v->req.request = (uint32_t)(v->posted % 5);
			v->posted++;
		}
	}
	return 0;
}

/* Guest RAM between inaccessible pages: a read past either end faults at
 * once (ASan's own allocator would poison megabytes per run). One region
 * for the whole run, RAM at its end; what lies before RAM is made
 * inaccessible anew each run and the pages are given back (zeroed) after. */
#define GUARD	4096u
#define RAM_MAX (VB_GUEST_MAILBOX_OFF + MAX_VCPUS * VB_GUEST_PAGE + 255 * 4096ull)
static uint8_t *region;
static uint8_t *guarded_ram(size_t size)
{
	if (!region) {
		region = mmap(NULL, RAM_MAX + 2 * GUARD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			      0);
		if (region == MAP_FAILED)
			abort();
	}
	uint8_t *ram = region + GUARD + RAM_MAX - size;
	if (mprotect(region, GUARD + RAM_MAX - size, PROT_NONE) < 0 ||
	    mprotect(ram, size, PROT_READ | PROT_WRITE) < 0)
		abort();
	return ram;
}

static void guarded_ram_release(uint8_t *ram, size_t size)
{
	if (madvise(ram, size, MADV_DONTNEED) < 0)
		abort();
}

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

static uint64_t mmio_gpa(uint64_t mem_size)
{
#ifdef FUZZ_ARM64
	(void)mem_size;
	return ARM64_PVDEV_BASE;
#else
	return (mem_size + 0x1fffffull) & ~0x1fffffull;
#endif
}

/* A command word: mostly the device's own, sometimes anything. */
static uint32_t take_cmd(struct input *in)
{
	static const uint32_t cmds[] = { VB_CMD_ENTERED, VB_CMD_READY, VB_CMD_START, VB_CMD_STOP,
					 VB_CMD_PANIC };
	uint8_t sel = (uint8_t)take(in, 1);
	if (sel < 5 * 40)
		return cmds[sel % 5];
	return (uint32_t)take(in, 4);
}

/* A guest-physical address: near RAM's start or end, in a mailbox, at the
 * device, or anything. */
static uint64_t take_gpa(struct input *in, const struct vm *vm)
{
	uint8_t sel = (uint8_t)take(in, 1);
	uint64_t off = take(in, 2);
	switch (sel % 6) {
	case 0: return vm->ram_base + off;
	case 1: return vm->ram_base + vm->mem_size - off;
	case 2: return vm->ram_base + VB_GUEST_MAILBOX_OFF + off;
	case 3: return vm->mmio_gpa + (off & 0xfff);
	case 4: return vm->ram_base - off;
	default: return take(in, 8);
	}
}

/* A kvm_run record as KVM could leave it, from the input. */
static void make_exit(struct input *in, const struct vm *vm, struct kvm_run *run, size_t run_size)
{
	static const uint32_t reasons[] = {
		KVM_EXIT_IO,
		KVM_EXIT_MMIO,
		KVM_EXIT_HLT,
		KVM_EXIT_SHUTDOWN,
		KVM_EXIT_HYPERCALL,
		KVM_EXIT_FAIL_ENTRY,
		KVM_EXIT_INTERNAL_ERROR,
		KVM_EXIT_UNKNOWN,
		KVM_EXIT_SYSTEM_EVENT,
		KVM_EXIT_ARM_NISV,
		KVM_EXIT_DEBUG,
		KVM_EXIT_EXCEPTION,
	};
	size_t nreasons = sizeof(reasons) / sizeof(reasons[0]);
	memset(run, 0, run_size);
	uint8_t sel = (uint8_t)take(in, 1);
	run->exit_reason = sel < 4 * nreasons ? reasons[sel % nreasons] : (uint32_t)take(in, 4);
	switch (run->exit_reason) {
	case KVM_EXIT_IO: {
		uint8_t f = (uint8_t)take(in, 1);
		run->io.direction = f & 1 ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
		run->io.size = (f >> 1) & 1 ? (uint8_t)take(in, 1)
					    : (uint8_t)(1u << ((f >> 2) & 3));
		run->io.count = (f >> 4) & 1 ? (uint32_t)take(in, 4) : 1;
		run->io.port = (f >> 5) & 1 ? (uint16_t)take(in, 2)
					    : (uint16_t)(VB_PORT_CMD + ((f >> 6) & 1));
		run->io.data_offset = (f >> 7) ? take(in, 8) : 4096 % run_size;
		uint64_t off = run->io.data_offset;
		if (off < run_size) {
			uint32_t cmd = take_cmd(in);
			size_t n = run_size - off < 4 ? run_size - off : 4;
			memcpy((uint8_t *)run + off, &cmd, n);
		}
		break;
	}
	case KVM_EXIT_MMIO: {
		uint8_t f = (uint8_t)take(in, 1);
		run->mmio.phys_addr = take_gpa(in, vm);
		if (f & 1)
			run->mmio.phys_addr = vm->mmio_gpa + (f & 2 ? VB_MMIO_PING : VB_MMIO_CMD);
		run->mmio.len = f & 4 ? (uint32_t)take(in, 4) : 1u << ((f >> 3) & 3);
		run->mmio.is_write = (f >> 5) & 1 ? 0 : 1;
		uint64_t v = (f >> 6) & 1 ? take(in, 8) : take_cmd(in);
		memcpy(run->mmio.data, &v, sizeof(v));
		break;
	}
	case KVM_EXIT_SYSTEM_EVENT: run->system_event.type = (uint32_t)take(in, 1); break;
	case KVM_EXIT_ARM_NISV:
		run->arm_nisv.fault_ipa = take_gpa(in, vm);
		run->arm_nisv.esr_iss = take(in, 8);
		break;
	default: {
		/* Whatever else the record may hold. */
		size_t n = (size_t)take(in, 1);
		size_t room = run_size - offsetof(struct kvm_run, hw);
		for (size_t i = 0; i < n && i < room; i++)
			((uint8_t *)&run->hw)[i] = (uint8_t)take(in, 1);
		break;
	}
	}
}

/* The guest writes 8 bytes somewhere in its RAM: a mailbox field (report
 * or message address and length, usually), or anywhere. */
static void guest_write(struct input *in, struct vm *vm)
{
	static const size_t fields[] = {
		offsetof(struct vb_mailbox, res_gpa),	 offsetof(struct vb_mailbox, res_len),
		offsetof(struct vb_mailbox, msg_gpa),	 offsetof(struct vb_mailbox, msg_len),
		offsetof(struct vb_mailbox, elapsed_ns),
	};
	uint8_t sel = (uint8_t)take(in, 1);
	uint64_t off;
	uint64_t v;
	if (sel < 200) {
		unsigned cpu = (sel >> 3) % vm->nvcpus;
		off = VB_GUEST_MAILBOX_OFF + cpu * VB_GUEST_PAGE + fields[sel % 5];
		switch ((sel >> 5) & 3) {
		case 0: v = sizeof(struct wl_report); break; /* a plausible length */
		case 1: v = take_gpa(in, vm); break;
		default: v = take(in, 8); break;
		}
	} else {
		off = take(in, 4) % (vm->mem_size - 7);
		v = take(in, 8);
	}
	memcpy(vm->mem + off, &v, sizeof(v));
}

static void check_failure(struct vm *vm, enum vcpu_next next)
{
	if ((next == VCPU_QUIT) != vm->failed)
		abort(); /* the loop ends exactly when the VM has a reason */
	if (!vm->failed)
		return;
	if (!vm->fail_err.msg[0])
		abort();
	for (const char *c = vm->fail_err.msg; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			abort(); /* guest bytes reach the message only printable */
	/* The next VM starts clean: what one guest did must not carry over. */
	vm->failed = false;
	atomic_store(&vm->quit, false);
	memset(&vm->fail_err, 0, sizeof(vm->fail_err));
}

/* A report taken by this exit (gpa, len: the mailbox before it) lies in RAM
 * and is what RAM holds there. */
static void check_report(const struct vm *vm, const struct vcpu *v, bool had,
			 const struct wl_report *before, uint64_t gpa, uint64_t len)
{
	if (!v->res.has_report || (had && !memcmp(before, &v->res.report, sizeof(*before))))
		return;
	if (len != sizeof(struct wl_report) || gpa < vm->ram_base ||
	    gpa - vm->ram_base > vm->mem_size - len)
		abort();
	if (memcmp(&v->res.report, vm->mem + (gpa - vm->ram_base), sizeof(v->res.report)))
		abort();
}

/* Exits decoded and handled over the whole run, said at exit for the
 * record of what a run covered. */
static uint64_t total_exits, total_failures;
static void say_totals(void)
{
	fprintf(stderr, "fuzz_pvdev: %llu exits handled, %llu of them ended their VM\n",
		(unsigned long long)total_exits, (unsigned long long)total_failures);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	if (!registered) {
		registered = true;
		atexit(say_totals);
	}
	static const size_t run_sizes[RUN_SIZES] = { sizeof(struct kvm_run), 4096, 3 * 4096 };
	struct input in = { data, size };
	struct vm vm;
	memset(&vm, 0, sizeof(vm));
	vm.nvcpus = 1 + (unsigned)take(&in, 1) % MAX_VCPUS;
	vm.mem_size = VB_GUEST_MAILBOX_OFF + MAX_VCPUS * VB_GUEST_PAGE + take(&in, 1) * 4096;
	vm.ram_base = RAM_BASE;
	vm.mmio_gpa = mmio_gpa(vm.mem_size);
	vm.run_size = run_sizes[take(&in, 1) % RUN_SIZES];
	vm.mem = guarded_ram(vm.mem_size);
	struct kvm_run *run = calloc(1, vm.run_size);
	struct vcpu vcpus[MAX_VCPUS];
	memset(vcpus, 0, sizeof(vcpus));
	if (!vm.mem || !run)
		abort();
	vm.vcpu = vcpus;
	pthread_mutex_init(&vm.lock, NULL);
	pthread_cond_init(&vm.cond, NULL);
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		vcpus[i].vm = &vm;
		vcpus[i].index = i;
		vcpus[i].fd = -1;
		vcpus[i].mbox = (struct vb_mailbox *)(vm.mem + VB_GUEST_MAILBOX_OFF +
						      (uint64_t)i * VB_GUEST_PAGE);
	}

	current_vm = &vm;
	while (in.n) {
		uint8_t op = (uint8_t)take(&in, 1);
		struct vcpu *v = &vcpus[(op >> 4) % vm.nvcpus];
		if (op & 1) {
			guest_write(&in, &vm);
			continue;
		}
		make_exit(&in, &vm, run, vm.run_size);
		struct vm_exit x;
		vm_exit__decode(run, vm.run_size, &x);
		if (x.kind == VM_EXIT_PIO && x.len != 1 && x.len != 2 && x.len != 4)
			abort();
		if (x.kind == VM_EXIT_MMIO && (x.len == 0 || x.len > 8))
			abort();
		bool had = v->res.has_report;
		struct wl_report before = v->res.report;
		uint64_t gpa = v->mbox->res_gpa, len = v->mbox->res_len;
		enum vcpu_next next = vcpu__handle_exit(v, &x);
		total_exits++;
		total_failures += next == VCPU_QUIT;
		check_failure(&vm, next);
		check_report(&vm, v, had, &before, gpa, len);
		if (vm.nready > vm.nvcpus)
			abort();
	}
	pthread_cond_destroy(&vm.cond);
	pthread_mutex_destroy(&vm.lock);
	free(run);
	guarded_ram_release(vm.mem, vm.mem_size);
	return 0;
}
