/* The one /proc/meminfo reader: a field by its whole name only, sizes and
 * counts, a fixture host's file and this machine's. */
#include "testutil.h"

#include <errno.h>

#include "core/meminfo.h"

static const char text[] = "MemTotal:       24683620 kB\n"
			   "MemFree:        22729412 kB\n"
			   "MemAvailable:   23651104 kB\n"
			   "PageTables:         4712 kB\n"
			   "SecPageTables:         8 kB\n"
			   "HugePages_Total:       4\n"
			   "Hugepagesize:       2048 kB";

static void test_fields(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_true(meminfo__get(text, "MemAvailable", &v));
	assert_int_equal(v, 23651104);
	assert_true(meminfo__get(text, "MemTotal", &v));
	assert_int_equal(v, 24683620);
	/* a count, and the last line without a newline */
	assert_true(meminfo__get(text, "HugePages_Total", &v));
	assert_int_equal(v, 4);
	assert_true(meminfo__get(text, "Hugepagesize", &v));
	assert_int_equal(v, 2048);
	/* the whole name at the start of a line, nothing shorter or inside */
	assert_true(meminfo__get(text, "PageTables", &v));
	assert_int_equal(v, 4712);
	v = 7;
	assert_false(meminfo__get(text, "Mem", &v));
	assert_false(meminfo__get(text, "Tables", &v));
	assert_false(meminfo__get(text, "Cached", &v));
	assert_false(meminfo__get("MemAvailable: none\n", "MemAvailable", &v));
	assert_false(meminfo__get("", "MemTotal", &v));
	assert_int_equal(v, 7);
}

static void test_fixture(void **state)
{
	(void)state;
	char *t = NULL;
	struct vb_err err = { 0 };
	assert_int_equal(meminfo__read(fixture("this-host/proc/meminfo"), &t, &err), 0);
	uint64_t v;
	assert_true(meminfo__get(t, "MemAvailable", &v));
	assert_int_equal(v, 23651104);
	assert_true(meminfo__get(t, "SecPageTables", &v));
	assert_int_equal(v, 0);
	free(t);

	assert_int_equal(meminfo__read("/nonexistent/meminfo", &t, &err), -1);
	assert_int_equal(err.errnum, ENOENT);
	assert_null(t);
}

static void test_this_machine(void **state)
{
	(void)state;
	char *t = NULL;
	struct vb_err err = { 0 };
	assert_int_equal(meminfo__read(MEMINFO_PATH, &t, &err), 0);
	uint64_t total = 0;
	assert_true(meminfo__get(t, "MemTotal", &total));
	free(t);
	uint64_t avail = meminfo__available_kib();
	assert_true(avail > 0);
	assert_true(avail <= total);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_this_machine),
	};
	return cmocka_run_group_tests_name("meminfo", tests, NULL, NULL);
}
