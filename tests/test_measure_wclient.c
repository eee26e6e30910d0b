/* The host side of the worker protocol: what it takes from untrusted worker
 * output (a container's stdout, a guest's serial line) and what it refuses,
 * one run's reports collected strictly, and the one way to find the worker
 * binary. */
#include "testutil.h"

#include <sys/stat.h>

#include "fakeworker.h"
#include "measure/wclient.h"

static const struct wl_report reps2[2] = {
	{ .events = 300, .elapsed_ns = 1000000000ull, .checksum = 1228 },
	{ .events = 100, .elapsed_ns = 500000000ull, .checksum = 1228 },
};

static void test_is_ready(void **state)
{
	(void)state;
	struct vbp_ready r;
	assert_true(wclient__is_ready("VBREADY ts_ns=42 pid=1 marker=m-1", "m-1", &r));
	assert_true(r.ts_ns == 42);
	assert_true(wclient__is_ready("VBREADY ts_ns=42 pid=1 marker=m-1\r\n", NULL, NULL));
	/* Another guest's marker, a marker that only starts with ours. */
	assert_false(wclient__is_ready("VBREADY ts_ns=42 pid=1 marker=m-2", "m-1", &r));
	assert_false(wclient__is_ready("VBREADY ts_ns=42 pid=1 marker=m-1x", "m-1", &r));
	/* Once taken by strstr/strtoull: a stamp that is no number, a field
	 * given twice, an escape sequence, a marker inside another field. */
	assert_false(wclient__is_ready("VBREADY ts_ns=12abc marker=m-1", "m-1", &r));
	assert_false(wclient__is_ready("VBREADY ts_ns=1 ts_ns=2 marker=m-1", "m-1", &r));
	assert_false(wclient__is_ready("VBREADY ts_ns=1 marker=m-1 \x1b[2J", "m-1", &r));
	assert_false(wclient__is_ready("VBREADYX ts_ns=1 marker=m-1", "m-1", &r));
	assert_false(wclient__is_ready("xVBREADY ts_ns=1 marker=m-1", "m-1", &r));
}

static void test_parser_strict(void **state)
{
	(void)state;
	struct vbp_msg m;
	const char *why = NULL;
	assert_int_equal(vbp__parse("VBRESULT events=1 elapsed_ns=1", &m, &why), -1);
	assert_string_equal(why, "VBRESULT without thread");
	assert_int_equal(vbp__parse("VBRESULT thread=0 thread=1", &m, &why), -1);
	assert_string_equal(why, "field given twice");
	assert_int_equal(vbp__parse("VBERROR msg=bad\x07 bell", &m, &why), -1);
	assert_string_equal(why, "control or non-ASCII byte");
	assert_int_equal(vbp__parse("VBERROR msg=caf\xc3\xa9", &m, &why), -1);
	assert_int_equal(vbp__parse("VBREADY marker=", &m, &why), -1);
	assert_int_equal(vbp__parse("VBREADY pid=+1", &m, &why), -1);
	assert_int_equal(vbp__parse("VBREADY pid= 1", &m, &why), -1);
	assert_int_equal(vbp__parse("VBDONE status=-3", &m, &why), 0);
	assert_int_equal(m.status, -3);
}

/* A fake worker and a batch for a 2-thread cpu run. */
static void open_run(struct fakeworker *w, struct wclient *c, struct rates_batch *b)
{
	struct vb_err err = { 0 };
	fake__open(w, c);
	assert_int_equal(rates_batch__init(b, WL_CPU, 2, &err), 0);
}

static void test_collect(void **state)
{
	(void)state;
	struct fakeworker w;
	struct wclient c;
	struct rates_batch b;
	struct vb_err err = { 0 };
	open_run(&w, &c, &b);
	/* Noise between records is skipped; the order of threads is free. */
	fake__say(&w, "[    1.234] random: crng init done\nVBREADY ts_ns=1 marker=x\n");
	static const unsigned order[2] = { 1, 0 };
	fake__results(&w, reps2, 2, order);
	struct wl_job job = { .kind = WL_CPU, .threads = 2, .cpu_max_prime = 10000 };
	struct rates got, want;
	assert_int_equal(wclient__run(&c, &job, 0, &b, &got, 1000, &err), 0);
	assert_int_equal(rates__from_reports(WL_CPU, reps2, 2, &want, &err), 0);
	assert_memory_equal(&got, &want, sizeof(got));
	assert_non_null(strstr(w.sent, "VBRUN kind=cpu threads=2 "));
	/* The next run: thread 1 silent. Its report of the run before must
	 * not stand in for it. */
	fake__results(&w, reps2, 1, NULL);
	assert_int_equal(wclient__collect(&c, &b, &got, 1000, &err), -1);
	assert_string_equal(err.msg, "fake worker: thread 1 did not report in this run (its last "
				     "report is from an earlier one)");
	rates_batch__free(&b);
	fake__close(&w);
}

