/* The result model and its JSON form: a round trip through a file keeps every
 * field, and the reader turns each kind of malformed input into an error
 * that names the field. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>

#include "core/fileio.h"
#include "core/result.h"
#include "core/version.h"

static struct vb_result *make_result(const char *bench, const char *platform, double base,
				     bool higher)
{
	struct vb_result *r = result__new(bench, platform, "events_per_sec", "events/s", higher);
	assert_non_null(r);
	assert_int_equal(result__set_config(r, "threads", "%d", 4), 0);
	assert_int_equal(result__set_config(r, "image", "%s", "debian, \"bookworm\""), 0);
	for (int i = 0; i < 9; i++)
		assert_int_equal(result__add_sample(r, base + i * 0.1 + 1.0 / 3), 0);
	result__finish(r);
	return r;
}

static void fill_set(struct vb_result_set *s)
{
	result_set__init(s);
	s->host = json_pack("{s:s, s:{s:i, s:b}}", "arch", "x86_64", "cpu", "cores", 2, "smt", 0);
	s->extra = json_pack("{s:s}", "mode", "quick");
	snprintf(s->started, sizeof(s->started), "2024-05-01T10:00:00Z");
	snprintf(s->finished, sizeof(s->finished), "2024-05-01T10:02:00Z");
	s->incomplete = true;
	struct vb_result *native = make_result("native.cpu", "native", 1000, true);
	struct vb_result *virt = make_result("native.cpu", "microvm", 900, true);
	result__set_overhead(virt, native, virt);
	snprintf(virt->note, sizeof(virt->note), "guest CPL3; \"quoted\" back\\slash");
	assert_int_equal(result_set__add(s, native), 0);
	assert_int_equal(result_set__add(s, virt), 0);
	struct vb_result *empty = result__new("vm.boot", "qemu", "total_ms", "ms", false);
	assert_int_equal(result_set__add(s, empty), 0);
	assert_int_equal(result_set__skip(s, "container.startup", "podman", "%s", "not installed"),
			 0);
}

static void same_double(double a, double b)
{
	if (isnan(a) && isnan(b))
		return;
	if (a != b)
		fail_msg("%.17g != %.17g", a, b);
}

static void compare_results(const struct vb_result *a, const struct vb_result *b)
{
	assert_string_equal(a->benchmark, b->benchmark);
	assert_string_equal(a->platform, b->platform);
	assert_string_equal(a->metric, b->metric);
	assert_string_equal(a->unit, b->unit);
	assert_int_equal(a->higher_is_better, b->higher_is_better);
	assert_int_equal(a->nconfig, b->nconfig);
	for (size_t i = 0; i < a->nconfig; i++) {
		assert_string_equal(a->config[i].key, b->config[i].key);
		assert_string_equal(a->config[i].value, b->config[i].value);
	}
	assert_int_equal(a->nsamples, b->nsamples);
	for (size_t i = 0; i < a->nsamples; i++)
		same_double(a->samples[i], b->samples[i]);
	const struct vb_stats *x = &a->stats, *y = &b->stats;
	assert_int_equal(x->n, y->n);
	same_double(x->min, y->min);
	same_double(x->max, y->max);
	same_double(x->mean, y->mean);
	same_double(x->median, y->median);
	same_double(x->stdev, y->stdev);
	same_double(x->p95, y->p95);
	same_double(x->ci_low, y->ci_low);
	same_double(x->ci_high, y->ci_high);
	same_double(x->ci_level, y->ci_level);
	same_double(x->mad, y->mad);
	assert_int_equal(x->outliers, y->outliers);
	assert_int_equal(a->has_overhead, b->has_overhead);
	if (a->has_overhead) {
		same_double(a->overhead.percent, b->overhead.percent);
		same_double(a->overhead.ci_low, b->overhead.ci_low);
		same_double(a->overhead.ci_high, b->overhead.ci_high);
	}
	assert_string_equal(a->note, b->note);
}

static void test_model(void **state)
{
	(void)state;
	struct vb_result *r = result__new("b", "native", "m", "ms", false);
	assert_int_equal(result__set_config(r, "vcpus", "%d", 1), 0);
	assert_int_equal(result__set_config(r, "vcpus", "%d", 2), 0); /* replaces */
	assert_int_equal(r->nconfig, 1);
	assert_string_equal(result__config(r, "vcpus"), "2");
	assert_null(result__config(r, "memory"));
	for (int i = 0; i < 100; i++)
		assert_int_equal(result__add_sample(r, i), 0);
	assert_int_equal(result__add_sample(r, NAN), -1);
	assert_int_equal(result__add_sample(r, INFINITY), -1);
	assert_int_equal(r->nsamples, 100);
	result__finish(r);
	assert_int_equal(r->stats.n, 100);
	result__free(r);

	struct vb_result_set a, b;
	fill_set(&a);
	result_set__init(&b);
	assert_int_equal(result_set__add(&b, make_result("x", "runc", 5, true)), 0);
	result_set__skip(&b, "y", "crun", "cgroup v1");
	assert_non_null(result_set__find(&a, "native.cpu", "microvm", NULL));
	assert_null(result_set__find(&a, "native.cpu", "runc", NULL));
	assert_int_equal(result_set__merge(&a, &b), 0);
	assert_int_equal(a.nresults, 4);
	assert_int_equal(a.nskips, 2);
	assert_int_equal(b.nresults, 0);
	assert_non_null(result_set__find(&a, NULL, "runc", "events_per_sec"));
	result_set__free(&b);
	result_set__free(&a);
}

