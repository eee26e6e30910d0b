/* arm64: MIDR_EL1 read with MRS (the kernel emulates EL0 reads of the ID
 * registers) and SVE/SME from the hwcaps. */
#include <linux/kvm.h>
#include <string.h>
#include <sys/auxv.h>

#include "host/arch.h"

/* Bit numbers from the arm64 uapi <asm/hwcap.h>, spelled out so an older
 * libc header does not hide them. */
#define VB_HWCAP_CPUID (1UL << 11)
#define VB_HWCAP_SVE   (1UL << 22)
#define VB_HWCAP2_SVE2 (1UL << 1)
#define VB_HWCAP2_SME  (1UL << 23)

void host_arch__probe(struct host_arch_live *out)
{
	memset(out, 0, sizeof(*out));
	unsigned long hwcap = getauxval(AT_HWCAP);
	unsigned long hwcap2 = getauxval(AT_HWCAP2);
	out->have_hwcap = true;
	out->sve = hwcap & VB_HWCAP_SVE;
	out->sve2 = hwcap2 & VB_HWCAP2_SVE2;
	out->sme = hwcap2 & VB_HWCAP2_SME;
	/* Without HWCAP_CPUID the MRS would raise SIGILL. */
	if (hwcap & VB_HWCAP_CPUID) {
		uint64_t midr;
		__asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
		out->midr = midr;
		out->have_midr = true;
	}
}

static const struct host_kvm_cap arm_caps[] = {
	{ "arm_vm_ipa_size", KVM_CAP_ARM_VM_IPA_SIZE, false },
	{ "arm_psci_0_2", KVM_CAP_ARM_PSCI_0_2, false },
	{ "arm_pmu_v3", KVM_CAP_ARM_PMU_V3, false },
	{ "arm_sve", KVM_CAP_ARM_SVE, false },
	{ "arm_ptrauth_address", KVM_CAP_ARM_PTRAUTH_ADDRESS, false },
	{ "arm_el1_32bit", KVM_CAP_ARM_EL1_32BIT, false },
	{ "arm_mte", KVM_CAP_ARM_MTE, true },
};

const struct host_kvm_cap *host_arch__kvm_caps(size_t *n)
{
	*n = sizeof(arm_caps) / sizeof(arm_caps[0]);
	return arm_caps;
}
