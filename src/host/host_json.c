/* The host block as JSON. Keys are snake_case and stable: results files
 * keep them, and `compare`/`report` read them back. An unknown value is
 * null, never an empty string or a made-up zero. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "host/facts.h"
#include "host/host.h"
#include "host/midr.h"
#include "host/nested.h"

/* A JSON string that always exists: bytes from files (DMI, the command
 * line) may not be UTF-8, and jansson refuses those; they become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char buf[4096];
	hostfs__copy(buf, sizeof(buf), s);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(buf);
	return j ? j : json_string("?");
}

/* "Intel/AMD (x86_64)", "Arm (aarch64)", or the raw name. */
static const char *arch_label(const char *arch)
{
	if (!strcmp(arch, "x86_64"))
		return "Intel/AMD (x86_64)";
	if (!strcmp(arch, "aarch64") || !strcmp(arch, "arm64"))
		return "Arm (aarch64)";
	return arch;
}

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? jstr(s) : json_null();
}

static json_t *uint_or_null(unsigned long long v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

static json_t *int_or_null(long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

/* Space-separated words as a JSON array. */
static json_t *words(const char *s)
{
	json_t *a = json_array();
	char buf[1024];
	hostfs__copy(buf, sizeof(buf), s ? s : "");
	char *save = NULL;
	for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save))
		json_array_append_new(a, jstr(w));
	return a;
}

static const char *x86_vendor(const char *id)
{
	if (!strcmp(id, "GenuineIntel"))
		return "Intel";
	if (!strcmp(id, "AuthenticAMD"))
		return "AMD";
	if (!strcmp(id, "HygonGenuine"))
		return "Hygon";
	if (!strcmp(id, "CentaurHauls") || !strcmp(id, "  Shanghai  "))
		return "Zhaoxin/Centaur";
	return id;
}

/* Features that matter for virtualization and for the workloads. */
static const char *const x86_features[] = {
	"vmx",	  "svm",     "hypervisor",   "ept",	    "npt",
	"avx",	  "avx2",    "avx512f",	     "amx_tile",    "aes",
	"sha_ni", "pdpe1gb", "constant_tsc", "nonstop_tsc", "tsc_deadline_timer",
	"x2apic", "pcid",    "invpcid",	     NULL,
};
static const char *const arm_features[] = {
	"asimd",  "sve",  "sve2", "sme",  "atomics", "crc32", "aes", "sha3",
	"sha512", "i8mm", "bf16", "paca", "mte",     "ssbs",  "dit", NULL,
};

static json_t *feature_list(const struct host_facts *f)
{
	json_t *a = json_array();
	const char *const *list = f->is_arm ? arm_features : x86_features;
	for (unsigned i = 0; list[i]; i++)
		if (cpuinfo__has_flag(&f->cpuinfo, list[i]) ||
		    cpuinfo__flag_in(f->cpuinfo.vmx_flags, list[i]))
			json_array_append_new(a, jstr(list[i]));
	return a;
}

static json_t *arm_cores(const struct host_facts *f, const char **vendor, const char **model)
{
	json_t *a = json_array();
	const struct cpuinfo *ci = &f->cpuinfo;
	for (unsigned i = 0; i < ci->nmidr; i++) {
		struct midr_info mi;
		midr__decode(ci->midr[i].implementer, ci->midr[i].part, &mi);
		char impl[8], part[8], midr[24];
		snprintf(impl, sizeof(impl), "0x%02x", ci->midr[i].implementer & 0xff);
		snprintf(part, sizeof(part), "0x%03x", ci->midr[i].part & 0xfff);
		/* MIDR_EL1 as the kernel's midr_el1 file shows it; architecture
		 * field 0xf for every ARMv8+ core. */
		snprintf(midr, sizeof(midr), "0x%08x",
			 ((unsigned)ci->midr[i].implementer & 0xff) << 24 |
				 ((unsigned)(ci->midr[i].variant < 0 ? 0 : ci->midr[i].variant) &
				  0xf) << 20 |
				 0xfu << 16 | ((unsigned)ci->midr[i].part & 0xfff) << 4 |
				 ((unsigned)(ci->midr[i].revision < 0 ? 0 : ci->midr[i].revision) &
				  0xf));
		json_t *c = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "midr", midr,
				      "implementer", impl, "part", part, "variant",
				      int_or_null(ci->midr[i].variant), "revision",
				      int_or_null(ci->midr[i].revision), "vendor",
				      str_or_null(mi.vendor), "core", str_or_null(mi.core),
				      "seen_in", str_or_null(mi.seen_in), "cpus",
				      (int)ci->midr[i].count);
		json_array_append_new(a, c);
		if (i == 0) {
			*vendor = mi.vendor;
			*model = mi.core;
		}
	}
	return a;
}

