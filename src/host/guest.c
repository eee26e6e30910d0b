#include "host/guest.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One line of evidence: a fixed text followed by what was read (may be ""). */
static void add_evidence(struct host_guest *g, const char *what, const char *value)
{
	if (g->nevidence >= HOST_GUEST_MAX_EVIDENCE)
		return;
	char *e = g->evidence[g->nevidence++];
	size_t size = sizeof(g->evidence[0]);
	hostfs__copy(e, size, what);
	size_t len = strlen(e);
	hostfs__copy(e + len, size - len, value);
}

static void read_dmi(const struct hostfs *fs, const char *name, char *out, size_t size)
{
	char path[96];
	snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", name);
	if (hostfs__read_line(fs, path, out, size) < 0)
		out[0] = '\0';
}

/* OEM ID (6 bytes at offset 10) and OEM table ID (8 bytes at 16) of the
 * first readable ACPI table header. The tables are root-only. */
static void read_acpi_oem(const struct hostfs *fs, struct host_guest *g)
{
	static const char *const tables[] = { "FACP", "DSDT", "APIC", NULL };
	for (unsigned i = 0; tables[i]; i++) {
		char path[64], hdr[40];
		snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s", tables[i]);
		if (hostfs__read(fs, path, hdr, sizeof(hdr)) < 24)
			continue;
		char id[7], tid[9];
		memcpy(id, hdr + 10, 6);
		id[6] = '\0';
		memcpy(tid, hdr + 16, 8);
		tid[8] = '\0';
		hostfs__copy(g->acpi_oem_id, sizeof(g->acpi_oem_id), hostfs__trim(id));
		hostfs__copy(g->acpi_oem_table_id, sizeof(g->acpi_oem_table_id), hostfs__trim(tid));
		return;
	}
}

/* First string of a device-tree property (NUL-separated list). */
static void read_dt(const struct hostfs *fs, const char *prop, char *out, size_t size)
{
	char path[128], buf[256];
	snprintf(path, sizeof(path), "/proc/device-tree/%s", prop);
	if (hostfs__read(fs, path, buf, sizeof(buf)) <= 0)
		out[0] = '\0';
	else
		hostfs__copy(out, size, buf);
}

static const struct {
	const char *vendor, *product; /* NULL matches anything */
	const char *platform;
} dmi_platforms[] = {
	{ "QEMU", NULL, "QEMU" },
	{ NULL, "KVM", "QEMU" },
	{ NULL, "Google Compute Engine", "Google Compute Engine" },
	{ "Amazon EC2", NULL, "AWS EC2" },
	{ "Microsoft Corporation", "Virtual Machine", "Hyper-V" },
	{ "VMware, Inc.", NULL, "VMware" },
	{ "Xen", NULL, "Xen" },
	{ "innotek GmbH", NULL, "VirtualBox" },
	{ "Cloud Hypervisor", NULL, "Cloud Hypervisor" },
	{ "OpenStack Foundation", NULL, "OpenStack" },
	{ NULL, "OpenStack Nova", "OpenStack" },
	{ "Alibaba Cloud", NULL, "Alibaba Cloud ECS" },
	{ "Hetzner", "vServer", "Hetzner Cloud" },
	{ "DigitalOcean", NULL, "DigitalOcean" },
	{ "Oxide", NULL, "Oxide" },
	{ NULL, NULL, NULL },
};

static const struct {
	const char *oem;
	const char *platform;
} acpi_platforms[] = {
	{ "FIRECK", "Firecracker" },
	{ "BOCHS", "QEMU" },
	{ "VRTUAL", "Hyper-V" },
	{ "AMAZON", "AWS EC2" },
	{ "Google", "Google Compute Engine" },
	{ "CLOUDH", "Cloud Hypervisor" },
	{ "VBOX", "VirtualBox" },
	{ "Xen", "Xen" },
	{ NULL, NULL },
};

static const char *platform_hypervisor(const char *platform)
{
	static const struct {
		const char *platform, *hypervisor;
	} map[] = {
		{ "AWS EC2", "Nitro (KVM-based)" },
		{ "Google Compute Engine", "KVM" },
		{ "QEMU", "KVM" },
		{ "Firecracker", "KVM" },
		{ "Cloud Hypervisor", "KVM" },
		{ "Hyper-V", "Hyper-V" },
		{ "VMware", "VMware" },
		{ "Xen", "Xen" },
		{ "VirtualBox", "VirtualBox" },
		{ "Oxide", "bhyve" },
		{ NULL, NULL },
	};
	for (unsigned i = 0; map[i].platform; i++)
		if (!strcmp(map[i].platform, platform))
			return map[i].hypervisor;
	return "";
}

