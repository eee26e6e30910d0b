/* The guest image, a flat binary built by src/vm/vm.mk, embedded read-only
 * in the library so that virtbench needs no file beside it. */
	.section .rodata.vb_guest, "a"
	.balign 64
	.globl vb_guest_image_start
vb_guest_image_start:
	.incbin GUEST_BIN
	.globl vb_guest_image_end
vb_guest_image_end:
	.section .note.GNU-stack, "", %progbits
