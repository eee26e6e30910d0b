#include "host/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/arch.h"

void cmdline__param(const char *cmdline, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	size_t nl = strlen(name);
	for (const char *p = cmdline; p && *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, "-- ", 3)) /* what follows belongs to init */
			break;
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = strcspn(v, " \n");
			if (vl >= size)
				vl = size - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
		}
		p = strchr(p, ' ');
	}
}

static const struct host_kvm_cap common_caps[] = {
	{ "nr_vcpus", KVM_CAP_NR_VCPUS, false },
	{ "max_vcpus", KVM_CAP_MAX_VCPUS, false },
	{ "max_vcpu_id", KVM_CAP_MAX_VCPU_ID, false },
	{ "nr_memslots", KVM_CAP_NR_MEMSLOTS, false },
	{ "user_memory", KVM_CAP_USER_MEMORY, false },
	{ "irqchip", KVM_CAP_IRQCHIP, false },
	{ "irqfd", KVM_CAP_IRQFD, false },
	{ "ioeventfd", KVM_CAP_IOEVENTFD, false },
	{ "immediate_exit", KVM_CAP_IMMEDIATE_EXIT, false },
	{ "one_reg", KVM_CAP_ONE_REG, false },
	{ "coalesced_mmio", KVM_CAP_COALESCED_MMIO, false },
	{ "set_guest_debug", KVM_CAP_SET_GUEST_DEBUG, false },
	{ "dirty_log_ring", KVM_CAP_DIRTY_LOG_RING, true },
};

static void add_caps(struct host_kvm *k, int sys_fd, int vm_fd, const struct host_kvm_cap *caps,
		     size_t n)
{
	for (size_t i = 0; i < n && k->ncaps < KVM_MAX_REPORTED_CAPS; i++) {
		int fd = caps[i].on_vm && vm_fd >= 0 ? vm_fd : sys_fd;
		int v = ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap);
		k->caps[k->ncaps].key = caps[i].key;
		k->caps[k->ncaps].value = v < 0 ? 0 : v;
		k->ncaps++;
	}
}

/* Opens /dev/kvm and asks it; creating (and dropping) a VM is the only
 * proof that KVM works: a loaded module with a device can still fail there. */
static void probe_ioctls(struct host_kvm *k)
{
	k->probed = true;
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		k->open_errno = errno;
		return;
	}
	k->openable = true;
	k->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	k->vcpu_mmap_size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	int vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		k->create_errno = errno;
	else
		k->vm_created = true;
	add_caps(k, fd, vm, common_caps, sizeof(common_caps) / sizeof(common_caps[0]));
	size_t narch;
	const struct host_kvm_cap *arch_caps = host_arch__kvm_caps(&narch);
	add_caps(k, fd, vm, arch_caps, narch);
	if (vm >= 0)
		close(vm);
	close(fd);
}

static bool module_loaded(const struct hostfs *fs, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return hostfs__exists(fs, path);
}

static void read_param(const struct hostfs *fs, const char *mod, const char *param, char *out,
		       size_t size)
{
	char path[160];
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, param);
	if (hostfs__read_line(fs, path, out, size) < 0)
		out[0] = '\0';
}

static bool param_on(const char *v)
{
	return !strcmp(v, "Y") || !strcmp(v, "1") || !strcmp(v, "y");
}

static void pick_flavour(const struct hostfs *fs, const struct kvm_inputs *in, struct host_kvm *k)
{
	static const char *const names[] = { "kvm", "kvm_intel", "kvm_amd", "kvm_pvm", NULL };
	for (unsigned i = 0; names[i]; i++)
		if (module_loaded(fs, names[i])) {
			size_t len = strlen(k->modules);
			snprintf(k->modules + len, sizeof(k->modules) - len, "%s%s", len ? " " : "",
				 names[i]);
		}
	bool is_arm = in->arch && !strcmp(in->arch, "aarch64");
	bool intel = module_loaded(fs, "kvm_intel"), amd = module_loaded(fs, "kvm_amd");
	bool pvm = module_loaded(fs, "kvm_pvm");
	bool pvm_refused = in->klog && in->klog->kvm_pvm_not_bound;
	const char *fl = "none";
	if (is_arm) {
		if (module_loaded(fs, "kvm") || k->present)
			fl = "kvm-arm";
	} else if ((intel || amd) && in->hw_virt) {
		/* A hardware module needs vmx/svm; with both it and kvm_pvm
		 * loaded, the hardware one is the one that runs guests. */
		fl = intel ? "kvm_intel" : "kvm_amd";
	} else if (pvm) {
		fl = "kvm_pvm";
	} else if (intel || amd) {
		fl = intel ? "kvm_intel" : "kvm_amd";
	} else if (module_loaded(fs, "kvm") || k->present) {
		fl = "kvm";
	}
	hostfs__copy(k->flavour, sizeof(k->flavour), fl);

	k->bound = k->present && strcmp(fl, "none");
	if (!strcmp(fl, "kvm_pvm") && pvm_refused) {
		k->bound = false;
		hostfs__copy(
			k->not_bound_reason, sizeof(k->not_bound_reason),
			"kvm_pvm is loaded but did not bind (this kernel is itself a PVM guest)");
	} else if (!k->present && strcmp(fl, "none")) {
		hostfs__copy(k->not_bound_reason, sizeof(k->not_bound_reason),
			     (!strcmp(fl, "kvm_intel") || !strcmp(fl, "kvm_amd")) && !in->hw_virt
				     ? "the module is loaded but the CPU shows no vmx/svm"
				     : "the module is loaded but /dev/kvm is missing");
	}

	char v[16] = "";
	if (!strcmp(fl, "kvm_intel") || !strcmp(fl, "kvm_amd")) {
		read_param(fs, fl, "nested", k->nested, sizeof(k->nested));
		bool intel_fl = !strcmp(fl, "kvm_intel");
		read_param(fs, fl, intel_fl ? "ept" : "npt", v, sizeof(v));
		hostfs__copy(k->paging, sizeof(k->paging),
			     !v[0]	   ? ""
			     : param_on(v) ? (intel_fl ? "ept" : "npt")
					   : "shadow");
	} else if (!strcmp(fl, "kvm_pvm")) {
		/* PVM runs guests without hardware virtualization: shadow
		 * paging, guest kernel code emulated. */
		hostfs__copy(k->paging, sizeof(k->paging), "shadow");
	} else if (!strcmp(fl, "kvm-arm")) {
		hostfs__copy(k->paging, sizeof(k->paging), "stage-2");
		char mode[32];
		cmdline__param(in->cmdline ? in->cmdline : "", "kvm-arm.mode", mode, sizeof(mode));
		hostfs__copy(k->nested, sizeof(k->nested), !strcmp(mode, "nested") ? "Y" : "N");
	}
}

int kvm__inspect(const struct hostfs *fs, const struct kvm_inputs *in, struct host_kvm *k)
{
	memset(k, 0, sizeof(*k));
	k->api_version = k->vcpu_mmap_size = -1;
	k->present = hostfs__exists(fs, "/dev/kvm");
	pick_flavour(fs, in, k);
	if (k->present && in->ioctls)
		probe_ioctls(k);
	return 0;
}
