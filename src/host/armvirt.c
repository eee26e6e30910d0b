#include "host/armvirt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/kvm.h"

void gic__from_interrupts(const char *text, char *out, size_t size)
{
	out[0] = '\0';
	if (strstr(text, "GICv3"))
		hostfs__copy(out, size, "v3");
	else if (strstr(text, "GICv2") || strstr(text, "GIC-0") || strstr(text, "GIC-1"))
		hostfs__copy(out, size, "v2");
}

static void set_el2(struct host_armvirt *a, const char *mode, const char *source)
{
	hostfs__copy(a->el2, sizeof(a->el2), mode);
	hostfs__copy(a->el2_source, sizeof(a->el2_source), source);
}

int armvirt__inspect(const struct hostfs *fs, const struct armvirt_inputs *in,
		     struct host_armvirt *a)
{
	memset(a, 0, sizeof(*a));
	a->sve_vector_bits = -1;
	const struct host_klog *kl = in->klog;
	cmdline__param(in->cmdline ? in->cmdline : "", "kvm-arm.mode", a->kvm_arm_mode,
		       sizeof(a->kvm_arm_mode));

	/* The log says what KVM actually did; the command line what was asked. */
	if (kl && kl->arm_kvm_mode[0])
		set_el2(a, kl->arm_kvm_mode, "kernel log");
	else if (!strcmp(a->kvm_arm_mode, "protected"))
		set_el2(a, "protected", "kvm-arm.mode");
	else if (!strcmp(a->kvm_arm_mode, "nvhe"))
		set_el2(a, "nvhe", "kvm-arm.mode");
	else if (!strcmp(a->kvm_arm_mode, "none"))
		set_el2(a, "none", "kvm-arm.mode");
	else if (kl && !strcmp(kl->arm_boot_el, "EL1"))
		set_el2(a, "none", "kernel log (entered at EL1)");
	else if (in->dev_kvm)
		set_el2(a, "available", "/dev/kvm");
	else
		set_el2(a, "unknown", "");

	if (in->cpuinfo) {
		a->sve = cpuinfo__has_flag(in->cpuinfo, "sve");
		a->sve2 = cpuinfo__has_flag(in->cpuinfo, "sve2");
		a->sme = cpuinfo__has_flag(in->cpuinfo, "sme");
	}
	if (in->hwcap_valid) {
		a->sve |= in->hw_sve;
		a->sve2 |= in->hw_sve2;
		a->sme |= in->hw_sme;
	}
	long vl;
	if (hostfs__read_long(fs, "/proc/sys/abi/sve_default_vector_length", &vl) == 0 && vl > 0)
		a->sve_vector_bits = (int)(vl * 8);

	size_t len;
	char *irqs = hostfs__read_alloc(fs, "/proc/interrupts", 1 << 20, &len);
	if (irqs) {
		gic__from_interrupts(irqs, a->gic, sizeof(a->gic));
		free(irqs);
	}
	/* The log knows GICv4/v4.1 (direct vLPI injection), /proc/interrupts not. */
	if (kl && kl->gic[0] && (!a->gic[0] || kl->gic[1] == '4'))
		hostfs__copy(a->gic, sizeof(a->gic), kl->gic);
	return 0;
}
