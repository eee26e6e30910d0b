/* The microVM monitor against a real /dev/kvm: the guest computes what the
 * native run computes, exits are counted exactly, misbehaving guests
 * (triple fault, hang, bad report, unknown command) end their VM with the
 * reason and nothing of it is left behind, and 200 boots leave the process
 * with the descriptors, threads and mappings it had before. */
#include "vmutil.h"

#include "core/clock.h"
#include "core/interrupt.h"
#include "vm/vm.h"
#include "vm/vm_bench.h"

static struct vm *up(unsigned vcpus, enum vm_priv priv)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.vcpus = vcpus;
	o.mem_bytes = 32ull << 20;
	o.priv = priv;
	struct vm *vm = NULL;
	struct vb_err err = { 0 };
	int rc = vm__create(&o, &vm, &err);
	if (rc == 0)
		rc = vm__start(vm, &err);
	if (rc == 0)
		rc = vm__wait_ready(vm, 10000, &err);
	if (rc < 0)
		fail_msg("VM did not come up: %s", err.msg);
	return vm;
}

/* Posts r to every vCPU and waits; returns the wait's result. */
static int run(struct vm *vm, const struct vm_request *r, unsigned timeout_ms, struct vb_err *err)
{
	for (unsigned i = 0; i < vm__vcpus(vm); i++) {
		struct vm_request ri = *r;
		ri.job.thread = i;
		if (vm__post(vm, i, &ri, err) < 0)
			return -1;
	}
	return vm__wait_done(vm, timeout_ms, err);
}

static void test_cpu_checksum_matches_native(void **state)
{
	(void)state;
	REQUIRE_KVM();
	struct vm *vm = up(2, VM_PRIV_USER);
	struct vm_request r = cpu_request(2, 20, 10000);
	struct vb_err err = { 0 };
	assert_int_equal(run(vm, &r, 60000, &err), 0);

	struct wl_job native = r.job;
	struct wl_clock clk = { mono, NULL };
	struct wl_report want;
	wl__run(&native, &clk, &want);
	for (unsigned i = 0; i < 2; i++) {
		const struct vm_vcpu_result *res = vm__result(vm, i);
		assert_true(res->has_report);
		assert_int_equal(res->report.error, 0);
		assert_int_equal(res->report.events, want.events);
		assert_int_equal(res->report.checksum, want.checksum);
		assert_true(res->guest_ns > 0);
	}
	vm__destroy(vm, NULL);
}

static void test_exit_counts_exact(void **state)
{
	(void)state;
	REQUIRE_KVM();
	struct vm *vm = up(1, VM_PRIV_USER);
	struct vb_err err = { 0 };
	/* Port I/O where the architecture has it (x86), MMIO everywhere. */
	uint32_t pio = arch__exit_how(VB_EXITT_PIO) ? VB_EXITT_PIO : VB_EXITT_MMIO;
	const struct {
		uint32_t kind;
		uint64_t n;
	} cases[] = { { pio, 1000 }, { VB_EXITT_MMIO, 777 }, { pio, 1 } };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct vm_request r;
		memset(&r, 0, sizeof(r));
		r.request = VB_REQ_EXITS;
		r.arg[0] = cases[c].kind;
		r.arg[1] = cases[c].n;
		r.arg[2] = arch__mmio_gpa(32ull << 20);
		assert_int_equal(run(vm, &r, 60000, &err), 0);
		const struct vm_vcpu_result *res = vm__result(vm, 0);
		uint64_t seen = cases[c].kind == VB_EXITT_PIO ? res->pio_pings : res->mmio_pings;
		uint64_t other = cases[c].kind == VB_EXITT_PIO ? res->mmio_pings : res->pio_pings;
		assert_int_equal(seen, cases[c].n);
		assert_int_equal(other, 0);
		assert_true(res->host_stop > res->host_start);
	}
	vm__destroy(vm, NULL);
}

static void test_hlt_counted_at_kernel_level(void **state)
{
	(void)state;
	REQUIRE_KVM();
	if (!arch__exit_how(VB_EXITT_HLT)) {
		print_message("[  SKIP    ] %s has no halt exit to the VMM\n", arch__name());
		skip();
	}
	struct vm *vm = up(1, VM_PRIV_KERNEL);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_EXITS;
	r.arg[0] = VB_EXITT_HLT;
	r.arg[1] = 50;
	struct vb_err err = { 0 };
	assert_int_equal(run(vm, &r, 60000, &err), 0);
	assert_int_equal(vm__result(vm, 0)->hlts, 50);
	vm__destroy(vm, NULL);
}

/* A misbehaving guest: the wait fails naming the reason, the VM is marked
 * failed, and destroying it returns. */
static void expect_guest_failure(uint32_t request, unsigned timeout_ms, const char *needle)
{
	struct vm *vm = up(1, VM_PRIV_USER);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = request;
	struct vb_err err = { 0 };
	assert_int_equal(run(vm, &r, timeout_ms, &err), -1);
	if (!strstr(err.msg, needle))
		fail_msg("expected '%s' in: %s", needle, err.msg);
	assert_true(vm__failed(vm));
	/* The VM takes no more requests. */
	struct vb_err err2 = { 0 };
	assert_int_equal(vm__post(vm, 0, &r, &err2), -1);
	vm__destroy(vm, NULL);
}

static void test_triple_fault_reported(void **state)
{
	(void)state;
	REQUIRE_KVM();
	expect_guest_failure(VB_REQ_CRASH, 20000, "no handler for");
}