static json_t *cpu_json(const struct host_facts *f)
{
	const struct cpuinfo *ci = &f->cpuinfo;
	const struct host_topology *t = &f->topo;
	json_t *cpu = json_object();
	const char *vendor = NULL, *model = NULL;
	char armname[96] = "";

	if (f->is_arm) {
		json_t *cores = arm_cores(f, &vendor, &model);
		if (model && json_array_size(cores) > 1)
			snprintf(armname, sizeof(armname), "%s (+%zu other core types)", model,
				 json_array_size(cores) - 1);
		else if (!model && ci->nmidr)
			snprintf(armname, sizeof(armname),
				 "unknown Arm core (implementer 0x%02x, part 0x%03x)",
				 ci->midr[0].implementer & 0xff, ci->midr[0].part & 0xfff);
		json_object_set_new(cpu, "vendor", str_or_null(vendor));
		json_object_set_new(cpu, "model_name", str_or_null(armname[0] ? armname : model));
		json_object_set_new(cpu, "arm_cores", cores);
	} else {
		const char *vid = f->have_cpuid ? f->cpuid.vendor : ci->vendor_id;
		const char *brand = f->have_cpuid && f->cpuid.brand[0] ? f->cpuid.brand
								       : ci->model_name;
		json_object_set_new(cpu, "vendor", str_or_null(x86_vendor(vid)));
		json_object_set_new(cpu, "vendor_id", str_or_null(vid));
		json_object_set_new(cpu, "model_name", str_or_null(brand));
		/* In a guest the kernel may see another name than CPUID in user
		 * mode (PVM); both are kept. */
		json_object_set_new(cpu, "kernel_model_name", str_or_null(ci->model_name));
		int fam = f->have_cpuid ? f->cpuid.family : ci->family;
		int mod = f->have_cpuid ? f->cpuid.model : ci->model;
		int step = f->have_cpuid ? f->cpuid.stepping : ci->stepping;
		json_object_set_new(cpu, "family", int_or_null(fam));
		json_object_set_new(cpu, "model_number", int_or_null(mod));
		json_object_set_new(cpu, "stepping", int_or_null(step));
		json_object_set_new(cpu, "microcode", str_or_null(ci->microcode));
		json_object_set_new(cpu, "mhz", ci->mhz > 0 ? json_real(ci->mhz) : json_null());
	}
	json_object_set_new(cpu, "online_cpus", uint_or_null(t->online));
	json_object_set_new(cpu, "online_list", str_or_null(t->online_list));
	json_object_set_new(cpu, "possible_cpus", uint_or_null(t->possible));
	json_object_set_new(cpu, "sockets", uint_or_null(t->sockets));
	json_object_set_new(cpu, "cores", uint_or_null(t->cores));
	json_object_set_new(cpu, "cores_per_socket",
			    t->sockets && t->cores ? json_integer(t->cores / t->sockets)
						   : json_null());
	json_object_set_new(cpu, "threads_per_core", uint_or_null(t->threads_per_core));
	json_object_set_new(cpu, "topology_source", str_or_null(t->source));
	json_object_set_new(cpu, "smt_control", str_or_null(t->smt_control));
	json_object_set_new(cpu, "smt_on", json_boolean(t->smt_on));
	json_object_set_new(cpu, "numa_nodes", uint_or_null(t->numa_nodes));
	json_object_set_new(cpu, "governor", jstr(f->freq.governor));
	json_object_set_new(cpu, "cpufreq_driver", str_or_null(f->freq.driver));
	json_object_set_new(cpu, "cpuidle_driver", str_or_null(f->freq.cpuidle_driver));
	json_object_set_new(cpu, "features", feature_list(f));
	return cpu;
}

