/* How QEMU starts an L1 guest that runs KVM itself, per guest architecture.
 * Both tables are always built: an x86_64 host runs an aarch64 L1 guest
 * under TCG (and the reverse), which is how one host checks both.
 *
 * x86_64: under TCG an emulated CPU with SVM (QEMU emulates SVM, not VMX),
 * so kvm-amd; under KVM the host's own CPU, whose vmx or svm KVM passes
 * through when its nested parameter is on. One vCPU under TCG: with two,
 * QEMU 7.2's threaded TCG on a busy host can leave the L1 kernel's
 * cross-CPU calls unanswered while KVM patches its code.
 *
 * aarch64: the virt machine with EL2 (virtualization=on) and GICv3;
 * Debian's arm64 kernel has KVM built in, so no module. Under KVM the host
 * must run in kvm-arm.mode=nested on a CPU with FEAT_NV. */
#include <string.h>
#include <sys/utsname.h>

#include "nested/nested_arch.h"

static const char *const x86_tcg[] = { "-accel", "tcg", "-cpu", "max,+svm", NULL };
static const char *const x86_kvm[] = { "-accel", "kvm", "-cpu", "host", NULL };
static const char *const arm_tcg[] = { "-accel",   "tcg",
				       "-machine", "virt,virtualization=on,gic-version=3",
				       "-cpu",	   "max,pauth-impdef=on",
				       NULL };
static const char *const arm_kvm[] = {
	"-accel", "kvm", "-machine", "virt,virtualization=on,gic-version=3", "-cpu", "host", NULL
};

static const struct nested_arch arches[] = {
	{
		.name = "x86_64",
		.qemu_binary = "qemu-system-x86_64",
		.machine_tcg = x86_tcg,
		.machine_kvm = x86_kvm,
		.console = "ttyS0",
		.module_tcg = "kvm-amd",
		.module_kvm_intel = "kvm-intel",
		.module_kvm_amd = "kvm-amd",
		.smp_tcg = 1,
	},
	{
		.name = "aarch64",
		.qemu_binary = "qemu-system-aarch64",
		.machine_tcg = arm_tcg,
		.machine_kvm = arm_kvm,
		.console = "ttyAMA0",
		.smp_tcg = 2,
	},
};

const struct nested_arch *nested_arch__find(const char *name)
{
	struct utsname u;
	if (!name || !strcmp(name, "host")) {
		if (uname(&u) < 0)
			return NULL;
		name = u.machine;
	}
	for (unsigned i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

bool nested_arch__is_host(const struct nested_arch *a)
{
	return a == nested_arch__find(NULL);
}
