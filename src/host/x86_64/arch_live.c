/* x86_64: CPUID read directly. In a guest CPUID traps to the hypervisor that
 * runs this CPU; under PVM a user-mode CPUID is not intercepted by the PVM
 * host, so it shows the hypervisor one level further down. */
#include <cpuid.h>
#include <linux/kvm.h>
#include <string.h>

#include "host/arch.h"

static void leaf(struct cpuid_dump *d, uint32_t l, uint32_t sub)
{
	uint32_t r[4];
	__cpuid_count(l, sub, r[0], r[1], r[2], r[3]);
	cpuid__add(d, l, sub, r);
}

void host_arch__probe(struct host_arch_live *out)
{
	memset(out, 0, sizeof(*out));
	struct cpuid_dump *d = &out->cpuid;
	uint32_t max_basic, b, c, dx;
	__cpuid(0, max_basic, b, c, dx);
	leaf(d, 0, 0);
	if (max_basic >= 1)
		leaf(d, 1, 0);
	if (max_basic >= 7)
		leaf(d, 7, 0);
	uint32_t max_ext;
	__cpuid(0x80000000, max_ext, b, c, dx);
	leaf(d, 0x80000000, 0);
	for (uint32_t l = 0x80000001; l <= 0x80000004 && l <= max_ext; l++)
		leaf(d, l, 0);
	const struct cpuid_leaf *l1 = cpuid__find(d, 1, 0);
	if (l1 && (l1->ecx >> 31) & 1) {
		leaf(d, 0x40000000, 0);
		leaf(d, 0x40000001, 0);
	}
	out->have_cpuid = true;
}

static const struct host_kvm_cap x86_caps[] = {
	{ "split_irqchip", KVM_CAP_SPLIT_IRQCHIP, true },
	{ "x2apic_api", KVM_CAP_X2APIC_API, true },
	{ "tsc_control", KVM_CAP_TSC_CONTROL, false },
	{ "nested_state", KVM_CAP_NESTED_STATE, false },
	{ "x86_disable_exits", KVM_CAP_X86_DISABLE_EXITS, false },
	{ "pit2", KVM_CAP_PIT2, false },
};

const struct host_kvm_cap *host_arch__kvm_caps(size_t *n)
{
	*n = sizeof(x86_caps) / sizeof(x86_caps[0]);
	return x86_caps;
}