static const char *dmi_platform(const struct host_guest *g)
{
	for (unsigned i = 0; dmi_platforms[i].platform; i++) {
		const char *v = dmi_platforms[i].vendor, *p = dmi_platforms[i].product;
		if (!v && !p)
			continue;
		if (v && strcmp(v, g->dmi_sys_vendor))
			continue;
		if (p && strcmp(p, g->dmi_product_name))
			continue;
		return dmi_platforms[i].platform;
	}
	return NULL;
}

int host_guest__inspect(const struct hostfs *fs, const struct host_guest_inputs *in,
			struct host_guest *g)
{
	memset(g, 0, sizeof(*g));
	const struct host_klog *kl = in->klog;
	const struct cpuid_facts *cf = in->cpuid && in->cpuid->valid ? in->cpuid : NULL;

	g->hypervisor_bit = cf ? cf->hypervisor : in->cpuinfo_hv_flag;
	if (g->hypervisor_bit) {
		g->is_guest = true;
		add_evidence(g, "CPUID hypervisor bit", "");
	}
	if (cf && cf->hv_signature[0]) {
		hostfs__copy(g->cpuid_signature, sizeof(g->cpuid_signature), cf->hv_signature);
		add_evidence(g, "CPUID 0x40000000 signature ", hostfs__trim(g->cpuid_signature));
	}
	if (kl && kl->hypervisor_detected[0]) {
		hostfs__copy(g->kernel_hypervisor, sizeof(g->kernel_hypervisor),
			     kl->hypervisor_detected);
		g->is_guest = true;
		add_evidence(g, "kernel: hypervisor detected: ", kl->hypervisor_detected);
	}
	if (kl && kl->pvm_guest) {
		g->pvm_guest = g->is_guest = true;
		if (!kl->hypervisor_detected[0])
			add_evidence(g, "kernel: running under PVM", "");
	}
	if (kl && kl->arm_smccc_kvm) {
		g->is_guest = true;
		add_evidence(g, "kernel: KVM hypervisor services (SMCCC)", "");
	}

	read_dmi(fs, "sys_vendor", g->dmi_sys_vendor, sizeof(g->dmi_sys_vendor));
	read_dmi(fs, "product_name", g->dmi_product_name, sizeof(g->dmi_product_name));
	read_dmi(fs, "bios_vendor", g->dmi_bios_vendor, sizeof(g->dmi_bios_vendor));
	const char *plat = dmi_platform(g);
	/* EC2 metal instances carry the same DMI vendor but are no guests. */
	bool metal = strstr(g->dmi_product_name, ".metal") != NULL;
	if (plat && !metal) {
		g->is_guest = true;
		add_evidence(g, "DMI ",
			     g->dmi_sys_vendor[0] ? g->dmi_sys_vendor : g->dmi_product_name);
	}

	read_acpi_oem(fs, g);
	const char *acpi_plat = NULL;
	for (unsigned i = 0; acpi_platforms[i].oem; i++)
		if (g->acpi_oem_id[0] && !strcmp(g->acpi_oem_id, acpi_platforms[i].oem))
			acpi_plat = acpi_platforms[i].platform;
	if (acpi_plat) {
		g->is_guest = true;
		add_evidence(g, "ACPI OEM ID ", g->acpi_oem_id);
	}

	read_dt(fs, "compatible", g->dt_compatible, sizeof(g->dt_compatible));
	read_dt(fs, "hypervisor/compatible", g->dt_hypervisor, sizeof(g->dt_hypervisor));
	if (g->dt_hypervisor[0]) {
		g->is_guest = true;
		add_evidence(g, "device tree hypervisor node ", g->dt_hypervisor);
	}
	bool dummy_virt = !strcmp(g->dt_compatible, "linux,dummy-virt");
	if (dummy_virt) {
		/* The machine QEMU "virt", Firecracker, crosvm and Cloud
		 * Hypervisor describe on Arm: a guest, of an unnamed VMM. */
		g->is_guest = true;
		add_evidence(g, "device tree machine ", g->dt_compatible);
	}

	const char *cmd = in->cmdline ? in->cmdline : "";
	bool fc_cmdline = strcasestr(cmd, "firecracker") != NULL;
	if (fc_cmdline)
		add_evidence(g, "kernel command line names firecracker", "");
	g->firecracker = fc_cmdline || (acpi_plat && !strcmp(acpi_plat, "Firecracker")) ||
			 (kl && kl->firecracker);
	if (g->firecracker)
		g->is_guest = true;
	if (g->firecracker && kl && kl->firecracker && !fc_cmdline && !acpi_plat)
		add_evidence(g, "kernel log names Firecracker", "");