static void test_round_trip(void **state)
{
	(void)state;
	char dir[256], path[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest", dir, sizeof(dir), &err), 0);
	snprintf(path, sizeof(path), "%s/results.json", dir);

	struct vb_result_set a, b;
	fill_set(&a);
	assert_int_equal(result_set__save(&a, path, &err), 0);
	if (result_set__load(path, &b, &err) < 0)
		fail_msg("load: %s", err.msg);

	assert_string_equal(a.started, b.started);
	assert_string_equal(a.finished, b.finished);
	assert_int_equal(a.incomplete, b.incomplete);
	assert_true(json_equal(a.host, b.host));
	assert_true(json_equal(a.extra, b.extra));
	assert_int_equal(a.nresults, b.nresults);
	for (size_t i = 0; i < a.nresults; i++)
		compare_results(a.results[i], b.results[i]);
	assert_int_equal(a.nskips, b.nskips);
	assert_string_equal(a.skips[0].benchmark, b.skips[0].benchmark);
	assert_string_equal(a.skips[0].platform, b.skips[0].platform);
	assert_string_equal(a.skips[0].reason, b.skips[0].reason);

	/* The document carries the schema and the tool. */
	json_t *doc = result_set__to_json(&b);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "virtbench/1");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(doc, "tool"), "version")),
		VB_VERSION);
	/* NaN statistics (the empty result) are written as null. */
	json_t *st = json_object_get(json_array_get(json_object_get(doc, "results"), 2), "stats");
	assert_true(json_is_null(json_object_get(st, "median")));
	json_decref(doc);

	/* Only results.json in the directory: no temporary file left over. */
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			files++;
			assert_string_equal(e->d_name, "results.json");
		}
	closedir(d);
	assert_int_equal(files, 1);

	result_set__free(&a);
	result_set__free(&b);
	assert_int_equal(file__remove_tree(dir), 0);
}

static void test_stats_recomputed(void **state)
{
	(void)state;
	struct vb_result_set a, b;
	struct vb_err err = { 0 };
	fill_set(&a);
	json_t *doc = result_set__to_json(&a);
	json_t *st = json_object_get(json_array_get(json_object_get(doc, "results"), 0), "stats");
	json_object_set_new(st, "median", json_real(-12345));
	json_object_set_new(st, "outliers", json_integer(7));
	assert_int_equal(result_set__from_json(doc, &b, &err), 0);
	compare_results(a.results[0], b.results[0]);
	json_decref(doc);
	result_set__free(&a);
	result_set__free(&b);
}

/* Loads text and expects an error containing `want`. */
static void expect_error(const char *text, const char *want)
{
	struct vb_result_set s;
	struct vb_err err = { 0 };
	int rc = result_set__load_buffer(text, strlen(text), &s, &err);
	if (rc == 0)
		fail_msg("accepted, expected error '%s'", want);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' does not contain '%s'", err.msg, want);
	assert_int_equal(s.nresults, 0);
	assert_null(s.results);
}

