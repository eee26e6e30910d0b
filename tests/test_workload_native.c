/* The native platform: the smaps reading that decides whether 2 MiB pages were
 * obtained, the option checks, tiny runs of every benchmark, and the
 * command's exit status on bad input. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "core/proc.h"
#include "core/result.h"
#include "native/native.h"
#include "native/pages.h"

static void test_smaps_parse(void **state)
{
	(void)state;
	const char *text = "55d0a000-55d0c000 r-xp 00000000 08:01 123 /bin/x\n"
			   "Size:                  8 kB\n"
			   "AnonHugePages:         0 kB\n"
			   "7f0000000000-7f0000400000 rw-p 00000000 00:00 0 \n"
			   "Size:               4096 kB\n"
			   "AnonHugePages:      2048 kB\n"
			   "7f0000400000-7f0000800000 rw-p 00000000 00:00 0 \n"
			   "AnonHugePages:      4096 kB\n"
			   "VmFlags: rd wr mr mw me ac hg\n";
	assert_int_equal(native_smaps__anon_huge(text, 0x7f0000000000, 0x7f0000800000), 6ll << 20);
	assert_int_equal(native_smaps__anon_huge(text, 0x7f0000400000, 0x7f0000600000), 4ll << 20);
	assert_int_equal(native_smaps__anon_huge(text, 0x1000, 0x2000), 0);
}

static void test_map_4k_is_never_huge(void **state)
{
	(void)state;
	struct native_map m;
	struct vb_err err = { 0 };
	assert_int_equal(native_map__create(&m, 4u << 20, false, &err), 0);
	memset(m.base, 1, m.len);
	assert_int_equal(native_map__huge_bytes(&m), 0);
	assert_string_equal(native_map__source(&m), "4k");
	native_map__destroy(&m);
	/* A 2 MiB map is aligned; whether it is huge is for the kernel to say,
	 * but the answer must be consistent with smaps. */
	assert_int_equal(native_map__create(&m, 3u << 20, true, &err), 0);
	assert_int_equal((uintptr_t)m.base % NATIVE_2M, 0);
	assert_int_equal(m.len, 4u << 20);
	memset(m.base, 1, m.len);
	int64_t huge = native_map__huge_bytes(&m);
	assert_true(huge >= 0 && huge <= (int64_t)m.len);
	assert_int_equal(native_map__is_huge(&m), huge == (int64_t)m.len);
	native_map__destroy(&m);
}

