/* The seed's three knowledge-check questions answered from the figures
 * (report.html and compare's summary), the seed files' platform rule and
 * per-platform copies, and the reading aids: 3-4 significant digits for
 * people, no interval for one sample. Sets are built in memory with
 * designed medians, so the answers' numbers are known. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/output.h"
#include "report/answers.h"
#include "report/chart.h"
#include "report/compare.h"
#include "report/compare_summary.h"
#include "report/report.h"
#include "report/text.h"
#include "reportset.h"

#define TMPDIR_PREFIX "vb-report-answers"
#include "tmpdir.h"

static bool exists(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* One host's figures for all three questions: a 100 ms microVM boot and a
 * 10 ms runc start-up (ratio 10), first touch 4x slower in the guest, memory
 * latency 10% slower at 16 MiB, and host throughput down 10 points per
 * busy guest. */
static void host_set(struct vb_result_set *s, const char *arch, double boot_ms)
{
	result_set__init(s);
	rs_host(s, arch, arch, NULL);
	rs_add(s, VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, boot_ms,
	       10, "vcpus=1", "memory_mb=512", NULL);
	rs_add(s, VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false,
	       boot_ms * 2, 10, "vcpus=2", "memory_mb=1024", NULL);
	rs_add(s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false, 10,
	       10, "image=w", "runtime=runc", NULL);
	rs_add(s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_CONTAINER_BUILTIN, VB_METRIC_READY_MS,
	       "ms", false, 2, 10, "image=w", "runtime=container-builtin", NULL);
	for (int g = 0; g < 2; g++) {
		const char *pages = g ? "page_size=2M" : "page_size=4K";
		rs_add(s, VB_BENCH_VM_FAULT, VB_PLATFORM_NATIVE, VB_METRIC_NS_PER_PAGE, "ns", false,
		       g ? 100000 : 1000, 10, "size=16M", pages, NULL);
		rs_add(s, VB_BENCH_VM_FAULT, VB_PLATFORM_MICROVM, VB_METRIC_NS_PER_PAGE, "ns",
		       false, g ? 120000 : 4000, 10, "size=16M", pages, NULL);
	}
	static const char *const ws[] = { "working_set=4K", "working_set=16M" };
	for (int w = 0; w < 2; w++) {
		rs_add(s, VB_BENCH_VM_MEMLAT, VB_PLATFORM_NATIVE, VB_METRIC_NS_PER_LOAD, "ns",
		       false, w ? 100 : 1, 10, ws[w], "page_size=4K", NULL);
		rs_add(s, VB_BENCH_VM_MEMLAT, VB_PLATFORM_MICROVM, VB_METRIC_NS_PER_LOAD, "ns",
		       false, w ? 110 : 1, 10, ws[w], "page_size=4K", NULL);
	}
	struct vb_result *base = NULL;
	static const char *const guests[] = { "guests=0", "guests=1", "guests=2", "guests=4" };
	static const double tput[] = { 1000, 900, 800, 600 };
	for (int g = 0; g < 4; g++) {
		struct vb_result *r = rs_add(s, VB_BENCH_VM_INTERFERENCE, VB_PLATFORM_NATIVE,
					     VB_METRIC_EVENTS_PER_SEC, "events/s", true, tput[g], 6,
					     guests[g], "guest_state=busy", "threads=2", NULL);
		if (!g)
			base = r;
		else
			result__set_overhead(r, base, r);
	}
	assert_int_equal(family__link(s), 0);
}

