/* arm64 guest primitives: the device's MMIO page, the virtual counter, an
 * SMCCC call KVM answers in the kernel (HVC, reached from EL0 through the
 * monitor's SVC vector), an MMIO read the in-kernel GIC answers, WFI.
 * Device accesses are single-register loads and stores without write-back,
 * the only kind KVM can decode into an MMIO exit. */
#ifndef VB_VM_GUEST_GARCH_H
#define VB_VM_GUEST_GARCH_H

#include <stdint.h>

#include "vm/arm64/layout.h"
#include "vm/guest/abi.h"

static inline void garch__cmd(uint32_t cmd)
{
	__asm__ volatile("str %w0, [%1]"
			 :
			 : "r"(cmd), "r"((uintptr_t)(ARM64_PVDEV_BASE + VB_MMIO_CMD))
			 : "memory");
}

__attribute__((noreturn)) static inline void garch__crash(void)
{
	__asm__ volatile("udf #0");
	__builtin_unreachable();
}

/* arm64 has no I/O ports; the monitor never asks for this test here. */
static inline void garch__ping_pio(void)
{
	garch__crash();
}

static inline uint64_t garch__counter(void)
{
	uint64_t v;
	/* The ISB keeps the read from being hoisted above earlier work. */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* An SMCCC call by SVC: the monitor's EL1 vector forwards it as HVC and
 * returns KVM's answer in x0. */
static inline uint64_t garch__smccc(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;
	__asm__ volatile("svc #0" : "+r"(x0) : : "x1", "x2", "x3", "x16", "memory");
	return x0;
}

static inline void garch__inkernel_exit(void)
{
	(void)garch__smccc(ARM64_SMCCC_VERSION);
}

/* 1 when the hypervisor answered SMCCC_VERSION (a version >= 1.0 comes
 * back), i.e. the call really left the guest. */
static inline uint64_t garch__inkernel_is_intercepted(void)
{
	uint64_t v = garch__smccc(ARM64_SMCCC_VERSION);
	return (int32_t)v >= 0x10000;
}

/* A read of GICD_IIDR: an MMIO exit KVM's in-kernel GIC completes without
 * returning to the monitor. */
static inline void garch__mmio_kernel_exit(void)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]"
			 : "=r"(v)
			 : "r"((uintptr_t)(ARM64_GICD_BASE + ARM64_GICD_IIDR))
			 : "memory");
	(void)v;
}

static inline void garch__halt(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void garch__relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

#endif
