/* Guest entry. The monitor sets pc here, sp to this vCPU's stack top, x0 to
 * its mailbox and x1 to its index, at EL0 (or EL1) with the MMU on. The
 * first store tells the monitor the guest runs (the boot benchmark's "first
 * instruction"); it goes to the device page, ARM64_PVDEV_BASE. */
	.section .text.entry, "ax"
	.globl _start
_start:
	movz	x9, #0x0b00, lsl #16	/* ARM64_PVDEV_BASE + VB_MMIO_CMD */
	movz	w10, #0x0001
	movk	w10, #0x5642, lsl #16	/* VB_CMD_ENTERED */
	str	w10, [x9]
	bl	guest_main
1:	udf	#0
	b	1b
	.section .note.GNU-stack, "", %progbits
