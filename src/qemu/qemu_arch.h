/* What differs between architectures when virtbench starts a Linux guest:
 * the QEMU binary, the machine and CPU models, the serial devices the guest
 * kernel and the worker use, and what a kernel image looks like. One
 * implementation per architecture folder, picked by the Makefile. */
#ifndef VB_QEMU_ARCH_H
#define VB_QEMU_ARCH_H

#include <stdbool.h>
#include <stddef.h>

struct qemu_arch {
	const char *qemu_binary;    /* looked up on PATH */
	const char *qemu_package;   /* the Debian package that has it */
	const char *machine;	    /* -machine value */
	const char *cpu_kvm;	    /* -cpu under KVM */
	const char *cpu_tcg;	    /* -cpu under TCG, NULL: QEMU's default */
	const char *kernel_console; /* console= for the guest kernel */
	/* The worker's protocol device in the guest. When channel_shared, it
	 * is the kernel console's own UART (one serial port on the machine),
	 * and protocol records are picked out of the console stream. */
	const char *channel_dev;
	bool channel_shared;
	/* Firmware for a disk boot (--image) when the machine has none
	 * built in, NULL otherwise: arm64's virt machine needs UEFI. */
	const char *disk_firmware;
	const char *disk_firmware_package;
};

const struct qemu_arch *qemu_arch__get(void);

/* Checks the first bytes of a kernel image (at least 4096 given, fewer if
 * the file is shorter). Returns NULL when it looks bootable, else a short
 * reason. */
const char *qemu_arch__check_kernel(const unsigned char *head, size_t len);

#endif
