/* `compare` on the two fixture sets (tests/fixtures/results/x86_64 and
 * aarch64), whose samples were designed so each row's outcome is known:
 * B = 0.8 A, 1.5 A, the same values reordered, 1.02 A (under the 5% noise
 * threshold), 3 samples a side (no verdict possible), and rows present on
 * one side only. See tests/fixtures/results/README.md. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "core/fileio.h"
#include "report/compare.h"
#include "report/compare_out.h"
#include "report/compare_summary.h"

static struct cmp_report *rep;

static int setup(void **state)
{
	(void)state;
	rep = calloc(1, sizeof(*rep));
	struct vb_err err = { 0 };
	rep->inputs[0].letter = 'A';
	rep->inputs[1].letter = 'B';
	if (compare__load(fixture("results/x86_64"), &rep->inputs[0], &err) < 0)
		fail_msg("%s", err.msg);
	if (compare__load(fixture("results/aarch64/results.json"), &rep->inputs[1], &err) < 0)
		fail_msg("%s", err.msg);
	rep->ninputs = 2;
	if (compare__build(rep, &err) < 0)
		fail_msg("%s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	compare__free(rep);
	free(rep);
	return 0;
}

static const struct cmp_row *row(const char *bench, const char *plat, const char *metric,
				 const char *config)
{
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *r = &rep->rows[i];
		const struct vb_result *x = r->a ? r->a : r->b;
		if (!strcmp(x->benchmark, bench) && !strcmp(x->platform, plat) &&
		    !strcmp(x->metric, metric) && !strcmp(r->config, config))
			return r;
	}
	fail_msg("no row %s %s %s [%s]", bench, plat, metric, config);
	return NULL;
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(rep->inputs[0].label, "x86-bench-x86_64");
	assert_string_equal(rep->inputs[1].label, "arm-bench-aarch64");
}

/* B = 0.8 A: lower by 20%, better for a time. */
static void test_lower(void **state)
{
	(void)state;
	const struct cmp_row *r = row("vm.boot", "microvm", "ready_ms", "memory_mb=512 vcpus=1");
	assert_int_equal(r->verdict, CMP_LOWER);
	assert_true(r->b_better);
	assert_true(fabs(r->ratio - 0.8) < 1e-9);
	assert_true(fabs(r->diff + 20) < 1e-6);
	assert_true(r->diff_lo <= r->diff && r->diff <= r->diff_hi);
	assert_true(r->diff_hi - r->diff_lo < 5); /* ±3% spread each side */
	assert_true(r->p < COMPARE_ALPHA);
	assert_non_null(strstr(r->text, "B lower by 20% ± "));
}

/* B = 1.5 A on a throughput: higher, better; the compiler differs between
 * the hosts (provenance) and the rows still align. */
static void test_higher_across_compilers(void **state)
{
	(void)state;
	const struct cmp_row *r =
		row("cpu", "native", "events_per_sec", "cpu_max_prime=10000 threads=1");
	assert_int_equal(r->verdict, CMP_HIGHER);
	assert_true(r->b_better);
	assert_true(fabs(r->ratio - 1.5) < 1e-9);
	assert_non_null(strstr(r->text, "B higher by 50% ± "));
	/* The architecture and KVM module differ too (x86_64/kvm_amd against
	 * aarch64/kvm-arm): the microVM rows still pair up. */
	r = row("vm.cpu", "microvm", "events_per_sec", "memory_mb=512 vcpus=1");
	assert_non_null(r->a);
	assert_non_null(r->b);
}

/* Same values in another order; and a 2% shift under the noise threshold. */
static void test_same(void **state)
{
	(void)state;
	const struct cmp_row *r = row("vm.boot", "microvm", "ready_ms", "memory_mb=1024 vcpus=2");
	assert_int_equal(r->verdict, CMP_SAME);
	assert_true(fabs(r->ratio - 1) < 1e-9);
	assert_string_equal(r->text, "no significant difference");
	r = row("container.startup", "runc", "ready_ms", "image=virtbench-worker runtime=runc");
	assert_int_equal(r->verdict, CMP_SAME);
	assert_true(fabs(r->ratio - 1.02) < 1e-9);
	assert_string_equal(r->text, "no significant difference");
}

/* Three samples a side: p < 0.01 is out of reach whatever the data. */
static void test_inconclusive(void **state)
{
	(void)state;
	const struct cmp_row *r = row("vm.exits", "microvm", "pio_ns", "clock=host");
	assert_int_equal(r->verdict, CMP_INCONCLUSIVE);
	assert_true(r->ratio < 0.1);
	assert_non_null(strstr(r->text, "too few samples"));
}

