/* What differs between architectures for an L1 guest that runs KVM itself:
 * how QEMU passes virtualization through (or emulates it), the console and
 * the KVM module to load (none where KVM is built in). */
#ifndef VB_NESTED_ARCH_H
#define VB_NESTED_ARCH_H

#include <stdbool.h>

struct nested_arch {
	const char *name; /* uname -m */
	const char *qemu_binary;
	const char *const *machine_tcg; /* argv parts, NULL-terminated */
	const char *const *machine_kvm;
	const char *console;	      /* console= */
	const char *module_tcg;	      /* KVM module under TCG's emulated CPU, or NULL */
	const char *module_kvm_intel; /* under KVM, by the host's flavour */
	const char *module_kvm_amd;
	const char *kvm_up_tcg; /* kernel message once KVM works, under TCG */
	unsigned smp_tcg;
};

/* "x86_64", "aarch64", or NULL/"host" for this machine's; NULL if unknown. */
const struct nested_arch *nested_arch__find(const char *name);
bool nested_arch__is_host(const struct nested_arch *a);

#endif
