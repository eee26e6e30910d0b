/* Host inspection parsers fed from buffers: cpuinfo (x86 and Arm), CPU
 * lists, meminfo, THP, mountinfo, CPUID dumps, MIDR names, the kernel log,
 * tool versions, the command line. */
#include "testutil.h"

#include <errno.h>

#include "host/armvirt.h"
#include "host/cgroup.h"
#include "host/cpuid.h"
#include "host/cpuinfo.h"
#include "host/guest.h"
#include "host/klog.h"
#include "host/kvm.h"
#include "host/memory.h"
#include "host/midr.h"
#include "host/tools.h"
#include "host/topology.h"

static const char x86_cpuinfo[] = "processor\t: 0\n"
				  "vendor_id\t: GenuineIntel\n"
				  "cpu family\t: 6\n"
				  "model\t\t: 106\n"
				  "model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\n"
				  "stepping\t: 6\n"
				  "cpu MHz\t\t: 2900.000\n"
				  "physical id\t: 0\n"
				  "siblings\t: 4\n"
				  "core id\t\t: 0\n"
				  "cpu cores\t: 2\n"
				  "flags\t\t: fpu vme vmx ept hypervisor avx2\n"
				  "vmx flags\t: vnmi ept vpid unrestricted_guest\n"
				  "\n"
				  "processor\t: 1\n"
				  "vendor_id\t: GenuineIntel\n"
				  "physical id\t: 0\n"
				  "core id\t\t: 1\n"
				  "flags\t\t: fpu\n"
				  "\n"
				  "processor\t: 2\n"
				  "physical id\t: 0\n"
				  "core id\t\t: 0\n"
				  "\n"
				  "processor\t: 3\n"
				  "physical id\t: 0\n"
				  "core id\t\t: 1\n";

static void test_cpuinfo_x86(void **state)
{
	(void)state;
	struct cpuinfo ci;
	assert_int_equal(cpuinfo__parse(x86_cpuinfo, &ci), 0);
	assert_int_equal(ci.nproc, 4);
	assert_string_equal(ci.vendor_id, "GenuineIntel");
	assert_string_equal(ci.model_name, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
	assert_int_equal(ci.family, 6);
	assert_int_equal(ci.model, 106);
	assert_int_equal(ci.stepping, 6);
	assert_int_equal(ci.packages, 1);
	assert_int_equal(ci.cores, 2);
	assert_int_equal(ci.cpu_cores, 2);
	assert_int_equal(ci.siblings, 4);
	/* flags of the first processor, whole words only */
	assert_true(cpuinfo__has_flag(&ci, "vmx"));
	assert_true(cpuinfo__has_flag(&ci, "avx2"));
	assert_false(cpuinfo__has_flag(&ci, "avx"));
	assert_false(cpuinfo__has_flag(&ci, "svm"));
	assert_true(cpuinfo__flag_in(ci.vmx_flags, "unrestricted_guest"));
	assert_int_equal(ci.nmidr, 0);
}

static const char arm_cpuinfo[] =
	"processor\t: 0\n"
	"BogoMIPS\t: 50.00\n"
	"Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics sve sve2\n"
	"CPU implementer\t: 0x41\n"
	"CPU architecture: 8\n"
	"CPU variant\t: 0x0\n"
	"CPU part\t: 0xd4f\n"
	"CPU revision\t: 1\n"
	"\n"
	"processor\t: 1\n"
	"BogoMIPS\t: 50.00\n"
	"Features\t: fp asimd\n"
	"CPU implementer\t: 0x41\n"
	"CPU architecture: 8\n"
	"CPU variant\t: 0x0\n"
	"CPU part\t: 0xd4f\n"
	"CPU revision\t: 1\n"
	"\n"
	/* a little core of a big.LITTLE system */
	"processor\t: 2\n"
	"CPU implementer\t: 0x41\n"
	"CPU architecture: 8\n"
	"CPU variant\t: 0x0\n"
	"CPU part\t: 0xd03\n"
	"CPU revision\t: 4\n";

static void test_cpuinfo_arm(void **state)
{
	(void)state;
	struct cpuinfo ci;
	assert_int_equal(cpuinfo__parse(arm_cpuinfo, &ci), 0);
	assert_int_equal(ci.nproc, 3);
	assert_string_equal(ci.model_name, ""); /* Arm prints none */
	assert_int_equal(ci.architecture, 8);
	assert_int_equal(ci.nmidr, 2);
	assert_int_equal(ci.midr[0].implementer, 0x41);
	assert_int_equal(ci.midr[0].part, 0xd4f);
	assert_int_equal(ci.midr[0].revision, 1);
	assert_int_equal(ci.midr[0].count, 2);
	assert_int_equal(ci.midr[1].part, 0xd03);
	assert_int_equal(ci.midr[1].count, 1);
	assert_true(cpuinfo__has_flag(&ci, "sve2"));
	assert_true(cpuinfo__has_flag(&ci, "sve"));
	assert_int_equal(ci.packages, 0);
}

static void test_cpuinfo_empty(void **state)
{
	(void)state;
	struct cpuinfo ci;
	assert_int_equal(cpuinfo__parse("", &ci), -1);
	assert_int_equal(cpuinfo__parse("garbage without colons\n", &ci), -1);
}

static void test_cpulist(void **state)
{
	(void)state;
	unsigned cpus[16];
	assert_int_equal(cpulist__parse("0", NULL, 0), 1);
	assert_int_equal(cpulist__parse("0-3\n", NULL, 0), 4);
	assert_int_equal(cpulist__parse("0-9,20-29", NULL, 0), 20);
	assert_int_equal(cpulist__parse("0,2,4-5", cpus, 16), 4);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[1], 2);
	assert_int_equal(cpus[3], 5);
	assert_int_equal(cpulist__parse("3-1", NULL, 0), -1);
	assert_int_equal(cpulist__parse("x", NULL, 0), -1);
	assert_int_equal(cpulist__parse("1;2", NULL, 0), -1);
}

