/* Each captured host under tests/fixtures decodes right: vendor, model,
 * topology, SMT, arch label, Arm core names, KVM flavour, and whether (and
 * of what) the host is a guest, with its verdict and caveats. */
#include "testutil.h"

#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host.h"

static json_t *load(const char *name)
{
	struct vb_err err = { 0 };
	json_t *h = host__inspect_root(fixture(name), &err);
	if (!h)
		fail_msg("%s: %s", name, err.msg);
	return h;
}

static const json_t *get(const json_t *j, const char *path)
{
	char key[64];
	while (j && *path) {
		size_t n = strcspn(path, ".");
		assert_true(n < sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path += n + (path[n] == '.');
	}
	return j;
}

static const char *S(const json_t *h, const char *path)
{
	const char *s = json_string_value(get(h, path));
	if (!s)
		fail_msg("%s is not a string", path);
	return s;
}

static long long I(const json_t *h, const char *path)
{
	const json_t *v = get(h, path);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return (long long)json_integer_value(v);
}

static bool B(const json_t *h, const char *path)
{
	const json_t *v = get(h, path);
	if (!json_is_boolean(v))
		fail_msg("%s is not a boolean", path);
	return json_is_true(v);
}

static bool has(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

static bool array_has(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach (arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

static void test_intel_xeon(void **state)
{
	(void)state;
	json_t *h = load("intel-xeon");
	assert_string_equal(S(h, "source"), "fixture");
	assert_string_equal(S(h, "arch"), "x86_64");
	assert_string_equal(S(h, "arch_label"), "Intel/AMD (x86_64)");
	assert_string_equal(S(h, "cpu.vendor"), "Intel");
	assert_string_equal(S(h, "cpu.vendor_id"), "GenuineIntel");
	assert_string_equal(S(h, "cpu.model_name"), "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz");
	assert_int_equal(I(h, "cpu.family"), 6);
	assert_int_equal(I(h, "cpu.model_number"), 85);
	assert_int_equal(I(h, "cpu.stepping"), 7);
	assert_int_equal(I(h, "cpu.sockets"), 2);
	assert_int_equal(I(h, "cpu.cores"), 20);
	assert_int_equal(I(h, "cpu.cores_per_socket"), 10);
	assert_int_equal(I(h, "cpu.threads_per_core"), 2);
	assert_int_equal(I(h, "cpu.online_cpus"), 40);
	assert_true(B(h, "cpu.smt_on"));
	assert_int_equal(I(h, "cpu.numa_nodes"), 2);
	assert_string_equal(S(h, "cpu.governor"), "powersave");
	assert_string_equal(S(h, "cpu.cpufreq_driver"), "intel_pstate");
	assert_string_equal(S(h, "memory.thp_enabled"), "always");
	assert_int_equal(I(h, "memory.total_bytes"), 197734364LL * 1024);
	assert_string_equal(S(h, "cgroup.layout"), "v2");
	assert_string_equal(S(h, "kernel.release"), "5.15.0-91-generic");
	assert_true(array_has(get(h, "virtualization.extensions"), "vmx"));
	assert_string_equal(S(h, "virtualization.slat"), "ept");
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "kvm_intel");
	assert_string_equal(S(h, "virtualization.kvm.nested"), "Y");
	assert_true(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "VMX"));
	assert_string_equal(S(h, "virtualization.kvm.paging"), "ept");
	assert_true(B(h, "virtualization.kvm.present"));
	assert_false(B(h, "virtualization.kvm.probed")); /* fixtures are never opened */
	assert_false(B(h, "virtualization.guest.is_guest"));
	/* Intel answers leaf 0x40000000 on bare metal too: not a signature */
	assert_true(json_is_null(get(h, "virtualization.guest.cpuid_signature")));
	assert_string_equal(S(h, "virtualization.verdict"),
			    "bare metal: KVM here is kvm_intel (ept paging, nested=Y)");
	assert_true(json_is_null(get(h, "tools")));

	struct host_caveats c;
	assert_int_equal(host__caveats(h, &c), 0);
	assert_false(c.nested);
	assert_false(c.pvm);
	assert_true(c.kvm_usable);
	assert_true(c.governor_not_performance);
	assert_true(c.smt_on);
	assert_string_equal(c.kvm_flavour, "kvm_intel");
	json_decref(h);
}

static void test_amd_epyc(void **state)
{
	(void)state;
	json_t *h = load("amd-epyc");
	assert_string_equal(S(h, "arch_label"), "Intel/AMD (x86_64)");
	assert_string_equal(S(h, "cpu.vendor"), "AMD");
	assert_string_equal(S(h, "cpu.model_name"), "AMD EPYC 7302P 16-Core Processor");
	assert_int_equal(I(h, "cpu.family"), 23);
	assert_int_equal(I(h, "cpu.model_number"), 49);
	assert_int_equal(I(h, "cpu.sockets"), 1);
	assert_int_equal(I(h, "cpu.cores"), 16);
	assert_int_equal(I(h, "cpu.threads_per_core"), 2);
	assert_true(B(h, "cpu.smt_on"));
	assert_int_equal(I(h, "cpu.numa_nodes"), 1);
	assert_string_equal(S(h, "cpu.governor"), "performance");
	assert_string_equal(S(h, "cgroup.layout"), "v1");
	assert_true(array_has(get(h, "cgroup.v1_hierarchies"), "memory"));
	assert_true(array_has(get(h, "virtualization.extensions"), "svm"));
	assert_string_equal(S(h, "virtualization.slat"), "npt");
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "kvm_amd");
	assert_string_equal(S(h, "virtualization.kvm.nested"), "1");
	assert_true(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "SVM"));
	assert_string_equal(S(h, "virtualization.kvm.paging"), "npt");
	assert_false(B(h, "virtualization.guest.is_guest"));
	assert_true(has(S(h, "virtualization.verdict"), "bare metal"));

	struct host_caveats c;
	host__caveats(h, &c);
	assert_false(c.governor_not_performance);
	assert_true(c.smt_on);
	json_decref(h);
}