	/* What runs this kernel directly. Under PVM a user-mode CPUID is not
	 * intercepted by the PVM host, so its signature names the layer below. */
	const char *hv = g->pvm_guest		   ? "PVM"
			 : g->kernel_hypervisor[0] ? g->kernel_hypervisor
			 : cf && cf->hv_name	   ? cf->hv_name
			 : kl && kl->arm_smccc_kvm ? "KVM"
			 : g->dt_hypervisor[0]	   ? g->dt_hypervisor
						   : "";
	if (!strcmp(hv, "KVM") || strstr(hv, "KVM"))
		hv = "KVM";
	hostfs__copy(g->hypervisor, sizeof(g->hypervisor), hv);
	if (g->pvm_guest && cf && cf->hv_signature[0])
		hostfs__copy(g->below, sizeof(g->below),
			     cf->hv_name ? cf->hv_name : hostfs__trim(g->cpuid_signature));

	const char *p = g->firecracker	 ? "Firecracker"
			: plat && !metal ? plat
			: acpi_plat	 ? acpi_plat
			: dummy_virt	 ? "generic virt machine"
					 : NULL;
	hostfs__copy(g->platform, sizeof(g->platform), p ? p : "");
	/* Without CPUID (Arm) the platform tells the hypervisor. */
	if (g->is_guest && !g->hypervisor[0] && p)
		hostfs__copy(g->hypervisor, sizeof(g->hypervisor), platform_hypervisor(p));
	return 0;
}

static const char *el2_words(const char *el2)
{
	if (!el2)
		return "EL2";
	if (!strcmp(el2, "vhe"))
		return "VHE: host kernel at EL2";
	if (!strcmp(el2, "nvhe"))
		return "nVHE: host kernel at EL1, hypervisor stub at EL2";
	if (!strcmp(el2, "hvhe"))
		return "hVHE";
	if (!strcmp(el2, "protected"))
		return "protected KVM (pKVM), nVHE";
	return "EL2";
}

static const char *an(const char *word)
{
	return strchr("AEIOU", word[0]) ? "an" : "a";
}

void host_guest__verdict(const struct host_guest *g, const struct host_kvm *k, const char *el2,
			 char *out, size_t size)
{
	char who[160] = "";
	if (g->is_guest) {
		const char *hv = g->hypervisor;
		if (hv[0] && g->platform[0])
			snprintf(who, sizeof(who), "%s guest of %s %s host", hv, an(g->platform),
				 g->platform);
		else if (hv[0])
			snprintf(who, sizeof(who), "%s guest", hv);
		else if (g->platform[0])
			snprintf(who, sizeof(who), "%s %s guest (hypervisor not identified)",
				 an(g->platform), g->platform);
		else
			snprintf(who, sizeof(who), "a guest (hypervisor not identified)");
		if (g->below[0]) {
			size_t len = strlen(who);
			snprintf(who + len, sizeof(who) - len, " (which itself runs under %s)",
				 g->below);
		}
	}

	bool usable = k->vm_created || (k->bound && !k->probed);
	char kvm[256];
	const char *fl = k->flavour;
	if (usable) {
		if (!strcmp(fl, "kvm_pvm"))
			snprintf(kvm, sizeof(kvm),
				 "KVM here is PVM (guest CPL0 emulated, shadow paging)");
		else if (!strcmp(fl, "kvm-arm"))
			snprintf(kvm, sizeof(kvm), "KVM here is kvm-arm (%s)", el2_words(el2));
		else
			snprintf(kvm, sizeof(kvm), "KVM here is %s (%s paging%s%s)", fl,
				 k->paging[0] ? k->paging : "unknown",
				 k->nested[0] ? ", nested=" : "", k->nested);
	} else if (el2 && !strcmp(el2, "none")) {
		snprintf(kvm, sizeof(kvm),
			 "no KVM: the kernel was entered at EL1 (no EL2 for KVM)");
	} else if (k->not_bound_reason[0]) {
		snprintf(kvm, sizeof(kvm), "no usable KVM: %s%s", k->not_bound_reason,
			 strstr(k->not_bound_reason, "/dev/kvm") ? "" : ", so no /dev/kvm");
	} else if (k->present && k->probed && !k->openable) {
		snprintf(kvm, sizeof(kvm), "no usable KVM: /dev/kvm cannot be opened (%s)",
			 strerror(k->open_errno));
	} else if (k->present && k->probed && !k->vm_created) {
		snprintf(kvm, sizeof(kvm), "no usable KVM: KVM_CREATE_VM fails (%s)",
			 strerror(k->create_errno));
	} else if (g->is_guest) {
		snprintf(
			kvm, sizeof(kvm),
			"no KVM: the hypervisor exposes no virtualization extensions to this guest");
	} else {
		snprintf(kvm, sizeof(kvm), "no KVM module loaded");
	}

	const char *prefix = !g->is_guest ? "bare metal" : usable ? "nested" : "guest";
	if (usable)
		snprintf(out, size, "%s: %s%s%s", prefix, who, who[0] ? "; " : "", kvm);
	else
		snprintf(out, size, "%s: %s%s%s; VMs here run only under emulation (QEMU TCG)",
			 prefix, who, who[0] ? "; " : "", kvm);
}
