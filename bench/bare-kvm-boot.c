/* The bare baseline for `virtbench vm boot`: the same ioctl sequence with
 * nothing around it (no threads, no error handling beyond a check) on one
 * 1-vCPU VM. Prints the median create-to-ready time of N boots, in ms.
 * Build: cc -O2 -o bare-kvm-boot bench/bare-kvm-boot.c; run: ./bare-kvm-boot [N] [MiB] */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "bare-kvm.h"
static double now(void)
{
	return bare__now_ns() / 1e6;
}
/* mov $0x56420001,%eax; mov $0x510,%dx; out %eax,%dx; inc %eax; out %eax,%dx (ENTERED, READY) */
static const uint8_t code[] = { 0xb8, 1,    0,	  0x42, 0x56, 0x66, 0xba, 0x10,
				0x05, 0xef, 0xff, 0xc0, 0xef, 0xeb, 0xfe };
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	size_t sz = (argc > 2 ? atoi(argv[2]) : 512) << 20;
	static struct bare_cpuid cpuid = { .h.nent = 512 };
	int k0 = open("/dev/kvm", O_RDWR);
	CK(k0);
	CK(ioctl(k0, KVM_GET_SUPPORTED_CPUID, &cpuid));
	close(k0);
	double *t = calloc(n, sizeof(*t));
	for (int i = 0; i < n; i++) {
		double t0 = now();
		int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		CK(kvm);
		CK(ioctl(kvm, KVM_GET_API_VERSION, 0));
		int vm = ioctl(kvm, KVM_CREATE_VM, 0);
		CK(vm);
		uint8_t *mem = mmap(0, sz, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		struct kvm_userspace_memory_region r = { .memory_size = sz,
							 .userspace_addr = (uintptr_t)mem };
		CK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
		int cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
		CK(cpu);
		int rs = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
		struct kvm_run *run = mmap(0, rs, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
		bare__long_mode(cpu, &cpuid, mem, sz, code, sizeof(code));
		for (int exits = 0; exits < 2; exits++) {
			CK(ioctl(cpu, KVM_RUN, 0));
			if (run->exit_reason != KVM_EXIT_IO) {
				fprintf(stderr, "exit %u\n", run->exit_reason);
				return 1;
			}
		}
		t[i] = now() - t0;
		munmap(run, rs);
		close(cpu);
		close(vm);
		munmap(mem, sz);
		close(kvm);
	}
	printf("%.4f\n", bare__median(t, n));
	return 0;
}