static json_t *memory_json(const struct host_facts *f)
{
	const struct host_memory *m = &f->mem;
	return json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "total_bytes",
			 uint_or_null(m->total_kib * 1024), "available_bytes",
			 uint_or_null(m->available_kib * 1024), "swap_total_bytes",
			 json_integer((json_int_t)(m->swap_total_kib * 1024)), "hugepages_total",
			 (json_int_t)m->hugepages_total, "hugepage_size_bytes",
			 uint_or_null(m->hugepage_size_kib * 1024), "thp_enabled",
			 str_or_null(m->thp_enabled), "thp_defrag", str_or_null(m->thp_defrag));
}

static json_t *kernel_json(const struct host_facts *f)
{
	json_t *k = json_pack("{s:o, s:o, s:o}", "release", str_or_null(f->release), "version",
			      str_or_null(f->version), "cmdline", str_or_null(f->cmdline));
	/* Speculation mitigations change what a VM exit costs. */
	json_t *vul = json_object();
	char dirpath[4096];
	struct hostfs fs = { .root = f->root };
	if (hostfs__path(&fs, "/sys/devices/system/cpu/vulnerabilities", dirpath,
			 sizeof(dirpath)) == 0) {
		DIR *d = opendir(dirpath);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char path[320], val[256];
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/vulnerabilities/%.200s", de->d_name);
			if (hostfs__read_line(&fs, path, val, sizeof(val)) >= 0)
				json_object_set_new(vul, de->d_name, jstr(val));
		}
		if (d)
			closedir(d);
	}
	json_object_set_new(k, "vulnerabilities", vul);
	return k;
}

static json_t *cgroup_json(const struct host_facts *f)
{
	const struct host_cgroup *c = &f->cgroup;
	return json_pack("{s:s, s:o, s:o, s:o}", "layout", c->layout[0] ? c->layout : "unknown",
			 "v2_mount", str_or_null(c->v2_mount), "v1_hierarchies",
			 words(c->v1_hierarchies), "v2_controllers", words(c->v2_controllers));
}

static json_t *kvm_json(const struct host_facts *f)
{
	const struct host_kvm *k = &f->kvm;
	json_t *caps = json_null();
	if (k->probed && k->openable) {
		caps = json_object();
		for (unsigned i = 0; i < k->ncaps; i++)
			json_object_set_new(caps, k->caps[i].key, json_integer(k->caps[i].value));
	}
	json_t *msgs = json_array();
	for (unsigned i = 0; i < f->klog.nkvm_lines; i++)
		json_array_append_new(msgs, jstr(f->klog.kvm_lines[i]));
	bool usable = k->vm_created || (k->bound && !k->probed);
	json_t *j = json_object();
	json_object_set_new(j, "device", jstr("/dev/kvm"));
	json_object_set_new(j, "present", json_boolean(k->present));
	json_object_set_new(j, "probed", json_boolean(k->probed));
	json_object_set_new(j, "openable", k->probed ? json_boolean(k->openable) : json_null());
	json_object_set_new(j, "open_error",
			    k->probed && !k->openable ? jstr(strerror(k->open_errno))
						      : json_null());
	json_object_set_new(j, "api_version",
			    k->api_version >= 0 ? json_integer(k->api_version) : json_null());
	json_object_set_new(j, "vcpu_mmap_size",
			    k->vcpu_mmap_size > 0 ? json_integer(k->vcpu_mmap_size) : json_null());
	json_object_set_new(j, "create_vm",
			    k->probed && k->openable ? json_boolean(k->vm_created) : json_null());
	json_object_set_new(j, "create_vm_error",
			    k->probed && k->openable && !k->vm_created
				    ? jstr(strerror(k->create_errno))
				    : json_null());
	json_object_set_new(j, "capabilities", caps);
	json_object_set_new(j, "modules", words(k->modules));
	json_object_set_new(j, "flavour", jstr(k->flavour));
	json_object_set_new(j, "bound", json_boolean(k->bound));
	json_object_set_new(j, "not_bound_reason", str_or_null(k->not_bound_reason));
	json_object_set_new(j, "nested", str_or_null(k->nested));
	json_object_set_new(j, "paging", str_or_null(k->paging));
	json_object_set_new(j, "usable", json_boolean(usable));
	char why[256];
	bool nested = nested__possible(k, why, sizeof(why));
	json_object_set_new(j, "nested_guests",
			    json_pack("{s:b, s:s}", "possible", nested, "reason", why));
	json_object_set_new(j, "kernel_messages", msgs);
	return j;
}

