/* x86_64 guests: the PC machine with two 8250 UARTs, ttyS0 for the kernel's
 * console (its printk timestamps give the kernel phases) and ttyS1 for the
 * worker's protocol, so the two never interleave. */
#include <string.h>

#include "qemu/qemu_arch.h"

static const struct qemu_arch x86_64_arch = {
	.qemu_binary = "qemu-system-x86_64",
	.qemu_package = "qemu-system-x86",
	.machine = "pc",
	.cpu_kvm = "host",
	.cpu_tcg = NULL,
	.kernel_console = "ttyS0",
	.channel_dev = "/dev/ttyS1",
	.channel_shared = false,
};

const struct qemu_arch *qemu_arch__get(void)
{
	return &x86_64_arch;
}

/* A bzImage carries the boot protocol's "HdrS" signature at 0x202. */
const char *qemu_arch__check_kernel(const unsigned char *head, size_t len)
{
	if (len < 0x206 || memcmp(head + 0x202, "HdrS", 4) != 0)
		return "not an x86 Linux kernel (no bzImage \"HdrS\" header)";
	return NULL;
}
