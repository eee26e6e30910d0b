/* The host side's one clock: nanoseconds, milliseconds and seconds are one
 * CLOCK_MONOTONIC reading in three units, never going back. */
#include "testutil.h"

#include <time.h>

#include "core/clock.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void test_units_agree(void **state)
{
	(void)state;
	for (int i = 0; i < 1000; i++) {
		uint64_t a = mono_ns();
		uint64_t ns = clock__now_ns();
		double ms = clock__now_ms();
		double s = clock__now_s();
		uint64_t b = mono_ns();
		assert_true(a <= ns && ns <= b);
		/* one part in 10^12 of slack: the conversion to double */
		assert_true(ms >= (double)ns / 1e6 * (1 - 1e-12) &&
			    ms <= (double)b / 1e6 * (1 + 1e-12));
		assert_true(s >= (double)ns / 1e9 * (1 - 1e-12) &&
			    s <= (double)b / 1e9 * (1 + 1e-12));
	}
}

static void test_never_back(void **state)
{
	(void)state;
	uint64_t last = clock__now_ns();
	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock__now_ns();
		assert_true(now >= last);
		last = now;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_agree),
		cmocka_unit_test(test_never_back),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