static void test_three_answers(void **state)
{
	(void)state;
	struct vb_result_set s;
	host_set(&s, "x86_64", 100);
	struct boot_ratio br;
	assert_true(answers__boot_ratio(&s, &br));
	assert_string_equal(br.vm->platform, VB_PLATFORM_MICROVM);
	assert_int_equal((int)br.vm->view.vcpus, 1);		/* the smallest configuration */
	assert_string_equal(br.ct->platform, VB_PLATFORM_RUNC); /* runc before the built-in */
	assert_true(fabs(br.ratio - 10) < 0.2);
	assert_true(br.lo <= br.ratio && br.ratio <= br.hi);

	static char ans[ANSWERS_N][ANSWERS_SIZE];
	answers__build(&s, ans);
	assert_non_null(strstr(ans[0], "On x86_64 a microvm boot"));
	assert_non_null(strstr(ans[0], "100 ms ["));
	assert_non_null(strstr(ans[0], "10.0x ["));
	assert_non_null(strstr(ans[1], "first-touch fault per page (4K pages): 4.00 µs ["));
	assert_non_null(strstr(ans[1], "1.00 µs ["));
	assert_non_null(strstr(ans[1], "natively, +300.0% ["));
	assert_non_null(strstr(ans[1], "first-touch fault per page (2M pages)"));
	assert_non_null(strstr(ans[1], "+20.0% ["));
	assert_non_null(strstr(ans[1], "memory latency per load (16 MiB, 4K pages)"));
	assert_non_null(strstr(ans[1], "natively, +10.0% [")); /* latency at 16 MiB */
	assert_non_null(strstr(ans[2], "+10.0% ["));
	assert_non_null(strstr(ans[2], "with 4"));
	/* 10, 20, 40 points at 1, 2, 4 guests: 10 points per guest. */
	struct interference_curve c;
	answers__interference_curve(&s, "busy", &c);
	assert_int_equal(c.n, 3);
	assert_true(fabs(c.per_guest - 10) < 0.5);
	assert_non_null(strstr(ans[2], "+10.0 points per added guest"));

	/* report.html shows them, and says which platform each seed file holds. */
	struct report_opts o = { .no_gnuplot = true, .quiet = true };
	struct vb_err err = { 0 };
	if (report__write_all(&s, dir, &o, &err) < 0)
		fail_msg("%s", err.msg);
	char *html = slurp("report.html");
	assert_non_null(strstr(html, "The seed&#39;s questions"));
	assert_non_null(strstr(html, "10.0x ["));
	assert_non_null(strstr(html, "points per added guest"));
	assert_non_null(strstr(html, "<code>container_startup_times.csv</code></td><td>runc"));
	assert_non_null(strstr(html, "container_startup_times.container-builtin.csv"));
	free(html);
	/* The overhead chart includes memory virtualization. */
	char *svg = slurp("overhead.svg");
	assert_non_null(strstr(svg, "fault"));
	assert_non_null(strstr(svg, "memlat"));
	free(svg);
	result_set__free(&s);
}

/* Nothing measured: each answer says so instead of a number. */
static void test_answers_not_measured(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(family__link(&s), 0);
	static char ans[ANSWERS_N][ANSWERS_SIZE];
	answers__build(&s, ans);
	for (size_t k = 0; k < ANSWERS_N; k++)
		assert_non_null(strstr(ans[k], "Not measured on this host"));
	result_set__free(&s);
}

/* compare: both hosts' answers with their numbers; the VM boot differs
 * between the architectures while the container start-up does not. */
static void test_compare_answers(void **state)
{
	(void)state;
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	host_set(&rep->inputs[0].set, "x86_64", 100);
	host_set(&rep->inputs[1].set, "aarch64", 200);
	rep->inputs[0].letter = 'A';
	rep->inputs[1].letter = 'B';
	rep->ninputs = 2;
	struct vb_err err = { 0 };
	assert_int_equal(compare__build(rep, &err), 0);
	struct cmp_answer ans[COMPARE_QUESTIONS];
	compare__summary(rep, 1, ans);
	assert_non_null(strstr(ans[5].question, "VM boot against container start-up"));
	assert_non_null(strstr(ans[5].text, "A: On x86_64"));
	assert_non_null(strstr(ans[5].text, "B: On aarch64"));
	assert_non_null(strstr(ans[5].text, "VM boot B/A 2.00: B higher by 100%"));
	assert_non_null(strstr(ans[5].text, "Container start-up B/A 1.00: no significant"));
	assert_non_null(strstr(ans[5].text, "10.0x on A and 20.0x on B"));
	assert_non_null(strstr(ans[6].question, "memory-virtualization"));
	assert_non_null(strstr(ans[6].text, "+300.0% ["));
	assert_non_null(strstr(ans[6].text, "Side by side:"));
	assert_non_null(strstr(ans[7].question, "number of running VMs"));
	assert_non_null(strstr(ans[7].text, "beside 4 busy guests"));
	assert_non_null(strstr(ans[7].text, "A +10.0, B +10.0 points per added guest"));
	compare__free(rep);
	free(rep);
}