static void test_hang_caught_by_watchdog(void **state)
{
	(void)state;
	REQUIRE_KVM();
	expect_guest_failure(VB_REQ_HANG, 300, "watchdog");
}

static void test_bad_report_refused(void **state)
{
	(void)state;
	REQUIRE_KVM();
	expect_guest_failure(VB_REQ_BAD_REPORT, 20000, "outside guest memory");
}

static void test_unknown_command_refused(void **state)
{
	(void)state;
	REQUIRE_KVM();
	expect_guest_failure(VB_REQ_BAD_CMD, 20000, "unknown command");
}

static void panic_with(uint64_t bogus, uint64_t gpa, uint64_t len, const char *needle)
{
	struct vm *vm = up(1, VM_PRIV_USER);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_PANIC;
	r.arg[0] = bogus;
	r.arg[1] = gpa;
	r.arg[2] = len;
	struct vb_err err = { 0 };
	assert_int_equal(run(vm, &r, 20000, &err), -1);
	if (!strstr(err.msg, needle))
		fail_msg("expected '%s' in: %s", needle, err.msg);
	for (const char *p = err.msg; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f); /* guest bytes come out printable */
	vm__destroy(vm, NULL);
}

static void test_guest_panic_message_checked(void **state)
{
	(void)state;
	REQUIRE_KVM();
	panic_with(0, 0, 0, "gave up: test panic?with?control characters");
	/* Outside RAM, too long, wrapping around: no message, no crash. */
	panic_with(1, ~0ull - 8, 64, "(no message)");
	panic_with(1, 0x100000, 1ull << 40, "(no message)");
	panic_with(1, 64ull << 30, 16, "(no message)");
}

static void test_interrupt_ends_vm(void **state)
{
	(void)state;
	REQUIRE_KVM();
	struct vm *vm = up(1, VM_PRIV_USER);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_HANG;
	struct vb_err err = { 0 };
	assert_int_equal(vm__post(vm, 0, &r, &err), 0);
	interrupt__set(true);
	assert_int_equal(vm__wait_done(vm, 60000, &err), -1);
	interrupt__set(false);
	assert_non_null(strstr(err.msg, "interrupted"));
	vm__destroy(vm, NULL);
}

static void test_boots_leave_nothing_behind(void **state)
{
	(void)state;
	REQUIRE_KVM();
	/* One boot first: process-wide one-time set-up (the CPUID cache, the
	 * kick signal handler) is not a leak. */
	vm__destroy(up(2, VM_PRIV_USER), NULL);
	unsigned fds = count_dir("/proc/self/fd"), tasks = count_dir("/proc/self/task");
	unsigned maps = count_maps(NULL), kvm_maps = count_maps("kvm");
	for (int i = 0; i < 200; i++) {
		struct vm *vm = up(i % 2 + 1, VM_PRIV_USER);
		uint64_t td;
		vm__destroy(vm, &td);
	}
	assert_int_equal(count_dir("/proc/self/fd"), fds);
	assert_int_equal(count_dir("/proc/self/task"), tasks);
	assert_int_equal(count_maps("kvm"), kvm_maps); /* kvm_run mappings */
#ifndef __SANITIZE_ADDRESS__
	/* AddressSanitizer's allocator maps memory of its own as it goes. */
	assert_int_equal(count_maps(NULL), maps);
#else
	(void)maps;
#endif
}

static void test_failed_boots_leave_nothing_behind(void **state)
{
	(void)state;
	REQUIRE_KVM();
	unsigned fds = count_dir("/proc/self/fd"), tasks = count_dir("/proc/self/task");
	for (int i = 0; i < 5; i++) {
		struct vm *vm = up(1, VM_PRIV_USER);
		struct vm_request r;
		memset(&r, 0, sizeof(r));
		r.request = VB_REQ_CRASH;
		struct vb_err err = { 0 };
		assert_int_equal(run(vm, &r, 20000, &err), -1);
		vm__destroy(vm, NULL);
	}
	assert_int_equal(count_dir("/proc/self/fd"), fds);
	assert_int_equal(count_dir("/proc/self/task"), tasks);
}

static void test_env_probe(void **state)
{
	(void)state;
	REQUIRE_KVM();
	struct vm_env env;
	struct vb_err err = { 0 };
	assert_int_equal(vm_bench__env(&env, &err), 0);
	assert_true(env.probed);
	assert_true(env.counter_khz > 0);
	assert_true(env.cpl0_ratio > 0);
	assert_true(env.cpuid_intercepted == 0 || env.cpuid_intercepted == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_checksum_matches_native),
		cmocka_unit_test(test_exit_counts_exact),
		cmocka_unit_test(test_hlt_counted_at_kernel_level),
		cmocka_unit_test(test_triple_fault_reported),
		cmocka_unit_test(test_hang_caught_by_watchdog),
		cmocka_unit_test(test_bad_report_refused),
		cmocka_unit_test(test_unknown_command_refused),
		cmocka_unit_test(test_guest_panic_message_checked),
		cmocka_unit_test(test_interrupt_ends_vm),
		cmocka_unit_test(test_boots_leave_nothing_behind),
		cmocka_unit_test(test_failed_boots_leave_nothing_behind),
		cmocka_unit_test(test_env_probe),
	};
	return cmocka_run_group_tests_name("vm_core", tests, NULL, NULL);
}
