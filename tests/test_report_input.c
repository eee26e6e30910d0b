/* Untrusted inputs of `compare` and `report`: each malformed file of
 * tests/fixtures/results/bad/ gives its own error naming the file and the
 * field, never a crash; the CLI exits 1 for a bad file and 2 for bad usage.
 * A well-formed but odd figure (a negative size from a noisy difference)
 * is read with a warning; a FIFO or a device in place of the file is
 * refused before a byte is read; files over the limits are refused. */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/output.h"
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

/* What `vm density` wrote on a host whose free memory moved: the host
 * memory per VM of one sample is negative. */
static const char density_doc[] =
	"{\"schema\": \"virtbench/1\", \"tool\": {\"name\": \"virtbench\", \"version\": \"0.1.0\"},"
	" \"started\": \"2024-05-01T10:00:00Z\", \"finished\": \"2024-05-01T10:02:00Z\","
	" \"incomplete\": false, \"host\": null, \"results\": [{\"benchmark\": \"vm.density\","
	" \"platform\": \"microvm\", \"metric\": \"host_kib_per_vm\", \"unit\": \"KiB\","
	" \"higher_is_better\": false, \"config\": {\"vms\": \"4\", \"memory_mb\": \"64\"},"
	" \"samples\": [350, -100, 420], \"stats\": {\"n\": 3, \"min\": -100, \"max\": 420,"
	" \"mean\": 223.3, \"median\": 350, \"stdev\": 1, \"p95\": 420, \"ci_low\": -100,"
	" \"ci_high\": 420, \"ci_level\": 0.75, \"mad\": 70, \"outliers\": 0}, \"note\": \"\"}],"
	" \"skipped\": []}";

static void test_negative_density_is_a_warning(void **state)
{
	(void)state;
	struct vb_result_set s;
	struct vb_err err = { 0 };
	assert_int_equal(result_set__load_buffer(density_doc, strlen(density_doc), &s, &err), 0);
	if (check__set(&s, "d.json", false, &err) < 0)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(s.nresults, 1);
	const char *w = s.results[0]->warning;
	assert_non_null(strstr(w, "samples[1]: -100 is negative"));
	assert_non_null(strstr(w, "host_kib_per_vm in KiB"));
	assert_non_null(strstr(w, "1 of 3 samples"));
	assert_true(s.results[0]->stats.median == 350); /* the figure is kept as read */
	assert_int_equal(check__plausibility(&s), 1);
	result_set__free(&s);
}

static int run_cli(char *const *argv, struct vb_proc_result *r);

