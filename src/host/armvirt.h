/* Arm virtualization as the kernel reports it: the EL2 mode KVM runs in
 * (VHE, nVHE, hVHE, protected), SVE/SVE2/SME and the vector length, and the
 * GIC version. Portable: decodes Arm fixtures on any build. */
#ifndef VB_HOST_ARMVIRT_H
#define VB_HOST_ARMVIRT_H

#include <stdbool.h>

#include "host/cpuinfo.h"
#include "host/hostfs.h"
#include "host/klog.h"

struct host_armvirt {
	char kvm_arm_mode[16]; /* kvm-arm.mode= on the command line, "" when absent */
	char el2[16]; /* "vhe", "nvhe", "hvhe", "protected", "none", "available", "unknown" */
	char el2_source[32]; /* where el2 came from */
	bool sve, sve2, sme;
	int sve_vector_bits; /* default vector length, -1 when unknown */
	char gic[8];	     /* "v2", "v3", "v4", "v4.1", "" */
};

struct armvirt_inputs {
	const struct cpuinfo *cpuinfo;
	const struct host_klog *klog;
	const char *cmdline;
	bool dev_kvm;	  /* /dev/kvm exists */
	bool hwcap_valid; /* live hwcaps below are meaningful */
	bool hw_sve, hw_sve2, hw_sme;
};

/* GIC version from /proc/interrupts chip names ("GICv3", "GIC-0"). */
void gic__from_interrupts(const char *text, char *out, size_t size);
int armvirt__inspect(const struct hostfs *fs, const struct armvirt_inputs *in,
		     struct host_armvirt *out);

#endif
