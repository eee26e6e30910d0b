/* The seed's CSV files: exact names and header lines, rows filled from the
 * fixture result set, and the extra CSVs next to them. */
#include "testutil.h"

#include "core/fileio.h"
#include "core/result.h"
#include "report/report.h"

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
	if (file__read_all(path, 1 << 20, &data, &len, &err) < 0)
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
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	char *t = slurp("hypervisor_overhead.csv");
	assert_string_equal(t, "vcpus,memory_mb,native_events_per_sec,vm_events_per_sec,"
			       "overhead_percent\n");
	free(t);
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_names_and_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_csvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_set, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