static void test_meminfo_thp(void **state)
{
	(void)state;
	struct host_memory m = { 0 };
	assert_int_equal(
		memory__from_meminfo("MemTotal:       24683620 kB\nMemFree:        23950892 kB\n"
				     "MemAvailable:   24246192 kB\nHugePages_Total:       4\n"
				     "Hugepagesize:       2048 kB\n",
				     &m),
		0);
	assert_int_equal(m.total_kib, 24683620);
	assert_int_equal(m.available_kib, 24246192);
	assert_int_equal(m.hugepages_total, 4);
	assert_int_equal(m.hugepage_size_kib, 2048);
	struct host_memory none = { 0 };
	assert_int_equal(memory__from_meminfo("MemFree: 1 kB\n", &none), -1);

	char sel[24];
	thp__selected("always [madvise] never", sel, sizeof(sel));
	assert_string_equal(sel, "madvise");
	thp__selected("always defer defer+madvise [madvise] never", sel, sizeof(sel));
	assert_string_equal(sel, "madvise");
	thp__selected("[always] madvise never", sel, sizeof(sel));
	assert_string_equal(sel, "always");
	thp__selected("always madvise never", sel, sizeof(sel));
	assert_string_equal(sel, "");
}

/* The host view of a mount table given as text. */
static void host_cgroup_of(const char *text, struct host_cgroup *cg)
{
	struct mountinfo mi;
	struct vb_err err = { 0 };
	assert_int_equal(mountinfo__parse(text, &mi, &err), 0);
	cgroup__from_mounts(&mi, cg);
	mountinfo__free(&mi);
}

static void test_mountinfo_layouts(void **state)
{
	(void)state;
	struct host_cgroup cg;
	host_cgroup_of("31 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
		       &cg);
	assert_string_equal(cg.layout, "v2");
	assert_string_equal(cg.v2_mount, "/sys/fs/cgroup");

	host_cgroup_of(
		"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:8 - cgroup cgroup rw,cpu,cpuacct\n"
		"32 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n",
		&cg);
	assert_string_equal(cg.layout, "v1");
	assert_string_equal(cg.v1_hierarchies, "cpu,cpuacct memory");
	assert_string_equal(cg.v2_mount, "");

	host_cgroup_of("31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		       "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
		       &cg);
	assert_string_equal(cg.layout, "hybrid");
	assert_string_equal(cg.v2_mount, "/sys/fs/cgroup/unified");

	/* escaped blanks in a mount point */
	host_cgroup_of("40 30 0:37 / /mnt/my\\040cg rw - cgroup2 cgroup2 rw\n", &cg);
	assert_string_equal(cg.v2_mount, "/mnt/my cg");

	host_cgroup_of("28 1 253:0 / / rw - ext4 /dev/sda1 rw\n", &cg);
	assert_string_equal(cg.layout, "none");
}

