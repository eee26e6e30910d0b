/* x86_64 instructions of the hostile guests (src/vm/hostile.h). The mailbox
 * address stays in rdi, where the entry puts it; the emitters use rax, rbx,
 * rcx and rdx. */
#include <string.h>

#include "vm/guest/abi.h"
#include "vm/hostile.h"

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3 };

static bool room(const struct vm_hostile_buf *b)
{
	return b->cap - b->len >= VM_HOSTILE_SLACK;
}

static void put(struct vm_hostile_buf *b, const void *bytes, size_t n)
{
	memcpy(b->p + b->len, bytes, n);
	b->len += n;
}

static void put1(struct vm_hostile_buf *b, uint8_t x)
{
	put(b, &x, 1);
}

static void put4(struct vm_hostile_buf *b, uint32_t x)
{
	put(b, &x, 4);
}

/* mov r64, imm64 */
static void mov64(struct vm_hostile_buf *b, unsigned reg, uint64_t v)
{
	put1(b, 0x48);
	put1(b, (uint8_t)(0xb8 + reg));
	put(b, &v, 8);
}

/* mov r32, imm32 */
static void mov32(struct vm_hostile_buf *b, unsigned reg, uint32_t v)
{
	put1(b, (uint8_t)(0xb8 + reg));
	put4(b, v);
}

void arch__hostile_prologue(struct vm_hostile_buf *b)
{
	(void)b; /* rdi holds the mailbox from the entry on */
}

void arch__hostile_cmd(struct vm_hostile_buf *b, uint32_t cmd, bool port)
{
	if (!room(b))
		return;
	mov32(b, RAX, cmd);
	if (port) {
		mov32(b, RDX, VB_PORT_CMD);
		put1(b, 0xef); /* out dx, eax */
	} else {
		mov64(b, RBX, b->mmio_gpa + VB_MMIO_CMD);
		put(b, "\x89\x03", 2); /* mov [rbx], eax */
	}
}

void arch__hostile_access(struct vm_hostile_buf *b, uint64_t addr, unsigned width, bool write,
			  uint64_t value)
{
	if (!room(b))
		return;
	mov64(b, RBX, addr);
	mov64(b, RAX, value);
	switch (width) {
	case 1: put(b, write ? "\x88\x03" : "\x8a\x03", 2); break;
	case 2: put(b, write ? "\x66\x89\x03" : "\x66\x8b\x03", 3); break;
	case 4: put(b, write ? "\x89\x03" : "\x8b\x03", 2); break;
	case 8: put(b, write ? "\x48\x89\x03" : "\x48\x8b\x03", 3); break;
	default: /* movdqu [rbx], xmm0 / movdqu xmm0, [rbx]: 16 bytes */
		put(b, write ? "\xf3\x0f\x7f\x03" : "\xf3\x0f\x6f\x03", 4);
		break;
	}
}

void arch__hostile_port(struct vm_hostile_buf *b, uint16_t port, unsigned width, bool write,
			uint64_t value, unsigned how)
{
	if (!room(b))
		return;
	mov32(b, RDX, port);
	mov32(b, RAX, (uint32_t)value);
	if (width == 2)
		put1(b, 0x66);
	uint8_t w = width == 1 ? 0 : 1;
	switch (how % 4) {
	case 0: put1(b, (uint8_t)((write ? 0xee : 0xec) | w)); break; /* out dx / in dx */
	case 1:							      /* imm8 port */
		put1(b, (uint8_t)((write ? 0xe6 : 0xe4) | w));
		put1(b, (uint8_t)port);
		break;
	case 2: /* rep outs / rep ins, a few at once, from and to low RAM */
		mov32(b, RCX, 1 + (how >> 2) % 4);
		put1(b, 0xf3);
		put1(b, (uint8_t)((write ? 0x6e : 0x6c) | w));
		break;
	default: put1(b, (uint8_t)((write ? 0x6e : 0x6c) | w)); break; /* outs / ins, once */
	}
}

void arch__hostile_mailbox(struct vm_hostile_buf *b, unsigned off, uint64_t value)
{
	if (!room(b))
		return;
	mov64(b, RAX, value);
	put(b, "\x48\x89\x87", 3); /* mov [rdi + disp32], rax */
	put4(b, off);
}

void arch__hostile_special(struct vm_hostile_buf *b, uint64_t r)
{
	static const struct {
		const char *bytes;
		unsigned n;
	} ops[] = {
		{ "\x0f\x0b", 2 },	   /* ud2 */
		{ "\xcc", 1 },		   /* int3 */
		{ "\xcd\x80", 2 },	   /* int 0x80 */
		{ "\xf4", 1 },		   /* hlt (CPL0 only) */
		{ "\x0f\xa2", 2 },	   /* cpuid, leaf in eax */
		{ "\x0f\x31", 2 },	   /* rdtsc */
		{ "\x31\xc9\xf7\xf1", 4 }, /* div by zero */
		{ "\x0f\x05", 2 },	   /* syscall (not enabled) */
		{ "\xfb", 1 },		   /* sti: IOPL 3 allows it */
		{ "\x0f\x01\x13", 3 },	   /* lgdt [rbx] */
		{ "\x0f\x22\xd8", 3 },	   /* mov cr3, rax */
		{ "\x0f\x30", 2 },	   /* wrmsr ecx <- edx:eax */
		{ "\x0f\x32", 2 },	   /* rdmsr */
		{ "\x0f\x01\xc1", 3 },	   /* vmcall */
		{ "\x0f\x01\xd9", 3 },	   /* vmmcall */
		{ "\x48\x89\xc4\x50", 4 }, /* mov rsp, rax; push rax: a stack anywhere */
		{ "\x48\xcf", 2 },	   /* iretq from garbage */
		{ "\x0f\x01\xd0", 3 },	   /* xgetbv */
		{ "\x0f\xae\x23", 3 },	   /* xsave [rbx] */
	};
	if (!room(b))
		return;
	/* Random operands: eax (leaf, MSR value, new rsp), ecx, rbx. */
	mov64(b, RAX, ((r >> 8) & 1) ? r : (r & 0xffff));
	mov32(b, RCX, (uint32_t)(r >> 16));
	mov64(b, RBX, b->code_gpa + (r >> 40) % 0x4000);
	unsigned i = (unsigned)(r % (sizeof(ops) / sizeof(ops[0])));
	put(b, ops[i].bytes, ops[i].n);
}

void arch__hostile_branch(struct vm_hostile_buf *b, uint64_t addr)
{
	if (!room(b))
		return;
	mov64(b, RBX, addr);
	put(b, "\xff\xe3", 2); /* jmp rbx */
}

void arch__hostile_jump(struct vm_hostile_buf *b, size_t target)
{
	if (b->cap - b->len < 5)
		return;
	put1(b, 0xe9); /* jmp rel32 */
	put4(b, (uint32_t)((int64_t)target - (int64_t)(b->len + 4)));
}

unsigned arch__hostile_insn_align(void)
{
	return 1;
}
