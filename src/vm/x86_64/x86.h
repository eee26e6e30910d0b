/* x86_64 constants shared by the files of this folder. */
#ifndef VB_VM_X86_64_X86_H
#define VB_VM_X86_64_X86_H

/* Architecture-reserved start of RAM (below VB_GUEST_IMAGE_OFF). */
#define X86_GDT_GPA   0x1000ull
#define X86_PML4_GPA  0x2000ull
#define X86_PDPT_GPA  0x3000ull
#define X86_PD_GPA    0x4000ull /* one page directory per GiB mapped */
#define X86_MAX_MEM   (128ull << 30)

#define X86_SEL_KCODE 0x08
#define X86_SEL_KDATA 0x10
#define X86_SEL_UCODE 0x18
#define X86_SEL_UDATA 0x20

#endif