/* `cpuid -r -1` of an AMD EPYC 7763 bare-metal host (leaves trimmed). */
static const char epyc_dump[] =
	"CPU:\n"
	"   0x00000000 0x00: eax=0x00000010 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	"   0x00000001 0x00: eax=0x00a00f11 ebx=0x00800800 ecx=0x7ed8320b edx=0x178bfbff\n"
	"   0x40000000 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	"   0x80000001 0x00: eax=0x00a00f11 ebx=0x40000000 ecx=0x75c237ff edx=0x2fd3fbff\n"
	"   0x80000002 0x00: eax=0x20444d41 ebx=0x43595045 ecx=0x36373720 edx=0x34362033\n"
	"   0x80000003 0x00: eax=0x726f432d ebx=0x72502065 ecx=0x7365636f edx=0x20726f73\n"
	"   0x80000004 0x00: eax=0x20202020 ebx=0x20202020 ecx=0x20202020 edx=0x00202020\n"
	"CPU 1:\n"
	"   0x00000000 0x00: eax=0x00000099 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";

static void test_cpuid_dump_decode(void **state)
{
	(void)state;
	struct cpuid_dump d;
	assert_int_equal(cpuid__parse_dump(epyc_dump, &d), 7); /* stops at the second CPU */
	struct cpuid_facts f;
	cpuid__decode(&d, &f);
	assert_true(f.valid);
	assert_string_equal(f.vendor, "AuthenticAMD");
	assert_string_equal(f.brand, "AMD EPYC 7763 64-Core Processor");
	assert_int_equal(f.family, 25); /* 0xf + extended 0xa */
	assert_int_equal(f.model, 1);
	assert_int_equal(f.stepping, 1);
	assert_true(f.svm);
	assert_false(f.vmx);
	assert_false(f.hypervisor);
	assert_string_equal(f.hv_signature, "");
	assert_null(f.hv_name);
	assert_int_equal(cpuid__parse_dump("no leaves here\n", &d), -1);
}

static void test_cpuid_hypervisor_leaf(void **state)
{
	(void)state;
	struct cpuid_dump d = { 0 };
	/* Intel family 6 model 0x55 (extended model 5), hypervisor bit set */
	const uint32_t l0[4] = { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 };
	const uint32_t l1[4] = { 0x00050657, 0, 0x80000020, 0 };
	const uint32_t hv[4] = { 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d };
	cpuid__add(&d, 0, 0, l0);
	cpuid__add(&d, 1, 0, l1);
	cpuid__add(&d, 0x40000000, 0, hv);
	struct cpuid_facts f;
	cpuid__decode(&d, &f);
	assert_string_equal(f.vendor, "GenuineIntel");
	assert_int_equal(f.family, 6);
	assert_int_equal(f.model, 85);
	assert_true(f.vmx);
	assert_true(f.hypervisor);
	assert_string_equal(f.hv_signature, "KVMKVMKVM");
	assert_string_equal(f.hv_name, "KVM");
	assert_int_equal(f.hv_max_leaf, 0x40000001);

	assert_string_equal(cpuid__hypervisor_name("bhyve bhyve "), "bhyve");
	assert_string_equal(cpuid__hypervisor_name("Microsoft Hv"), "Hyper-V");
	assert_string_equal(cpuid__hypervisor_name("VMwareVMware"), "VMware");
	assert_string_equal(cpuid__hypervisor_name("TCGTCGTCGTCG"), "QEMU TCG");
	assert_null(cpuid__hypervisor_name("SomethingNew"));
}

