/* Bad input to the microVM, none of which needs /dev/kvm: the command line
 * (exit 2 with one line naming the option), memory the host cannot give
 * (refused before any VM exists), no usable /dev/kvm (exit 1 with how to
 * fix it), exit records that point outside the kvm_run mapping, and the
 * page tables the guest is given. */
#include "vmutil.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/proc.h"
#include "vm/arch.h"
#include "vm/exit.h"
#include "vm/guest/abi.h"
#include "vm/vm.h"

/* Runs virtbench with args; returns the exit code and keeps the output. */
static int vb(struct vb_proc_result *r, const char *const *args)
{
	char *argv[16];
	int n = 0;
	argv[n++] = (char *)vb_binary();
	for (; *args && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 120000 };
	struct vb_err err = { 0 };
	memset(r, 0, sizeof(*r));
	if (proc__run(&o, r, &err) < 0)
		fail_msg("could not run %s: %s", argv[0], err.msg);
	return r->exit_code;
}

static void expect_usage(const char *const *args, const char *needle)
{
	struct vb_proc_result r;
	int code = vb(&r, args);
	if (code != 2 || !strstr(r.errout, needle))
		fail_msg("exit %d, stderr: %s (expected 2 and '%s')", code, r.errout, needle);
	unsigned lines = 0;
	for (const char *p = r.errout; *p; p++)
		lines += *p == '\n';
	if (lines != 1)
		fail_msg("expected one line, got: %s", r.errout);
	proc__result_free(&r);
}

static void test_usage_errors(void **state)
{
	(void)state;
	expect_usage((const char *const[]){ "vm", "frobnicate", NULL }, "frobnicate");
	expect_usage((const char *const[]){ "vm", "boot", "--vcpus", "0", NULL }, "--vcpus");
	expect_usage((const char *const[]){ "vm", "boot", "--vcpus", "300", NULL }, "--vcpus");
	expect_usage((const char *const[]){ "vm", "boot", "--memory", "3", NULL }, "--memory");
	expect_usage((const char *const[]){ "vm", "boot", "--memory", "513", NULL }, "--memory");
	expect_usage((const char *const[]){ "vm", "boot", "--huge-pages", "giant", NULL },
		     "--huge-pages");
	expect_usage((const char *const[]){ "vm", "boot", "--max-vms", "3", NULL }, "--max-vms");
	expect_usage((const char *const[]){ "vm", "boot", "--vcpus", "1,2", "--memory",
					    "512,1024,2048", NULL },
		     "--vcpus and --memory");
	expect_usage((const char *const[]){ "vm", "exits", "--kind", "teleport", NULL }, "--kind");
	expect_usage((const char *const[]){ "vm", "exits", "--min-time", "0", NULL }, "--min-time");
	expect_usage((const char *const[]){ "vm", "cpu", "--time", "-1", NULL }, "--time");
	expect_usage((const char *const[]){ "vm", "memory", "--workload", "disk", NULL },
		     "--workload");
	expect_usage((const char *const[]){ "vm", "density", "--max-vms", "0", NULL }, "--max-vms");
	expect_usage((const char *const[]){ "vm", "interference", "--state", "asleep", NULL },
		     "--state");
	expect_usage((const char *const[]){ "vm", "boot", "extra", NULL }, "extra");
	expect_usage((const char *const[]){ "vm", "boot", "--platform", "xen", NULL },
		     "--platform");
}

static void test_help_everywhere(void **state)
{
	(void)state;
	static const char *const subs[] = { "boot",  "exits",	"cpu",		"memory",
					    "scale", "density", "interference", NULL };
	struct vb_proc_result r;
	assert_int_equal(vb(&r, (const char *const[]){ "vm", "--help", NULL }), 0);
	assert_non_null(strstr(r.out, "Usage: virtbench vm"));
	proc__result_free(&r);
	for (const char *const *s = subs; *s; s++) {
		assert_int_equal(vb(&r, (const char *const[]){ "vm", *s, "--help", NULL }), 0);
		char want[64];
		snprintf(want, sizeof(want), "Usage: virtbench vm %s", *s);
		if (!strstr(r.out, want))
			fail_msg("help of 'vm %s' lacks '%s'", *s, want);
		assert_non_null(strstr(r.out, "--iterations"));
		proc__result_free(&r);
	}
}

