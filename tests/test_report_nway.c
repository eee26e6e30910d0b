/* `compare A B C`: the N-way table. The fixture sets of x86_64 (A) and
 * aarch64 (B, whose samples make each row's verdict known, see
 * tests/fixtures/results/README.md) and A again as C: every row of A shows
 * B's ratio and verdict and C's, which is 1 and no difference. */
#include "testutil.h"

#include "report/compare.h"
#include "report/compare_nway.h"

static char *nway_text(const char *const *paths, size_t n)
{
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	struct vb_err err = { 0 };
	assert_non_null(rep);
	for (size_t i = 0; i < n; i++) {
		rep->inputs[i].letter = (char)('A' + i);
		if (compare__load(fixture(paths[i]), &rep->inputs[i], &err) < 0)
			fail_msg("%s", err.msg);
		rep->ninputs++;
	}
	assert_int_equal(compare__build(rep, &err), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	compare__print_nway(rep, f);
	fclose(f);
	compare__free(rep);
	free(rep);
	return text;
}

static void test_three_sets(void **state)
{
	(void)state;
	const char *paths[] = { "results/x86_64", "results/aarch64", "results/x86_64" };
	char *text = nway_text(paths, 3);
	assert_non_null(strstr(text, "All sets against A"));
	assert_non_null(strstr(text, "C/A"));
	assert_non_null(strstr(text, "C verdict"));
	size_t rows = 0, lower = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *ratio_c = strstr(line, "  1.000  no significant difference");
		if (!strstr(line, " native ") && !strstr(line, " microvm ") &&
		    !strstr(line, " runc ") && !strstr(line, " builtin "))
			continue;
		rows++;
		/* C is A: its ratio is 1 and there is no difference, on every row */
		if (!ratio_c && !strstr(line, "inconclusive"))
			fail_msg("C is not A's equal in: %s", line);
		lower += strstr(line, "0.800  B lower by 20%") != NULL;
	}
	assert_true(rows > 0);
	assert_true(lower > 0);
	free(text);
}

static void test_two_sets_say_nothing(void **state)
{
	(void)state;
	const char *paths[] = { "results/x86_64", "results/aarch64" };
	char *text = nway_text(paths, 2);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_sets),
		cmocka_unit_test(test_two_sets_say_nothing),
	};
	return cmocka_run_group_tests_name("compare of N sets", tests, NULL, NULL);
}