/* A valid document, edited by `edit`, then loaded. */
static void expect_edit_error(void (*edit)(json_t *doc), const char *want)
{
	struct vb_result_set a;
	fill_set(&a);
	json_t *doc = result_set__to_json(&a);
	result_set__free(&a);
	edit(doc);
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	expect_error(text, want);
	free(text);
}

static json_t *res0(json_t *doc)
{
	return json_array_get(json_object_get(doc, "results"), 0);
}

static void edit_schema(json_t *doc)
{
	json_object_set_new(doc, "schema", json_string("virtbench/9"));
}
static void edit_missing_unit(json_t *doc)
{
	json_object_del(res0(doc), "unit");
}
static void edit_sample_string(json_t *doc)
{
	json_array_set_new(json_object_get(res0(doc), "samples"), 2, json_string("12"));
}
static void edit_negative_n(json_t *doc)
{
	json_object_set_new(json_object_get(res0(doc), "stats"), "n", json_integer(-5));
}
static void edit_n_mismatch(json_t *doc)
{
	json_object_set_new(json_object_get(res0(doc), "stats"), "n", json_integer(3));
}
static void edit_stats_string(json_t *doc)
{
	json_object_set_new(json_object_get(res0(doc), "stats"), "p95", json_string("fast"));
}
static void edit_missing_stats(json_t *doc)
{
	json_object_del(res0(doc), "stats");
}
static void edit_long_name(json_t *doc)
{
	char big[200];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	json_object_set_new(res0(doc), "benchmark", json_string(big));
}
static void edit_bool(json_t *doc)
{
	json_object_set_new(res0(doc), "higher_is_better", json_integer(1));
}
static void edit_config_number(json_t *doc)
{
	json_object_set_new(json_object_get(res0(doc), "config"), "vcpus", json_integer(4));
}
static void edit_results_object(json_t *doc)
{
	json_object_set_new(doc, "results", json_object());
}
static void edit_result_not_object(json_t *doc)
{
	json_array_append_new(json_object_get(doc, "results"), json_integer(3));
}
static void edit_skip_missing(json_t *doc)
{
	json_object_del(json_array_get(json_object_get(doc, "skipped"), 0), "reason");
}
static void edit_host_array(json_t *doc)
{
	json_object_set_new(doc, "host", json_array());
}
static void edit_overhead(json_t *doc)
{
	json_t *r1 = json_array_get(json_object_get(doc, "results"), 1);
	json_object_set_new(json_object_get(r1, "overhead"), "percent", json_string("10%"));
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("this is not JSON", "not valid JSON");
	expect_error("", "not valid JSON");
	expect_error("[1, 2]", "top level: an array, expected an object");
	expect_error("{\"schema\": 1}", "schema: a number, expected a string");
	expect_error("{}", "schema: missing");
	expect_edit_error(edit_schema, "schema: 'virtbench/9' is not 'virtbench/1'");
	expect_edit_error(edit_missing_unit, "results[0].unit: missing");
	expect_edit_error(edit_sample_string, "results[0].samples[2]: not a number");
	expect_edit_error(edit_negative_n, "results[0].stats.n: -5 is out of range");
	expect_edit_error(edit_n_mismatch, "results[0].stats.n: 3, but there are 9 samples");
	expect_edit_error(edit_stats_string, "results[0].stats.p95: not a number");
	expect_edit_error(edit_missing_stats, "results[0].stats: missing");
	expect_edit_error(edit_long_name, "results[0].benchmark: string of 199 bytes");
	expect_edit_error(edit_bool,
			  "results[0].higher_is_better: a number, expected true or false");
	expect_edit_error(edit_config_number,
			  "results[0].config.vcpus: a number, expected a string");
	expect_edit_error(edit_results_object, "results: an object, expected an array");
	expect_edit_error(edit_result_not_object, "results[3]: a number, expected an object");
	expect_edit_error(edit_skip_missing, "skipped[0].reason: missing");
	expect_edit_error(edit_host_array, "host: an array, expected an object");
	expect_edit_error(edit_overhead, "results[1].overhead.percent: not a number");
	/* Duplicate keys are ambiguous: rejected. */
	expect_error("{\"schema\":\"virtbench/1\",\"schema\":\"virtbench/1\"}", "duplicate");
}

