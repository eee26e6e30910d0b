/* arm64 guest-physical layout, shared by the monitor (src/vm/arm64/) and the
 * guest entry code (src/vm/guest/arm64/), so only constants.
 *
 * Below RAM, in the first GiB: the in-kernel GICv3 (distributor, then one
 * 128 KiB redistributor frame pair per vCPU) and the paravirtual device's
 * MMIO page. RAM starts at 1 GiB, as on QEMU's virt machine. The first
 * ARM64_RESERVED bytes of RAM hold the exception vectors and the page
 * tables; they are mapped for EL1 only, so EL0 code can neither read nor
 * change them, and EL1 may execute them. */
#ifndef VB_VM_ARM64_LAYOUT_H
#define VB_VM_ARM64_LAYOUT_H

#define ARM64_RAM_BASE		0x40000000ull
#define ARM64_MAX_MEM		(128ull << 30)

#define ARM64_GICD_BASE		0x08000000ull /* 64 KiB distributor */
#define ARM64_GICD_SIZE		0x10000ull
#define ARM64_GICR_BASE		0x08100000ull /* 2 x 64 KiB per vCPU */
#define ARM64_GICR_STRIDE	0x20000ull
#define ARM64_PVDEV_BASE	0x0b000000ull /* the paravirtual device's page */
#define ARM64_DEV_END		0x0b200000ull /* end of what the device map covers */

/* GICD_IIDR: a read-only distributor register KVM answers in the kernel
 * (the access kvm-unit-tests' arm/micro-bench times as "mmio_read_vgic"). */
#define ARM64_GICD_IIDR		0x0008ull

/* Offsets in RAM of the reserved area. */
#define ARM64_VECTORS_OFF	0x0000ull /* VBAR_EL1, 2 KiB aligned */
#define ARM64_TABLES_OFF	0x1000ull /* page-table pool */
#define ARM64_TABLES_MAX	48u	  /* 4 KiB tables in the pool */
#define ARM64_RESERVED		(ARM64_TABLES_OFF + ARM64_TABLES_MAX * 0x1000ull)

/* SMCCC / PSCI function ids (SMC Calling Convention, PSCI 0.2). */
#define ARM64_SMCCC_VERSION	0x80000000u
#define ARM64_PSCI_VERSION	0x84000000u
#define ARM64_PSCI_SYSTEM_OFF	0x84000008u
#define ARM64_PSCI_SYSTEM_RESET 0x84000009u

#endif