static void test_memory_beyond_host_refused(void **state)
{
	(void)state;
	/* 120 GiB: within what a microVM maps, beyond what this host holds. */
	struct vb_proc_result r;
	int code = vb(&r, (const char *const[]){ "vm", "boot", "--memory", "120G", NULL });
	if (code != 2 || !strstr(r.errout, "more than this host can give"))
		fail_msg("exit %d, stderr: %s", code, r.errout);
	proc__result_free(&r);
	struct vb_err err = { 0 };
	assert_int_equal(vm__check_host_memory(120ull << 30, "--memory", &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	assert_int_equal(vm__check_host_memory(16ull << 20, "--memory", &err), 0);
}

/* In a child with a private mount namespace whose /dev is an empty tmpfs:
 * /dev/kvm is gone there, as on a host without KVM. Exit 0 when the error
 * was the one-line explanation, 1 otherwise. */
static int no_kvm_in_child(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("none", "/dev", "tmpfs", 0, "size=64k") < 0)
			_exit(2);
		struct vb_err err = { 0 };
		int fd = -1;
		int rc = vm__open_kvm(&fd, &err);
		bool ok = rc == -1 && fd == -1 && err.status == VB_EXIT_FAILURE &&
			  strstr(err.msg, "/dev/kvm does not exist") && !strchr(err.msg, '\n') &&
			  (strstr(err.msg, "modprobe") || strstr(err.msg, "kvm_pvm"));
		if (!ok)
			fprintf(stderr, "rc %d, message: %s\n", rc, err.msg);
		_exit(ok ? 0 : 1);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_no_kvm_explained(void **state)
{
	(void)state;
	if (kvm_usable()) {
		/* This host has KVM: take it away in a mount namespace. */
		VB_REQUIRE(geteuid() == 0, "hiding /dev/kvm in a mount namespace needs root");
		assert_int_equal(no_kvm_in_child(), 0);
		return;
	}
	struct vb_proc_result r;
	int code = vb(&r, (const char *const[]){ "vm", "boot", "--iterations", "1", NULL });
	if (code != 1 || !strstr(r.errout, "/dev/kvm"))
		fail_msg("exit %d, stderr: %s", code, r.errout);
	proc__result_free(&r);
	struct vb_err err = { 0 };
	int fd = -1;
	assert_int_equal(vm__open_kvm(&fd, &err), -1);
	assert_int_equal(fd, -1);
	assert_int_equal(err.status, VB_EXIT_FAILURE);
	assert_true(strstr(err.msg, "modprobe") || strstr(err.msg, "permission") ||
		    strstr(err.msg, "kvm"));
}

static void test_decode_rejects_bad_records(void **state)
{
	(void)state;
	size_t size = 3 * 4096;
	struct kvm_run *run = calloc(1, size);
	assert_non_null(run);
	struct vm_exit e;

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_OUT;
	run->io.size = 4;
	run->io.port = VB_PORT_CMD;
	run->io.count = 1;
	run->io.data_offset = 4096;
	memcpy((char *)run + 4096, &(uint32_t){ VB_CMD_READY }, 4);
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_PIO);
	assert_int_equal(e.data, VB_CMD_READY);
	assert_int_equal(e.addr, VB_PORT_CMD);

	run->io.data_offset = size - 2; /* data would run past the mapping */
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);
	run->io.data_offset = (uint64_t)1 << 40;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);
	run->io.data_offset = 4096;
	run->io.count = 3; /* rep outs */
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);
	run->io.count = 1;
	run->io.size = 3;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);

	memset(run, 0, size);
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = 0x1234000;
	run->mmio.len = 9;
	run->mmio.is_write = 1;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);
	run->mmio.len = 8;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_MMIO);

	run->exit_reason = KVM_EXIT_SHUTDOWN;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_SHUTDOWN);
	run->exit_reason = 9999;
	vm_exit__decode(run, size, &e);
	assert_int_equal(e.kind, VM_EXIT_OTHER);
	free(run);
}

static void test_layout_and_tables(void **state)
{
	(void)state;
	uint64_t size = 64ull << 20;
	assert_true(arch__reserved_bytes(size) <= VB_GUEST_IMAGE_OFF);
	assert_true(arch__reserved_bytes(arch__max_mem()) <= VB_GUEST_IMAGE_OFF);
	uint64_t mmio = arch__mmio_gpa(size);
	/* Outside RAM: above it on x86_64, below it on arm64. */
	assert_true(mmio >= arch__ram_base() + size || mmio + 4096 <= arch__ram_base());
	size_t img_len;
	const unsigned char *img = vm__guest_image(&img_len);
	assert_non_null(img);
	assert_true(img_len > 16 && img_len <= VB_GUEST_IMAGE_MAX);
	uint8_t *mem = calloc(1, VB_GUEST_IMAGE_OFF);
	assert_non_null(mem);
	struct vm_arch_ctx c = { -1, -1, mem, size, 1 };
	struct vb_err err = { 0 };
	assert_int_equal(arch__setup_memory(&c, &err), 0);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help_everywhere),
		cmocka_unit_test(test_memory_beyond_host_refused),
		cmocka_unit_test(test_no_kvm_explained),
		cmocka_unit_test(test_decode_rejects_bad_records),
		cmocka_unit_test(test_layout_and_tables),
	};
	return cmocka_run_group_tests_name("vm_input", tests, NULL, NULL);
}