static void test_huge_counts(void **state)
{
	(void)state;
	/* One result more than allowed: refused on the count, before any is read. */
	size_t n = VB_MAX_RESULTS + 1;
	char *text = malloc(n * 2 + 256);
	int off = sprintf(text, "{\"schema\":\"virtbench/1\",\"tool\":{\"name\":\"virtbench\","
				"\"version\":\"1\"},\"started\":\"\",\"finished\":\"\","
				"\"incomplete\":false,\"skipped\":[],\"results\":[");
	for (size_t i = 0; i < n; i++) {
		text[off++] = '0';
		text[off++] = ',';
	}
	text[off - 1] = ']';
	text[off++] = '}';
	text[off] = 0;
	expect_error(text, "results: 10001 entries, more than the 10000 allowed");
	free(text);
	expect_error(
		"{\"schema\":\"virtbench/1\",\"tool\":{\"name\":\"virtbench\",\"version\":\"1\"},"
		"\"started\":\"\",\"finished\":\"\",\"incomplete\":false,\"skipped\":[],"
		"\"results\":[{\"benchmark\":\"b\",\"platform\":\"p\",\"metric\":\"m\","
		"\"unit\":\"u\",\"higher_is_better\":true,\"config\":{},\"samples\":[],"
		"\"stats\":{\"n\":99999999999999}}]}",
		"results[0].stats.n: 99999999999999 is out of range");
}

static void test_load_names_file(void **state)
{
	(void)state;
	char dir[256], path[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest", dir, sizeof(dir), &err), 0);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	const char *bad = "{\"schema\":\"virtbench/1\",\"tool\":[]}";
	assert_int_equal(file__write_atomic(path, bad, strlen(bad), &err), 0);
	struct vb_result_set s;
	assert_int_equal(result_set__load(path, &s, &err), -1);
	char want[400];
	snprintf(want, sizeof(want), "%s: tool: an array, expected an object", path);
	assert_string_equal(err.msg, want);
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(result_set__load(path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "missing.json"));
	assert_int_equal(file__remove_tree(dir), 0);
}

/* Terminal escapes and newlines in a file from elsewhere never reach a
 * printer: every string, the free-form host block's included, comes out of
 * the reader with its control characters replaced. */
static void test_control_characters_defused(void **state)
{
	(void)state;
	struct vb_result_set s;
	fill_set(&s);
	json_t *doc = result_set__to_json(&s);
	result_set__free(&s);
	json_t *r1 = json_array_get(json_object_get(doc, "results"), 1);
	json_object_set_new(r1, "platform", json_string("p\x1b]0;x\x07"));
	json_object_set_new(r1, "note", json_string("line\nforged"));
	json_object_set_new(json_object_get(r1, "config"), "image", json_string("v\tw"));
	json_object_set_new(json_array_get(json_object_get(doc, "skipped"), 0), "reason",
			    json_string("r\r\x7f"));
	json_t *host = json_object_get(doc, "host");
	json_object_set_new(host, "hostname", json_string("h\x1b[2J"));
	json_object_set_new(json_object_get(host, "cpu"), "model", json_pack("[s]", "a\nb"));
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	struct vb_err err = { 0 };
	if (result_set__load_buffer(text, strlen(text), &s, &err) < 0)
		fail_msg("%s", err.msg);
	free(text);
	assert_string_equal(s.results[1]->platform, "p?]0;x?");
	assert_string_equal(s.results[1]->note, "line?forged");
	assert_string_equal(result__config(s.results[1], "image"), "v?w");
	assert_string_equal(s.skips[0].reason, "r??");
	assert_string_equal(json_string_value(json_object_get(s.host, "hostname")), "h?[2J");
	json_t *model = json_object_get(json_object_get(s.host, "cpu"), "model");
	assert_string_equal(json_string_value(json_array_get(model, 0)), "a?b");
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_stats_recomputed),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_counts),
		cmocka_unit_test(test_load_names_file),
		cmocka_unit_test(test_control_characters_defused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
