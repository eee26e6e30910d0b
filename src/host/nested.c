#include "host/nested.h"

#include <stdio.h>
#include <string.h>

static bool param_on(const char *v)
{
	return !strcmp(v, "Y") || !strcmp(v, "y") || !strcmp(v, "1");
}

/* x86: the hardware module passes VMX/SVM to its guests only with its
 * nested parameter on; it is read at module load, so enabling it means
 * reloading the module with every VM stopped. */
static bool x86_nested(const struct host_kvm *k, char *why, size_t size)
{
	if (param_on(k->nested)) {
		snprintf(why, size, "%s nested=%s: guests see %s and can run KVM themselves",
			 k->flavour, k->nested, strcmp(k->flavour, "kvm_intel") ? "SVM" : "VMX");
		return true;
	}
	snprintf(why, size,
		 "%s nested=%s: enable it with 'modprobe -r %s && modprobe %s nested=1' "
		 "(to keep it: 'options %s nested=1' in /etc/modprobe.d/kvm.conf)",
		 k->flavour, k->nested[0] ? k->nested : "unknown", k->flavour, k->flavour,
		 k->flavour);
	return false;
}

/* Arm: nested guests need FEAT_NV in the CPU (Armv8.4 and later, with
 * FEAT_NV2 in practice) and a kernel booted with kvm-arm.mode=nested, which
 * refuses the mode on a CPU without it. */
static bool arm_nested(const struct host_kvm *k, char *why, size_t size)
{
	if (param_on(k->nested)) {
		snprintf(why, size,
			 "kvm-arm.mode=nested: guests get EL2 and can run KVM themselves");
		return true;
	}
	snprintf(why, size,
		 "KVM does not run in nested mode: it needs a CPU with FEAT_NV (Armv8.4 or "
		 "later) and a kernel (6.16 or later) booted with kvm-arm.mode=nested");
	return false;
}

bool nested__possible(const struct host_kvm *k, char *why, size_t size)
{
	if (!strcmp(k->flavour, "kvm_pvm")) {
		snprintf(why, size,
			 "kvm_pvm runs guests without hardware virtualization and offers none to "
			 "them: QEMU cannot run KVM guests inside a guest here (use --accel tcg)");
		return false;
	}
	if (!k->present) {
		snprintf(why, size, "no /dev/kvm%s%s", k->not_bound_reason[0] ? ": " : "",
			 k->not_bound_reason[0] ? k->not_bound_reason
						: " (load kvm_intel, kvm_amd or kvm on a host "
						  "with VT-x, AMD-V or Arm EL2)");
		return false;
	}
	if (k->probed && !k->vm_created) {
		snprintf(why, size, "/dev/kvm is present but cannot create a VM here");
		return false;
	}
	if (!strcmp(k->flavour, "kvm_intel") || !strcmp(k->flavour, "kvm_amd"))
		return x86_nested(k, why, size);
	if (!strcmp(k->flavour, "kvm-arm"))
		return arm_nested(k, why, size);
	snprintf(why, size, "KVM flavour %s: nested support unknown", k->flavour);
	return false;
}
