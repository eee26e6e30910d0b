/* Is this host itself a virtual machine, and of what? Evidence from CPUID
 * (hypervisor bit, leaf 0x40000000 signature), the kernel log ("Hypervisor
 * detected"), DMI, ACPI table OEM IDs, the device tree and the kernel
 * command line; and the one-line verdict shown by `virtbench info`. */
#ifndef VB_HOST_GUEST_H
#define VB_HOST_GUEST_H

#include <stdbool.h>

#include "host/cpuid.h"
#include "host/hostfs.h"
#include "host/klog.h"
#include "host/kvm.h"

#define HOST_GUEST_MAX_EVIDENCE 8

struct host_guest_inputs {
	const char *arch;
	const struct cpuid_facts *cpuid; /* NULL on Arm or when unknown */
	bool cpuinfo_hv_flag;		 /* "hypervisor" in /proc/cpuinfo flags */
	const struct host_klog *klog;
	const char *cmdline;
};

struct host_guest {
	bool is_guest;
	bool hypervisor_bit;
	char cpuid_signature[13];
	char kernel_hypervisor[48];
	char dmi_sys_vendor[64], dmi_product_name[64], dmi_bios_vendor[64];
	char acpi_oem_id[8], acpi_oem_table_id[12];
	char dt_compatible[64], dt_hypervisor[64];
	bool pvm_guest;
	bool firecracker;
	char hypervisor[48]; /* what runs this kernel: "KVM", "PVM", "Hyper-V", "" */
	char platform[48];   /* the VMM or cloud: "Firecracker", "QEMU", "AWS EC2", "" */
	char below[48];	     /* PVM guests: the hypervisor under the PVM host (user CPUID) */
	char evidence[HOST_GUEST_MAX_EVIDENCE][64];
	unsigned nevidence;
};

int host_guest__inspect(const struct hostfs *fs, const struct host_guest_inputs *in,
			struct host_guest *out);

/* The plain-words verdict, e.g. "nested: KVM guest of a Firecracker host;
 * KVM here is PVM (guest CPL0 emulated)". el2 is the Arm EL2 mode or NULL. */
void host_guest__verdict(const struct host_guest *g, const struct host_kvm *k, const char *el2,
			 char *out, size_t size);

#endif
