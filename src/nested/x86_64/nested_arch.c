/* x86_64 L1 guests: under TCG an emulated CPU with SVM (QEMU emulates SVM,
 * not VMX), so kvm-amd; under KVM the host's own CPU, whose vmx or svm KVM
 * passes through when its nested parameter is on. One vCPU under TCG: with
 * two, QEMU 7.2's threaded TCG on a busy host can leave the L1 kernel's
 * cross-CPU calls unanswered while KVM patches its code. */
#include <stddef.h>

#include "nested/nested_arch.h"

static const char *const tcg[] = { "-accel", "tcg", "-cpu", "max,+svm", NULL };
static const char *const kvm[] = { "-accel", "kvm", "-cpu", "host", NULL };

static const struct nested_arch x86_64_nested = {
	.qemu_binary = "qemu-system-x86_64",
	.machine_tcg = tcg,
	.machine_kvm = kvm,
	.console = "ttyS0",
	.module_tcg = "kvm-amd",
	.module_kvm_intel = "kvm-intel",
	.module_kvm_amd = "kvm-amd",
	.kvm_up_tcg = "SVM: kvm: Nested Paging enabled",
	.smp_tcg = 1,
};

const struct nested_arch *nested_arch__get(void)
{
	return &x86_64_nested;
}
