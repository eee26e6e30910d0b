/* arm64 L1 guests: the virt machine with EL2 (virtualization=on) and GICv3;
 * Debian's arm64 kernel has KVM built in, so no module. Under KVM the host
 * must run in kvm-arm.mode=nested on a CPU with FEAT_NV. */
#include <stddef.h>

#include "nested/nested_arch.h"

static const char *const tcg[] = { "-accel",   "tcg",
				   "-machine", "virt,virtualization=on,gic-version=3",
				   "-cpu",     "max,pauth-impdef=on",
				   NULL };
static const char *const kvm[] = {
	"-accel", "kvm", "-machine", "virt,virtualization=on,gic-version=3", "-cpu", "host", NULL
};

static const struct nested_arch arm64_nested = {
	.qemu_binary = "qemu-system-aarch64",
	.machine_tcg = tcg,
	.machine_kvm = kvm,
	.console = "ttyAMA0",
	.kvm_up_tcg = "VHE mode initialized",
	.smp_tcg = 2,
};

const struct nested_arch *nested_arch__get(void)
{
	return &arm64_nested;
}