static json_t *guest_json(const struct host_facts *f)
{
	const struct host_guest *g = &f->guest;
	json_t *ev = json_array();
	for (unsigned i = 0; i < g->nevidence; i++)
		json_array_append_new(ev, jstr(g->evidence[i]));
	json_t *j = json_object();
	json_object_set_new(j, "is_guest", json_boolean(g->is_guest));
	json_object_set_new(j, "hypervisor", str_or_null(g->hypervisor));
	json_object_set_new(j, "platform", str_or_null(g->platform));
	json_object_set_new(j, "below", str_or_null(g->below));
	json_object_set_new(j, "pvm_guest", json_boolean(g->pvm_guest));
	json_object_set_new(j, "firecracker", json_boolean(g->firecracker));
	json_object_set_new(j, "hypervisor_bit",
			    f->is_arm ? json_null() : json_boolean(g->hypervisor_bit));
	json_object_set_new(j, "cpuid_signature", str_or_null(g->cpuid_signature));
	json_object_set_new(j, "kernel_hypervisor", str_or_null(g->kernel_hypervisor));
	json_object_set_new(j, "dmi_sys_vendor", str_or_null(g->dmi_sys_vendor));
	json_object_set_new(j, "dmi_product_name", str_or_null(g->dmi_product_name));
	json_object_set_new(j, "dmi_bios_vendor", str_or_null(g->dmi_bios_vendor));
	json_object_set_new(j, "acpi_oem_id", str_or_null(g->acpi_oem_id));
	json_object_set_new(j, "acpi_oem_table_id", str_or_null(g->acpi_oem_table_id));
	json_object_set_new(j, "device_tree_compatible", str_or_null(g->dt_compatible));
	json_object_set_new(j, "device_tree_hypervisor", str_or_null(g->dt_hypervisor));
	json_object_set_new(j, "evidence", ev);
	return j;
}

