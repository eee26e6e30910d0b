/* The EL1 exception vectors the monitor copies into guest RAM (VBAR_EL1).
 * The monitor runs on arm64 too, so the vectors are assembled here as part
 * of the host binary and copied as bytes; the code is position independent.
 *
 * Two jobs. An SVC (from EL0, or from EL1 for symmetry) passes its x0..x3 on
 * as an HVC and returns to the caller with the result in x0..x3: that is how
 * EL0 guest code reaches the hypervisor, since HVC is undefined at EL0. Every
 * other exception (an undefined instruction, an abort, an interrupt) is a
 * guest crash: the vector asks PSCI for SYSTEM_RESET with ESR_EL1, FAR_EL1
 * and ELR_EL1 in x1..x3, which KVM reports to the monitor as a system event,
 * the counterpart of an x86 triple fault. The handlers use no stack and
 * clobber only x16 besides the SMCCC result registers. */
#include <string.h>

#include "vm/arm64/arm64.h"

extern const unsigned char vb_arm64_vectors[], vb_arm64_vectors_end[];

/* Each of the 16 entries is 128 bytes; the macros fill one entry. */
__asm__(".pushsection .rodata.vb_arm64_vectors, \"a\"\n"
	".balign 2048\n"
	".global vb_arm64_vectors\n"
	".global vb_arm64_vectors_end\n"
	".macro VB_SVC_OR_CRASH\n"
	".balign 128\n"
	"	mrs x16, esr_el1\n"
	"	lsr x16, x16, #26\n"
	"	cmp x16, #0x15\n" /* EC 0x15: SVC from AArch64 */
	"	b.ne 1f\n"
	"	hvc #0\n"
	"	eret\n"
	"1:	mrs x1, esr_el1\n"
	"	mrs x2, far_el1\n"
	"	mrs x3, elr_el1\n"
	"	movz x0, #0x0009\n"
	"	movk x0, #0x8400, lsl #16\n" /* PSCI SYSTEM_RESET */
	"	hvc #0\n"
	"2:	b 2b\n"
	".endm\n"
	".macro VB_CRASH\n"
	".balign 128\n"
	"	mrs x1, esr_el1\n"
	"	mrs x2, far_el1\n"
	"	mrs x3, elr_el1\n"
	"	movz x0, #0x0009\n"
	"	movk x0, #0x8400, lsl #16\n"
	"	hvc #0\n"
	"3:	b 3b\n"
	".endm\n"
	"vb_arm64_vectors:\n"
	/* Current EL with SP_EL0: sync, IRQ, FIQ, SError. */
	"	VB_SVC_OR_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	/* Current EL with SP_ELx. */
	"	VB_SVC_OR_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	/* Lower EL, AArch64 (the EL0 guest). */
	"	VB_SVC_OR_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	/* Lower EL, AArch32: never used. */
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	"	VB_CRASH\n"
	".balign 128\n"
	"vb_arm64_vectors_end:\n"
	".popsection\n");

void arm64__write_vectors(uint8_t *dst)
{
	memcpy(dst, vb_arm64_vectors, (size_t)(vb_arm64_vectors_end - vb_arm64_vectors));
}
