/* x86_64 guest primitives: the device's port, the TSC, CPUID (an exit KVM
 * handles itself), HLT (needs CPL0). */
#ifndef VB_VM_GUEST_GARCH_H
#define VB_VM_GUEST_GARCH_H

#include <stdint.h>

#include "vm/guest/abi.h"

static inline void garch__cmd(uint32_t cmd)
{
	__asm__ volatile("outl %0, %w1" : : "a"(cmd), "Nd"((uint16_t)VB_PORT_CMD) : "memory");
}

static inline void garch__ping_pio(void)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(0), "Nd"((uint16_t)VB_PORT_PING) : "memory");
}

static inline uint64_t garch__counter(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void garch__cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0)
			 : "memory");
}

static inline void garch__inkernel_exit(void)
{
	uint32_t a, b, c, d;
	garch__cpuid(0, &a, &b, &c, &d);
}

/* 1 when CPUID shows the signature the monitor installed, i.e. KVM answered
 * it; 0 when the CPU answered it directly (no intercept at this level). */
static inline uint64_t garch__inkernel_is_intercepted(void)
{
	uint32_t a, b, c, d;
	garch__cpuid(0x40000000, &a, &b, &c, &d);
	return b == VB_CPUID_SIG_EBX && c == VB_CPUID_SIG_ECX && d == VB_CPUID_SIG_EDX;
}

static inline void garch__halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* No in-kernel interrupt controller here (arch__exit_how says so), so the
 * monitor never asks for an MMIO exit completed inside KVM. */
static inline void garch__mmio_kernel_exit(void)
{
	__asm__ volatile("ud2");
}

static inline void garch__relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

__attribute__((noreturn)) static inline void garch__crash(void)
{
	__asm__ volatile("ud2");
	__builtin_unreachable();
}

#endif
