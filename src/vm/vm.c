/* VM life cycle: open /dev/kvm, create the VM, map and register guest RAM,
 * create the vCPUs, load the guest image and mailboxes; and the teardown
 * that releases all of it from any state. Each step is timestamped, so the
 * boot benchmark reads its phases from here. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/meminfo.h"
#include "vm/vm_impl.h"

#define MIB	(1ull << 20)
#define HUGE_2M (2ull << 20)

extern const unsigned char vb_guest_image_start[], vb_guest_image_end[];

const unsigned char *vm__guest_image(size_t *len)
{
	*len = (size_t)(vb_guest_image_end - vb_guest_image_start);
	return vb_guest_image_start;
}

void vm_opts__init(struct vm_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->vcpus = 1;
	o->mem_bytes = 64 * MIB;
	o->kvm_fd = -1;
}

int vm__open_kvm(int *kvm_fd, struct vb_err *err)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if (e == ENOENT && stat("/sys/module/kvm_pvm", &st) == 0)
			return err__set(
				err, 0,
				"/dev/kvm does not exist although kvm_pvm is loaded: it binds "
				"only where the kernel is not itself a kvm_pvm guest (see dmesg "
				"| grep kvm-pvm); run on a host with AMD-V/VT-x or kvm_pvm");
		if (e == ENOENT)
			return err__set(
				err, 0,
				"/dev/kvm does not exist: enable virtualization (AMD-V/VT-x) in "
				"the firmware and load the module (modprobe kvm_amd or "
				"modprobe kvm_intel)");
		if (e == EACCES || e == EPERM)
			return err__set(err, 0,
					"no permission to open /dev/kvm: add the user to the 'kvm' "
					"group (usermod -aG kvm $USER) or run as root");
		return err__set(err, e, "opening /dev/kvm");
	}
	int api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		close(fd);
		return err__set(err, 0, "/dev/kvm speaks API version %d, virtbench needs %d", api,
				KVM_API_VERSION);
	}
	size_t ncaps;
	const struct vm_cap *caps = arch__required_caps(&ncaps);
	for (size_t i = 0; i < ncaps; i++)
		if (ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap) <= 0) {
			close(fd);
			return err__set(err, 0, "/dev/kvm lacks %s; %s provides it", caps[i].name,
					arch__caps_hint());
		}
	*kvm_fd = fd;
	return 0;
}

int vm__check_host_memory(uint64_t bytes, const char *what, struct vb_err *err)
{
	uint64_t avail = meminfo__available_kib() * 1024;
	if (bytes > arch__max_mem())
		return err__usage(err, "%s: %llu MiB is more than the %llu MiB a microVM supports",
				  what, (unsigned long long)(bytes / MIB),
				  (unsigned long long)(arch__max_mem() / MIB));
	if (avail && bytes > avail)
		return err__usage(err,
				  "%s: %llu MiB of guest memory is more than this host can give "
				  "(%llu MiB available)",
				  what, (unsigned long long)(bytes / MIB),
				  (unsigned long long)(avail / MIB));
	return 0;
}

static int vm__map_memory(struct vm *vm, struct vb_err *err)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (vm->opts.huge == VM_HUGE_HUGETLB)
		flags |= MAP_HUGETLB; /* 2 MiB is the default huge page size */
	void *p = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		if (vm->opts.huge == VM_HUGE_HUGETLB)
			return err__set(err, errno,
					"mapping %llu MiB of 2 MiB huge pages (reserve them with "
					"sysctl vm.nr_hugepages=N)",
					(unsigned long long)(vm->mem_size / MIB));
		return err__set(err, errno, "mapping %llu MiB of guest memory",
				(unsigned long long)(vm->mem_size / MIB));
	}
	vm->mem = p;
	if (vm->opts.huge == VM_HUGE_THP && madvise(p, vm->mem_size, MADV_HUGEPAGE) < 0)
		return err__set(err, errno, "madvise(MADV_HUGEPAGE) on guest memory");
	/* "none" means none, also where THP is on for everything: a touched
	 * byte must not pull in 2 MiB (density counts host memory per VM). */
	if (vm->opts.huge == VM_HUGE_NONE)
		madvise(p, vm->mem_size, MADV_NOHUGEPAGE);
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.flags = 0,
		.guest_phys_addr = arch__ram_base(),
		.memory_size = vm->mem_size,
		.userspace_addr = (uint64_t)(uintptr_t)p,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return err__set(err, errno, "KVM_SET_USER_MEMORY_REGION (%llu MiB)",
				(unsigned long long)(vm->mem_size / MIB));
	return 0;
}

