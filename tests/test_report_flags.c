/* compare on sets built in memory: rows whose platform (the seed files'
 * microVM against QEMU, or docker against podman), accelerator (kvm against tcg) or emulated host
 * differ are flagged, not given a verdict, and the summary says so; a
 * verdict says better or worse by the metric's direction; an inconclusive
 * row says how many samples a verdict needs. */
#include "testutil.h"

#include <math.h>

#include "core/stats.h"
#include "report/compare.h"
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
