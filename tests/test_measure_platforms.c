/* virtbench's promise: the same arithmetic on every platform. The same
 * workload reports, handed to the native, microVM, container and QEMU
 * paths through each one's own entry point from reports to a figure, give
 * the same rate to the last bit, and the paths whose reports arrive one by
 * one (containers, QEMU guests) refuse the same faults with the same words. */
#include "testutil.h"

#include "container/container_bench.h"
#include "container/ct.h"
#include "fakeworker.h"
#include "measure/rates.h"
#include "native/bench.h"
#include "qemu/qemu_bench.h"
#include "vm/bench_impl.h"

#define NT 3

/* Odd numbers, so that any difference in the order or the kind of the
 * arithmetic shows in the last bits. */
static const struct wl_report reps[NT] = {
	{ .events = 12345, .bytes = 12345ull * 1024, .elapsed_ns = 1000000007ull, .checksum = 1228 },
	{ .events = 23456, .bytes = 23456ull * 1024, .elapsed_ns = 999999937ull, .checksum = 1228 },
	{ .events = 34567, .bytes = 34567ull * 1024, .elapsed_ns = 1000000123ull, .checksum = 1228 },
};

/* The rates each path computes from reps, for a job of `kind`. */
struct four {
	struct rates native, microvm, container;
	double container_value, qemu_value;
	uint64_t qemu_checksum;
};

static void by_native(uint32_t kind, struct rates *s)
{
	struct vb_err err = { 0 };
	assert_int_equal(native__rates(kind, reps, NT, 0, false, s, &err), 0);
}

static void by_microvm(uint32_t kind, struct rates *s)
{
	struct vm_vcpu_result res[NT];
	const struct vm_vcpu_result *p[NT];
	memset(res, 0, sizeof(res));
	for (unsigned i = 0; i < NT; i++) {
		res[i].has_report = true;
		res[i].report = reps[i];
		p[i] = &res[i];
	}
	struct vb_err err = { 0 };
	assert_int_equal(vmb__rates(kind, p, NT, s, &err), 0);
}

/* A container's worker writes its records on its stdout; here a pipe. */
static int by_container(uint32_t kind, const char *records, struct rates *s, struct vb_err *err)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	struct ct_inst in;
	ct_inst__init(&in);
	in.out_fd = fd[0];
	vbp__reader_init(&in.rd, fd[0]);
	assert_int_equal(write(fd[1], records, strlen(records)), (ssize_t)strlen(records));
	close(fd[1]);
	struct rates_batch b;
	assert_int_equal(rates_batch__init(&b, kind, NT, err), 0);
	int rc = ct_inst__read_results(&in, &b, s, 1000, err);
	rates_batch__free(&b);
	ct_inst__kill(&in);
	return rc;
}

/* The QEMU path: one side of vm.cpu / vm.memory over the worker protocol. */
static int by_qemu(uint32_t kind, const char *records, double *value, uint64_t *checksum,
		   struct vb_err *err)
{
	struct fakeworker w;
	struct wclient c;
	fake__open(&w, &c);
	fake__say(&w, records);
	struct rates_batch b;
	assert_int_equal(rates_batch__init(&b, kind, NT, err), 0);
	struct wl_job job = { .kind = kind, .threads = NT };
	int rc = qemu_bench__run_job(&c, &job, kind == WL_MEMORY, &b, 1000, value, checksum, err);
	rates_batch__free(&b);
	fake__close(&w);
	return rc;
}

/* reps as a worker sends them, threads in the order given. */
static void records_of(char *out, size_t size, unsigned n, const unsigned *order)
{
	char line[VBP_LINE_MAX];
	out[0] = '\0';
	for (unsigned k = 0; k < n; k++) {
		assert_true(vbp__format_result(line, sizeof(line), order[k], &reps[order[k]]) > 0);
		strncat(out, line, size - strlen(out) - 1);
	}
	assert_true(vbp__format_done(line, sizeof(line), 0) > 0);
	strncat(out, line, size - strlen(out) - 1);
}

