/* The kernel's own words, from its log (what `dmesg` prints): how KVM came
 * up or why it did not, the hypervisor the kernel detected, the Arm EL2
 * mode. Read with syslog(2) when permitted (root or dmesg_restrict=0);
 * fixtures keep it as <root>/dmesg.txt. */
#ifndef VB_HOST_KLOG_H
#define VB_HOST_KLOG_H

#include <stdbool.h>

#include "host/hostfs.h"

#define HOST_KLOG_MAX_KVM_LINES 6

struct host_klog {
	bool readable;
	char hypervisor_detected[48]; /* x86 "Hypervisor detected: KVM" -> "KVM" */
	bool pvm_guest;		      /* this kernel runs under PVM */
	bool kvm_pvm_not_bound;	      /* kvm_pvm refused /dev/kvm: the kernel is a PVM guest */
	char arm_kvm_mode[16]; /* "vhe", "nvhe", "hvhe", "protected", "none" (no HYP mode), "" */
	char arm_boot_el[4];   /* "EL2" / "EL1" from "CPU: All CPU(s) started at ELx" */
	bool arm_smccc_kvm;    /* "KVM: hypervisor services detected": an Arm KVM guest */
	char gic[8];	       /* "v2", "v3", "v4", "v4.1", "" */
	bool firecracker;      /* the log names Firecracker (ACPI OEM "FIRECK") */
	char kvm_lines[HOST_KLOG_MAX_KVM_LINES][160]; /* messages of the kvm modules */
	unsigned nkvm_lines;
};

/* Scans log text (dmesg or syslog(2) format). Returns 0. */
int host_klog__scan(const char *text, struct host_klog *out);
/* Live (fs->root empty): syslog(2); otherwise <root>/dmesg.txt. */
int host_klog__read(const struct hostfs *fs, struct host_klog *out);

#endif