/* Rows present on one side only are listed, not dropped. */
static void test_one_sided(void **state)
{
	(void)state;
	const struct cmp_row *r = row("vm.boot", "qemu", "total_ms", "memory_mb=512 vcpus=1");
	assert_int_equal(r->verdict, CMP_ONLY_A);
	assert_null(r->b);
	assert_string_equal(r->text, "only in A");
	r = row("container.startup", "docker", "ready_ms", "image=virtbench-worker runtime=docker");
	assert_int_equal(r->verdict, CMP_ONLY_B);
	assert_null(r->a);
	assert_string_equal(r->text, "only in B");
	r = row("vm.scale", "microvm", "events_per_sec", "memory_mb=256 vcpus=4");
	assert_int_equal(r->verdict, CMP_ONLY_A);
	/* Every result of both files is in exactly one aligned row (the seed
	 * files' pairings, here A's runc beside B's docker, come on top). */
	size_t na = 0, nb = 0, seed = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		if (rep->rows[i].seed) {
			seed++;
			continue;
		}
		na += rep->rows[i].a != NULL;
		nb += rep->rows[i].b != NULL;
	}
	assert_int_equal(na, rep->inputs[0].set.nresults);
	assert_int_equal(nb, rep->inputs[1].set.nresults);
	assert_true(seed > 0);
}

/* The five questions are answered from the rows. */
static void test_summary(void **state)
{
	(void)state;
	struct cmp_answer ans[COMPARE_QUESTIONS];
	compare__summary(rep, 1, ans);
	assert_string_equal(ans[0].question, "VM boot time");
	assert_non_null(strstr(ans[0].text, "B lower by 20%"));
	assert_non_null(strstr(ans[0].text, "1 row measured on one host only"));
	assert_non_null(strstr(ans[1].text, "A +1.0% [+0.2, +1.8], B +2.0% [+1.1, +2.9]"));
	assert_non_null(strstr(ans[2].text, "container-builtin"));
	assert_non_null(strstr(ans[3].text, "runc"));
	assert_non_null(strstr(ans[4].text, "from 1 to 2 vCPUs"));
}

/* The CSV has a row per compared row; the JSON document as well. */
static void test_outputs(void **state)
{
	(void)state;
	struct vb_buf b = { 0 };
	assert_int_equal(compare__csv(rep, &b), 0);
	size_t lines = 0;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	assert_int_equal(lines, rep->nrows + 1);
	assert_memory_equal(b.data, "benchmark,platform,metric,unit,config,a,b,", 42);
	assert_non_null(strstr(b.data, ",only_b,"));
	buf__free(&b);
	json_t *doc = compare__json(rep);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "rows")), rep->nrows);
	assert_int_equal(json_array_size(json_object_get(doc, "summary")), COMPARE_QUESTIONS);
	json_decref(doc);
}

/* compare.html and the charts, drawn without gnuplot. */
static void test_files(void **state)
{
	(void)state;
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-compare", dir, sizeof(dir), &err), 0);
	struct report_opts o = { .no_gnuplot = true, .quiet = true };
	if (compare__write(rep, dir, &o, &err) < 0)
		fail_msg("%s", err.msg);
	char path[4200], *html = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/compare.html", dir);
	assert_int_equal(file__read_all(path, 64 << 20, &html, &len, &err), 0);
	assert_non_null(strstr(html, "Hosts side by side"));
	assert_non_null(strstr(html, "Neoverse-V1"));
	assert_non_null(strstr(html, "data:image/svg+xml;base64,"));
	/* Self-contained: nothing to fetch. */
	assert_null(strstr(html, "src=\"http"));
	assert_null(strstr(html, "href=\"http"));
	free(html);
	snprintf(path, sizeof(path), "%s/compare_vm_boot_microvm.svg", dir);
	assert_int_equal(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/compare_differences.svg", dir);
	assert_int_equal(access(path, R_OK), 0);
	file__remove_tree(dir);
}

/* More than two sets: each is compared with A. */
static void test_three_inputs(void **state)
{
	(void)state;
	struct cmp_report *r3 = calloc(1, sizeof(*r3));
	struct vb_err err = { 0 };
	const char *paths[] = { "results/x86_64", "results/aarch64", "results/aarch64" };
	for (int i = 0; i < 3; i++) {
		r3->inputs[i].letter = (char)('A' + i);
		assert_int_equal(compare__load(fixture(paths[i]), &r3->inputs[i], &err), 0);
		r3->ninputs++;
	}
	assert_int_equal(compare__build(r3, &err), 0);
	size_t toc = 0;
	for (size_t i = 0; i < r3->nrows; i++)
		if (r3->rows[i].bi == 2) {
			toc++;
			if (r3->rows[i].verdict == CMP_LOWER)
				assert_int_equal(r3->rows[i].text[0], 'C');
		}
	assert_true(toc > 0);
	compare__free(r3);
	free(r3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_lower),
		cmocka_unit_test(test_higher_across_compilers),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_inconclusive),
		cmocka_unit_test(test_one_sided),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_three_inputs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