static void test_arm_neoverse_n1(void **state)
{
	(void)state;
	json_t *h = load("arm-neoverse-n1");
	assert_string_equal(S(h, "arch"), "aarch64");
	assert_string_equal(S(h, "arch_label"), "Arm (aarch64)");
	assert_string_equal(S(h, "cpu.vendor"), "Arm");
	assert_string_equal(S(h, "cpu.model_name"), "Neoverse-N1");
	const json_t *core = json_array_get(get(h, "cpu.arm_cores"), 0);
	assert_string_equal(S(core, "midr"), "0x413fd0c1");
	assert_string_equal(S(core, "implementer"), "0x41");
	assert_string_equal(S(core, "part"), "0xd0c");
	assert_int_equal(I(core, "variant"), 3);
	assert_int_equal(I(core, "revision"), 1);
	assert_int_equal(I(core, "cpus"), 80);
	assert_true(has(S(core, "seen_in"), "Ampere Altra"));
	assert_true(json_is_null(get(h, "cpu.family")) || !get(h, "cpu.family"));
	assert_int_equal(I(h, "cpu.sockets"), 1);
	assert_int_equal(I(h, "cpu.cores"), 80);
	assert_int_equal(I(h, "cpu.threads_per_core"), 1);
	assert_false(B(h, "cpu.smt_on"));
	assert_string_equal(S(h, "cpu.smt_control"), "notsupported");
	assert_string_equal(S(h, "virtualization.arm.el2"), "vhe");
	assert_string_equal(S(h, "virtualization.arm.el2_source"), "kernel log");
	assert_false(B(h, "virtualization.arm.sve"));
	assert_string_equal(S(h, "virtualization.arm.gic"), "v3");
	assert_true(array_has(get(h, "virtualization.extensions"), "el2"));
	assert_string_equal(S(h, "virtualization.extensions_summary"), "EL2, VHE");
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "kvm-arm");
	assert_string_equal(S(h, "virtualization.kvm.paging"), "stage-2");
	/* Neoverse N1 is Armv8.2: no FEAT_NV, so not the nested mode. */
	assert_false(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "kvm-arm.mode=nested"));
	assert_false(B(h, "virtualization.guest.is_guest"));
	assert_true(has(S(h, "virtualization.verdict"), "bare metal: KVM here is kvm-arm (VHE"));
	json_decref(h);
}