static int vm__layout(struct vm *vm, struct vb_err *err)
{
	uint64_t stacks_end = VB_GUEST_STACK_OFF + (uint64_t)vm->nvcpus * VB_GUEST_STACK_SIZE;
	uint64_t heap = (stacks_end + VB_GUEST_HEAP_ALIGN - 1) & ~(VB_GUEST_HEAP_ALIGN - 1);
	if (heap + VB_GUEST_HEAP_ALIGN > vm->mem_size)
		return err__usage(
			err, "--memory: %llu MiB is too small for %u vCPUs (at least %llu MiB)",
			(unsigned long long)(vm->mem_size / MIB), vm->nvcpus,
			(unsigned long long)((heap + VB_GUEST_HEAP_ALIGN + MIB - 1) / MIB));
	if (arch__reserved_bytes(vm->mem_size) > VB_GUEST_IMAGE_OFF)
		return err__set(err, 0, "architecture tables overlap the guest image");
	vm->heap_gpa = arch__ram_base() + heap;
	vm->heap_size = vm->mem_size - heap;
	return 0;
}

uint64_t vm__mailbox_gpa(const struct vm *vm, unsigned vcpu)
{
	(void)vm;
	return arch__ram_base() + VB_GUEST_MAILBOX_OFF + (uint64_t)vcpu * VB_GUEST_PAGE;
}

uint64_t vm__shared_gpa(const struct vm *vm)
{
	(void)vm;
	return arch__ram_base() + VB_GUEST_SHARED_OFF;
}

/* Image, mailboxes; arch tables were written by arch__setup_memory. */
static int vm__load(struct vm *vm, struct vb_err *err)
{
	size_t len;
	const unsigned char *img = vm__guest_image(&len);
	if (vm->opts.test_image) {
		img = vm->opts.test_image;
		len = vm->opts.test_image_len;
	}
	if (len == 0 || len > VB_GUEST_IMAGE_MAX)
		return err__set(err, 0, "the guest image is %zu bytes (limit %llu)", len,
				VB_GUEST_IMAGE_MAX);
	memcpy(vm->mem + VB_GUEST_IMAGE_OFF, img, len);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vb_mailbox *mb = vm->vcpu[i].mbox;
		mb->magic = VB_MAILBOX_MAGIC;
		mb->vcpu = i;
		mb->nvcpus = vm->nvcpus;
		mb->clock_mult = vm->clock_mult;
	}
	return 0;
}

static int vm__create_vcpus(struct vm *vm, struct vb_err *err)
{
	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run))
		return err__set(err, errno, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run_size = (size_t)sz;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		if (vcpu__create(vm, i, err) < 0)
			return err__wrap(err, "vCPU %u", i);
		if (i == 0) {
			struct vm_arch_ctx c = { vm->kvm_fd, vm->vm_fd, vm->mem, vm->mem_size,
						 vm->nvcpus };
			if (arch__counter_khz(&c, vm->vcpu[0].fd, &vm->counter_khz, err) < 0)
				return -1;
			/* ns = ticks * mult >> 32, with ticks at khz * 1000 per second. */
			vm->clock_mult = (1000000ull << 32) / vm->counter_khz;
		}
	}
	return 0;
}

