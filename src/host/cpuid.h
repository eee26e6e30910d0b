/* x86 CPUID: the raw leaves (read live by x86_64/cpuid_live.c, or from a
 * `cpuid -r -1` text dump for fixtures) and their decoding: vendor, brand
 * string, family/model/stepping, vmx/svm, and the hypervisor bit with the
 * signature of leaf 0x40000000. Portable so any build decodes x86 fixtures. */
#ifndef VB_HOST_CPUID_H
#define VB_HOST_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID_MAX_LEAVES 64

struct cpuid_leaf {
	uint32_t leaf, subleaf, eax, ebx, ecx, edx;
};

struct cpuid_dump {
	struct cpuid_leaf l[CPUID_MAX_LEAVES];
	unsigned n;
};

struct cpuid_facts {
	bool valid;		     /* leaf 0 was present */
	char vendor[13];	     /* "GenuineIntel", "AuthenticAMD", "HygonGenuine" */
	char brand[49];		     /* leaves 0x80000002-4, trimmed; "" when absent */
	int family, model, stepping; /* display values (extended fields folded in) */
	bool vmx, svm;		     /* the hardware extensions as this OS sees them */
	bool hypervisor;	     /* leaf 1 ECX bit 31: running under a hypervisor */
	char hv_signature[13];	     /* leaf 0x40000000 EBX ECX EDX, NULs dropped */
	uint32_t hv_max_leaf;
	const char *hv_name; /* decoded signature ("KVM", "bhyve"...) or NULL */
};

/* Parses the first CPU of `cpuid -r` output:
 *   0x00000000 0x00: eax=0x00000010 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
 * Returns the number of leaves read, -1 when there is none. */
int cpuid__parse_dump(const char *text, struct cpuid_dump *out);
/* Appends a leaf (live probe); ignored when full. */
void cpuid__add(struct cpuid_dump *d, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4]);
const struct cpuid_leaf *cpuid__find(const struct cpuid_dump *d, uint32_t leaf, uint32_t subleaf);
void cpuid__decode(const struct cpuid_dump *d, struct cpuid_facts *out);
/* Names the hypervisor from the 12 signature bytes (NULs dropped). */
const char *cpuid__hypervisor_name(const char *sig);

#endif
