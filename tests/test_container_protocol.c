/* The worker line protocol: every record survives a format/parse round
 * trip, malformed lines are rejected with a reason, the reader splits a
 * byte stream into lines whatever the read boundaries. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "worker/protocol.h"

static void test_ready_roundtrip(void **state)
{
	(void)state;
	char line[VBP_LINE_MAX];
	struct vbp_ready r = { .ts_ns = 18446744073709551615ull, .pid = 1 };
	strcpy(r.marker, "abc-1");
	int n = vbp__format_ready(line, sizeof(line), &r);
	assert_true(n > 0);
	assert_int_equal(line[n - 1], '\n');
	struct vbp_msg m;
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_READY);
	assert_true(m.ready.ts_ns == r.ts_ns);
	assert_int_equal(m.ready.pid, 1);
	assert_string_equal(m.ready.marker, "abc-1");
	/* A marker with a space would split the record: refused. */
	strcpy(r.marker, "a b");
	assert_int_equal(vbp__format_ready(line, sizeof(line), &r), -1);
}

static void test_run_roundtrip(void **state)
{
	(void)state;
	struct wl_job j = { 0 };
	j.kind = WL_MEMORY;
	j.threads = 3;
	j.flags = 7;
	j.max_events = 123456789012ull;
	j.time_ns = 10000000000ull;
	j.cpu_max_prime = 10000;
	j.mem_oper = WL_MEM_WRITE;
	j.mem_access_rnd = 1;
	j.mem_sysbench = 1;
	j.mem_block_size = 1024;
	j.mem_total_size = 1ull << 40;
	j.buf_size = 4096;
	j.page_size = 2 << 20;
	j.stream_kernel = WL_STREAM_TRIAD;
	j.mem_scope_local = 1;
	j.memlat_loads = 99;
	j.seed = 42;
	char line[VBP_LINE_MAX];
	assert_true(vbp__format_run(line, sizeof(line), &j, 1) > 0);
	struct vbp_msg m;
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_RUN);
	assert_int_equal(m.job.kind, WL_MEMORY);
	assert_int_equal(m.job.threads, 3);
	assert_int_equal(m.job.flags, 7);
	assert_true(m.job.max_events == j.max_events);
	assert_true(m.job.time_ns == j.time_ns);
	assert_int_equal(m.job.cpu_max_prime, 10000);
	assert_int_equal(m.job.mem_oper, WL_MEM_WRITE);
	assert_int_equal(m.job.mem_access_rnd, 1);
	assert_int_equal(m.job.mem_sysbench, 1);
	assert_true(m.job.mem_block_size == 1024);
	assert_true(m.job.mem_total_size == 1ull << 40);
	assert_true(m.job.buf_size == 4096);
	assert_true(m.job.page_size == 2 << 20);
	assert_int_equal(m.job.stream_kernel, WL_STREAM_TRIAD);
	assert_int_equal(m.job.mem_scope_local, 1);
	assert_true(m.job.memlat_loads == 99);
	assert_true(m.job.seed == 42);
	assert_true(m.hist == 1);
	assert_null(m.job.buf);
}

static void test_result_done_error_exit(void **state)
{
	(void)state;
	char line[VBP_LINE_MAX];
	struct wl_report rep = { .events = 5,
				 .bytes = 6,
				 .elapsed_ns = 7,
				 .checksum = 8,
				 .loads = 9,
				 .lat_sum_ns = 10,
				 .lat_min_ns = 11,
				 .lat_max_ns = 12,
				 .clock_reads = 13,
				 .error = 2 };
	assert_true(vbp__format_result(line, sizeof(line), 4, &rep) > 0);
	struct vbp_msg m;
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_RESULT);
	assert_int_equal(m.result.thread, 4);
	assert_memory_equal(&m.result.rep, &rep, sizeof(rep));

	assert_true(vbp__format_done(line, sizeof(line), 3) > 0);
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_DONE);
	assert_int_equal(m.status, 3);

	assert_true(vbp__format_error(line, sizeof(line), "out of memory:\nno luck") > 0);
	assert_non_null(strchr(line, '\n'));
	assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1); /* one line */
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_ERROR);
	assert_string_equal(m.text, "out of memory: no luck");

	assert_true(vbp__format_exit(line, sizeof(line)) > 0);
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_EXIT);
}