int vm__create(const struct vm_opts *o, struct vm **out, struct vb_err *err)
{
	*out = NULL;
	if (o->vcpus < 1 || o->vcpus > VB_GUEST_MAX_VCPUS)
		return err__usage(err, "--vcpus: %u is outside 1..%u", o->vcpus,
				  VB_GUEST_MAX_VCPUS);
	if (o->mem_bytes % HUGE_2M || o->mem_bytes == 0)
		return err__usage(err, "--memory: must be a multiple of 2 MiB");
	if (o->mem_bytes > arch__max_mem())
		return err__usage(err, "--memory: at most %llu MiB",
				  (unsigned long long)(arch__max_mem() / MIB));

	struct vm *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return err__set(err, ENOMEM, "allocating a VM");
	vm->t.begin = clock__now_ns();
	vm->opts = *o;
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
	vm->nvcpus = o->vcpus;
	vm->mem_size = o->mem_bytes;
	vm->ram_base = arch__ram_base();
	vm->mmio_gpa = arch__mmio_gpa(o->mem_bytes);
	pthread_mutex_init(&vm->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->cond, &ca);
	pthread_condattr_destroy(&ca);
	vm->vcpu = calloc(o->vcpus, sizeof(*vm->vcpu));
	if (!vm->vcpu) {
		err__set(err, ENOMEM, "allocating vCPUs");
		goto fail;
	}
	for (unsigned i = 0; i < o->vcpus; i++)
		vm->vcpu[i].fd = -1;
	if (vm__layout(vm, err) < 0)
		goto fail;

	if (o->kvm_fd >= 0) {
		vm->kvm_fd = o->kvm_fd;
	} else {
		if (vm__open_kvm(&vm->kvm_fd, err) < 0)
			goto fail;
		vm->own_kvm = true;
	}
	vm->t.opened = clock__now_ns();

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		err__set(err, errno, "KVM_CREATE_VM");
		goto fail;
	}
	/* Best effort: keep the descriptor out of programs we spawn. */
	fcntl(vm->vm_fd, F_SETFD, FD_CLOEXEC);
	struct vm_arch_ctx c = { vm->kvm_fd, vm->vm_fd, NULL, vm->mem_size, vm->nvcpus };
	if (arch__vm_init(&c, err) < 0)
		goto fail;
	vm->t.created = clock__now_ns();

	if (vm__map_memory(vm, err) < 0)
		goto fail;
	vm->t.mapped = clock__now_ns();

	c.mem = vm->mem;
	if (vm__create_vcpus(vm, err) < 0)
		goto fail;
	vm->t.vcpus = clock__now_ns();

	if (arch__setup_memory(&c, err) < 0 || vm__load(vm, err) < 0)
		goto fail;
	vm->t.loaded = clock__now_ns();
	*out = vm;
	return 0;
fail:
	vm__destroy(vm, NULL);
	return -1;
}

int vm__start(struct vm *vm, struct vb_err *err)
{
	vm->t.started = clock__now_ns();
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vcpu__start(&vm->vcpu[i], err) < 0) {
			err__wrap(err, "starting vCPU %u", i);
			vm__fail(vm, 0, "a vCPU thread could not start");
			return -1;
		}
	return 0;
}

void vm__destroy(struct vm *vm, uint64_t *teardown_ns)
{
	if (!vm)
		return;
	uint64_t t0 = clock__now_ns();
	if (vm->vcpu) {
		pthread_mutex_lock(&vm->lock);
		atomic_store(&vm->quit, true);
		pthread_cond_broadcast(&vm->cond);
		pthread_mutex_unlock(&vm->lock);
		vm__kick_all(vm);
		for (unsigned i = 0; i < vm->nvcpus; i++)
			vcpu__join(&vm->vcpu[i]);
		for (unsigned i = 0; i < vm->nvcpus; i++)
			vcpu__close(&vm->vcpu[i]);
		free(vm->vcpu);
	}
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	if (vm->own_kvm && vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	pthread_cond_destroy(&vm->cond);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
	if (teardown_ns)
		*teardown_ns = clock__now_ns() - t0;
}

const struct vm_times *vm__times(const struct vm *vm)
{
	return &vm->t;
}

const struct vm_vcpu_result *vm__result(const struct vm *vm, unsigned vcpu)
{
	return vcpu < vm->nvcpus ? &vm->vcpu[vcpu].res : NULL;
}

unsigned vm__vcpus(const struct vm *vm)
{
	return vm->nvcpus;
}

bool vm__failed(const struct vm *vm)
{
	return atomic_load(&vm->quit) && vm->failed;
}

uint64_t vm__heap_gpa(const struct vm *vm)
{
	return vm->heap_gpa;
}

uint64_t vm__heap_size(const struct vm *vm)
{
	return vm->heap_size;
}

uint64_t vm__resident_bytes(const struct vm *vm)
{
	size_t pages = vm->mem_size / 4096;
	unsigned char *vec = malloc(pages);
	if (!vec)
		return 0;
	uint64_t n = 0;
	if (mincore(vm->mem, vm->mem_size, vec) == 0)
		for (size_t i = 0; i < pages; i++)
			n += vec[i] & 1;
	free(vec);
	return n * 4096;
}

uint64_t vm__counter_khz(const struct vm *vm)
{
	return vm->counter_khz;
}

int vm__discard(struct vm *vm, uint64_t gpa, uint64_t len, struct vb_err *err)
{
	void *p = vm__gpa_to_host(vm, gpa, len);
	if (!p || ((uintptr_t)p & 4095) || (len & 4095))
		return err__set(err, 0, "discard: range 0x%llx+%llu is not page-aligned guest RAM",
				(unsigned long long)gpa, (unsigned long long)len);
	if (madvise(p, len, MADV_DONTNEED) < 0)
		return err__set(err, errno, "madvise(MADV_DONTNEED) on guest memory");
	return 0;
}
