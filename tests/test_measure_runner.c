/* The runner: warm-up runs are thrown away, fixed and adaptive counts, the
 * cap never below the count, failures or Ctrl-C keep what was measured, a
 * failed iteration is recorded and the run goes on, and a benchmark's own
 * stop rule replaces the default. */
#include "testutil.h"

#include "core/interrupt.h"
#include "measure/runner.h"

struct ctx {
	unsigned calls, warmups, fail_at;
	bool noisy, interrupt_at_3;
	unsigned soft_fail_every; /* VB_ITER_FAILED when (i + 1) % this == 0 */
	bool soft_fail_all, soft_fail_warmup;
	unsigned failed_calls, failed_warmups, last_failed;
	unsigned precise_calls, precise_at;
};

static int iterate(void *p, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct ctx *c = p;
	c->calls++;
	if (warmup && c->soft_fail_warmup) {
		err__set(err, 0, "warm-up broke");
		return VB_ITER_FAILED;
	}
	if (warmup) {
		c->warmups++;
		v[0] = 1e9; /* must never be recorded */
		return 0;
	}
	if (c->fail_at && i + 1 == c->fail_at)
		return err__set(err, 0, "workload crashed");
	if (c->interrupt_at_3 && i == 2)
		interrupt__set(true);
	if (c->soft_fail_all || (c->soft_fail_every && (i + 1) % c->soft_fail_every == 0)) {
		v[0] = 1e9; /* must never be recorded */
		err__set(err, 0, "vm %u died", i + 1);
		return VB_ITER_FAILED;
	}
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

static void on_failed(void *p, unsigned iteration, bool warmup, const struct vb_err *why)
{
	struct ctx *c = p;
	if (warmup) {
		c->failed_warmups++;
		return;
	}
	c->failed_calls++;
	c->last_failed = iteration;
	assert_non_null(strstr(why->msg, "died"));
}

static bool stop_at(void *p, struct vb_result *const *r, unsigned nmetrics, double target)
{
	struct ctx *c = p;
	c->precise_calls++;
	assert_int_equal(nmetrics, 2);
	assert_true(target == 0.05);
	return r[1]->nsamples >= c->precise_at;
}

static const struct runner_hooks hooks = { .failed = on_failed, .precise = stop_at };

/* Runs iterate with the hooks (or none) and options warm-up w, count n,
 * adaptive a with cap cap; returns the runner's answer. */
static int run(struct ctx *c, bool hooked, unsigned w, unsigned n, bool a, unsigned cap,
	       struct vb_result **r, struct vb_err *err)
{
	struct vb_run_opts o;
	runner__defaults(&o);
	o.warmup = w;
	o.iterations = n;
	o.adaptive = a;
	o.max_iterations = cap;
	o.target_rel_ci = 0.05;
	make(r);
	return runner__run_hooked(&o, hooked ? &hooks : NULL, iterate, c, r, 2, err);
}

/* A failed iteration is handed to the hook, keeps nothing, and counts
 * towards the fixed count: 10 iterations with every third failing leave 7
 * samples and 3 recorded failures. */
static void test_failed_iteration_goes_on(void **state)
{
	(void)state;
	struct ctx c = { .soft_fail_every = 3 };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, true, 0, 10, false, 0, r, &err), 0);
	assert_int_equal(c.calls, 10);
	assert_int_equal(c.failed_calls, 3);
	assert_int_equal(c.last_failed, 9);
	assert_int_equal(r[0]->nsamples, 7);
	assert_true(r[0]->stats.max == 100);
	drop(r);
}

/* Without a hook the same answer ends the run as a failure. */
static void test_failed_without_hook_ends(void **state)
{
	(void)state;
	struct ctx c = { .soft_fail_every = 3 };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, false, 0, 10, false, 0, r, &err), -1);
	assert_string_equal(err.msg, "iteration 3: vm 3 died");
	assert_int_equal(r[0]->nsamples, 2);
	drop(r);
}

/* Nothing measured: the last reason is the run's failure. */
static void test_every_iteration_failed(void **state)
{
	(void)state;
	struct ctx c = { .soft_fail_all = true, .soft_fail_warmup = true };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, true, 1, 4, false, 0, r, &err), -1);
	assert_string_equal(err.msg, "every iteration failed; the last: vm 4 died");
	assert_int_equal(c.failed_warmups, 1);
	assert_int_equal(c.failed_calls, 4);
	assert_int_equal(r[0]->nsamples, 0);
	drop(r);
}

/* The benchmark's stop rule decides, from the minimum count on. */
static void test_own_stop_rule(void **state)
{
	(void)state;
	struct ctx c = { .noisy = true, .precise_at = 8 };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, true, 0, 3, true, 0, r, &err), 0);
	assert_int_equal(r[0]->nsamples, 8);
	assert_int_equal(c.precise_calls, 6); /* after samples 3 .. 8 */
	drop(r);
	/* Constant values would satisfy the default rule at 6. */
	c = (struct ctx){ .precise_at = 12 };
	assert_int_equal(run(&c, true, 0, 3, true, 0, r, &err), 0);
	assert_int_equal(r[0]->nsamples, 12);
	drop(r);
}

/* A cap below the count is raised to it: --adaptive --iterations 10
 * --max-iterations 3 takes 10 samples, as without --adaptive. */
static void test_cap_never_below_count(void **state)
{
	(void)state;
	struct ctx c = { .noisy = true };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, false, 0, 10, true, 3, r, &err), 0);
	assert_int_equal(r[0]->nsamples, 10);
	drop(r);
}

/* Ctrl-C during a failed iteration is an interruption, not a failure to
 * record. */
static void test_interrupt_during_failure(void **state)
{
	(void)state;
	struct ctx c = { .soft_fail_every = 3, .interrupt_at_3 = true };
	struct vb_result *r[2];
	struct vb_err err = { 0 };
	assert_int_equal(run(&c, true, 0, 10, false, 0, r, &err), -1);
	interrupt__set(false);
	assert_int_equal(c.failed_calls, 0);
	assert_int_equal(r[0]->nsamples, 2);
	drop(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_adaptive),
		cmocka_unit_test(test_failure_keeps_samples),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_failed_iteration_goes_on),
		cmocka_unit_test(test_failed_without_hook_ends),
		cmocka_unit_test(test_every_iteration_failed),
		cmocka_unit_test(test_own_stop_rule),
		cmocka_unit_test(test_cap_never_below_count),
		cmocka_unit_test(test_interrupt_during_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
