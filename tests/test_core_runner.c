/* The runner: warm-up runs are thrown away, fixed and adaptive counts, and
 * failures or Ctrl-C keep what was measured. */
#include "testutil.h"

#include "core/interrupt.h"
#include "core/runner.h"

struct ctx {
	unsigned calls, warmups, fail_at;
	bool noisy, interrupt_at_3;
};

static int iterate(void *p, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct ctx *c = p;
	c->calls++;
	if (warmup) {
		c->warmups++;
		v[0] = 1e9; /* must never be recorded */
		return 0;
	}
	if (c->fail_at && i + 1 == c->fail_at)
		return err__set(err, 0, "workload crashed");
	if (c->interrupt_at_3 && i == 2)
		interrupt__set(true);
	/* Noisy: alternating 50 / 150 never gets a narrow interval. */
	v[0] = c->noisy ? (i % 2 ? 150 : 50) : 100;
	v[1] = i;
	return 0;
}

static void make(struct vb_result **r)
{
	r[0] = result__new("t", "native", "a", "ms", false);
	r[1] = result__new("t", "native", "b", "ms", false);
}

static void drop(struct vb_result **r)
{
	result__free(r[0]);
	result__free(r[1]);
}

static void test_fixed(void **state)
{
	(void)state;
	struct vb_run_opts o;
	runner__defaults(&o);
	o.warmup = 2;
	o.iterations = 7;
	struct ctx c = { 0 };
	struct vb_result *r[2];
	make(r);
	struct vb_err err = { 0 };
	assert_int_equal(runner__run(&o, iterate, &c, r, 2, &err), 0);
	assert_int_equal(c.warmups, 2);
	assert_int_equal(c.calls, 9);
	assert_int_equal(r[0]->nsamples, 7);
	assert_int_equal(r[1]->nsamples, 7);
	assert_int_equal(r[0]->stats.n, 7);
	assert_true(r[0]->stats.max == 100); /* no warm-up value */
	assert_true(r[1]->samples[6] == 6);
	drop(r);
}

static void test_adaptive(void **state)
{
	(void)state;
	struct vb_run_opts o;
	runner__defaults(&o);
	o.warmup = 0;
	o.iterations = 3;
	o.adaptive = true;
	o.max_iterations = 40;
	struct ctx c = { 0 };
	struct vb_result *r[2];
	make(r);
	struct vb_err err = { 0 };
	/* Constant values: stops as soon as a real 95% interval exists (n = 6). */
	assert_int_equal(runner__run(&o, iterate, &c, r, 2, &err), 0);
	assert_int_equal(r[0]->nsamples, 6);
	drop(r);
	/* Noisy values: runs to the cap. */
	make(r);
	c = (struct ctx){ .noisy = true };
	assert_int_equal(runner__run(&o, iterate, &c, r, 2, &err), 0);
	assert_int_equal(r[0]->nsamples, 40);
	drop(r);
}

static void test_failure_keeps_samples(void **state)
{
	(void)state;
	struct vb_run_opts o;
	runner__defaults(&o);
	o.iterations = 10;
	struct ctx c = { .fail_at = 4 };
	struct vb_result *r[2];
	make(r);
	struct vb_err err = { 0 };
	assert_int_equal(runner__run(&o, iterate, &c, r, 2, &err), -1);
	assert_string_equal(err.msg, "iteration 4: workload crashed");
	assert_int_equal(r[0]->nsamples, 3);
	assert_int_equal(r[0]->stats.n, 3);
	drop(r);
}

static void test_interrupted(void **state)
{
	(void)state;
	struct vb_run_opts o;
	runner__defaults(&o);
	o.iterations = 10;
	struct ctx c = { .interrupt_at_3 = true };
	struct vb_result *r[2];
	make(r);
	struct vb_err err = { 0 };
	assert_int_equal(runner__run(&o, iterate, &c, r, 2, &err), -1);
	interrupt__set(false);
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(r[0]->nsamples, 3);
	assert_int_equal(r[0]->stats.n, 3);
	drop(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_adaptive),
		cmocka_unit_test(test_failure_keeps_samples),
		cmocka_unit_test(test_interrupted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