static void expect_usage(struct native_opts *o, const char *needle)
{
	struct vb_err err = { 0 };
	assert_int_equal(native_opts__check(o, &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("'%s' not in '%s'", needle, err.msg);
	assert_null(strchr(err.msg, '\n'));
}

static void test_opts_check(void **state)
{
	(void)state;
	struct native_opts o;
	struct vb_err err = { 0 };
	for (uint32_t k = WL_CPU; k <= WL_CLOCK; k++) {
		native_opts__init(&o, k);
		assert_int_equal(native_opts__check(&o, &err), 0);
	}
	native_opts__init(&o, WL_CPU);
	o.threads = 0;
	expect_usage(&o, "--threads");
	native_opts__init(&o, WL_MEMORY);
	o.block_size = 0;
	expect_usage(&o, "--memory-block-size");
	o.block_size = 3000;
	expect_usage(&o, "power of two");
	o.block_size = 1 << 20;
	o.total_size = 1024;
	expect_usage(&o, "larger than --memory-total-size");
	native_opts__init(&o, WL_MEMORY);
	o.scope_local = true;
	o.block_size = 1ull << 46;
	o.total_size = 0;
	expect_usage(&o, "this machine has");
	native_opts__init(&o, WL_MEMLAT);
	o.max_size = 1ull << 50;
	expect_usage(&o, "this machine has");
	native_opts__init(&o, WL_FAULT);
	o.pages = 0;
	expect_usage(&o, "--pages");
}

static void test_run_jobs_threads(void **state)
{
	(void)state;
	struct wl_job jobs[2] = {
		{ .kind = WL_CPU, .cpu_max_prime = 2000, .max_events = 3 },
		{ .kind = WL_CPU, .cpu_max_prime = 2000, .max_events = 5, .thread = 1 },
	};
	struct wl_report reps[2];
	struct vb_err err = { 0 };
	assert_int_equal(native__run_jobs(jobs, 2, reps, &err), 0);
	assert_int_equal(reps[0].events, 3);
	assert_int_equal(reps[1].events, 5);
	assert_int_equal(reps[1].checksum, 302); /* pi(1999) - 1 */
	assert_null(jobs[0].stop);
	jobs[1].kind = 99;
	assert_int_equal(native__run_jobs(jobs, 2, reps, &err), -1);
	assert_non_null(strstr(err.msg, "thread 1"));
}

static struct vb_result *find(struct vb_result_set *s, const char *bench, const char *metric,
			      const char *key, const char *value)
{
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *r = s->results[i];
		if (!strcmp(r->benchmark, bench) && !strcmp(r->metric, metric) &&
		    (!key || (result__config(r, key) && !strcmp(result__config(r, key), value))))
			return r;
	}
	return NULL;
}

static void quick(struct native_opts *o)
{
	o->run.iterations = 2;
	o->run.warmup = 0;
	o->run.label = NULL;
}

static void test_bench_tiny_runs(void **state)
{
	(void)state;
	struct vb_result_set s;
	struct vb_err err = { 0 };
	struct native_opts o;
	result_set__init(&s);

	native_opts__init(&o, WL_CPU);
	quick(&o);
	o.threads = 2;
	o.time_s = 0;
	o.events = 6;
	o.cpu_max_prime = 1000;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	struct vb_result *r = find(&s, "cpu", "events_per_sec", "threads", "2");
	assert_non_null(r);
	assert_int_equal(r->stats.n, 2);
	assert_true(r->stats.median > 0);
	assert_non_null(result__config(r, "compiler"));
	assert_non_null(result__config(r, "cflags"));
	assert_string_equal(r->platform, "native");

	native_opts__init(&o, WL_MEMORY);
	quick(&o);
	o.total_size = 1 << 20;
	o.threads = 2;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	assert_non_null(find(&s, "memory", "mib_per_sec", "block_size", "1K"));
	assert_non_null(find(&s, "memory", "ops_per_sec", "mode", "sysbench"));
	assert_non_null(find(&s, "clock", "clock_read_ns", NULL, NULL));

	native_opts__init(&o, WL_MEMLAT);
	quick(&o);
	o.max_size = 16 << 10;
	o.loads = 4096;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	assert_non_null(find(&s, "memlat", "ns_per_load", "working_set", "4K"));
	assert_non_null(find(&s, "memlat", "ns_per_load", "working_set", "16K"));
	/* 2M figures exist only where the kernel gave 2M pages. */
	for (size_t i = 0; i < s.nresults; i++)
		if (!strcmp(s.results[i]->benchmark, "memlat") &&
		    !strcmp(result__config(s.results[i], "page_size"), "2M"))
			assert_string_not_equal(result__config(s.results[i], "page_source"), "4k");

	native_opts__init(&o, WL_FAULT);
	quick(&o);
	o.size = 4 << 20;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	r = find(&s, "fault", "ns_per_page", "page_size", "4K");
	assert_non_null(r);
	assert_true(r->stats.median > 0);

	native_opts__init(&o, WL_STREAM);
	quick(&o);
	o.size = 3 << 20;
	o.events = 1;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	assert_non_null(find(&s, "stream", "gb_per_sec", "kernel", "triad"));

	native_opts__init(&o, WL_CLOCK);
	quick(&o);
	o.time_s = 0;
	o.events = 4;
	size_t before = s.nresults;
	assert_int_equal(native__bench(&o, &s, &err), 0);
	assert_int_equal(s.nresults, before + 1);
	assert_string_equal(s.results[before]->benchmark, "clock");

	/* a workload with no native benchmark: a usage error, nothing added */
	o.kind = WL_NOOP;
	assert_int_equal(native__bench(&o, &s, &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	assert_int_equal(s.nresults, before + 1);
	result_set__free(&s);
}

static int run_vb(char **args, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = args, .timeout_ms = 60000 };
	struct vb_err err = { 0 };
	int rc = proc__run(&o, r, &err);
	if (rc < 0)
		fail_msg("%s", err.msg);
	return rc;
}

static void expect_exit2(char **args, const char *needle)
{
	struct vb_proc_result r;
	run_vb(args, &r);
	assert_int_equal(r.exit_code, 2);
	assert_int_equal(r.out_len, 0);
	const char *nl = strchr(r.errout, '\n');
	assert_non_null(nl);
	assert_int_equal(nl[1], 0); /* one line */
	if (!strstr(r.errout, needle))
		fail_msg("'%s' not in '%s'", needle, r.errout);
	proc__result_free(&r);
}

static void test_cli_bad_input(void **state)
{
	(void)state;
	char *vb = (char *)vb_binary();
	expect_exit2((char *[]){ vb, "native", "memory", "--memory-block-size", "0", NULL },
		     "--memory-block-size");
	expect_exit2((char *[]){ vb, "native", "memory", "--memory-block-size", "2M",
				 "--memory-total-size", "1M", NULL },
		     "larger than");
	expect_exit2((char *[]){ vb, "native", "cpu", "--threads", "0", NULL }, "--threads");
	expect_exit2((char *[]){ vb, "native", "memory", "--memory-oper", "copy", NULL },
		     "--memory-oper");
	expect_exit2((char *[]){ vb, "native", "memlat", "--max-size", "16T", NULL },
		     "this machine has");
	expect_exit2((char *[]){ vb, "native", "cpu", "--memory-oper", "read", NULL },
		     "not an option");
	expect_exit2((char *[]){ vb, "native", "frob", NULL }, "frob");
}

static void test_cli_json(void **state)
{
	(void)state;
	char *args[] = { (char *)vb_binary(),
			 "native",
			 "cpu",
			 "--events",
			 "4",
			 "--time",
			 "0",
			 "--cpu-max-prime",
			 "500",
			 "--iterations",
			 "2",
			 "--warmup",
			 "0",
			 "--json",
			 NULL };
	struct vb_proc_result r;
	run_vb(args, &r);
	assert_int_equal(r.exit_code, 0);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	if (!doc)
		fail_msg("not one JSON document: %s", je.text);
	json_decref(doc);
	proc__result_free(&r);
	char *help[] = { (char *)vb_binary(), "native", "memory", "--help", NULL };
	run_vb(help, &r);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "--memory-block-size"));
	proc__result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smaps_parse),	cmocka_unit_test(test_map_4k_is_never_huge),
		cmocka_unit_test(test_opts_check),	cmocka_unit_test(test_run_jobs_threads),
		cmocka_unit_test(test_bench_tiny_runs), cmocka_unit_test(test_cli_bad_input),
		cmocka_unit_test(test_cli_json),
	};
	return cmocka_run_group_tests_name("workload native", tests, NULL, NULL);
}
