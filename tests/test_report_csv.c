/* The seed's CSV files: exact names and header lines, rows filled from the
 * fixture result set, and the extra CSVs next to them. The report reads what
 * the benchmarks write (the names of core/names.h on both sides): what the
 * producers really write fills the seed's files, and a result under a name
 * the report does not know is shown among the other results. */
#include "testutil.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "core/fileio.h"
#include "core/names.h"
#include "core/result.h"
#include "native/native.h"
#include "report/family.h"
#include "report/report.h"
#include "vm/bench_impl.h"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp("vb-report-csv", dir, sizeof(dir), &err);
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(dir);
	return 0;
}

static char *slurp(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *data = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	if (file__read_all(path, 16 << 20, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return data;
}

static void load(struct vb_result_set *s, const char *which)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/results.json", fixture(which));
	struct vb_err err = { 0 };
	if (result_set__load(path, s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(family__link(s), 0);
}

/* The names and header lines of the seed's scripts, verbatim. */
static void test_seed_names_and_headers(void **state)
{
	(void)state;
	static const char *const expect[][2] = {
		{ "vm_boot_times.csv", "vcpus,memory_mb,boot_time_seconds" },
		{ "hypervisor_overhead.csv",
		  "vcpus,memory_mb,native_events_per_sec,vm_events_per_sec,overhead_percent" },
		{ "container_startup_times.csv", "image,startup_time_seconds" },
		{ "container_cpu_performance.csv",
		  "image,threads,native_events_per_sec,container_events_per_sec,overhead_percent" },
		{ "container_memory_performance.csv",
		  "image,threads,native_speed_mib_sec,container_speed_mib_sec,overhead_percent" },
	};
	assert_int_equal(REPORT_SEED_CSVS, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(report__seed_csvs[i].name, expect[i][0]);
		assert_string_equal(report__seed_csvs[i].header, expect[i][1]);
	}

	struct vb_result_set s;
	load(&s, "results/x86_64");
	struct vb_err err = { 0 };
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	for (size_t i = 0; i < 5; i++) {
		char *text = slurp(expect[i][0]);
		size_t hl = strlen(expect[i][1]);
		assert_memory_equal(text, expect[i][1], hl);
		assert_int_equal(text[hl], '\n');
		free(text);
	}
	result_set__free(&s);
}

/* Rows: medians of the fixture (designed values), in the seed's units. */
static void test_seed_rows(void **state)
{
	(void)state;
	struct vb_result_set s;
	load(&s, "results/x86_64");
	struct vb_err err = { 0 };
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);

	char *boot = slurp("vm_boot_times.csv");
	/* The microVM's create-to-ready medians (1.0 and 1.2 ms), in seconds;
	 * QEMU ran under TCG in this fixture, so the microVM fills the file. */
	assert_string_equal(boot,
			    "vcpus,memory_mb,boot_time_seconds\n1,512,0.001\n2,1024,0.0012\n");
	free(boot);

	char *hyp = slurp("hypervisor_overhead.csv");
	assert_non_null(strstr(hyp, "\n1,512,1000,990,1\n"));
	free(hyp);

	char *st = slurp("container_startup_times.csv");
	assert_non_null(strstr(st, "\nvirtbench-worker (container-builtin),0.0012\n"));
	assert_non_null(strstr(st, "\nvirtbench-worker (runc),0.022\n"));
	free(st);

	char *cpu = slurp("container_cpu_performance.csv");
	assert_non_null(strstr(cpu, "\nvirtbench-worker (runc),1,1000,995,0.5\n"));
	free(cpu);
	char *mem = slurp("container_memory_performance.csv");
	assert_non_null(strstr(mem, "\nvirtbench-worker (runc),1,5000,4900,2\n"));
	free(mem);
	result_set__free(&s);
}

/* The families the seed did not have, with intervals. */
static void test_extra_csvs(void **state)
{
	(void)state;
	struct vb_result_set s;
	load(&s, "results/aarch64");
	struct vb_err err = { 0 };
	assert_int_equal(report__write_extra_csvs(&s, dir, &err), 0);
	static const char *const names[] = { "boot_phases.csv",	   "vm_exits.csv",
					     "memory_latency.csv", "vm_scale.csv",
					     "density.csv",	   "overhead.csv",
					     "results.csv" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *t = slurp(names[i]);
		assert_true(strlen(t) > 20);
		free(t);
	}
	char *ml = slurp("memory_latency.csv");
	/* Working sets as bytes, not "1G". */
	assert_non_null(strstr(ml, ",1073741824,"));
	free(ml);
	char *bp = slurp("boot_phases.csv");
	assert_non_null(strstr(bp, "vm.boot,microvm,create_vm,"));
	free(bp);
	result_set__free(&s);
}

/* An empty set still gives every file with its header line. */
static void test_empty_set(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	assert_int_equal(family__link(&s), 0);
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	char *t = slurp("hypervisor_overhead.csv");
	assert_string_equal(t, "vcpus,memory_mb,native_events_per_sec,vm_events_per_sec,"
			       "overhead_percent\n");
	free(t);
	result_set__free(&s);
}

static void add(struct vb_result_set *s, struct vb_result *r, double base)
{
	assert_non_null(r);
	for (int i = 0; i < 8; i++)
		assert_int_equal(result__add_sample(r, base * (1 + 0.001 * i)), 0);
	result__finish(r);
	assert_int_equal(result_set__add(s, r), 0);
}

/* The rows of a CSV file (its header line aside) that contain needle. */
static size_t rows_with(const char *csv, const char *needle)
{
	size_t n = 0;
	const char *line = strchr(csv, '\n');
	while (line && line[1]) {
		line++;
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 511 ? len : 511), line);
		if (strstr(buf, needle))
			n++;
		line = end;
	}
	return n;
}