/* One run's answer `text` on a 2-thread cpu run must fail with `want` in
 * the message. */
static void refused(const char *text, const char *want)
{
	struct fakeworker w;
	struct wclient c;
	struct rates_batch b;
	struct vb_err err = { 0 };
	open_run(&w, &c, &b);
	fake__say(&w, text);
	close(w.fd[1]);
	w.fd[1] = -1;
	struct rates got;
	assert_int_equal(wclient__collect(&c, &b, &got, 1000, &err), -1);
	if (!strstr(err.msg, want))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, want);
	rates_batch__free(&b);
	fake__close(&w);
}

#define R0 "VBRESULT thread=0 events=3 elapsed_ns=10 checksum=1228\n"
#define R1 "VBRESULT thread=1 events=3 elapsed_ns=10 checksum=1228\n"

static void test_collect_refuses(void **state)
{
	(void)state;
	refused(R0 R0 R1 "VBDONE status=0\n", "thread 0 reported twice");
	refused(R0 "VBDONE status=0\n", "thread 1 did not report");
	refused(R0 R1 "VBRESULT thread=2 events=3 elapsed_ns=10\nVBDONE status=0\n",
		"a report from thread 2 of a run on 2 threads");
	refused(R0 R1 "VBDONE status=3\n", "finished with status 3");
	refused(R0 "VBERROR msg=allocating the workload buffer: out of memory\n",
		"fake worker: allocating the workload buffer");
	refused(R0 "VBRUN kind=cpu\n", "a host's record");
	refused(R0 "VBRESULT thread=1 events=3 elapsed_ns=10 checksum=7\nVBDONE status=0\n",
		"thread 1's checksum 7 differs");
	refused(R0 "VBRESULT thread=1 events=3 elapsed_ns=10 error=2\nVBDONE status=0\n",
		"thread 1: a workload parameter is out of range");
	/* The stream ends before VBDONE. */
	refused(R0 R1, "fake worker");
}

static void test_ready_and_expect(void **state)
{
	(void)state;
	struct fakeworker w;
	struct wclient c;
	fake__open(&w, &c);
	struct vb_err err = { 0 };
	fake__say(&w, "VBREADY ts_ns=5 marker=other\nVBREADY ts_ns=7 marker=mine\n"
		      "VBFACTS pid=1 ppid=0 hostname=h mounts=3 netifs_n=1 netifs=lo\n");
	struct vbp_ready r;
	assert_int_equal(wclient__wait_ready(&c, "mine", 1000, &r, &err), 0);
	assert_true(r.ts_ns == 7);
	struct vbp_msg m;
	char line[VBP_LINE_MAX];
	assert_int_equal(wclient__expect(&c, VBP_FACTS, &m, line, sizeof(line), 1000, &err), 0);
	assert_string_equal(m.facts.hostname, "h");
	assert_non_null(strstr(line, "netifs=lo"));
	/* Nothing more comes: a timeout, reported as such. */
	assert_int_equal(wclient__wait_ready(&c, "mine", 30, &r, &err), -1);
	assert_int_equal(wclient__exit(&c, &err), 0);
	assert_non_null(strstr(w.sent, "VBEXIT\n"));
	fake__close(&w);
}

static void test_find_worker(void **state)
{
	(void)state;
	char path[4096], dir[4096], plain[4200];
	struct vb_err err = { 0 };
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-wclient"), 0);
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	FILE *f = fopen(plain, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(plain, 0644), 0);
	/* The option first, then $VIRTBENCH_WORKER, each named when wrong. */
	assert_int_equal(wclient__find_worker(plain, path, sizeof(path), &err), -1);
	assert_non_null(strstr(err.msg, "/plain: not an executable program"));
	assert_non_null(strstr(err.msg, "worker /"));
	setenv("VIRTBENCH_WORKER", plain, 1);
	assert_int_equal(wclient__find_worker(NULL, path, sizeof(path), &err), -1);
	assert_non_null(strstr(err.msg, "VIRTBENCH_WORKER /"));
	assert_int_equal(chmod(plain, 0755), 0);
	assert_int_equal(wclient__find_worker(NULL, path, sizeof(path), &err), 0);
	assert_string_equal(path, plain);
	/* The option wins over the variable. */
	assert_int_equal(wclient__find_worker("/bin/true", path, sizeof(path), &err), 0);
	assert_null(strstr(path, "plain"));
	unsetenv("VIRTBENCH_WORKER");
	vb_tmpdir_leave(dir);
	/* Neither: the one the build put next to virtbench. */
	assert_int_equal(wclient__find_worker(NULL, path, sizeof(path), &err), 0);
	assert_non_null(strstr(path, "/virtbench-worker"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_ready),	 cmocka_unit_test(test_parser_strict),
		cmocka_unit_test(test_collect),		 cmocka_unit_test(test_collect_refuses),
		cmocka_unit_test(test_ready_and_expect), cmocka_unit_test(test_find_worker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