static json_t *virt_json(const struct host_facts *f)
{
	json_t *v = json_object();
	json_t *ext = json_array();
	char summary[128];
	if (f->is_arm) {
		const struct host_armvirt *a = &f->arm;
		bool el2 = strcmp(a->el2, "none") && strcmp(a->el2, "unknown");
		if (el2)
			json_array_append_new(ext, jstr("el2"));
		snprintf(summary, sizeof(summary), "%s",
			 !strcmp(a->el2, "none")	? "no EL2 (kernel entered at EL1)"
			 : !strcmp(a->el2, "unknown")	? "EL2 unknown"
			 : !strcmp(a->el2, "vhe")	? "EL2, VHE"
			 : !strcmp(a->el2, "nvhe")	? "EL2, nVHE"
			 : !strcmp(a->el2, "hvhe")	? "EL2, hVHE"
			 : !strcmp(a->el2, "protected") ? "EL2, protected KVM (pKVM)"
							: "EL2");
		json_object_set_new(
			v, "arm",
			json_pack("{s:s, s:o, s:o, s:b, s:b, s:b, s:o, s:o}", "el2", a->el2,
				  "el2_source", str_or_null(a->el2_source), "kvm_arm_mode",
				  str_or_null(a->kvm_arm_mode), "sve", a->sve, "sve2", a->sve2,
				  "sme", a->sme, "sve_vector_bits",
				  a->sve_vector_bits > 0 ? json_integer(a->sve_vector_bits)
							 : json_null(),
				  "gic", str_or_null(a->gic)));
		json_object_set_new(v, "slat", jstr("stage-2"));
	} else {
		bool vmx = f->have_cpuid ? f->cpuid.vmx : cpuinfo__has_flag(&f->cpuinfo, "vmx");
		bool svm = f->have_cpuid ? f->cpuid.svm : cpuinfo__has_flag(&f->cpuinfo, "svm");
		/* The kernel's flags say what it enabled; CPUID what the CPU offers. */
		vmx |= cpuinfo__has_flag(&f->cpuinfo, "vmx");
		svm |= cpuinfo__has_flag(&f->cpuinfo, "svm");
		if (vmx)
			json_array_append_new(ext, jstr("vmx"));
		if (svm)
			json_array_append_new(ext, jstr("svm"));
		bool ept = cpuinfo__has_flag(&f->cpuinfo, "ept") ||
			   cpuinfo__flag_in(f->cpuinfo.vmx_flags, "ept");
		bool npt = cpuinfo__has_flag(&f->cpuinfo, "npt");
		snprintf(summary, sizeof(summary), "%s",
			 vmx   ? (ept ? "vmx (Intel VT-x) with EPT" : "vmx (Intel VT-x)")
			 : svm ? (npt ? "svm (AMD-V) with NPT" : "svm (AMD-V)")
			       : "none (no vmx/svm visible)");
		json_object_set_new(v, "arm", json_null());
		json_object_set_new(v, "slat", ept ? jstr("ept") : npt ? jstr("npt") : json_null());
	}
	json_object_set_new(v, "extensions", ext);
	json_object_set_new(v, "extensions_summary", jstr(summary));
	json_object_set_new(v, "kvm", kvm_json(f));
	json_object_set_new(v, "guest", guest_json(f));
	json_object_set_new(v, "verdict", jstr(f->verdict));
	return v;
}

static json_t *tools_json(const struct host_facts *f)
{
	if (!f->have_tools)
		return json_null();
	const struct host_tools *ts = &f->tools;
	json_t *a = json_array();
	for (unsigned i = 0; i < ts->n; i++) {
		const struct host_tool *t = &ts->tool[i];
		json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:o}", "name", t->name, "found",
				      t->found, "path", str_or_null(t->path), "version",
				      str_or_null(t->version), "error", str_or_null(t->error));
		if (!strcmp(t->name, "docker") && t->found)
			json_object_set_new(
				o, "daemon",
				json_pack("{s:b, s:o, s:o}", "running", ts->docker_daemon,
					  "server_version", str_or_null(ts->docker_server_version),
					  "error", str_or_null(ts->docker_daemon_error)));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *host_facts__to_json(const struct host_facts *f)
{
	json_t *h = json_object();
	if (!h)
		return NULL;
	json_object_set_new(h, "schema", jstr(VB_HOST_SCHEMA));
	json_object_set_new(h, "source", jstr(f->live ? "live" : "fixture"));
	json_object_set_new(h, "hostname", str_or_null(f->hostname));
	json_object_set_new(h, "arch", str_or_null(f->arch));
	json_object_set_new(h, "arch_label", jstr(arch_label(f->arch)));
	json_object_set_new(h, "kernel", kernel_json(f));
	json_object_set_new(h, "cpu", cpu_json(f));
	json_object_set_new(h, "memory", memory_json(f));
	json_object_set_new(h, "cgroup", cgroup_json(f));
	json_object_set_new(h, "virtualization", virt_json(f));
	json_object_set_new(h, "tools", tools_json(f));
	json_object_set_new(h, "inspect_ms", json_real((double)(long)(f->inspect_ms * 100) / 100));
	return h;
}

const json_t *host__json_path(const json_t *j, const char *path)
{
	char key[64];
	while (j && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path += n + (path[n] == '.');
	}
	return j;
}
