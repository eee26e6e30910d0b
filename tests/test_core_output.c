/* CSV quoting (RFC 4180), the aligned table and the result writers. */
#include "testutil.h"

#include <math.h>

#include "core/output.h"

static char *csv_of(const char *field)
{
	struct vb_buf b = { 0 };
	assert_int_equal(csv__field(&b, field), 0);
	if (!b.data)
		return strdup("");
	return b.data;
}

static void check_field(const char *in, const char *want)
{
	char *got = csv_of(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	check_field("plain", "plain");
	check_field("", "");
	check_field(NULL, "");
	check_field("a,b", "\"a,b\"");
	check_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_field("\"", "\"\"\"\"");
	check_field("two\nlines", "\"two\nlines\"");
	check_field("cr\rhere", "\"cr\rhere\"");
	check_field("spaces stay ", "spaces stay ");
	/* Formulas from a results file stay text in a spreadsheet; numbers
	 * stay numbers. */
	check_field("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
	check_field("+1+cmd|x", "'+1+cmd|x");
	check_field("@SUM(A1)", "'@SUM(A1)");
	check_field("-2+3", "'-2+3");
	check_field("\t=1", "'\t=1");
	check_field("=HYPERLINK(\"http://x\",\"y\")",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	check_field("-1.5", "-1.5");
	check_field("+3", "+3");
	check_field("-", "-");
	check_field("a=b", "a=b");
}

static void test_csv_row(void **state)
{
	(void)state;
	struct vb_buf b = { 0 };
	const char *row[] = { "a", "b,c", "", "d\"e" };
	assert_int_equal(csv__row(&b, row, 4), 0);
	assert_int_equal(csv__row(&b, row, 1), 0);
	assert_string_equal(b.data, "a,\"b,c\",,\"d\"\"e\"\na\n");
	buf__free(&b);
	assert_null(b.data);
}

static void test_buf_printf(void **state)
{
	(void)state;
	struct vb_buf b = { 0 };
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf__printf(&b, "%d,", i), 0);
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf__free(&b);
}

static void test_fmt_num(void **state)
{
	(void)state;
	char s[32];
	fmt__num(s, sizeof(s), NAN);
	assert_string_equal(s, "");
	fmt__num(s, sizeof(s), 1234.5678);
	assert_string_equal(s, "1234.57");
	fmt__num(s, sizeof(s), 0.000123);
	assert_string_equal(s, "0.000123");
}

static char *capture(void (*fn)(const void *, FILE *), const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	fn(arg, f);
	fclose(f);
	return text;
}

static void print_table(const void *t, FILE *f)
{
	table__print(t, f);
}

static void test_table_aligned(void **state)
{
	(void)state;
	struct vb_table t;
	const char *hdr[] = { "name", "value" };
	assert_int_equal(table__init(&t, hdr, 2), 0);
	const char *r1[] = { "boot", "12.5" };
	const char *r2[] = { "a-longer-name", "3" };
	assert_int_equal(table__add_row(&t, r1), 0);
	assert_int_equal(table__add_row(&t, r2), 0);
	assert_true(t.right[1]);
	assert_false(t.right[0]);
	char *out = capture(print_table, &t);
	assert_string_equal(out, "name           value\n"
				 "-------------  -----\n"
				 "boot            12.5\n"
				 "a-longer-name      3\n");
	free(out);
	table__free(&t);
}

static void print_results(const void *s, FILE *f)
{
	output__table(s, f);
}

static struct vb_result *sample_result(void)
{
	struct vb_result *r = result__new("vm.boot", "microvm", "total_ms", "ms", false);
	assert_non_null(r);
	result__set_config(r, "vcpus", "%d", 2);
	for (int i = 1; i <= 10; i++)
		assert_int_equal(result__add_sample(r, 10 + i), 0);
	result__finish(r);
	snprintf(r->note, sizeof(r->note), "kvm_pvm, nested");
	return r;
}

static void test_result_table(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, sample_result()), 0);
	result_set__skip(&s, "container.startup", "docker", "docker daemon not running");
	char *out = capture(print_results, &s);
	assert_non_null(strstr(out, "benchmark"));
	assert_non_null(strstr(out, "vm.boot"));
	assert_non_null(strstr(out, "vcpus=2"));
	assert_non_null(strstr(out, "15.5 [12.0, 19.0]")); /* median, ranks 2 and 9; 3 digits */
	assert_non_null(strstr(out, "kvm_pvm, nested"));
	assert_non_null(strstr(out, "skipped:"));
	assert_non_null(strstr(out, "docker daemon not running"));
	free(out);
	result_set__free(&s);
}

/* Count of non-overlapping occurrences of needle in hay. */
/* noinline: inlined, gcc 12 mistakes the scan for use of a dangling pointer */
__attribute__((noinline)) static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0, at = 0, len = strlen(needle);
	for (const char *p; (p = strstr(hay + at, needle)) != NULL; at = (size_t)(p - hay) + len)
		n++;
	return n;
}