static void test_arm_graviton3_guest(void **state)
{
	(void)state;
	json_t *h = load("arm-graviton3-guest");
	assert_string_equal(S(h, "arch_label"), "Arm (aarch64)");
	assert_string_equal(S(h, "cpu.model_name"), "Neoverse-V1");
	assert_true(has(S(json_array_get(get(h, "cpu.arm_cores"), 0), "seen_in"), "Graviton3"));
	assert_int_equal(I(h, "cpu.cores"), 4);
	assert_true(B(h, "virtualization.arm.sve"));
	assert_false(B(h, "virtualization.arm.sve2"));
	assert_int_equal(I(h, "virtualization.arm.sve_vector_bits"), 256);
	assert_string_equal(S(h, "virtualization.arm.el2"), "none");
	assert_string_equal(S(h, "cpu.governor"), "none");
	assert_false(B(h, "virtualization.kvm.present"));
	assert_true(B(h, "virtualization.guest.is_guest"));
	assert_string_equal(S(h, "virtualization.guest.platform"), "AWS EC2");
	assert_false(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "no /dev/kvm"));
	assert_string_equal(S(h, "virtualization.guest.acpi_oem_id"), "AMAZON");
	const char *v = S(h, "virtualization.verdict");
	assert_true(has(v, "guest: "));
	assert_true(has(v, "AWS EC2"));
	assert_true(has(v, "EL1"));

	struct host_caveats c;
	host__caveats(h, &c);
	assert_true(c.nested);
	assert_false(c.kvm_usable);
	assert_false(c.governor_not_performance); /* no cpufreq at all */
	json_decref(h);
}

static void test_intel_gce_nested(void **state)
{
	(void)state;
	json_t *h = load("intel-gce-nested");
	assert_string_equal(S(h, "cpu.model_name"), "Intel(R) Xeon(R) CPU @ 2.80GHz");
	assert_int_equal(I(h, "cpu.cores"), 2);
	assert_int_equal(I(h, "cpu.threads_per_core"), 2);
	assert_true(B(h, "virtualization.guest.hypervisor_bit"));
	assert_string_equal(S(h, "virtualization.guest.cpuid_signature"), "KVMKVMKVM");
	assert_string_equal(S(h, "virtualization.guest.hypervisor"), "KVM");
	assert_string_equal(S(h, "virtualization.guest.platform"), "Google Compute Engine");
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "kvm_intel");
	assert_string_equal(S(h, "virtualization.kvm.nested"), "N");
	/* GCE turns nesting off by default: the answer says how to turn it on. */
	assert_false(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"),
			"modprobe kvm_intel nested=1"));
	assert_string_equal(
		S(h, "virtualization.verdict"),
		"nested: KVM guest of a Google Compute Engine host; KVM here is kvm_intel "
		"(ept paging, nested=N)");
	struct host_caveats c;
	host__caveats(h, &c);
	assert_true(c.nested);
	assert_true(c.kvm_usable);
	assert_false(c.pvm);
	json_decref(h);
}

/* This machine, captured from its own /proc and /sys: an AMD EPYC guest of
 * a Firecracker host under PVM, where kvm_pvm is loaded but cannot bind. */
