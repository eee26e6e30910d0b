/* arm64 guest-physical layout and the stage-1 tables the monitor writes into
 * guest RAM (4 KiB granule, 39-bit identity map starting at level 1).
 *
 * Two roots: the user root (the default, guest code at EL0) maps RAM for
 * EL0 and the reserved area for EL1 only; the kernel root (guest code at
 * EL1) maps everything for EL1 only. Two are needed because a page that EL0
 * may write is never executable at EL1 (the architecture's implicit PXN),
 * so EL1 code must not live in EL0 memory and vice versa. Both map the GIC
 * and the device page as Device-nGnRnE, readable and writable from EL0. */
#include <string.h>

#include "vm/arch.h"
#include "vm/arm64/arm64.h"
#include "vm/guest/abi.h"

#define PAGE	    0x1000ull
#define SZ_2M	    0x200000ull
#define SZ_1G	    0x40000000ull

/* Descriptor bits (VMSAv8-64, stage 1). */
#define D_VALID	    0x1ull
#define D_TABLE	    0x3ull /* table (levels 1, 2) or page (level 3) */
#define D_BLOCK	    0x1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP_EL0    (1ull << 6) /* AP[1]: EL0 may access */
#define D_SH_INNER  (3ull << 8)
#define D_AF	    (1ull << 10)
#define D_PXN	    (1ull << 53)
#define D_UXN	    (1ull << 54)

#define ATTR_NORMAL (D_ATTR(ARM64_MAIR_IDX_NORMAL) | D_SH_INNER | D_AF)
#define ATTR_DEVICE (D_ATTR(ARM64_MAIR_IDX_DEVICE) | D_AF | D_PXN | D_UXN | D_AP_EL0)

const char *arch__name(void)
{
	return "arm64";
}

uint64_t arch__ram_base(void)
{
	return ARM64_RAM_BASE;
}

uint64_t arch__max_mem(void)
{
	return ARM64_MAX_MEM;
}

uint64_t arch__mmio_gpa(uint64_t mem_size)
{
	(void)mem_size;
	return ARM64_PVDEV_BASE;
}

uint64_t arch__reserved_bytes(uint64_t mem_size)
{
	(void)mem_size;
	return ARM64_RESERVED;
}

/* A bump allocator of zeroed 4 KiB tables from the reserved pool. */
struct pt_pool {
	uint8_t *ram;
	unsigned used;
};

static uint64_t *pt__alloc(struct pt_pool *p, uint64_t *gpa)
{
	if (p->used >= ARM64_TABLES_MAX)
		return NULL;
	uint64_t off = ARM64_TABLES_OFF + (uint64_t)p->used++ * PAGE;
	memset(p->ram + off, 0, PAGE);
	*gpa = ARM64_RAM_BASE + off;
	return (uint64_t *)(p->ram + off);
}

/* The next-level table behind entry *e, made when missing. */
static uint64_t *pt__next(struct pt_pool *p, uint64_t *e)
{
	if ((*e & D_TABLE) == D_TABLE) {
		uint64_t gpa = *e & 0x0000fffffffff000ull;
		return (uint64_t *)(p->ram + (gpa - ARM64_RAM_BASE));
	}
	uint64_t gpa;
	uint64_t *t = pt__alloc(p, &gpa);
	if (t)
		*e = gpa | D_TABLE;
	return t;
}

/* Identity-maps [va, va + size) with the largest blocks alignment allows.
 * All addresses and sizes are multiples of 4 KiB. Returns -1 when the pool
 * runs out. */
static int pt__map(struct pt_pool *p, uint64_t *l1, uint64_t va, uint64_t size, uint64_t attr)
{
	while (size) {
		uint64_t *e1 = &l1[(va >> 30) & 511];
		if (!(va & (SZ_1G - 1)) && size >= SZ_1G && !(*e1 & D_VALID)) {
			*e1 = va | attr | D_BLOCK;
			va += SZ_1G;
			size -= SZ_1G;
			continue;
		}
		uint64_t *l2 = pt__next(p, e1);
		if (!l2)
			return -1;
		uint64_t *e2 = &l2[(va >> 21) & 511];
		if (!(va & (SZ_2M - 1)) && size >= SZ_2M && !(*e2 & D_VALID)) {
			*e2 = va | attr | D_BLOCK;
			va += SZ_2M;
			size -= SZ_2M;
			continue;
		}
		uint64_t *l3 = pt__next(p, e2);
		if (!l3)
			return -1;
		l3[(va >> 12) & 511] = va | attr | D_TABLE;
		va += PAGE;
		size -= PAGE;
	}
	return 0;
}

/* The user root: reserved area EL1-only (executable there), guest image
 * and the rest of RAM EL0 read-write-execute. */
static int pt__user_root(struct pt_pool *p, uint64_t *l1, uint64_t mem_size)
{
	uint64_t ram = ARM64_RAM_BASE, img = ram + VB_GUEST_IMAGE_OFF;
	if (pt__map(p, l1, ARM64_GICD_BASE, ARM64_DEV_END - ARM64_GICD_BASE, ATTR_DEVICE) < 0 ||
	    pt__map(p, l1, ram, VB_GUEST_IMAGE_OFF, ATTR_NORMAL | D_UXN) < 0 ||
	    pt__map(p, l1, img, mem_size - VB_GUEST_IMAGE_OFF, ATTR_NORMAL | D_AP_EL0 | D_PXN) < 0)
		return -1;
	return 0;
}

/* The kernel root: all RAM EL1-only and executable at EL1. */
static int pt__kernel_root(struct pt_pool *p, uint64_t *l1, uint64_t mem_size)
{
	if (pt__map(p, l1, ARM64_GICD_BASE, ARM64_DEV_END - ARM64_GICD_BASE, ATTR_DEVICE) < 0 ||
	    pt__map(p, l1, ARM64_RAM_BASE, mem_size, ATTR_NORMAL | D_UXN) < 0)
		return -1;
	return 0;
}

int arch__setup_memory(const struct vm_arch_ctx *c, struct vb_err *err)
{
	if (c->mem_size > ARM64_MAX_MEM || c->mem_size < VB_GUEST_STACK_OFF ||
	    (c->mem_size & (PAGE - 1)))
		return err__set(err, 0, "guest memory of %llu bytes does not fit the arm64 layout",
				(unsigned long long)c->mem_size);
	/* The two roots are the first two tables of the pool, where the vCPU
	 * set-up points TTBR0_EL1 (ARM64_ROOT_USER, ARM64_ROOT_KERNEL). */
	struct pt_pool p = { .ram = c->mem, .used = 0 };
	uint64_t user_gpa, kernel_gpa;
	uint64_t *user = pt__alloc(&p, &user_gpa);
	uint64_t *kernel = pt__alloc(&p, &kernel_gpa);
	if (!user || !kernel || user_gpa != ARM64_ROOT_USER || kernel_gpa != ARM64_ROOT_KERNEL ||
	    pt__user_root(&p, user, c->mem_size) < 0 ||
	    pt__kernel_root(&p, kernel, c->mem_size) < 0)
		return err__set(err, 0, "arm64 page tables: the pool of %u tables is too small",
				ARM64_TABLES_MAX);
	arm64__write_vectors(c->mem + ARM64_VECTORS_OFF);
	return 0;
}