static void test_result_table_says_shared_things_once(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	for (int v = 1; v <= 2; v++) {
		struct vb_result *native =
			result__new("vm.cpu", "native", "events_per_sec", "events/s", true);
		struct vb_result *guest =
			result__new("vm.cpu", "microvm", "events_per_sec", "events/s", true);
		assert_non_null(native);
		assert_non_null(guest);
		struct vb_result *both[] = { native, guest };
		for (int k = 0; k < 2; k++) {
			result__set_config(both[k], "vcpus", "%d", v);
			result__set_config(both[k], "arch", "x86_64");
			for (int i = 0; i < 8; i++)
				assert_int_equal(result__add_sample(both[k], 100 - k * 10 + i), 0);
			result__finish(both[k]);
		}
		snprintf(guest->note, sizeof(guest->note), "guest kernel level emulated");
		result__set_overhead(guest, native, guest);
		assert_int_equal(result_set__add(&s, native), 0);
		assert_int_equal(result_set__add(&s, guest), 0);
	}
	char *out = capture(print_results, &s);
	/* arch is the same everywhere: said once, above the table */
	assert_non_null(strstr(out, "every row: arch=x86_64\n"));
	assert_int_equal(count_of(out, "arch=x86_64"), 1);
	/* vcpus differs, so it stays in the rows */
	assert_int_equal(count_of(out, "vcpus=1"), 2);
	assert_int_equal(count_of(out, "vcpus=2"), 2);
	/* one note text, printed once and referred to from both guest rows */
	assert_int_equal(count_of(out, "guest kernel level emulated"), 1);
	assert_non_null(strstr(out, "\n[1] guest kernel level emulated\n"));
	assert_int_equal(count_of(out, " [1]\n"), 2);
	/* the overhead has its own column: medians 103.5 and 93.5, throughput */
	assert_non_null(strstr(out, "overhead [95% CI]"));
	assert_int_equal(count_of(out, "+9.7% ["), 2);
	free(out);
	result_set__free(&s);
}

/* Every distinct note keeps its number, however many there are. */
static void test_result_table_keeps_every_note(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	for (int i = 0; i < 40; i++) {
		struct vb_result *r = result__new("vm.boot", "microvm", "ready_ms", "ms", false);
		assert_non_null(r);
		result__set_config(r, "vcpus", "%d", i + 1);
		assert_int_equal(result__add_sample(r, 1.0 + i), 0);
		result__finish(r);
		snprintf(r->note, sizeof(r->note), "note number %d", i + 1);
		assert_int_equal(result_set__add(&s, r), 0);
	}
	char *out = capture(print_results, &s);
	assert_non_null(strstr(out, "\n[1] note number 1\n"));
	assert_non_null(strstr(out, "\n[40] note number 40\n"));
	assert_int_equal(count_of(out, "note number"), 40);
	free(out);
	result_set__free(&s);
}

static void test_result_table_without_overhead_has_no_such_column(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, sample_result()), 0);
	char *out = capture(print_results, &s);
	assert_null(strstr(out, "overhead"));
	assert_null(strstr(out, "every row:")); /* one result: nothing to hoist */
	free(out);
	result_set__free(&s);
}

static void test_results_csv(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, sample_result()), 0);
	struct vb_buf b = { 0 };
	assert_int_equal(output__results_csv(&s, &b), 0);
	assert_memory_equal(b.data, "benchmark,platform,metric,unit,", 31);
	assert_non_null(strstr(b.data, "\nvm.boot,microvm,total_ms,ms,false,vcpus=2,10,11,20,"));
	assert_non_null(strstr(b.data, ",\"kvm_pvm, nested\"\n"));
	buf__free(&b);
	result_set__free(&s);
}

static void test_progress_silent_when_disabled(void **state)
{
	(void)state;
	/* Not forced and stderr is not a terminal under the test runner, or
	 * forced off: nothing must be printed (checked by not crashing and by
	 * the runner's clean stderr). Forced on, it prints one line. */
	progress__set_enabled(false);
	progress__update("x", 1, 2, 0.5, 0.5);
	progress__done();
	progress__set_enabled(true);
	progress__update("label", 1, 3, 1.2, 3.4);
	progress__done();
	progress__set_enabled(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_fmt_num),
		cmocka_unit_test(test_table_aligned),
		cmocka_unit_test(test_result_table),
		cmocka_unit_test(test_result_table_says_shared_things_once),
		cmocka_unit_test(test_result_table_keeps_every_note),
		cmocka_unit_test(test_result_table_without_overhead_has_no_such_column),
		cmocka_unit_test(test_results_csv),
		cmocka_unit_test(test_progress_silent_when_disabled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
