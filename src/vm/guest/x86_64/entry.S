/* Guest entry. The monitor sets rip here, rsp to this vCPU's stack top,
 * rdi to its mailbox and rsi to its index. The first instruction tells the
 * monitor the guest runs (the boot benchmark's "first instruction"). */
	.section .text.entry, "ax"
	.globl _start
_start:
	mov $0x56420001, %eax /* VB_CMD_ENTERED */
	mov $0x510, %dx       /* VB_PORT_CMD */
	out %eax, %dx
	call guest_main
1:	ud2
	jmp 1b
	.section .note.GNU-stack, "", %progbits
