/* The bare baseline for `virtbench vm exits --kind pio|mmio`: a guest at
 * CPL3 (as virtbench's) repeating one exit to user space, and a KVM_RUN loop
 * that does nothing but re-enter. Prints the median ns per exit of R runs of
 * N exits each, timed by the host.
 * Build: cc -O2 -o bare-kvm-exit bench/bare-kvm-exit.c
 * Run:   ./bare-kvm-exit pio|mmio [N] [R] */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#define MEM (64u << 20)
#include "bare-kvm.h"
/* mov $0x511,%dx; 1: out %al,%dx; jmp 1b */
static const uint8_t pio[] = { 0x66, 0xba, 0x11, 0x05, 0xee, 0xeb, 0xfd };
/* mov $MEM+8,%ebx; 1: mov %al,(%rbx); jmp 1b  (the 2 MiB page past RAM has no slot) */
static const uint8_t mmio[] = { 0xbb, 8, 0, 0, 4, 0x88, 0x03, 0xeb, 0xfc };
int main(int argc, char **argv)
{
	int is_mmio = argc > 1 && !strcmp(argv[1], "mmio");
	long n = argc > 2 ? atol(argv[2]) : 20000, reps = argc > 3 ? atol(argv[3]) : 5;
	static struct bare_cpuid cpuid = { .h.nent = 512 };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	CK(kvm);
	CK(ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid));
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	CK(vm);
	uint8_t *mem = mmap(0, MEM, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kvm_userspace_memory_region r = { .memory_size = MEM,
						 .userspace_addr = (uintptr_t)mem };
	CK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
	int cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	CK(cpu);
	int rs = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_run *run = mmap(0, rs, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
	/* Mapped: RAM and the 2 MiB page past it, which has no memory slot. */
	bare__long_mode(cpu, &cpuid, mem, MEM + (2u << 20), is_mmio ? mmio : pio,
			is_mmio ? sizeof(mmio) : sizeof(pio));
	uint32_t want = is_mmio ? KVM_EXIT_MMIO : KVM_EXIT_IO;
	double *t = calloc(reps, sizeof(*t));
	for (long i = -1; i < reps; i++) { /* run -1 warms up */
		double t0 = bare__now_ns();
		for (long k = 0; k < n; k++) {
			CK(ioctl(cpu, KVM_RUN, 0));
			if (run->exit_reason != want) {
				fprintf(stderr, "exit %u\n", run->exit_reason);
				return 1;
			}
		}
		if (i >= 0)
			t[i] = (bare__now_ns() - t0) / n;
	}
	printf("%.1f\n", bare__median(t, reps));
	return 0;
}
