/* What the bare KVM baselines (bench/bare-kvm-*.c) share: a check that
 * exits on the first failed call, the clock, a median, and the one guest
 * set-up they all time: a 1-vCPU x86_64 guest in long mode at CPL3, as
 * virtbench's microVM starts its guests, with 2 MiB identity pages over
 * `map_bytes` of RAM and its code at 1 MiB. x86_64 only, like the bench
 * scripts that build them. */
#ifndef BENCH_BARE_KVM_H
#define BENCH_BARE_KVM_H

#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#define CK(x)                                                                                      \
	do {                                                                                       \
		if ((long)(x) < 0) {                                                               \
			perror(#x);                                                                \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

struct bare_cpuid {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[512];
};

static inline double bare__now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int bare__cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline double bare__median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bare__cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Page tables at 0x2000 (PML4, PDPT, PD), `code` copied to 0x100000, and
 * the vCPU's CPUID, segments, control registers and entry point set. */
static inline void bare__long_mode(int cpu, const struct bare_cpuid *cpuid, uint8_t *mem,
				   uint64_t map_bytes, const uint8_t *code, size_t code_len)
{
	CK(ioctl(cpu, KVM_SET_CPUID2, cpuid));
	uint64_t *pt = (uint64_t *)(mem + 0x2000);
	pt[0] = 0x3000 | 7;
	pt[512] = 0x4000 | 7;
	for (uint64_t p = 0; p < map_bytes >> 21; p++)
		pt[1024 + p] = (p << 21) | 0x87;
	memcpy(mem + 0x100000, code, code_len);
	struct kvm_sregs s;
	CK(ioctl(cpu, KVM_GET_SREGS, &s));
	struct kvm_segment seg = { .limit = 0xffffffff,
				   .selector = 0x1b,
				   .present = 1,
				   .type = 11,
				   .dpl = 3,
				   .s = 1,
				   .l = 1,
				   .g = 1 };
	s.cs = seg;
	seg.type = 3;
	seg.selector = 0x23;
	seg.l = 0;
	seg.db = 1;
	s.ds = s.es = s.fs = s.gs = s.ss = seg;
	s.cr0 = 0x80050033;
	s.cr3 = 0x2000;
	s.cr4 = 0x620;
	s.efer = 0x500;
	CK(ioctl(cpu, KVM_SET_SREGS, &s));
	struct kvm_regs g = { .rip = 0x100000, .rsp = 0x310000, .rflags = 0x3002 };
	CK(ioctl(cpu, KVM_SET_REGS, &g));
}

#endif
