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
#define CK(x)                                                                                      \
	do {                                                                                       \
		if ((long)(x) < 0) {                                                               \
			perror(#x);                                                                \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)
#define MEM (64u << 20)
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}
/* mov $0x511,%dx; 1: out %al,%dx; jmp 1b */
static const uint8_t pio[] = { 0x66, 0xba, 0x11, 0x05, 0xee, 0xeb, 0xfd };
/* mov $MEM+8,%ebx; 1: mov %al,(%rbx); jmp 1b  (the 2 MiB page past RAM has no slot) */
static const uint8_t mmio[] = { 0xbb, 8, 0, 0, 4, 0x88, 0x03, 0xeb, 0xfc };
int main(int argc, char **argv)
{
	int is_mmio = argc > 1 && !strcmp(argv[1], "mmio");
	long n = argc > 2 ? atol(argv[2]) : 20000, reps = argc > 3 ? atol(argv[3]) : 5;
	static struct {
		struct kvm_cpuid2 h;
		struct kvm_cpuid_entry2 e[512];
	} cpuid = { .h.nent = 512 };
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
	CK(ioctl(cpu, KVM_SET_CPUID2, &cpuid));
	uint64_t *pt =
		(uint64_t *)(mem + 0x2000); /* PML4, PDPT, PD: 2 MiB pages over RAM + one past it */
	pt[0] = 0x3000 | 7;
	pt[512] = 0x4000 | 7;
	for (uint64_t p = 0; p <= MEM >> 21; p++)
		pt[1024 + p] = (p << 21) | 0x87;
	memcpy(mem + 0x100000, is_mmio ? mmio : pio, is_mmio ? sizeof(mmio) : sizeof(pio));
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
	uint32_t want = is_mmio ? KVM_EXIT_MMIO : KVM_EXIT_IO;
	double *t = calloc(reps, sizeof(*t));
	for (long i = -1; i < reps; i++) { /* run -1 warms up */
		double t0 = now();
		for (long k = 0; k < n; k++) {
			CK(ioctl(cpu, KVM_RUN, 0));
			if (run->exit_reason != want) {
				fprintf(stderr, "exit %u\n", run->exit_reason);
				return 1;
			}
		}
		if (i >= 0)
			t[i] = (now() - t0) / n;
	}
	qsort(t, reps, sizeof(*t), cmp);
	printf("%.1f\n", reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2);
	return 0;
}
