/* compare on sets built in memory: rows whose platform (the seed files'
 * microVM against QEMU, or docker against podman), accelerator (kvm against tcg) or emulated host
 * differ are flagged, not given a verdict, and the summary says so; a
 * verdict says better or worse by the metric's direction; an inconclusive
 * row says how many samples a verdict needs; figures of `vm nested` at both
 * levels on both hosts get the nesting section (each host's L2/L1 cost side
 * by side) and the summary says whose nesting costs more. */
#include "testutil.h"

#include <math.h>

#include "core/stats.h"
#include "report/compare.h"
#include "report/compare_nested.h"
#include "report/compare_out.h"
#include "report/compare_summary.h"
#include "reportset.h"

static struct cmp_report *rep;

static int setup(void **state)
{
	(void)state;
	rep = calloc(1, sizeof(*rep));
	for (size_t i = 0; i < 2; i++) {
		rep->inputs[i].letter = (char)('A' + i);
		snprintf(rep->inputs[i].label, sizeof(rep->inputs[i].label), "host%c",
			 (char)('A' + i));
		result_set__init(&rep->inputs[i].set);
	}
	rep->ninputs = 2;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	compare__free(rep);
	free(rep);
	return 0;
}

static void build(void)
{
	struct vb_err err = { 0 };
	for (size_t i = 0; i < rep->ninputs; i++)
		assert_int_equal(family__link(&rep->inputs[i].set), 0);
	if (compare__build(rep, &err) < 0)
		fail_msg("%s", err.msg);
}

static const struct cmp_row *find(const char *pa, const char *pb, const char *metric)
{
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *r = &rep->rows[i];
		if (r->a && r->b && !strcmp(r->a->platform, pa) && !strcmp(r->b->platform, pb) &&
		    !strcmp(r->a->metric, metric))
			return r;
	}
	fail_msg("no row %s/%s %s", pa, pb, metric);
	return NULL;
}

static struct vb_result_set *A(void)
{
	return &rep->inputs[0].set;
}
static struct vb_result_set *B(void)
{
	return &rep->inputs[1].set;
}

/* A's seed VM platform is the microVM (no QEMU), B's QEMU with KVM: the
 * seed files put a 1 ms microVM start beside a 250 ms Linux boot. */
