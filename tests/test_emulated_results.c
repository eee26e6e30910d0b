/* The result files that `make emulated-test` copies out of the emulated hosts
 * (tests/emulated/run-host.sh): virtbench run on a Debian arm64 kernel with
 * KVM in VHE and in nVHE mode, and on a Debian amd64 kernel with kvm-amd on
 * emulated SVM, each against its real nested /dev/kvm. These tests check
 * what a reader relies on: every file is a valid result set of the right
 * architecture, carries the emulation mark, holds the expected benchmarks
 * with plausible values, and `virtbench compare` accepts an aarch64 and an
 * x86_64 set side by side. Timings are never judged: TCG is slow. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>

#include "core/proc.h"
#include "core/result.h"

struct host {
	const char *tag;     /* directory under the results dir */
	const char *arch;    /* host.arch (uname -m) */
	const char *vm_arch; /* the microVM's config "arch" */
};

static const struct host hosts[] = {
	{ "arm64-vhe", "aarch64", "arm64" },
	{ "arm64-nvhe", "aarch64", "arm64" },
	{ "x86_64-svm", "x86_64", "x86_64" },
};

static const char *results_dir(void)
{
	const char *d = getenv("VB_EMUL_RESULTS");
	return d ? d : "build-emul/results";
}

static const char *path_of(const struct host *h, const char *file)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s/%s", results_dir(), h->tag, file);
	return path;
}

static void require_results(const struct host *h)
{
	struct stat st;
	VB_REQUIRE(stat(path_of(h, "info.json"), &st) == 0,
		   "no results from the emulated hosts (make emulated-test makes them)");
}

/* host.<a>.<b> as a string, or NULL. */
static const char *host_str(const json_t *host, const char *a, const char *b)
{
	const json_t *v = json_object_get(host, a);
	if (b)
		v = json_object_get(v, b);
	return json_string_value(v);
}

static void check_host_block(const struct host *h, const json_t *host)
{
	assert_true(json_is_object(host));
	const char *arch = host_str(host, "arch", NULL);
	assert_non_null(arch);
	assert_string_equal(arch, h->arch);
	/* The emulation mark run-host.sh puts on the kernel command line. */
	const char *cmdline = host_str(host, "kernel", "cmdline");
	assert_non_null(cmdline);
	assert_non_null(strstr(cmdline, "virtbench.emulated="));
}

static void load_set(const struct host *h, const char *file, struct vb_result_set *s)
{
	struct vb_err err = { 0 };
	result_set__init(s);
	if (result_set__load(path_of(h, file), s, &err) < 0)
		fail_msg("%s: %s", path_of(h, file), err.msg);
	check_host_block(h, s->host);
	assert_false(s->incomplete);
}

/* Every result of the set is complete and its figures are finite. */
static void check_results(const struct host *h, const struct vb_result_set *s,
			  const char *benchmark)
{
	assert_true(s->nresults > 0);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		assert_string_equal(r->benchmark, benchmark);
		assert_true(r->nsamples > 0);
		assert_int_equal(r->stats.n, r->nsamples);
		assert_true(isfinite(r->stats.median));
		assert_true(r->stats.min <= r->stats.median && r->stats.median <= r->stats.max);
		if (!strcmp(r->platform, "microvm")) {
			const char *arch = result__config(r, "arch");
			assert_non_null(arch);
			assert_string_equal(arch, h->vm_arch);
		}
	}
}

static const struct vb_result *must_find(const struct vb_result_set *s, const char *bench,
					 const char *platform, const char *metric)
{
	const struct vb_result *r = result_set__find(s, bench, platform, metric);
	if (!r)
		fail_msg("no %s/%s/%s result", bench, platform, metric ? metric : "*");
	return r;
}

static void test_info(void **state)
{
	const struct host *h = *state;
	require_results(h);
	json_error_t je;
	json_t *info = json_load_file(path_of(h, "info.json"), 0, &je);
	if (!info)
		fail_msg("%s: line %d: %s", path_of(h, "info.json"), je.line, je.text);
	/* `info --json` is the host block itself, or holds it as "host". */
	const json_t *host = json_object_get(info, "host") ? json_object_get(info, "host") : info;
	check_host_block(h, host);
	const json_t *kvm = json_object_get(json_object_get(host, "virtualization"), "kvm");
	assert_true(json_is_true(json_object_get(kvm, "usable")));
	json_decref(info);
}

static void test_boot(void **state)
{
	const struct host *h = *state;
	require_results(h);
	struct vb_result_set s;
	load_set(h, "vm-boot.json", &s);
	check_results(h, &s, "vm.boot");
	const struct vb_result *total = must_find(&s, "vm.boot", "microvm", "total_ms");
	assert_true(total->stats.min > 0);
	result_set__free(&s);
}

static void test_exits(void **state)
{
	const struct host *h = *state;
	require_results(h);
	struct vb_result_set s;
	load_set(h, "vm-exits.json", &s);
	check_results(h, &s, "vm.exits");
	/* An MMIO exit to user space and one KVM handles inside the kernel
	 * (x86 CPUID, arm64 HVC) exist on both architectures. */
	assert_true(must_find(&s, "vm.exits", "microvm", "mmio_ns")->stats.min > 0);
	assert_true(must_find(&s, "vm.exits", "microvm", "inkernel_ns")->stats.min > 0);
	if (!strcmp(h->arch, "x86_64"))
		assert_true(must_find(&s, "vm.exits", "microvm", "pio_ns")->stats.min > 0);
	else
		assert_null(result_set__find(&s, "vm.exits", "microvm", "pio_ns"));
	result_set__free(&s);
}

static void test_cpu(void **state)
{
	const struct host *h = *state;
	require_results(h);
	struct vb_result_set s;
	load_set(h, "vm-cpu.json", &s);
	check_results(h, &s, "vm.cpu");
	const struct vb_result *guest = must_find(&s, "vm.cpu", "microvm", NULL);
	const struct vb_result *native = must_find(&s, "vm.cpu", "native", NULL);
	assert_true(guest->stats.min > 0);
	assert_true(native->stats.min > 0);
	result_set__free(&s);
}

/* `virtbench compare` takes a real aarch64 and a real x86_64 result set. */
static void test_compare_arches(void **state)
{
	(void)state;
	const struct host *arm = &hosts[0], *x86 = &hosts[2];
	require_results(arm);
	require_results(x86);
	char a[4096], b[4096];
	snprintf(a, sizeof(a), "%s", path_of(arm, "vm-exits.json"));
	snprintf(b, sizeof(b), "%s", path_of(x86, "vm-exits.json"));
	char *const argv[] = { (char *)vb_binary(), "compare", a, b, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	if (proc__run(&o, &r, &err) < 0)
		fail_msg("%s", err.msg);
	if (r.exit_code != 0)
		fail_msg("virtbench compare exited %d: %s", r.exit_code, r.errout);
	assert_non_null(strstr(r.out, "mmio_ns"));
	proc__result_free(&r);
}

#define HOST_TESTS(i)                                                                              \
	cmocka_unit_test_prestate(test_info, (void *)&hosts[i]),                                   \
		cmocka_unit_test_prestate(test_boot, (void *)&hosts[i]),                           \
		cmocka_unit_test_prestate(test_exits, (void *)&hosts[i]),                          \
		cmocka_unit_test_prestate(test_cpu, (void *)&hosts[i])

int main(void)
{
	const struct CMUnitTest tests[] = {
		HOST_TESTS(0),
		HOST_TESTS(1),
		HOST_TESTS(2),
		cmocka_unit_test(test_compare_arches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