static void test_midr_names(void **state)
{
	(void)state;
	static const struct {
		int impl, part;
		const char *vendor, *core;
	} cases[] = {
		{ 0x41, 0xd0c, "Arm", "Neoverse-N1" },
		{ 0x41, 0xd49, "Arm", "Neoverse-N2" },
		{ 0x41, 0xd40, "Arm", "Neoverse-V1" },
		{ 0x41, 0xd4f, "Arm", "Neoverse-V2" },
		{ 0x41, 0xd84, "Arm", "Neoverse-V3" },
		{ 0x41, 0xd8e, "Arm", "Neoverse-N3" },
		{ 0x41, 0xd03, "Arm", "Cortex-A53" },
		{ 0x41, 0xd07, "Arm", "Cortex-A57" },
		{ 0x41, 0xd08, "Arm", "Cortex-A72" },
		{ 0x41, 0xd0b, "Arm", "Cortex-A76" },
		{ 0xc0, 0xac3, "Ampere", "Ampere-1" },
		{ 0xc0, 0xac4, "Ampere", "Ampere-1A" },
		{ 0x6d, 0xd49, "Microsoft", "Azure-Cobalt-100" },
		{ 0x48, 0xd01, "HiSilicon", "TaiShan-v110" },
		{ 0x46, 0x001, "Fujitsu", "A64FX" },
		{ 0x00, 0x051, "Software-defined", "QEMU-max" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct midr_info mi;
		assert_int_equal(midr__decode(cases[i].impl, cases[i].part, &mi), 0);
		assert_string_equal(mi.vendor, cases[i].vendor);
		assert_string_equal(mi.core, cases[i].core);
	}
	struct midr_info mi;
	assert_int_equal(midr__decode(0x41, 0xfff, &mi), -1);
	assert_string_equal(mi.vendor, "Arm");
	assert_null(mi.core);
	assert_int_equal(midr__decode(0x99, 0x001, &mi), -1);
	assert_null(mi.vendor);
	/* Graviton2 is a Neoverse-N1 */
	midr__decode(0x41, 0xd0c, &mi);
	assert_non_null(strstr(mi.seen_in, "Graviton2"));

	uint64_t midr = 0x413fd0c1;
	assert_int_equal(midr__implementer(midr), 0x41);
	assert_int_equal(midr__variant(midr), 3);
	assert_int_equal(midr__part(midr), 0xd0c);
	assert_int_equal(midr__revision(midr), 1);
}

static void test_klog(void **state)
{
	(void)state;
	struct host_klog k;
	host_klog__scan(
		"<6>[    0.000000] Hypervisor detected: PVM\n"
		"<6>[    0.000017] pvm-pv: running under PVM (pv-lite)\n"
		"<6>[    0.329599] kvm-pvm: this kernel is itself a kvm-pvm guest; not binding\n"
		"<6>[    0.331000] clocksource: Switched to clocksource kvm-clock\n",
		&k);
	assert_true(k.readable);
	assert_string_equal(k.hypervisor_detected, "PVM");
	assert_true(k.pvm_guest);
	assert_true(k.kvm_pvm_not_bound);
	assert_int_equal(k.nkvm_lines, 1); /* kvm-clock is not a kvm module message */
	assert_string_equal(k.kvm_lines[0],
			    "kvm-pvm: this kernel is itself a kvm-pvm guest; not binding");

	host_klog__scan("[    0.30] CPU: All CPU(s) started at EL2\n"
			"[    1.40] kvm [1]: VHE mode initialized successfully\n"
			"[    0.00] GICv3: 672 SPIs implemented\n",
			&k);
	assert_string_equal(k.arm_kvm_mode, "vhe");
	assert_string_equal(k.arm_boot_el, "EL2");
	assert_string_equal(k.gic, "v3");
	assert_false(k.pvm_guest);

	host_klog__scan("[    1.0] kvm [1]: Hyp mode initialized successfully\n", &k);
	assert_string_equal(k.arm_kvm_mode, "nvhe");
	host_klog__scan("[    1.0] kvm [1]: Hyp mode (nVHE) initialized successfully\n", &k);
	assert_string_equal(k.arm_kvm_mode, "nvhe");
	host_klog__scan("[    1.0] kvm [1]: Protected nVHE mode initialized successfully\n", &k);
	assert_string_equal(k.arm_kvm_mode, "protected");
	host_klog__scan("[    0.05] CPU: All CPU(s) started at EL1\n"
			"[ 0.2] kvm [1]: HYP mode not available\n",
			&k);
	assert_string_equal(k.arm_kvm_mode, "none");
	assert_string_equal(k.arm_boot_el, "EL1");
	host_klog__scan("[ 0.0] ACPI: RSDP 0x00000000000E0000 000024 (v02 FIRECK)\n", &k);
	assert_true(k.firecracker);
}

static void test_tool_versions(void **state)
{
	(void)state;
	static const struct {
		const char *out, *version;
	} cases[] = {
		{ "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright",
		  "7.2.22" },
		{ "runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\n", "1.1.5+ds1" },
		{ "crun version 1.8.1\ncommit: f8a0...\n", "1.8.1" },
		{ "Docker version 28.2.2, build e6534b4\n", "28.2.2" },
		{ "podman version 4.3.1\n", "4.3.1" },
		{ "sysbench 1.0.20\n", "1.0.20" },
		{ "stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux 6.1)\n", "0.15.06" },
		{ "gnuplot 5.4 patchlevel 4\n", "5.4.4" },
		{ "no digits at all\n", "" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char v[64];
		tools__parse_version(cases[i].out, v, sizeof(v));
		assert_string_equal(v, cases[i].version);
	}
}

static void test_cmdline_param(void **state)
{
	(void)state;
	char v[32];
	cmdline__param("BOOT_IMAGE=/vmlinuz ro kvm-arm.mode=protected quiet", "kvm-arm.mode", v,
		       sizeof(v));
	assert_string_equal(v, "protected");
	cmdline__param("ro quiet", "kvm-arm.mode", v, sizeof(v));
	assert_string_equal(v, "");
	/* arguments after "--" belong to init */
	cmdline__param("ro -- kvm-arm.mode=nvhe", "kvm-arm.mode", v, sizeof(v));
	assert_string_equal(v, "");
	cmdline__param("xkvm-arm.mode=nvhe", "kvm-arm.mode", v, sizeof(v));
	assert_string_equal(v, "");
}

static void test_gic_interrupts(void **state)
{
	(void)state;
	char g[8];
	gic__from_interrupts(" 11:  1234  GICv3  27 Level     arch_timer\n", g, sizeof(g));
	assert_string_equal(g, "v3");
	gic__from_interrupts(" 18:  1234  GIC-0  27 Level     arch_timer\n", g, sizeof(g));
	assert_string_equal(g, "v2");
	gic__from_interrupts(" 24:  1  IO-APIC   5-edge      ACPI:Ged\n", g, sizeof(g));
	assert_string_equal(g, "");
}

static void test_verdicts(void **state)
{
	(void)state;
	char v[512];
	struct host_guest g;
	struct host_kvm k;

	/* KVM usable inside a KVM guest of a Firecracker host, provided by PVM */
	memset(&g, 0, sizeof(g));
	memset(&k, 0, sizeof(k));
	g.is_guest = true;
	strcpy(g.hypervisor, "KVM");
	strcpy(g.platform, "Firecracker");
	strcpy(k.flavour, "kvm_pvm");
	k.present = k.bound = k.probed = k.openable = k.vm_created = true;
	host_guest__verdict(&g, &k, NULL, v, sizeof(v));
	assert_string_equal(v, "nested: KVM guest of a Firecracker host; KVM here is PVM "
			       "(guest CPL0 emulated, shadow paging)");

	/* the same host where /dev/kvm is not accessible */
	k.openable = k.vm_created = false;
	k.open_errno = EACCES;
	host_guest__verdict(&g, &k, NULL, v, sizeof(v));
	assert_non_null(strstr(v, "guest: KVM guest of a Firecracker host; no usable KVM: /dev/kvm "
				  "cannot be opened (Permission denied)"));

	/* a guest without any virtualization extensions */
	memset(&k, 0, sizeof(k));
	strcpy(k.flavour, "none");
	host_guest__verdict(&g, &k, NULL, v, sizeof(v));
	assert_non_null(strstr(v, "exposes no virtualization extensions"));
	assert_non_null(strstr(v, "emulation"));

	/* Arm: an unnamed VMM, nVHE */
	memset(&g, 0, sizeof(g));
	g.is_guest = true;
	strcpy(g.platform, "generic virt machine");
	memset(&k, 0, sizeof(k));
	strcpy(k.flavour, "kvm-arm");
	k.present = k.bound = true; /* not probed: a fixture */
	host_guest__verdict(&g, &k, "nvhe", v, sizeof(v));
	assert_string_equal(
		v, "nested: a generic virt machine guest (hypervisor not identified); "
		   "KVM here is kvm-arm (nVHE: host kernel at EL1, hypervisor stub at EL2)");

	/* bare metal without KVM */
	memset(&g, 0, sizeof(g));
	memset(&k, 0, sizeof(k));
	strcpy(k.flavour, "none");
	host_guest__verdict(&g, &k, NULL, v, sizeof(v));
	assert_string_equal(v,
			    "bare metal: no KVM module loaded; VMs here run only under emulation "
			    "(QEMU TCG)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuinfo_x86),
		cmocka_unit_test(test_cpuinfo_arm),
		cmocka_unit_test(test_cpuinfo_empty),
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_meminfo_thp),
		cmocka_unit_test(test_mountinfo_layouts),
		cmocka_unit_test(test_cpuid_dump_decode),
		cmocka_unit_test(test_cpuid_hypervisor_leaf),
		cmocka_unit_test(test_midr_names),
		cmocka_unit_test(test_klog),
		cmocka_unit_test(test_tool_versions),
		cmocka_unit_test(test_cmdline_param),
		cmocka_unit_test(test_gic_interrupts),
		cmocka_unit_test(test_verdicts),
	};
	return cmocka_run_group_tests_name("host parsers", tests, NULL, NULL);
}