static void test_microvm_vs_qemu_flagged(void **state)
{
	(void)state;
	rs_add(A(), VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, 1.0, 10,
	       "vcpus=1", "memory_mb=512", NULL);
	rs_add(B(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 250.0, 10,
	       "vcpus=1", "memory_mb=512", "accel=kvm", NULL);
	build();
	const struct cmp_row *r = find(VB_PLATFORM_MICROVM, VB_PLATFORM_QEMU, VB_METRIC_READY_MS);
	assert_true(r->seed);
	assert_int_equal(r->verdict, CMP_FLAGGED);
	assert_false(r->b_better);
	assert_non_null(strstr(r->text, "not compared: platform microvm (A) vs qemu"));
	/* The 250x difference is shown, never given a verdict. */
	assert_true(r->ratio > 200);

	char note[1024];
	assert_int_equal(compare__flagged_note(rep, 1, note, sizeof(note)), 1);
	assert_non_null(strstr(note, "different VM platforms"));
	struct cmp_answer ans[COMPARE_QUESTIONS];
	compare__summary(rep, 1, ans);
	assert_non_null(strstr(ans[0].text, "Not comparable"));
	assert_null(strstr(ans[0].text, "better in"));
}

/* The same QEMU boot under KVM on A and TCG on B aligns (accel is not part
 * of the key) and is flagged. */
static void test_kvm_vs_tcg_flagged(void **state)
{
	(void)state;
	rs_add(A(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 300.0, 10,
	       "vcpus=1", "memory_mb=512", "accel=kvm", NULL);
	rs_add(B(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 4000.0, 10,
	       "vcpus=1", "memory_mb=512", "accel=tcg", NULL);
	build();
	const struct cmp_row *r = find(VB_PLATFORM_QEMU, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS);
	assert_false(r->seed);
	assert_int_equal(r->verdict, CMP_FLAGGED);
	assert_non_null(strstr(r->text, "accelerator kvm (A) vs tcg"));
	char note[1024];
	assert_int_equal(compare__flagged_note(rep, 1, note, sizeof(note)), 1);
	assert_non_null(strstr(note, "kvm vs tcg"));

	/* The text output says so in its summary; JSON and CSV call it flagged. */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	compare__print(rep, f);
	fclose(f);
	assert_non_null(strstr(out, "Flagged: 1 row flagged"));
	free(out);
	json_t *doc = compare__json(rep);
	json_t *row = json_array_get(json_object_get(doc, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "verdict")), "flagged");
	assert_non_null(json_object_get(doc, "flagged"));
	json_decref(doc);
}

/* B's host is itself emulated (virtbench.emulated on its kernel command
 * line): even a native row is not compared. */
static void test_emulated_host_flagged(void **state)
{
	(void)state;
	rs_host(A(), "a", "x86_64", "quiet");
	rs_host(B(), "b", "aarch64", "console=ttyAMA0 " VB_HOST_EMULATED_PARAM "=qemu-tcg");
	rs_add(A(), "native.cpu", VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC, "events/s", true,
	       1000, 10, "threads=1", NULL);
	rs_add(B(), "native.cpu", VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC, "events/s", true,
	       50, 10, "threads=1", NULL);
	build();
	const struct cmp_row *r =
		find(VB_PLATFORM_NATIVE, VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC);
	assert_int_equal(r->verdict, CMP_FLAGGED);
	assert_string_equal(r->text, "not compared: emulated host no (A) vs qemu-tcg");
}

/* Every reason is named: the seed files' platforms, their accelerators and
 * the emulated host at once. */
static void test_all_reasons(void **state)
{
	(void)state;
	rs_host(B(), "b", "x86_64", VB_HOST_EMULATED_PARAM "=qemu-tcg");
	rs_add(A(), VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, 1.0, 10,
	       "vcpus=1", "memory_mb=512", NULL);
	rs_add(B(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 9000.0, 10,
	       "vcpus=1", "memory_mb=512", "accel=tcg", NULL);
	build();
	const struct cmp_row *r = find(VB_PLATFORM_MICROVM, VB_PLATFORM_QEMU, VB_METRIC_READY_MS);
	assert_string_equal(r->text, "not compared: platform microvm (A) vs qemu; accelerator kvm "
				     "(A) vs tcg; emulated host no (A) vs qemu-tcg");
	char note[1024];
	assert_int_equal(compare__flagged_note(rep, 1, note, sizeof(note)), 1);
	assert_non_null(strstr(note, "1 where the seed files hold different VM platforms"));
	assert_non_null(strstr(note, "1 where the accelerator differs (kvm vs tcg)"));
	assert_non_null(strstr(note, "1 where one host is itself emulated"));
}

/* A's seed container runtime is docker, B's podman (no docker there): the
 * seed's container files put one beside the other, row by row (start-up
 * by each method, cpu and memory by threads), and every such row is
 * flagged; runc, on both, is compared as usual. */
static void test_container_runtimes_flagged(void **state)
{
	(void)state;
	static const char *const img = "image=virtbench-worker";
	rs_add(A(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER, VB_METRIC_READY_MS, "ms", false,
	       600, 6, img, NULL);
	rs_add(A(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER_SEED, VB_METRIC_RUNNING_MS, "ms",
	       false, 900, 6, img, NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_PODMAN, VB_METRIC_READY_MS, "ms", false,
	       400, 6, img, NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_PODMAN_SEED, VB_METRIC_RUNNING_MS, "ms",
	       false, 500, 6, img, NULL);
	for (unsigned t = 1; t <= 2; t++) {
		char th[16];
		snprintf(th, sizeof(th), "threads=%u", t);
		rs_add(A(), VB_BENCH_CONTAINER_CPU, VB_PLATFORM_DOCKER, VB_METRIC_EVENTS_PER_SEC,
		       "events/s", true, 1000 * t, 6, th, img, NULL);
		rs_add(B(), VB_BENCH_CONTAINER_CPU, VB_PLATFORM_PODMAN, VB_METRIC_EVENTS_PER_SEC,
		       "events/s", true, 1500 * t, 6, th, img, NULL);
	}
	rs_add(A(), VB_BENCH_CONTAINER_MEMORY, VB_PLATFORM_DOCKER, VB_METRIC_MIB_PER_SEC, "MiB/s",
	       true, 3000, 6, "threads=1", img, NULL);
	rs_add(B(), VB_BENCH_CONTAINER_MEMORY, VB_PLATFORM_PODMAN, VB_METRIC_MIB_PER_SEC, "MiB/s",
	       true, 2000, 6, "threads=1", img, NULL);
	rs_add(A(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false,
	       20, 6, img, NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false,
	       30, 6, img, NULL);
	build();

	const struct cmp_row *r = find(VB_PLATFORM_DOCKER, VB_PLATFORM_PODMAN, VB_METRIC_READY_MS);
	assert_true(r->seed);
	assert_int_equal(r->verdict, CMP_FLAGGED);
	assert_string_equal(r->text, "not compared: container runtime docker (A) vs podman");
	/* Each method beside its own: the seed's beside the seed's. */
	r = find(VB_PLATFORM_DOCKER_SEED, VB_PLATFORM_PODMAN_SEED, VB_METRIC_RUNNING_MS);
	assert_int_equal(r->verdict, CMP_FLAGGED);
	assert_string_equal(r->b->platform, VB_PLATFORM_PODMAN_SEED);
	size_t cpu = 0, flagged = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *x = &rep->rows[i];
		flagged += x->verdict == CMP_FLAGGED;
		if (!x->seed || strcmp(x->a->benchmark, VB_BENCH_CONTAINER_CPU))
			continue;
		cpu++;
		assert_int_equal(x->verdict, CMP_FLAGGED);
		assert_true(x->a->view.threads == x->b->view.threads);
	}
	assert_int_equal(cpu, 2);
	assert_int_equal(
		find(VB_PLATFORM_DOCKER, VB_PLATFORM_PODMAN, VB_METRIC_MIB_PER_SEC)->verdict,
		CMP_FLAGGED);
	/* 2 start-up rows, 2 cpu, 1 memory; runc's row is not among them. */
	assert_int_equal(flagged, 5);
	assert_int_not_equal(find(VB_PLATFORM_RUNC, VB_PLATFORM_RUNC, VB_METRIC_READY_MS)->verdict,
			     CMP_FLAGGED);

	char note[1024];
	assert_int_equal(compare__flagged_note(rep, 1, note, sizeof(note)), 5);
	assert_non_null(strstr(note, "5 where the seed files hold different container runtimes"));
	assert_null(strstr(note, "VM platforms"));
}

/* The same seed runtime on both hosts: nothing is paired across runtimes. */
static void test_same_container_runtime_not_paired(void **state)
{
	(void)state;
	rs_add(A(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER, VB_METRIC_READY_MS, "ms", false,
	       600, 6, "image=virtbench-worker", NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER, VB_METRIC_READY_MS, "ms", false,
	       400, 6, "image=virtbench-worker", NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_PODMAN, VB_METRIC_READY_MS, "ms", false,
	       400, 6, "image=virtbench-worker", NULL);
	build();
	for (size_t i = 0; i < rep->nrows; i++)
		assert_false(rep->rows[i].seed);
	assert_int_not_equal(
		find(VB_PLATFORM_DOCKER, VB_PLATFORM_DOCKER, VB_METRIC_READY_MS)->verdict,
		CMP_FLAGGED);
}

/* Same platform, accelerator and host kind: verdicts as usual, with the
 * direction of each metric: a higher throughput is better, a higher time
 * worse. */
static void test_better_worse(void **state)
{
	(void)state;
	rs_add(A(), "native.cpu", VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC, "events/s", true,
	       1000, 10, "threads=1", NULL);
	rs_add(B(), "native.cpu", VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC, "events/s", true,
	       1500, 10, "threads=1", NULL);
	rs_add(A(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false,
	       20, 10, "image=w", NULL);
	rs_add(B(), VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_RUNC, VB_METRIC_READY_MS, "ms", false,
	       30, 10, "image=w", NULL);
	build();
	const struct cmp_row *cpu =
		find(VB_PLATFORM_NATIVE, VB_PLATFORM_NATIVE, VB_METRIC_EVENTS_PER_SEC);
	assert_int_equal(cpu->verdict, CMP_HIGHER);
	assert_true(cpu->b_better);
	assert_non_null(strstr(cpu->text, "B higher by 50% ± "));
	assert_non_null(strstr(cpu->text, "(better)"));
	const struct cmp_row *st = find(VB_PLATFORM_RUNC, VB_PLATFORM_RUNC, VB_METRIC_READY_MS);
	assert_int_equal(st->verdict, CMP_HIGHER);
	assert_false(st->b_better);
	assert_non_null(strstr(st->text, "(worse)"));
	char note[64];
	assert_int_equal(compare__flagged_note(rep, 1, note, sizeof(note)), 0);
	assert_string_equal(note, "");
}

/* Too few samples: the row says how many a verdict needs, and that many
 * would make a complete separation significant while one fewer would not. */
static void test_needed_samples(void **state)
{
	(void)state;
	rs_add(A(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 1000, 3,
	       "vcpus=1", "memory_mb=512", "accel=tcg", NULL);
	rs_add(B(), VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS, "ms", false, 10000, 3,
	       "vcpus=1", "memory_mb=512", "accel=tcg", NULL);
	build();
	const struct cmp_row *r = find(VB_PLATFORM_QEMU, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS);
	assert_int_equal(r->verdict, CMP_INCONCLUSIVE);
	size_t n = r->needed;
	assert_true(n > 3);
	assert_int_equal(n, compare__needed_samples(3, 3));
	char want[64];
	snprintf(want, sizeof(want), "a verdict needs n >= %zu a side", n);
	assert_non_null(strstr(r->text, want));
	double a[64], b[64];
	for (size_t i = 0; i < n; i++)
		a[i] = (double)i, b[i] = (double)(n + i);
	assert_true(stats__mann_whitney_p(a, n, b, n) < COMPARE_ALPHA);
	assert_true(stats__mann_whitney_p(a, n - 1, b, n - 1) >= COMPARE_ALPHA);
	/* Enough on one side already: the other side alone must grow. */
	assert_int_equal(compare__needed_samples(40, 40), 0);
	struct cmp_answer ans[COMPARE_QUESTIONS];
	compare__summary(rep, 1, ans);
	snprintf(want, sizeof(want), "a verdict needs %zu samples a side", n);
	assert_non_null(strstr(ans[0].text, want));
}

/* One figure of vm nested at both levels: l1 and l2 medians, n samples. */
static void nested_pair(struct vb_result_set *s, const char *bench, const char *metric,
			const char *unit, bool hib, double l1, double l2, size_t n)
{
	rs_add(s, bench, VB_PLATFORM_MICROVM, metric, unit, hib, l1, n, "vcpus=1", "memory_mb=64",
	       "level=l1", "nested_accel=kvm", NULL);
	rs_add(s, bench, VB_PLATFORM_MICROVM, metric, unit, hib, l2, n, "vcpus=1", "memory_mb=64",
	       "level=l2", "nested_accel=kvm", NULL);
}

static char *printed(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	compare__print(rep, f);
	fclose(f);
	return out;
}

/* B loses more one level down, in a time (lower is better) and in a
 * throughput (higher is better): each row says B's nesting costs more,
 * with both hosts' L2/L1, and the summary names B. An L2 figure without
 * its L1 twin on one host is not a nesting row. */
static void test_nested_b_costs_more(void **state)
{
	(void)state;
	nested_pair(A(), VB_BENCH_VM_BOOT, VB_METRIC_READY_MS, "ms", false, 10.0, 12.0, 10);
	nested_pair(B(), VB_BENCH_VM_BOOT, VB_METRIC_READY_MS, "ms", false, 10.0, 20.0, 10);
	nested_pair(A(), "vm.cpu", VB_METRIC_EVENTS_PER_SEC, "events/s", true, 1000, 950, 10);
	nested_pair(B(), "vm.cpu", VB_METRIC_EVENTS_PER_SEC, "events/s", true, 1000, 700, 10);
	rs_add(A(), "vm.memory", VB_PLATFORM_MICROVM, "MiB_per_sec", "MiB/s", true, 900, 10,
	       "level=l2", "nested_accel=kvm", NULL);
	rs_add(B(), "vm.memory", VB_PLATFORM_MICROVM, "MiB_per_sec", "MiB/s", true, 800, 10,
	       "level=l2", "nested_accel=kvm", NULL);
	build();
	struct cmp_nest n[4];
	assert_int_equal(compare__nested(rep, 1, n, 4), 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(n[i].verdict, NEST_B_MORE);
		assert_true(n[i].b.percent > n[i].a.percent);
		assert_non_null(strstr(n[i].text, "B's nesting costs more"));
	}
	const struct cmp_nest *boot = !strcmp(n[0].a2->benchmark, VB_BENCH_VM_BOOT) ? &n[0] : &n[1];
	assert_true(fabs(boot->a_ratio - 1.2) < 1e-9 && fabs(boot->b_ratio - 2.0) < 1e-9);
	assert_true(fabs(boot->a.percent - 20) < 1 && fabs(boot->b.percent - 100) < 2);
	/* Throughput: the overhead is the loss, L2/L1 below 1. */
	const struct cmp_nest *cpu = boot == &n[0] ? &n[1] : &n[0];
	assert_true(cpu->b_ratio < cpu->a_ratio && cpu->a_ratio < 1);
	assert_true(fabs(cpu->a.percent - 5) < 1 && fabs(cpu->b.percent - 30) < 1);

	char sum[512];
	assert_int_equal(compare__nested_summary(rep, 1, sum, sizeof(sum)), 2);
	assert_non_null(strstr(sum, "B (hostB) pays more for nesting"));
	assert_non_null(strstr(sum, "higher in 2, lower in 0"));
	char *out = printed();
	assert_non_null(strstr(out, "Nesting (vm nested)"));
	assert_non_null(strstr(out, "B L2/L1"));
	assert_non_null(strstr(out, "1.20 (+20.0% ["));
	assert_non_null(strstr(out, "Nesting: B (hostB) pays more for nesting"));
	free(out);
	/* The same sentence in the JSON document and in compare.html. */
	json_t *doc = compare__json(rep);
	json_t *ns = json_array_get(json_object_get(doc, "nesting"), 0);
	assert_string_equal(json_string_value(json_object_get(ns, "b")), "B");
	assert_string_equal(json_string_value(json_object_get(ns, "answer")), sum);
	json_decref(doc);
	struct chart_list charts = { 0 };
	struct vb_buf html = { 0 };
	assert_int_equal(compare__html(rep, &charts, "", &html), 0);
	assert_non_null(strstr(html.data, "<b>Nesting:</b> B (hostB) pays more for nesting"));
	buf__free(&html);
}

/* A's nesting costs more in one figure, the other is the same on both
 * hosts: A is named. Equal overheads are no clear difference; one sample
 * a side is inconclusive. */
static void test_nested_a_costs_more_and_unsure(void **state)
{
	(void)state;
	nested_pair(A(), VB_BENCH_VM_BOOT, VB_METRIC_READY_MS, "ms", false, 10.0, 30.0, 10);
	nested_pair(B(), VB_BENCH_VM_BOOT, VB_METRIC_READY_MS, "ms", false, 5.0, 6.0, 10);
	nested_pair(A(), "vm.cpu", VB_METRIC_EVENTS_PER_SEC, "events/s", true, 1000, 900, 10);
	nested_pair(B(), "vm.cpu", VB_METRIC_EVENTS_PER_SEC, "events/s", true, 2000, 1800, 10);
	nested_pair(A(), "vm.exits", "pio_ns", "ns", false, 100, 300, 1);
	nested_pair(B(), "vm.exits", "pio_ns", "ns", false, 100, 900, 1);
	build();
	struct cmp_nest n[4];
	assert_int_equal(compare__nested(rep, 1, n, 4), 3);
	for (int i = 0; i < 3; i++) {
		const char *b = n[i].a2->benchmark;
		if (!strcmp(b, VB_BENCH_VM_BOOT))
			assert_int_equal(n[i].verdict, NEST_B_LESS);
		else if (!strcmp(b, "vm.cpu"))
			assert_int_equal(n[i].verdict, NEST_SAME);
		else
			assert_int_equal(n[i].verdict, NEST_UNSURE);
	}
	char sum[512];
	compare__nested_summary(rep, 1, sum, sizeof(sum));
	assert_non_null(strstr(sum, "A (hostA) pays more for nesting"));
	assert_non_null(strstr(sum, "higher in 0, lower in 1, not clearly different in 1, "
				    "inconclusive in 1"));
}

/* Sets without levels: no nesting section, no nesting sentence anywhere. */
static void test_nested_absent(void **state)
{
	(void)state;
	rs_add(A(), VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, 1.0, 10,
	       "vcpus=1", NULL);
	rs_add(B(), VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, VB_METRIC_READY_MS, "ms", false, 2.0, 10,
	       "vcpus=1", NULL);
	build();
	char sum[64];
	assert_int_equal(compare__nested_summary(rep, 1, sum, sizeof(sum)), 0);
	assert_string_equal(sum, "");
	char *out = printed();
	assert_null(strstr(out, "Nesting"));
	free(out);
	json_t *doc = compare__json(rep);
	assert_null(json_object_get(doc, "nesting"));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_microvm_vs_qemu_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kvm_vs_tcg_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emulated_host_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_runtimes_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_container_runtime_not_paired, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_better_worse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_needed_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_b_costs_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_a_costs_more_and_unsure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nested_absent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