/* The same through the commands: report and compare succeed and show it. */
static void test_negative_shown_by_commands(void **state)
{
	(void)state;
	char dir[256], path[300], good[4096], noisy[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbneg", dir, sizeof(dir), &err), 0);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	assert_int_equal(file__write_atomic(path, density_doc, strlen(density_doc), &err), 0);
	snprintf(good, sizeof(good), "%s", fixture("results/x86_64"));
	snprintf(noisy, sizeof(noisy), "%s", fixture("results/noisy/negative_time.json"));
	struct vb_proc_result r;

	char *const cmp[] = { (char *)vb_binary(), "compare", dir, dir, NULL };
	assert_int_equal(run_cli(cmp, &r), 0);
	assert_non_null(strstr(r.out, "Warnings"));
	assert_non_null(strstr(r.out, "-100 is negative"));
	proc__result_free(&r);

	char *const cmp2[] = { (char *)vb_binary(), "compare", good, noisy, NULL };
	assert_int_equal(run_cli(cmp2, &r), 0);
	assert_non_null(strstr(r.out, "B: results[0] vm.boot microvm ready_ms"));
	proc__result_free(&r);

	char *const rep[] = { (char *)vb_binary(), "report", "--no-gnuplot", dir, NULL };
	assert_int_equal(run_cli(rep, &r), 0);
	assert_non_null(strstr(r.errout, "warning"));
	assert_non_null(strstr(r.errout, "-100 is negative"));
	proc__result_free(&r);
	char html[400];
	snprintf(html, sizeof(html), "%s/report.html", dir);
	char *text = NULL;
	size_t len;
	assert_int_equal(file__read_all(html, 64 << 20, &text, &len, &err), 0);
	assert_non_null(strstr(text, "warning: samples[1]: -100 is negative"));
	free(text);
	file__remove_tree(dir);
}

/* A FIFO named results.json would block open() forever and /dev/zero
 * would be read until the size limit: both are refused at once, by kind. */
static void test_special_files_refused(void **state)
{
	(void)state;
	char dir[256], fifo[300], zero[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbfifo", dir, sizeof(dir), &err), 0);
	snprintf(fifo, sizeof(fifo), "%s/results.json", dir);
	snprintf(zero, sizeof(zero), "%s/zero.json", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink("/dev/zero", zero), 0);
	alarm(20); /* a hang fails the suite instead of stalling it */
	struct cmp_input *in = calloc(1, sizeof(*in));
	assert_int_equal(compare__load(dir, in, &err), -1);
	assert_non_null(strstr(err.msg, fifo));
	assert_non_null(strstr(err.msg, "a FIFO, not a regular file"));
	assert_int_equal(compare__load(zero, in, &err), -1);
	assert_non_null(strstr(err.msg, "zero.json: a character device"));
	free(in);

	struct vb_proc_result r;
	char *const rep[] = { (char *)vb_binary(), "report", dir, NULL };
	assert_int_equal(run_cli(rep, &r), 1);
	assert_non_null(strstr(r.errout, "a FIFO, not a regular file"));
	proc__result_free(&r);
	char *const cmp[] = { (char *)vb_binary(), "compare", dir, zero, NULL };
	assert_int_equal(run_cli(cmp, &r), 1);
	assert_non_null(strstr(r.errout, "a FIFO"));
	proc__result_free(&r);
	alarm(0);
	file__remove_tree(dir);
}

/* Appends a result of n samples (all 1) to a JSON text under way. */
static void add_result(struct vb_buf *b, size_t n, bool first)
{
	buf__printf(b,
		    "%s{\"benchmark\": \"native.cpu\", \"platform\": \"native\", \"metric\": "
		    "\"m\", \"unit\": \"ms\", \"higher_is_better\": false, \"config\": {}, "
		    "\"samples\": [",
		    first ? "" : ",");
	for (size_t i = 0; i < n; i++)
		buf__printf(b, "%s1", i ? "," : "");
	buf__printf(b,
		    "], \"stats\": {\"n\": %zu, \"min\": null, \"max\": null, \"mean\": null, "
		    "\"median\": null, \"stdev\": null, \"p95\": null, \"ci_low\": null, "
		    "\"ci_high\": null, \"ci_level\": null, \"mad\": null, \"outliers\": 0}, "
		    "\"note\": \"\"}",
		    n);
}

static int load_doc(size_t n1, size_t n2, const char *extra, struct vb_err *err)
{
	struct vb_buf b = { 0 };
	buf__printf(&b,
		    "{\"schema\": \"virtbench/1\", \"tool\": {\"name\": \"virtbench\", "
		    "\"version\": \"0.1.0\"}, \"started\": \"\", \"finished\": \"\", "
		    "\"incomplete\": false, \"host\": null, \"extra\": %s, \"results\": [",
		    extra);
	add_result(&b, n1, true);
	add_result(&b, n2, false);
	buf__printf(&b, "], \"skipped\": []}");
	struct vb_result_set s;
	int rc = result_set__load_buffer(b.data, b.len, &s, err);
	result_set__free(&s);
	buf__free(&b);
	return rc;
}

/* The limit is on all samples of a file, not only per result; and a file
 * of tiny values cannot make the parser build millions of them. */
static void test_limits(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	size_t half = VB_MAX_SAMPLES / 2;
	assert_int_equal(load_doc(half, VB_MAX_SAMPLES - half, "{}", &err), 0);
	assert_int_equal(load_doc(half, VB_MAX_SAMPLES - half + 1, "{}", &err), -1);
	assert_non_null(strstr(err.msg, "results[1].samples"));
	assert_non_null(strstr(err.msg, "a file may hold in all"));

	struct vb_buf x = { 0 };
	buf__printf(&x, "{\"a\": [0");
	for (size_t i = 0; i < VB_MAX_JSON_VALUES; i++)
		buf__printf(&x, ",0");
	buf__printf(&x, "]}");
	assert_int_equal(load_doc(1, 1, x.data, &err), -1);
	assert_non_null(strstr(err.msg, "JSON values"));
	buf__free(&x);
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
	snprintf(bad, sizeof(bad), "%s", fixture("results/bad/absurd_number.json"));
	snprintf(good, sizeof(good), "%s", fixture("results/x86_64"));
	struct vb_proc_result r;

	char *const one[] = { (char *)vb_binary(), "compare", good, NULL };
	assert_int_equal(run_cli(one, &r), 2);
	assert_non_null(strstr(r.errout, "2 to 8 result sets"));
	proc__result_free(&r);

	char *const badfile[] = { (char *)vb_binary(), "compare", good, bad, NULL };
	assert_int_equal(run_cli(badfile, &r), 1);
	assert_non_null(strstr(r.errout, "absurd_number.json"));
	assert_non_null(strstr(r.errout, "results[8].samples[0]"));
	assert_int_equal(r.out_len, 0);
	proc__result_free(&r);

	char *const badopt[] = { (char *)vb_binary(), "compare", "--frobnicate", good, good, NULL };
	assert_int_equal(run_cli(badopt, &r), 2);
	assert_non_null(strstr(r.errout, "--frobnicate"));
	proc__result_free(&r);

	char *const rep[] = { (char *)vb_binary(), "report", bad, NULL };
	assert_int_equal(run_cli(rep, &r), 1);
	assert_non_null(strstr(r.errout, "absurd_number.json"));
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
	json_array_foreach (json_object_get(doc, "rows"), i, row) {
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
		cmocka_unit_test(test_negative_density_is_a_warning),
		cmocka_unit_test(test_negative_shown_by_commands),
		cmocka_unit_test(test_special_files_refused),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