static void test_facts_roundtrip(void **state)
{
	(void)state;
	struct vbp_facts f = { .pid = 1, .ppid = 0, .mounts = 5, .netifs_n = 1 };
	strcpy(f.hostname, "virtbench");
	strcpy(f.netifs, "lo");
	char line[VBP_LINE_MAX];
	assert_true(vbp__format_facts(line, sizeof(line), &f) > 0);
	struct vbp_msg m;
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_FACTS);
	assert_int_equal(m.facts.pid, 1);
	assert_int_equal(m.facts.mounts, 5);
	assert_int_equal(m.facts.netifs_n, 1);
	assert_string_equal(m.facts.hostname, "virtbench");
	assert_string_equal(m.facts.netifs, "lo");
}

static void test_parse_rejects(void **state)
{
	(void)state;
	struct vbp_msg m;
	const char *why = NULL;
	assert_int_equal(vbp__parse("HELLO x=1", &m, &why), -1);
	assert_string_equal(why, "unknown record");
	assert_int_equal(vbp__parse("VBREADY ts_ns=12x", &m, &why), -1);
	assert_string_equal(why, "malformed field value");
	assert_int_equal(vbp__parse("VBREADY ts_ns=-1", &m, &why), -1);
	assert_int_equal(vbp__parse("VBRUN threads", &m, &why), -1);
	assert_string_equal(why, "field without '='");
	assert_int_equal(vbp__parse("VBRUN threads=4294967296", &m, &why), -1);
	assert_int_equal(vbp__parse("VBRUN kind=bogus", &m, &why), -1);
	char longline[VBP_LINE_MAX + 10];
	memset(longline, 'a', sizeof(longline) - 1);
	memcpy(longline, "VBDONE ", 7);
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(vbp__parse(longline, &m, &why), -1);
	assert_string_equal(why, "line too long");
	/* Unknown fields are a newer peer's: ignored; CRLF is accepted. */
	assert_int_equal(vbp__parse("VBDONE status=0 future=1\r\n", &m, &why), 0);
	assert_int_equal(m.type, VBP_DONE);
	/* Numeric kinds are accepted too. */
	assert_int_equal(vbp__parse("VBRUN kind=1", &m, &why), 0);
	assert_int_equal(m.job.kind, WL_CPU);
}

static void test_job_args(void **state)
{
	(void)state;
	char *argv[] = { "kind=cpu", "threads=2", "cpu_max_prime=100", "hist=1" };
	struct wl_job j;
	uint64_t hist = 0;
	const char *why = NULL;
	assert_int_equal(vbp__parse_job_args(4, argv, &j, &hist, &why), 0);
	assert_int_equal(j.kind, WL_CPU);
	assert_int_equal(j.threads, 2);
	assert_int_equal(j.cpu_max_prime, 100);
	assert_true(hist == 1);
	char *bad[] = { "threads" };
	assert_int_equal(vbp__parse_job_args(1, bad, &j, &hist, &why), -1);
	assert_int_equal(vbp__kind_from_name("noop"), WL_NOOP);
	assert_string_equal(vbp__kind_name(WL_STREAM), "stream");
	assert_string_equal(vbp__kind_name(999), "unknown");
}

static void test_reader(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct vbp_reader r;
	vbp__reader_init(&r, p[0]);
	char line[VBP_LINE_MAX];
	/* Nothing yet: a timeout, and the partial line stays buffered. */
	assert_int_equal(write(p[1], "VBRE", 4), 4);
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 20), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(write(p[1], "ADY ts_ns=1\r\nVBDONE status=0\nVBEXIT", 35), 35);
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), 15);
	assert_string_equal(line, "VBREADY ts_ns=1");
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), 15);
	assert_string_equal(line, "VBDONE status=0");
	close(p[1]);
	/* The last line without newline, then the end. */
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), 6);
	assert_string_equal(line, "VBEXIT");
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), VBP_EOF);
	close(p[0]);
}

static void test_reader_overlong(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct vbp_reader r;
	vbp__reader_init(&r, p[0]);
	char big[VBP_LINE_MAX + 100];
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(write(p[1], big, sizeof(big)), (ssize_t)sizeof(big));
	assert_int_equal(write(p[1], "VBEXIT\n", 7), 7);
	char line[VBP_LINE_MAX];
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), -1);
	assert_int_equal(errno, EMSGSIZE);
	/* The stream goes on after the bad line. */
	assert_int_equal(vbp__reader_line(&r, line, sizeof(line), 1000), 6);
	assert_string_equal(line, "VBEXIT");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_roundtrip),
		cmocka_unit_test(test_run_roundtrip),
		cmocka_unit_test(test_result_done_error_exit),
		cmocka_unit_test(test_facts_roundtrip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_job_args),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_overlong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
