/* x86_64 guest-physical layout and the tables the VMM writes into guest RAM:
 * a GDT with flat 64-bit code and data segments for CPL0 and CPL3, and
 * identity-mapped 2 MiB pages over RAM plus the device's MMIO window. Every
 * page is user-accessible, because the guest runs at CPL3 (see arch.h). */
#include <string.h>

#include "vm/arch.h"
#include "vm/guest/abi.h"
#include "vm/x86_64/x86.h"

#define PAGE   0x1000ull
#define HUGE   0x200000ull
#define GIB    (1ull << 30)

/* Page-table entry bits. */
#define PTE_P  0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PS 0x80ull

const char *arch__name(void)
{
	return "x86_64";
}

uint64_t arch__ram_base(void)
{
	return 0;
}

uint64_t arch__max_mem(void)
{
	return X86_MAX_MEM;
}

uint64_t arch__mmio_gpa(uint64_t mem_size)
{
	/* The first 2 MiB page past RAM: mapped, but no slot behind it. */
	return (mem_size + HUGE - 1) & ~(HUGE - 1);
}

/* Page directories needed to map RAM and the MMIO window. */
static uint64_t pd_count(uint64_t mem_size)
{
	uint64_t end = arch__mmio_gpa(mem_size) + HUGE;
	return (end + GIB - 1) / GIB;
}

uint64_t arch__reserved_bytes(uint64_t mem_size)
{
	return X86_PD_GPA + pd_count(mem_size) * PAGE;
}

int arch__setup_memory(const struct vm_arch_ctx *c, struct vb_err *err)
{
	uint64_t npd = pd_count(c->mem_size);
	if (c->mem_size > X86_MAX_MEM || arch__reserved_bytes(c->mem_size) > VB_GUEST_IMAGE_OFF ||
	    c->mem_size < VB_GUEST_STACK_OFF)
		return err__set(err, 0, "guest memory of %llu bytes does not fit the x86_64 layout",
				(unsigned long long)c->mem_size);

	uint64_t *gdt = (uint64_t *)(c->mem + X86_GDT_GPA);
	gdt[0] = 0;
	gdt[X86_SEL_KCODE >> 3] = 0x00af9b000000ffffull; /* 64-bit code, DPL0 */
	gdt[X86_SEL_KDATA >> 3] = 0x00cf93000000ffffull; /* data, DPL0 */
	gdt[X86_SEL_UCODE >> 3] = 0x00affb000000ffffull; /* 64-bit code, DPL3 */
	gdt[X86_SEL_UDATA >> 3] = 0x00cff3000000ffffull; /* data, DPL3 */

	uint64_t *pml4 = (uint64_t *)(c->mem + X86_PML4_GPA);
	uint64_t *pdpt = (uint64_t *)(c->mem + X86_PDPT_GPA);
	memset(pml4, 0, PAGE);
	memset(pdpt, 0, PAGE);
	pml4[0] = X86_PDPT_GPA | PTE_P | PTE_RW | PTE_US;

	uint64_t mmio = arch__mmio_gpa(c->mem_size);
	for (uint64_t d = 0; d < npd; d++) {
		uint64_t *pd = (uint64_t *)(c->mem + X86_PD_GPA + d * PAGE);
		memset(pd, 0, PAGE);
		pdpt[d] = (X86_PD_GPA + d * PAGE) | PTE_P | PTE_RW | PTE_US;
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t gpa = d * GIB + i * HUGE;
			if (gpa >= c->mem_size && gpa != mmio)
				continue; /* not present: a stray access faults */
			pd[i] = gpa | PTE_P | PTE_RW | PTE_US | PTE_PS;
		}
	}
	return 0;
}
