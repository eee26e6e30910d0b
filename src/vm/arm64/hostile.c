/* arm64 instructions of the hostile guests (src/vm/hostile.h). The mailbox
 * address is kept in x19; the emitters use x9 (address), x10 and x11
 * (values) and x0..x3 for the calls through SVC. */
#include <string.h>

#include "vm/arm64/layout.h"
#include "vm/guest/abi.h"
#include "vm/hostile.h"

enum { XADDR = 9, XVAL = 10, XVAL2 = 11, XMBOX = 19 };

static bool room(const struct vm_hostile_buf *b)
{
	return b->cap - b->len >= VM_HOSTILE_SLACK;
}

static void insn(struct vm_hostile_buf *b, uint32_t w)
{
	memcpy(b->p + b->len, &w, 4);
	b->len += 4;
}

/* movz + movk: any 64-bit value into xd. */
static void mov64(struct vm_hostile_buf *b, unsigned d, uint64_t v)
{
	insn(b, 0xd2800000u | (uint32_t)(v & 0xffff) << 5 | d);
	for (unsigned hw = 1; hw < 4; hw++)
		insn(b, 0xf2800000u | hw << 21 | (uint32_t)((v >> (16 * hw)) & 0xffff) << 5 | d);
}

void arch__hostile_prologue(struct vm_hostile_buf *b)
{
	if (room(b))
		insn(b, 0xaa0003e0u | XMBOX); /* mov x19, x0 */
}

void arch__hostile_cmd(struct vm_hostile_buf *b, uint32_t cmd, bool port)
{
	(void)port; /* no ports: always the device page */
	if (!room(b))
		return;
	mov64(b, XADDR, b->mmio_gpa + VB_MMIO_CMD);
	mov64(b, XVAL, cmd);
	insn(b, 0xb9000000u | XADDR << 5 | XVAL); /* str w10, [x9] */
}

void arch__hostile_access(struct vm_hostile_buf *b, uint64_t addr, unsigned width, bool write,
			  uint64_t value)
{
	/* strb/ldrb, strh/ldrh, str/ldr w, str/ldr x; 16 bytes: stp/ldp. */
	static const uint32_t st[] = { 0x39000000u, 0x79000000u, 0xb9000000u, 0xf9000000u };
	static const uint32_t ld[] = { 0x39400000u, 0x79400000u, 0xb9400000u, 0xf9400000u };
	if (!room(b))
		return;
	mov64(b, XADDR, addr);
	mov64(b, XVAL, value);
	unsigned i = width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : 3;
	if (width == 16)
		insn(b, (write ? 0xa9000000u : 0xa9400000u) | XVAL2 << 10 | XADDR << 5 | XVAL);
	else
		insn(b, (write ? st[i] : ld[i]) | XADDR << 5 | XVAL);
}

void arch__hostile_port(struct vm_hostile_buf *b, uint16_t port, unsigned width, bool write,
			uint64_t value, unsigned how)
{
	(void)width;
	(void)write;
	(void)how;
	if (!room(b))
		return;
	/* No ports. A store with write-back to the device page instead: it
	 * gives KVM no syndrome to decode the access with. */
	mov64(b, XADDR, b->mmio_gpa + (port & 0xff8u));
	mov64(b, XVAL, value);
	insn(b, 0xf8000400u | 8u << 12 | XADDR << 5 | XVAL); /* str x10, [x9], #8 */
}

void arch__hostile_mailbox(struct vm_hostile_buf *b, unsigned off, uint64_t value)
{
	if (!room(b) || off / 8 > 0xfff)
		return;
	mov64(b, XVAL, value);
	insn(b, 0xf9000000u | (off / 8) << 10 | XMBOX << 5 | XVAL); /* str x10, [x19, #off] */
}

void arch__hostile_special(struct vm_hostile_buf *b, uint64_t r)
{
	/* SMCCC and PSCI calls through SVC (the vectors pass them on by HVC):
	 * versions, CPU_OFF, CPU_ON of another vCPU, AFFINITY_INFO, SYSTEM_OFF,
	 * SYSTEM_RESET, SYSTEM_SUSPEND, or any function number. */
	static const uint32_t calls[] = {
		ARM64_SMCCC_VERSION,
		ARM64_PSCI_VERSION,
		0x84000002u,
		0xc4000003u,
		0xc4000004u,
		ARM64_PSCI_SYSTEM_OFF,
		ARM64_PSCI_SYSTEM_RESET,
		0xc400000eu,
		0u,
	};
	if (!room(b))
		return;
	uint32_t sysreg = (uint32_t)(r >> 20) & 0x7fffu;
	switch (r % 12) {
	case 0: insn(b, 0x00000000u); break; /* udf #0 */
	case 1: insn(b, 0xd4200000u); break; /* brk #0 */
	case 2: insn(b, 0xd4000002u); break; /* hvc #0 (undefined at EL0) */
	case 3: {
		unsigned i = (unsigned)((r >> 8) % (sizeof(calls) / sizeof(calls[0])));
		mov64(b, 0, calls[i] ? calls[i] : (uint32_t)(r >> 32));
		mov64(b, 1, (r >> 16) & 3); /* a target vCPU's MPIDR */
		mov64(b, 2, b->code_gpa);   /* an entry point */
		insn(b, 0xd4000001u);	    /* svc #0 */
		break;
	}
	case 4: insn(b, 0xd503207fu); break;			  /* wfi: no interrupt will come */
	case 5: insn(b, 0xd503205fu); break;			  /* wfe */
	case 6: insn(b, 0xd5300000u | sysreg << 5 | XVAL); break; /* mrs x10, <any> */
	case 7:							  /* msr <any>, x10 */
		mov64(b, XVAL, r);
		insn(b, 0xd5100000u | sysreg << 5 | XVAL);
		break;
	case 8: /* dc zva, x9: zero a block anywhere */
		mov64(b, XADDR, b->code_gpa + ((r >> 8) & 0xffff));
		insn(b, 0xd50b7420u | XADDR);
		break;
	case 9: /* a stack anywhere: mov sp, x10; str x10, [sp, #-16]! */
		mov64(b, XVAL, r);
		insn(b, 0x9100015fu);
		insn(b, 0xf81f0fe0u | XVAL);
		break;
	case 10: insn(b, 0xd69f03e0u); break; /* eret */
	default: insn(b, 0xd5033fdfu); break; /* isb */
	}
}

void arch__hostile_branch(struct vm_hostile_buf *b, uint64_t addr)
{
	if (!room(b))
		return;
	mov64(b, XADDR, addr);
	insn(b, 0xd61f0000u | XADDR << 5); /* br x9 */
}

void arch__hostile_jump(struct vm_hostile_buf *b, size_t target)
{
	if (b->cap - b->len < 4)
		return;
	int64_t words = ((int64_t)target - (int64_t)b->len) / 4;
	insn(b, 0x14000000u | ((uint32_t)words & 0x3ffffffu)); /* b target */
}

unsigned arch__hostile_insn_align(void)
{
	return 4;
}
