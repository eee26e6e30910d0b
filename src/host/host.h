/* Host inspection: what a reader of a result needs to trust it. Every parser
 * takes a path or a buffer so the tests can feed it fixtures. */
#ifndef VB_HOST_HOST_H
#define VB_HOST_HOST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"

/* The version of the host block's keys, its first key: `info --json` prints
 * the block as a document of its own, and results files embed it. */
#define VB_HOST_SCHEMA "virtbench-host/1"

/* The host block (stable keys; unknown values are null):
 *   schema (VB_HOST_SCHEMA), source ("live"|"fixture"), hostname, arch (uname -m), arch_label
 *     ("Intel/AMD (x86_64)", "Arm (aarch64)"), inspect_ms
 *   kernel: release, version, cmdline, vulnerabilities {name: text}
 *   cpu: vendor ("Intel", "AMD", "Arm", "Ampere"...), model_name (x86: CPUID
 *     brand string; Arm: the decoded core, e.g. "Neoverse-N1"), x86 only:
 *     vendor_id, kernel_model_name, family, model_number, stepping,
 *     microcode, mhz; Arm only: arm_cores [{midr, implementer, part,
 *     variant, revision, vendor, core, seen_in, cpus}]; both: online_cpus,
 *     online_list, possible_cpus, sockets, cores, cores_per_socket,
 *     threads_per_core, topology_source, smt_control, smt_on, numa_nodes,
 *     governor ("none" without cpufreq), cpufreq_driver, cpuidle_driver,
 *     features [...]
 *   memory: total_bytes, available_bytes, swap_total_bytes, hugepages_total,
 *     hugepage_size_bytes, thp_enabled, thp_defrag
 *   cgroup: layout ("v1"|"v2"|"hybrid"|"none"|"unknown"), v2_mount,
 *     v1_hierarchies [...], v2_controllers [...]
 *   virtualization:
 *     extensions ["vmx"|"svm"|"el2"], extensions_summary, slat
 *       ("ept"|"npt"|"stage-2"|null)
 *     arm (null on x86): el2 ("vhe"|"nvhe"|"hvhe"|"protected"|"none"|
 *       "available"|"unknown"), el2_source, kvm_arm_mode, sve, sve2, sme,
 *       sve_vector_bits, gic ("v2"|"v3"|"v4"|"v4.1")
 *     kvm: device, present, probed, openable, open_error, api_version,
 *       vcpu_mmap_size, create_vm, create_vm_error, capabilities {max_vcpus,
 *       nr_vcpus, irqchip, user_memory, arm_vm_ipa_size, ...}, modules [...],
 *       flavour ("kvm_intel"|"kvm_amd"|"kvm_pvm"|"kvm-arm"|"kvm"|"none"),
 *       bound, not_bound_reason, nested, paging, usable, kernel_messages [...]
 *     guest: is_guest, hypervisor, platform, below, pvm_guest, firecracker,
 *       hypervisor_bit, cpuid_signature, kernel_hypervisor, dmi_sys_vendor,
 *       dmi_product_name, dmi_bios_vendor, acpi_oem_id, acpi_oem_table_id,
 *       device_tree_compatible, device_tree_hypervisor, evidence [...]
 *     verdict: "bare metal: ...", "guest: ..." (no usable KVM) or
 *       "nested: ..." (a guest with usable KVM)
 *   tools: null (not probed) or [{name, found, path, version, error,
 *     daemon (docker only): {running, server_version, error}}]
 */

/* The host block stored with every result set (see `virtbench info --json`).
 * Includes the tool probe (spawns each tool with --version: typically a few
 * hundred milliseconds, bounded by short timeouts). */
json_t *host__inspect(struct vb_err *err);

/* The same block without the tool probe (no child processes): files,
 * CPUID and a few /dev/kvm ioctls only, a few milliseconds. "tools" is null. */
json_t *host__inspect_fast(struct vb_err *err);

/* A host described by a directory tree of real-format files instead of this
 * machine: <root>/proc/cpuinfo, <root>/sys/..., plus <root>/cpuid.txt
 * (`cpuid -r -1` output) and <root>/dmesg.txt (the kernel log). Nothing is
 * executed, no ioctl is made; a file <root>/dev/kvm stands for the device. */
json_t *host__inspect_root(const char *root, struct vb_err *err);

struct host_inspect_opts {
	const char *root; /* NULL or "": this machine */
	bool tools;	  /* probe tools (this machine only) */
	bool kvm_ioctls;  /* open /dev/kvm and query it (this machine only) */
};
json_t *host__inspect_with(const struct host_inspect_opts *o, struct vb_err *err);

/* The aligned human table of a host block (sections Host, CPU, Memory,
 * Virtualization, Tools). Works on a block loaded from a results file. */
void host__print(const json_t *host, FILE *f);

/* json_object_get along a dotted path ("virtualization.kvm.flavour"); NULL
 * where a key is missing. */
const json_t *host__json_path(const json_t *j, const char *path);

/* What a report should say next to the figures measured on a host, derived
 * from a host block (this machine's or one loaded from results.json). */
struct host_caveats {
	bool nested;	 /* the host is itself a guest: VMs measured here run nested */
	bool pvm;	 /* /dev/kvm is kvm_pvm: guest CPL0 code is emulated, shadow paging */
	bool pvm_guest;	 /* the host kernel runs under PVM: its own syscalls and page
			      faults go through the PVM host, native figures included */
	bool kvm_usable; /* /dev/kvm opened and created a VM */
	bool governor_not_performance; /* cpufreq present and not "performance" */
	bool smt_on;		       /* sibling threads share cores: co-runners disturb figures */
	char kvm_flavour[16]; /* "kvm_intel", "kvm_amd", "kvm_pvm", "kvm-arm", "kvm", "none" */
	char verdict[512];    /* the plain-words verdict of `virtbench info` */
};
/* Returns 0, or -1 when host is not a host block. Missing fields count as
 * "no caveat". */
int host__caveats(const json_t *host, struct host_caveats *out);
/* One line listing the caveats that apply ("nested guest; KVM is PVM ..."),
 * "" when none. */
void host__caveats_summary(const struct host_caveats *c, char *out, size_t size);

/* This machine, inspected once (fast variant) and cached; thread-safe. */
const struct host_caveats *host__caveats_live(void);
/* /dev/kvm here is provided by kvm_pvm and works. */
bool host__is_pvm(void);
/* The KVM flavour loaded here (see struct host_caveats). */
const char *host__kvm_flavour(void);

#endif