/* A row whose every cell holds something: an empty cell is a figure the
 * report could not find (a configuration key or a baseline it missed). */
static void assert_full_row(const char *csv, const char *needle)
{
	const char *p = strstr(csv, needle);
	if (!p)
		fail_msg("no row with '%s' in:\n%s", needle, csv);
	if (*p == '\n')
		p++;
	while (p > csv && p[-1] != '\n')
		p--;
	const char *end = strchr(p, '\n');
	size_t len = end ? (size_t)(end - p) : strlen(p);
	if (!len || p[0] == ',' || p[len - 1] == ',' || memmem(p, len, ",,", 2))
		fail_msg("a cell of '%.*s' is empty", (int)len, p);
}

/* A renamed metric is no longer read as the figure it was; it must then
 * show up among the other results, not vanish from the page and leave a
 * seed file empty without a word. */
static void test_unknown_metric_is_other(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vm_config cfg = { 1, 512 };
	const char *unit;
	bool hib;
	const char *metric = vmb__metric(VM_WL_CPU, &unit, &hib);
	add(&s, vmb__result(VB_BENCH_VM_CPU, VB_PLATFORM_NATIVE, metric, unit, hib, &cfg, NULL),
	    1000);
	add(&s, vmb__result(VB_BENCH_VM_CPU, VMB_PLATFORM, metric, unit, hib, &cfg, NULL), 990);
	add(&s,
	    vmb__result(VB_BENCH_VM_CPU, VMB_PLATFORM, "events_per_second", unit, hib, &cfg, NULL),
	    980);
	assert_int_equal(family__link(&s), 0);
	assert_int_equal(s.results[1]->view.family, FAM_CPU);
	assert_int_equal(s.results[2]->view.family, FAM_OTHER);

	struct report_opts o = { .no_gnuplot = true, .quiet = true };
	struct vb_err err = { 0 };
	if (report__write_all(&s, dir, &o, &err) < 0)
		fail_msg("%s", err.msg);
	char *html = slurp("report.html");
	const char *other = strstr(html, "<h3>Other results</h3>");
	assert_non_null(other);
	const char *end = strstr(other, "</table>");
	assert_non_null(end);
	const char *row = strstr(other, "events_per_second");
	assert_true(row && row < end);
	/* The known figure stays where it was, alone. */
	const char *cpu = strstr(html, "<h3>CPU throughput and hypervisor overhead</h3>");
	assert_non_null(cpu);
	assert_true(cpu < other);
	free(html);
	char *hyp = slurp("hypervisor_overhead.csv");
	assert_int_equal(rows_with(hyp, ""), 1);
	assert_full_row(hyp, "1,512,");
	free(hyp);
	char *all = slurp("results.csv");
	assert_non_null(strstr(all, "events_per_second"));
	free(all);
	result_set__free(&s);
}

/* A set whose views were never filled would give empty rows: refused. */
static void test_unlinked_set_refused(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), -1);
	assert_non_null(strstr(err.msg, "not linked"));
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, report__seed_csvs[0].name);
	assert_int_equal(access(path, F_OK), -1);
	result_set__free(&s);
}

/* The native benchmark and the microVM's result labelling, as they are:
 * the guest's vCPUs and memory and the native baseline reach
 * hypervisor_overhead.csv. */
