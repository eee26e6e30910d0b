/* KVM on this host: which flavour is loaded (kvm_intel, kvm_amd, kvm_pvm,
 * kvm-arm), whether it actually provides /dev/kvm, its nested setting and
 * paging mode, and what /dev/kvm answers (API version, capabilities). */
#ifndef VB_HOST_KVM_H
#define VB_HOST_KVM_H

#include <stdbool.h>

#include "host/hostfs.h"
#include "host/klog.h"

#define KVM_MAX_REPORTED_CAPS 32

struct host_kvm {
	bool present; /* /dev/kvm exists */
	bool probed;  /* ioctls were attempted (live host only) */
	bool openable;
	int open_errno;
	int api_version;    /* KVM_GET_API_VERSION, -1 when unknown */
	int vcpu_mmap_size; /* KVM_GET_VCPU_MMAP_SIZE, -1 when unknown */
	bool vm_created;    /* KVM_CREATE_VM worked: KVM is usable */
	int create_errno;
	struct {
		const char *key;
		long value;
	} caps[KVM_MAX_REPORTED_CAPS];
	unsigned ncaps;
	char modules[96]; /* KVM modules in /sys/module: "kvm kvm_pvm" */
	char flavour[16]; /* "kvm_intel", "kvm_amd", "kvm_pvm", "kvm-arm", "kvm", "none" */
	bool bound;	  /* the flavour provides /dev/kvm */
	char not_bound_reason[160];
	char nested[8];	 /* the flavour's nested parameter ("Y", "1", ...); "" when none */
	char paging[16]; /* "ept", "npt", "shadow", "stage-2", "" */
};

struct kvm_inputs {
	const char *arch;    /* uname -m */
	bool hw_virt;	     /* vmx or svm visible (x86) */
	const char *cmdline; /* kernel command line, for kvm-arm.mode */
	const struct host_klog *klog;
	bool ioctls; /* open /dev/kvm and ask it */
};

int kvm__inspect(const struct hostfs *fs, const struct kvm_inputs *in, struct host_kvm *out);
/* Value of a kernel command-line parameter ("kvm-arm.mode"), "" when absent. */
void cmdline__param(const char *cmdline, const char *name, char *out, size_t size);

#endif