static void all_four(uint32_t kind, struct four *f)
{
	char records[4096];
	static const unsigned order[NT] = { 2, 0, 1 };
	records_of(records, sizeof(records), NT, order);
	struct vb_err err = { 0 };
	by_native(kind, &f->native);
	by_microvm(kind, &f->microvm);
	assert_int_equal(by_container(kind, records, &f->container, &err), 0);
	f->container_value = container_bench__value(kind == WL_MEMORY, &f->container);
	assert_int_equal(by_qemu(kind, records, &f->qemu_value, &f->qemu_checksum, &err), 0);
}

static void test_cpu_same_to_the_bit(void **state)
{
	(void)state;
	struct four f;
	all_four(WL_CPU, &f);
	struct rates want;
	struct vb_err err = { 0 };
	assert_int_equal(rates__from_reports(WL_CPU, reps, NT, &want, &err), 0);
	assert_memory_equal(&f.native, &want, sizeof(want));
	assert_memory_equal(&f.microvm, &want, sizeof(want));
	assert_memory_equal(&f.container, &want, sizeof(want));
	/* The figures each platform records: vm.cpu's events_per_sec on the
	 * microVM (vmb__value), container.cpu's and QEMU's. */
	double microvm_value = vmb__value(VM_WL_CPU, &f.microvm);
	assert_memory_equal(&microvm_value, &want.events_per_sec, sizeof(double));
	assert_memory_equal(&f.container_value, &want.events_per_sec, sizeof(double));
	assert_memory_equal(&f.qemu_value, &want.events_per_sec, sizeof(double));
	assert_int_equal(f.qemu_checksum, 1228);
	/* 70368 events over the slowest thread's 1.000000123 s. */
	assert_true(want.events_per_sec == 70368 / 1.000000123);
}

static void test_memory_same_to_the_bit(void **state)
{
	(void)state;
	struct four f;
	all_four(WL_MEMORY, &f);
	struct rates want;
	struct vb_err err = { 0 };
	assert_int_equal(rates__from_reports(WL_MEMORY, reps, NT, &want, &err), 0);
	assert_memory_equal(&f.native, &want, sizeof(want));
	assert_memory_equal(&f.microvm, &want, sizeof(want));
	assert_memory_equal(&f.container, &want, sizeof(want));
	double microvm_value = vmb__value(VM_WL_MEMORY, &f.microvm);
	assert_memory_equal(&microvm_value, &want.mib_per_sec, sizeof(double));
	assert_memory_equal(&f.container_value, &want.mib_per_sec, sizeof(double));
	assert_memory_equal(&f.qemu_value, &want.mib_per_sec, sizeof(double));
}

/* Containers took n as the highest thread plus one and summed whatever the
 * buffer held; QEMU checked. Now both refuse alike. */
static void test_same_faults_refused(void **state)
{
	(void)state;
	static const struct {
		unsigned n, order[4];
		const char *want;
	} cases[] = {
		{ 2, { 0, 2 }, "thread 1 did not report" },
		{ 4, { 0, 1, 1, 2 }, "thread 1 reported twice" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char records[4096];
		records_of(records, sizeof(records), cases[i].n, cases[i].order);
		struct vb_err ec = { 0 }, eq = { 0 };
		struct rates s;
		double v;
		uint64_t sum;
		assert_int_equal(by_container(WL_CPU, records, &s, &ec), -1);
		assert_int_equal(by_qemu(WL_CPU, records, &v, &sum, &eq), -1);
		assert_non_null(strstr(ec.msg, cases[i].want));
		assert_non_null(strstr(eq.msg, cases[i].want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_same_to_the_bit),
		cmocka_unit_test(test_memory_same_to_the_bit),
		cmocka_unit_test(test_same_faults_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
