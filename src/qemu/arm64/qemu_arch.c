/* arm64 guests: the virt machine has one PL011 UART, so the kernel console
 * and the worker's protocol share it; the host picks the protocol records
 * out of the console stream. */
#include <string.h>

#include "qemu/qemu_arch.h"

static const struct qemu_arch arm64_arch = {
	.qemu_binary = "qemu-system-aarch64",
	.qemu_package = "qemu-system-arm",
	.machine = "virt",
	.cpu_kvm = "host",
	.cpu_tcg = "max",
	.kernel_console = "ttyAMA0",
	.channel_dev = "/dev/ttyAMA0",
	.channel_shared = true,
	.disk_firmware = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd",
	.disk_firmware_package = "qemu-efi-aarch64",
};

const struct qemu_arch *qemu_arch__get(void)
{
	return &arm64_arch;
}

/* Debian ships arm64 kernels as a plain Image ("ARM\x64" at 0x38), as a
 * gzip stream, or as an EFI zboot image ("MZ" then "zimg" at 4). */
const char *qemu_arch__check_kernel(const unsigned char *head, size_t len)
{
	if (len >= 0x3c && memcmp(head + 0x38, "ARM\x64", 4) == 0)
		return NULL;
	if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return NULL;
	if (len >= 8 && head[0] == 'M' && head[1] == 'Z' && memcmp(head + 4, "zimg", 4) == 0)
		return NULL;
	return "not an arm64 Linux kernel (no Image, gzip or zboot header)";
}
