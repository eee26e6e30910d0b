/* Untrusted inputs of `compare` and `report`: each malformed file of
 * tests/fixtures/results/bad/ gives its own error naming the file and the
 * field, never a crash; the CLI exits 1 for a bad file and 2 for bad usage. */
#include "testutil.h"

#include "core/proc.h"
#include "report/check.h"
#include "report/compare.h"

struct bad {
	const char *file;
	const char *field; /* what the message must name */
};

static const struct bad bads[] = {
	{ "not_json.json", "not valid JSON" },
	{ "wrong_schema.json", "schema: 'virtbench/0' is not 'virtbench/1'" },
	{ "missing_field.json", "results[0].metric: missing" },
	{ "empty_results.json", "results: empty" },
	{ "negative_time.json", "results[0].samples[3]: -5 is negative" },
	{ "absurd_number.json", "results[8].samples[0]: 1e+300 is not a plausible measurement" },
	{ "empty_samples.json", "results[1].samples: empty" },
	{ "huge_string.json", "results[2].platform: string of 5000 bytes" },
	{ "wrong_type.json", "results[2].samples" },
	{ "count_mismatch.json", "results[0].stats.n: 99" },
};

static void test_each_bad_file(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "results/bad/%s", bads[i].file);
		struct cmp_input *in = calloc(1, sizeof(*in));
		struct vb_err err = { 0 };
		int rc = compare__load(fixture(rel), in, &err);
		if (rc == 0)
			fail_msg("%s was accepted", bads[i].file);
		if (!strstr(err.msg, bads[i].file))
			fail_msg("%s: message does not name the file: %s", bads[i].file, err.msg);
		if (!strstr(err.msg, bads[i].field))
			fail_msg("%s: expected '%s' in: %s", bads[i].file, bads[i].field, err.msg);
		assert_int_equal(in->set.nresults, 0); /* nothing half-loaded is kept */
		free(in);
	}
}

static void test_missing_path(void **state)
{
	(void)state;
	struct cmp_input *in = calloc(1, sizeof(*in));
	struct vb_err err = { 0 };
	assert_int_equal(compare__load("/nonexistent/results-dir", in, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/results-dir"));
	/* A directory without results.json names the file it looked for. */
	assert_int_equal(compare__load(fixture("results/bad"), in, &err), -1);
	assert_non_null(strstr(err.msg, "results/bad/results.json"));
	free(in);
}

/* `report` accepts an interrupted run with nothing in it; compare does not. */
static void test_empty_allowed_for_report(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	assert_int_equal(check__set(&s, "x.json", true, &err), 0);
	assert_int_equal(check__set(&s, "x.json", false, &err), -1);
	assert_non_null(strstr(err.msg, "x.json: results: empty"));
	result_set__free(&s);
}

/* Overheads are derived, but a file can still carry absurd ones. */
static void test_absurd_overhead(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_result *r = result__new("vm.cpu", "microvm", "events_per_sec", "events/s", true);
	result__add_sample(r, 1000);
	result__finish(r);
	r->has_overhead = true;
	r->overhead.percent = 5e9;
	result_set__add(&s, r);
	struct vb_err err = { 0 };
	assert_int_equal(check__set(&s, "y.json", false, &err), -1);
	assert_non_null(strstr(err.msg, "results[0].overhead.percent"));
	result_set__free(&s);
}

static int run_cli(char *const *argv, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000 };
	struct vb_err err = { 0 };
	if (proc__run(&o, r, &err) < 0)
		fail_msg("%s", err.msg);
	return r->exit_code;
}

static void test_cli_exit_codes(void **state)
{
	(void)state;
	char bad[4096], good[4096];
	snprintf(bad, sizeof(bad), "%s", fixture("results/bad/negative_time.json"));
	snprintf(good, sizeof(good), "%s", fixture("results/x86_64"));
	struct vb_proc_result r;

	char *const one[] = { (char *)vb_binary(), "compare", good, NULL };
	assert_int_equal(run_cli(one, &r), 2);
	assert_non_null(strstr(r.errout, "2 to 8 result sets"));
	proc__result_free(&r);

	char *const badfile[] = { (char *)vb_binary(), "compare", good, bad, NULL };
	assert_int_equal(run_cli(badfile, &r), 1);
	assert_non_null(strstr(r.errout, "negative_time.json"));
	assert_non_null(strstr(r.errout, "results[0].samples[3]"));
	assert_int_equal(r.out_len, 0);
	proc__result_free(&r);

	char *const badopt[] = { (char *)vb_binary(), "compare", "--frobnicate", good, good, NULL };
	assert_int_equal(run_cli(badopt, &r), 2);
	assert_non_null(strstr(r.errout, "--frobnicate"));
	proc__result_free(&r);

	char *const rep[] = { (char *)vb_binary(), "report", bad, NULL };
	assert_int_equal(run_cli(rep, &r), 1);
	assert_non_null(strstr(r.errout, "negative_time.json"));
	proc__result_free(&r);

	char *const runbad[] = { (char *)vb_binary(), "run", "--only", "vm.bogus", NULL };
	assert_int_equal(run_cli(runbad, &r), 2);
	assert_non_null(strstr(r.errout, "--only: 'vm.bogus' is not a benchmark"));
	proc__result_free(&r);

	char *const both[] = { (char *)vb_binary(), "run", "--quick", "--full", NULL };
	assert_int_equal(run_cli(both, &r), 2);
	proc__result_free(&r);

	/* The same file twice compares cleanly: every row the same. */
	char *const same[] = { (char *)vb_binary(), "compare", "--json", good, good, NULL };
	assert_int_equal(run_cli(same, &r), 0);
	json_error_t jerr;
	json_t *doc = json_loads(r.out, 0, &jerr);
	assert_non_null(doc);
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(doc, "rows"), i, row) {
		const char *v = json_string_value(json_object_get(row, "verdict"));
		assert_true(!strcmp(v, "same") || !strcmp(v, "inconclusive"));
	}
	json_decref(doc);
	proc__result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_bad_file),
		cmocka_unit_test(test_missing_path),
		cmocka_unit_test(test_empty_allowed_for_report),
		cmocka_unit_test(test_absurd_overhead),
		cmocka_unit_test(test_cli_exit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