static void test_this_host(void **state)
{
	(void)state;
	json_t *h = load("this-host");
	assert_string_equal(S(h, "arch_label"), "Intel/AMD (x86_64)");
	assert_string_equal(S(h, "cpu.vendor"), "AMD");
	assert_string_equal(S(h, "cpu.kernel_model_name"), "AMD EPYC");
	assert_string_equal(S(h, "cpu.model_name"), "Oxide Virtual Turin-like Processor");
	assert_int_equal(I(h, "cpu.family"), 26);
	assert_int_equal(I(h, "cpu.online_cpus"), 2);
	assert_int_equal(I(h, "cpu.cores"), 2);
	assert_false(B(h, "cpu.smt_on"));
	assert_string_equal(S(h, "cpu.governor"), "none");
	assert_string_equal(S(h, "cgroup.layout"), "hybrid");
	assert_string_equal(S(h, "cgroup.v2_mount"), "/sys/fs/cgroup/unified");
	assert_int_equal(json_array_size(get(h, "virtualization.extensions")), 0);
	assert_true(array_has(get(h, "virtualization.kvm.modules"), "kvm_pvm"));
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "kvm_pvm");
	assert_false(B(h, "virtualization.kvm.bound"));
	assert_false(B(h, "virtualization.kvm.present"));
	assert_string_equal(S(h, "virtualization.kvm.paging"), "shadow");
	assert_false(B(h, "virtualization.kvm.nested_guests.possible"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "kvm_pvm"));
	assert_true(has(S(h, "virtualization.kvm.nested_guests.reason"), "--accel tcg"));
	assert_true(B(h, "virtualization.guest.is_guest"));
	assert_true(B(h, "virtualization.guest.pvm_guest"));
	assert_true(B(h, "virtualization.guest.firecracker"));
	assert_string_equal(S(h, "virtualization.guest.hypervisor"), "PVM");
	assert_string_equal(S(h, "virtualization.guest.platform"), "Firecracker");
	assert_string_equal(S(h, "virtualization.guest.below"), "bhyve");
	assert_string_equal(S(h, "virtualization.guest.acpi_oem_id"), "FIRECK");
	const char *v = S(h, "virtualization.verdict");
	assert_true(has(v, "guest: PVM guest of a Firecracker host"));
	assert_true(has(v, "kvm_pvm is loaded but did not bind"));

	struct host_caveats c;
	host__caveats(h, &c);
	assert_true(c.nested);
	assert_true(c.pvm_guest);
	assert_false(c.pvm); /* kvm_pvm is not providing /dev/kvm here */
	assert_false(c.kvm_usable);
	assert_false(c.smt_on);
	char sum[512];
	host__caveats_summary(&c, sum, sizeof(sum));
	assert_true(has(sum, "itself a guest"));
	assert_true(has(sum, "PVM"));
	json_decref(h);
}

/* The human table holds the five sections and the verdict. */
static void test_print_sections(void **state)
{
	(void)state;
	json_t *h = load("arm-neoverse-n1");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	host__print(h, f);
	fclose(f);
	assert_true(has(buf, "Host\n"));
	assert_true(has(buf, "\nCPU\n"));
	assert_true(has(buf, "\nMemory\n"));
	assert_true(has(buf, "\nVirtualization\n"));
	assert_true(has(buf, "\nTools\n"));
	assert_true(has(buf, "Arm (aarch64)"));
	assert_true(has(buf, "Neoverse-N1"));
	assert_true(has(buf, "verdict"));
	free(buf);
	json_decref(h);
}

/* A root that is no captured host is refused: an empty path, a missing
 * directory, a file, a directory with neither proc/ nor sys/. */
static void test_missing_root(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	char dir[] = "/tmp/vb-root-XXXXXX", proc[64];
	assert_non_null(mkdtemp(dir));
	const char *bad[] = { "", "/nonexistent-virtbench-root", "/dev/null", dir };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err__clear(&err);
		assert_null(host__inspect_root(bad[i], &err));
		assert_int_equal(err.status, VB_EXIT_USAGE);
		assert_non_null(strstr(err.msg, "expected a directory with a captured host's"));
	}
	/* An empty proc/ still yields a block, with unknowns as null. */
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	assert_int_equal(mkdir(proc, 0700), 0);
	json_t *h = host__inspect_root(dir, &err);
	rmdir(proc);
	rmdir(dir);
	assert_non_null(h);
	assert_string_equal(S(h, "schema"), VB_HOST_SCHEMA);
	assert_true(json_is_null(get(h, "cpu.model_name")));
	assert_string_equal(S(h, "virtualization.kvm.flavour"), "none");
	struct host_caveats c;
	assert_int_equal(host__caveats(h, &c), 0);
	assert_int_equal(host__caveats(NULL, &c), -1);
	json_decref(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_xeon),	 cmocka_unit_test(test_amd_epyc),
		cmocka_unit_test(test_arm_neoverse_n1),	 cmocka_unit_test(test_arm_graviton3_guest),
		cmocka_unit_test(test_intel_gce_nested), cmocka_unit_test(test_this_host),
		cmocka_unit_test(test_print_sections),	 cmocka_unit_test(test_missing_root),
	};
	return cmocka_run_group_tests_name("host fixtures", tests, NULL, NULL);
}
