/* What only code built for the running architecture can read: CPUID on
 * x86_64, MIDR_EL1 and the hwcaps on arm64. One implementation per
 * architecture folder (x86_64/arch_live.c, arm64/arch_live.c); everything
 * else in src/host is portable and decodes either architecture's files. */
#ifndef VB_HOST_ARCH_H
#define VB_HOST_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/cpuid.h"

struct host_arch_live {
	bool have_cpuid;
	struct cpuid_dump cpuid;
	bool have_midr;
	uint64_t midr; /* MIDR_EL1 of the CPU this ran on */
	bool have_hwcap;
	bool sve, sve2, sme; /* from AT_HWCAP/AT_HWCAP2 */
};

/* A KVM capability worth reporting, with the JSON key it is stored under. */
struct host_kvm_cap {
	const char *key; /* snake_case, e.g. "max_vcpus", "arm_vm_ipa_size" */
	int cap;	 /* KVM_CAP_* */
	bool on_vm;	 /* ask the VM fd (the answer depends on the VM) */
};

void host_arch__probe(struct host_arch_live *out);
/* The architecture-specific capabilities, in addition to the common ones. */
const struct host_kvm_cap *host_arch__kvm_caps(size_t *n);

#endif
