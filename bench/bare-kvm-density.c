/* The bare baseline for `virtbench vm density`: N 1-vCPU / 64 MiB VMs made
 * one after another with the same ioctls as bench/bare-kvm-boot.c and kept,
 * measured the way virtbench measures: creation rate, host memory per VM
 * (MemAvailable, KVM's kernel memory included) and process RSS per VM.
 * MODE 0 makes each VM and does not run it; 1 runs it to its second exit in
 * the creating thread; 2 gives each VM its own thread that runs it there and
 * then sleeps, as virtbench's vCPU threads do.
 * Build: cc -O2 -pthread -o bare-kvm-density bench/bare-kvm-density.c
 * Run:   ./bare-kvm-density [N] [MODE] */
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#define MEM (64u << 20)
#include "bare-kvm.h"
static double now(void)
{
	return bare__now_ns() / 1e6;
}
static long kib_of(const char *file, const char *key)
{
	FILE *f = fopen(file, "r");
	char l[256];
	long k = 0;
	size_t n = strlen(key);
	while (f && fgets(l, sizeof(l), f))
		if (!strncmp(l, key, n)) {
			k = atol(l + n);
			break;
		}
	if (f)
		fclose(f);
	return k;
}
/* mov $0x56420001,%eax; mov $0x510,%dx; out %eax,%dx; inc %eax; out %eax,%dx (ENTERED, READY) */
static const uint8_t code[] = { 0xb8, 1,    0,	  0x42, 0x56, 0x66, 0xba, 0x10,
				0x05, 0xef, 0xff, 0xc0, 0xef, 0xeb, 0xfe };
static void run2(int cpu, struct kvm_run *run)
{
	for (int e = 0; e < 2; e++) {
		CK(ioctl(cpu, KVM_RUN, 0));
		if (run->exit_reason != KVM_EXIT_IO)
			exit(1);
	}
}
struct vcpu {
	int fd;
	struct kvm_run *run;
};
static void *vcpu_thread(void *a)
{
	struct vcpu *v = a;
	run2(v->fd, v->run);
	pause();
	return NULL;
}
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 64, mode = argc > 2 ? atoi(argv[2]) : 1;
	static struct bare_cpuid cpuid = { .h.nent = 512 };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	CK(kvm);
	CK(ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid));
	int rs = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	long a0 = kib_of("/proc/meminfo", "MemAvailable:"),
	     r0 = kib_of("/proc/self/status", "VmRSS:");
	double t0 = now();
	for (int i = 0; i < n; i++) {
		int vm = ioctl(kvm, KVM_CREATE_VM, 0);
		CK(vm);
		uint8_t *mem = mmap(0, MEM, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		madvise(mem, MEM, MADV_NOHUGEPAGE);
		struct kvm_userspace_memory_region r = { .memory_size = MEM,
							 .userspace_addr = (uintptr_t)mem };
		CK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
		struct vcpu *v = malloc(sizeof(*v));
		v->fd = ioctl(vm, KVM_CREATE_VCPU, 0);
		CK(v->fd);
		v->run = mmap(0, rs, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		bare__long_mode(v->fd, &cpuid, mem, MEM, code, sizeof(code));
		if (mode == 1)
			run2(v->fd, v->run);
		if (mode == 2) {
			pthread_t t;
			pthread_attr_t at;
			pthread_attr_init(&at);
			pthread_attr_setstacksize(&at, 64 << 10);
			CK(-pthread_create(&t, &at, vcpu_thread, v));
		}
	}
	double t = now() - t0;
	printf("%d VMs, mode %d: %.0f VMs/s, host %.0f KiB/VM, RSS %.1f KiB/VM\n", n, mode,
	       n / t * 1e3, (double)(a0 - kib_of("/proc/meminfo", "MemAvailable:")) / n,
	       (double)(kib_of("/proc/self/status", "VmRSS:") - r0) / n);
	return 0; /* the kernel releases every VM with the process */
}