static void test_native_and_vm_names_fill_overhead(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct native_opts no;
	native_opts__init(&no, WL_CPU);
	no.threads = 1;
	no.time_s = 0.02;
	no.run.iterations = 3;
	no.run.warmup = 0;
	no.run.label = NULL;
	struct vb_err err = { 0 };
	if (native__bench_cpu(&no, &s, &err) < 0)
		fail_msg("%s", err.msg);
	struct vm_config cfg = { 2, 1024 };
	const char *unit;
	bool hib;
	const char *metric = vmb__metric(VM_WL_CPU, &unit, &hib);
	add(&s, vmb__result(VB_BENCH_VM_CPU, VMB_PLATFORM, metric, unit, hib, &cfg, NULL), 1000);
	/* One thread natively, two vCPUs: no baseline; with one vCPU, one. */
	cfg.vcpus = 1;
	add(&s, vmb__result(VB_BENCH_VM_CPU, VMB_PLATFORM, metric, unit, hib, &cfg, NULL), 1000);
	assert_int_equal(family__link(&s), 0);
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	char *hyp = slurp("hypervisor_overhead.csv");
	assert_int_equal(rows_with(hyp, ""), 2);
	assert_full_row(hyp, "\n1,1024,");
	assert_non_null(strstr(hyp, "\n2,1024,,1003.5,\n"));
	free(hyp);
	result_set__free(&s);
}

/* The container benchmarks on the built-in runtime, tiny: every seed
 * container file gets its row, with the native side and the overhead. */
static void test_container_names_fill_seed_csvs(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	VB_REQUIRE(!getenv("VB_QEMU_USER"),
		   "qemu-user cannot start containers of the aarch64 worker");
	const char *b = getenv("VB_BUILD");
	char worker[PATH_MAX], rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "%s/virtbench-worker", b ? b : "build");
	assert_non_null(realpath(rel, worker));
	setenv("VIRTBENCH_WORKER", worker, 1);

	struct container_opts o;
	container_opts__init(&o, false);
	o.runtimes = 1u << CT_RT_BUILTIN;
	o.quiet = o.silent = true;
	o.run.iterations = 3;
	o.run.warmup = 0;
	o.nthreads = 1;
	o.time_s = 0.02;
	o.mem_total = 8ull << 20;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	if (container_bench__startup(&o, &s, &err) < 0 || container_bench__cpu(&o, &s, &err) < 0 ||
	    container_bench__memory(&o, &s, &err) < 0)
		fail_msg("%s", err.msg);
	unsetenv("VIRTBENCH_WORKER");
	assert_int_equal(family__link(&s), 0);
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	static const char *const files[] = { "container_startup_times.csv",
					     "container_cpu_performance.csv",
					     "container_memory_performance.csv" };
	for (size_t i = 0; i < 3; i++) {
		char *csv = slurp(files[i]);
		assert_int_equal(rows_with(csv, "(" VB_PLATFORM_CONTAINER_BUILTIN ")"), 1);
		assert_full_row(csv, "(" VB_PLATFORM_CONTAINER_BUILTIN ")");
		free(csv);
	}
	result_set__free(&s);
}

static void test_platform_kinds(void **state)
{
	(void)state;
	assert_int_equal(names__platform_kind(VB_PLATFORM_NATIVE), VB_PK_NATIVE);
	assert_int_equal(names__platform_kind(VB_PLATFORM_QEMU), VB_PK_VM);
	assert_int_equal(names__platform_kind(VB_PLATFORM_MICROVM), VB_PK_VM);
	for (int rt = 0; rt < CT_RT_COUNT; rt++) {
		assert_int_equal(names__platform_kind(container_runtime__platform(rt)),
				 VB_PK_CONTAINER);
		const char *seed = container_runtime__seed_platform(rt);
		if (seed)
			assert_int_equal(names__platform_kind(seed), VB_PK_CONTAINER);
	}
	assert_int_equal(names__platform_kind(VB_PLATFORM_UNSHARE_EXEC), VB_PK_CONTAINER);
	/* No prefix guessing: a name is in the table or it is not. */
	assert_int_equal(names__platform_kind("qemu-7"), VB_PK_OTHER);
	assert_int_equal(names__platform_kind("containerd"), VB_PK_OTHER);
	assert_int_equal(names__family(VB_BENCH_CONTAINER_STARTUP), FAM_STARTUP);
	assert_int_equal(names__family(VB_KIND_CPU), FAM_CPU);
	assert_int_equal(names__family(VB_KIND_CLOCK), FAM_OTHER);
	assert_true(names__metric_known(VB_METRIC_PHASE_PREFIX "create_vm_ms"));
	assert_true(names__metric_known("cpuid" VB_METRIC_NS_SUFFIX));
	assert_false(names__metric_known(VB_METRIC_PHASE_PREFIX));
	assert_false(names__metric_known("MiB_per_sec"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_names_and_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_csvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_metric_is_other, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlinked_set_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_native_and_vm_names_fill_overhead, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_container_names_fill_seed_csvs, setup,
						teardown),
		cmocka_unit_test(test_platform_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