/* The seed files: one platform each, by the rule, with a copy per platform. */
static void test_seed_rule_and_copies(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	rs_add(&s, VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, 1, 6,
	       "vcpus=1", "memory_mb=512", NULL);
	struct vb_result *q = rs_add(&s, VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS,
				     "ms", false, 250, 6, "vcpus=1", "memory_mb=512", "accel=kvm",
				     NULL);
	rs_add(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER, VB_METRIC_READY_MS, "ms", false,
	       250, 6, "image=w", NULL);
	rs_add(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER_SEED, VB_METRIC_RUNNING_MS, "ms",
	       false, 400, 6, "image=w", NULL);
	rs_add(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false,
	       20, 6, "image=w", NULL);
	assert_int_equal(family__link(&s), 0);
	struct vb_err err = { 0 };
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	/* QEMU with KVM is the seed's set-up: it fills the file. */
	assert_string_equal(report__seed_csv_platform(&s, 0), VB_PLATFORM_QEMU);
	char *t = slurp("vm_boot_times.csv");
	assert_string_equal(t, "vcpus,memory_mb,boot_time_seconds\n1,512,0.25\n");
	free(t);
	t = slurp("vm_boot_times.qemu.csv");
	assert_string_equal(t, "vcpus,memory_mb,boot_time_seconds\n1,512,0.25\n");
	free(t);
	t = slurp("vm_boot_times.microvm.csv");
	assert_string_equal(t, "vcpus,memory_mb,boot_time_seconds\n1,512,0.001\n");
	free(t);
	/* Docker (both its methods) holds the start-up file; runc its copy. */
	t = slurp("container_startup_times.csv");
	assert_non_null(strstr(t, "\nw (first instruction),0.25\n"));
	assert_non_null(strstr(t, "\nw,0.4\n"));
	assert_null(strstr(t, "runc"));
	free(t);
	assert_true(exists("container_startup_times.docker.csv"));
	assert_false(exists("container_startup_times.docker-seed-method.csv"));
	t = slurp("container_startup_times.runc.csv");
	assert_non_null(strstr(t, "\nw,0.02\n"));
	free(t);

	/* QEMU under TCG gives way to the microVM. */
	snprintf(q->config[2].value, sizeof(q->config[2].value), "tcg");
	assert_string_equal(q->config[2].key, "accel");
	s.linked = false;
	assert_int_equal(family__link(&s), 0);
	assert_string_equal(report__seed_csv_platform(&s, 0), VB_PLATFORM_MICROVM);
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	t = slurp("vm_boot_times.csv");
	assert_string_equal(t, "vcpus,memory_mb,boot_time_seconds\n1,512,0.001\n");
	free(t);
	result_set__free(&s);
}

static void test_significant_digits(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 12345.678, "12350" }, { 1234.5, "1235" },  { 123.456, "123" },
		{ 12.3456, "12.3" },	{ 1.23456, "1.23" }, { 0.012345, "0.0123" },
		{ -4.5678, "-4.57" },	{ 0, "0" },	     { 1500, "1500" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char b[32];
		text__num(b, sizeof(b), cases[i].v);
		assert_string_equal(b, cases[i].want);
		fmt__sig(b, sizeof(b), cases[i].v);
		assert_string_equal(b, cases[i].want);
	}
	/* CSV keeps its precision. */
	char b[32];
	fmt__num(b, sizeof(b), 12345.678);
	assert_string_equal(b, "12345.7");
	text__qty(b, sizeof(b), 1234.5678, "events/s");
	assert_string_equal(b, "1235 events/s");
}

static void test_no_interval_for_one_sample(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_result *one = rs_add(&s, VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS,
				       "ms", false, 8500, 1, "vcpus=1", "memory_mb=512", NULL);
	struct vb_result *six = rs_add(&s, VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS,
				       "ms", false, 8500, 6, "vcpus=2", "memory_mb=1024", NULL);
	char b[96];
	text__stats(b, sizeof(b), &one->stats, one->unit);
	assert_string_equal(b, "8.50 s");
	text__stats(b, sizeof(b), &six->stats, six->unit);
	assert_non_null(strchr(b, '['));
	answers__qty(one, b, sizeof(b));
	assert_string_equal(b, "8.50 s (n = 1)");

	/* The text table: the one-sample row has no interval and no "(0%)". */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	output__table(&s, f);
	fclose(f);
	const char *row1 = strstr(out, "vcpus=1");
	assert_non_null(row1);
	const char *eol = strchr(row1, '\n');
	char line[512];
	snprintf(line, sizeof(line), "%.*s", (int)(eol - row1), row1);
	assert_non_null(strstr(line, "8500"));
	assert_null(strchr(line, '['));
	assert_null(strstr(line, "(0%)"));
	free(out);

	/* A chart draws no error bar for it. */
	struct chart *c = chart__new("t", "t", "x", "y", CHART_BARS);
	chart__put(c, "s", "one", 0, one->stats.median, one->stats.ci_low, one->stats.ci_high);
	assert_true(isnan(c->series[0].lo[0]) && isnan(c->series[0].hi[0]));
	chart__put(c, "s", "six", 0, six->stats.median, six->stats.ci_low, six->stats.ci_high);
	assert_true(c->series[0].lo[1] < c->series[0].hi[1]);
	chart__free(c);
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_answers, setup, teardown),
		cmocka_unit_test(test_answers_not_measured),
		cmocka_unit_test(test_compare_answers),
		cmocka_unit_test_setup_teardown(test_seed_rule_and_copies, setup, teardown),
		cmocka_unit_test(test_significant_digits),
		cmocka_unit_test(test_no_interval_for_one_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
