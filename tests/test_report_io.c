/* The disk and network results in the report: io_disk.csv and io_net.csv
 * (columns and values), the workload table of report.html after Felter et
 * al. (rows, columns, skips, escaping of a hostile mode), the charts, the
 * native baseline found whatever the mode, and compare's direction per
 * metric with modes kept apart. Result sets are built here with designed
 * samples (tests/reportset.h); nothing is measured. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include "core/names.h"
#include "core/output.h"
#include "report/compare.h"
#include "report/compare_summary.h"
#include "report/family.h"
#include "report/io.h"
#include "report/report.h"
#include "report/verdicts.h"
#include "reportset.h"
#include "worker/io.h"

#define TMPDIR_PREFIX "vb-report-io"
#include "tmpdir.h"

#define HOSTILE "<script>alert(\"x\")</script>&\x1b[2J"

/* One disk or net result: its test, depth (0: none) and size as the
 * benchmarks write them, and n samples around median. */
static struct vb_result *io_add(struct vb_result_set *s, const char *bench, const char *plat,
				const char *mode, const char *test, unsigned depth, unsigned size,
				const char *metric, const char *unit, bool hib, double median,
				size_t n)
{
	bool net = names__family(bench) == FAM_NET;
	char t[64], m[160], d[32], b[48];
	snprintf(t, sizeof(t), VB_CFG_TEST "=%s", test);
	snprintf(m, sizeof(m), VB_CFG_MODE "=%s", mode);
	snprintf(d, sizeof(d), VB_CFG_DEPTH "=%u", depth);
	snprintf(b, sizeof(b), "%s=%u", net ? VB_CFG_MESSAGE_SIZE : VB_CFG_BLOCK_SIZE, size);
	struct vb_result *r =
		depth ? rs_add(s, bench, plat, metric, unit, hib, median, n, t, m, d, b,
			       (char *)NULL)
		      : rs_add(s, bench, plat, metric, unit, hib, median, n, t, m, b, (char *)NULL);
	assert_non_null(r);
	return r;
}

/* Native disk and net, the built-in runtime's overlay, a QEMU mode under
 * TCG, a hostile mode, and skips of a runtime and of one mode. */
static void make_set(struct vb_result_set *s)
{
	result_set__init(s);
	io_add(s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_SEQ_READ, 1, 1 << 20,
	       VB_METRIC_MIB_PER_SEC, "MiB/s", true, 1000, 10);
	io_add(s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_RAND_READ, 1, 4096,
	       VB_METRIC_IOPS, "IOPS", true, 10000, 10);
	io_add(s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_RAND_READ, 1, 4096,
	       VB_METRIC_P50_US, "us", false, 100, 10);
	io_add(s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_RAND_READ, 32, 4096,
	       VB_METRIC_IOPS, "IOPS", true, 80000, 10);
	io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay", VB_IO_SEQ_READ,
	       1, 1 << 20, VB_METRIC_MIB_PER_SEC, "MiB/s", true, 800, 10);
	io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay",
	       VB_IO_RAND_READ, 1, 4096, VB_METRIC_P50_US, "us", false, 125, 10);
	struct vb_result *q = io_add(s, "vm.disk", VB_PLATFORM_QEMU, "virtio-blk", VB_IO_RAND_READ,
				     32, 4096, VB_METRIC_IOPS, "IOPS", true, 20000, 10);
	result__set_config(q, VB_CFG_ACCEL, VB_ACCEL_TCG);
	io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, HOSTILE, VB_IO_SEQ_READ,
	       1, 1 << 20, VB_METRIC_MIB_PER_SEC, "MiB/s", true, 900, 10);
	io_add(s, VB_KIND_NET, VB_PLATFORM_NATIVE, "host", VB_IO_TCP_RR, 0, 1, VB_METRIC_P50_US,
	       "us", false, 20, 10);
	io_add(s, VB_BENCH_CONTAINER_NET, VB_PLATFORM_CONTAINER_BUILTIN, "loopback", VB_IO_TCP_RR,
	       0, 1, VB_METRIC_P50_US, "us", false, 22, 10);
	result_set__skip(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_RUNC,
			 "I/O modes are measured in the built-in runtime only");
	result_set__skip(s, VB_BENCH_CONTAINER_NET, VB_PLATFORM_CONTAINER_BUILTIN,
			 "veth mode: creating the pair needs root <b>");
	assert_int_equal(family__link(s), 0);
}

/* The CSV line whose first fields are prefix, split at the commas
 * (no field here is quoted); NULL-terminated in f. */
static size_t csv_line(char *text, const char *prefix, char **f, size_t max)
{
	char *line = strstr(text, prefix);
	if (!line)
		fail_msg("no line starting %s", prefix);
	char *end = strchr(line, '\n');
	if (end)
		*end = '\0';
	size_t n = 0;
	for (char *p = line; p && n < max; n++) {
		f[n] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	return n;
}

static void test_names_match_the_worker(void **state)
{
	(void)state;
	static const struct {
		uint32_t test;
		const char *name;
	} t[] = { { IO_SEQ_READ, VB_IO_SEQ_READ },
		  { IO_SEQ_WRITE, VB_IO_SEQ_WRITE },
		  { IO_RAND_READ, VB_IO_RAND_READ },
		  { IO_RAND_WRITE, VB_IO_RAND_WRITE },
		  { IO_FSYNC, VB_IO_FSYNC },
		  { IO_TCP_STREAM, VB_IO_TCP_STREAM },
		  { IO_TCP_STREAM_RX, VB_IO_TCP_STREAM_RX },
		  { IO_TCP_RR, VB_IO_TCP_RR },
		  { IO_TCP_CRR, VB_IO_TCP_CRR } };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(io__test_name(t[i].test), t[i].name);
	assert_int_equal(names__family(VB_BENCH_CONTAINER_DISK), FAM_DISK);
	assert_int_equal(names__family("vm.net"), FAM_NET);
	assert_string_equal(family__title(FAM_DISK), "Disk I/O");
}

static void test_csv_columns_and_values(void **state)
{
	(void)state;
	struct vb_result_set s;
	make_set(&s);
	struct vb_err err = { 0 };
	assert_int_equal(report__write_extra_csvs(&s, dir, &err), 0);
	char *disk = slurp("io_disk.csv");
	const char *hdr = "benchmark,platform,mode,test,depth,block_size,metric,unit,median,"
			  "ci_low,ci_high,n,native_median,overhead_percent,overhead_ci_low,"
			  "overhead_ci_high,emulated\n";
	assert_memory_equal(disk, hdr, strlen(hdr));
	char *f[24];
	/* Against native's 1000 MiB/s: 20% slower, an interval around it. */
	assert_int_equal(csv_line(disk, "container.disk,container-builtin,overlay,seq_read", f, 24),
			 17);
	assert_string_equal(f[4], "1");
	assert_string_equal(f[5], "1048576");
	assert_string_equal(f[6], VB_METRIC_MIB_PER_SEC);
	assert_string_equal(f[7], "MiB/s");
	assert_true(fabs(atof(f[8]) - 800) < 1e-6);
	assert_string_equal(f[11], "10");
	assert_true(fabs(atof(f[12]) - 1000) < 1e-6);
	assert_true(fabs(atof(f[13]) - 20) < 1e-6);
	assert_true(atof(f[14]) < 20 && atof(f[15]) > 20);
	assert_string_equal(f[16], "false");
	free(disk);
	/* The QEMU mode under TCG: emulated; its baseline the native QD32 run. */
	disk = slurp("io_disk.csv");
	csv_line(disk, "vm.disk,qemu,virtio-blk,rand_read,32,4096,iops", f, 24);
	assert_true(fabs(atof(f[12]) - 80000) < 1e-6);
	assert_true(fabs(atof(f[13]) - 75) < 1e-6);
	assert_string_equal(f[16], "true");
	free(disk);
	/* Latency: 125 us against 100 us is 25% worse. */
	disk = slurp("io_disk.csv");
	csv_line(disk, "container.disk,container-builtin,overlay,rand_read,1,4096,p50_us", f, 24);
	assert_true(fabs(atof(f[13]) - 25) < 1e-6);
	free(disk);
	/* Native rows have no overhead. */
	disk = slurp("io_disk.csv");
	csv_line(disk, "disk,native,host,rand_read,1,4096,iops", f, 24);
	assert_string_equal(f[12], "");
	assert_string_equal(f[13], "");
	free(disk);

	char *net = slurp("io_net.csv");
	assert_non_null(strstr(net, ",depth,message_size,metric,"));
	csv_line(net, "container.net,container-builtin,loopback,tcp_rr,,1,p50_us", f, 24);
	assert_true(fabs(atof(f[13]) - 10) < 1e-6);
	free(net);
	result_set__free(&s);
}

static void test_felter_table(void **state)
{
	(void)state;
	struct vb_result_set s;
	make_set(&s);
	struct io_table t;
	io__table(&s, FAM_DISK, &t);
	/* native, overlay, the QEMU mode, the hostile mode, runc (skipped). */
	assert_int_equal(t.ncols, 5);
	assert_true(t.col[0].native);
	assert_string_equal(t.col[1].mode, "overlay");
	assert_string_equal(t.col[2].platform, VB_PLATFORM_QEMU);
	assert_true(t.col[2].emulated);
	assert_string_equal(t.col[3].mode, HOSTILE);
	assert_string_equal(t.col[4].platform, VB_PLATFORM_RUNC);
	assert_non_null(t.col[4].skipped);
	io__table(&s, FAM_NET, &t);
	assert_int_equal(t.ncols, 3); /* native, loopback, veth (skipped) */
	assert_string_equal(t.col[2].mode, "veth");

	struct vb_buf b = { 0 };
	assert_int_equal(io__html(&b, &s), 0);
	char *h = b.data;
	/* Rows, native first, then each platform and mode. */
	const char *order[] = { "<th>native</th>", "<th>container-builtin overlay</th>",
				"<th>qemu virtio-blk (emulated)</th>", "<th>runc</th>" };
	const char *at = h;
	for (size_t i = 0; i < 4; i++) {
		const char *p = strstr(at, order[i]);
		if (!p)
			fail_msg("no %s after the previous column", order[i]);
		at = p;
	}
	for (size_t k = 0; k < io__nrows; k++)
		assert_non_null(strstr(h, io__rows[k].label));
	/* A cell: the value and the overhead with its interval. */
	assert_non_null(strstr(h, "800 MiB/s<br><span class=\"c\" title=\"against native 1000 "
				  "MiB/s (disk)\">+20.0% ["));
	/* Escaped, never raw. */
	assert_null(strstr(h, "<script>"));
	assert_null(strstr(h, "\x1b"));
	assert_non_null(strstr(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"));
	/* Skips give the reason, escaped; nothing known gives a dash. */
	assert_non_null(strstr(h, "skipped: I/O modes are measured in the built-in runtime only"));
	assert_non_null(strstr(h, "skipped: veth mode: creating the pair needs root &lt;b&gt;"));
	assert_non_null(strstr(h, "<td class=\"c\">\u2014</td>"));
	buf__free(&b);

	/* The terminal's version: the same cells, no control character; a
	 * column without a figure (veth, runc) is named under its table, its
	 * reason left to the skipped list. */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	io__print(&s, f);
	fclose(f);
	assert_non_null(strstr(text, "Random read 4K QD1 (IOPS)"));
	assert_null(strstr(text, "skipped: veth mode"));
	assert_non_null(strstr(text, "Network, not measured: container-builtin veth"));
	assert_non_null(strstr(text, "Disk, not measured: runc"));
	assert_null(strchr(text, '\x1b'));
	free(text);

	/* In report.html, and no longer among the other results. */
	struct vb_err err = { 0 };
	struct chart_list l = { 0 };
	assert_int_equal(report__write_html(&s, &l, dir, &err), 0);
	char *page = slurp("report.html");
	assert_non_null(strstr(page, "<h2 id=\"io\">"));
	assert_non_null(strstr(page, "<h3>Disk I/O</h3>"));
	assert_null(strstr(page, "<h3>Other results</h3>"));
	assert_null(strstr(page, "<script>"));
	free(page);
	result_set__free(&s);
}

/* "At a glance": per platform and mode, how many workloads are worse. */
static void test_verdict(void **state)
{
	(void)state;
	struct vb_result_set s;
	make_set(&s);
	struct verdict v[FAM_COUNT];
	size_t n = verdicts__build(&s, v, FAM_COUNT);
	const char *disk = NULL, *net = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].fam == FAM_DISK)
			disk = v[i].text;
		if (v[i].fam == FAM_NET)
			net = v[i].text;
	}
	assert_non_null(disk);
	assert_non_null(net);
	/* Its QD1 read latency is no workload of the table. */
	assert_non_null(strstr(disk, "container-builtin overlay: worse than native in 1 of 1 "
				     "workloads, better in 0 (largest: +20.0%, Sequential read"));
	assert_non_null(strstr(disk, "qemu virtio-blk (emulated): worse than native in 1 of 1"));
	assert_non_null(strstr(net, "container-builtin loopback: worse than native in 1 of 1"));
	result_set__free(&s);

	/* Native alone: its figures by workload. */
	result_set__init(&s);
	io_add(&s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_RAND_READ, 32, 4096,
	       VB_METRIC_IOPS, "IOPS", true, 80000, 10);
	io_add(&s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_FSYNC, 1, 4096, VB_METRIC_P50_US,
	       "us", false, 2000, 10);
	assert_int_equal(family__link(&s), 0);
	n = verdicts__build(&s, v, FAM_COUNT);
	assert_int_equal(n, 1);
	assert_string_equal(
		v[0].text, "native: rand_read QD32 4 KiB 80000 IOPS, fsync p50 2.00 ms (medians).");
	result_set__free(&s);
}

/* A sequential test's MiB/s (1 MiB blocks), 10 samples around median. */
static void seq(struct vb_result_set *s, const char *bench, const char *plat, const char *mode,
		const char *test, double median)
{
	io_add(s, bench, plat, mode, test, 1, 1 << 20, VB_METRIC_MIB_PER_SEC, "MiB/s", true, median,
	       10);
}

/* The native benchmark's seq_read (1000 MiB/s), and container disk's
 * overlay (760) beside its own native run (950). */
static void beside(struct vb_result_set *s)
{
	result_set__init(s);
	seq(s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_SEQ_READ, 1000);
	seq(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_SEQ_READ, 950);
	seq(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay", VB_IO_SEQ_READ,
	    760);
}

/* The overhead text of row k, column c starts with want. */
static void overhead_is(const struct vb_result_set *s, const struct io_table *t, size_t k, size_t c,
			const char *want)
{
	char text[96];
	io__overhead(io__table_cell(s, &io__rows[k], t, c), text, sizeof(text));
	assert_memory_equal(text, want, strlen(want));
}

/* The native cell of a row is the run its platforms were measured
 * against when they share one; else the native benchmark's own. */
static void test_native_cell(void **state)
{
	(void)state;
	struct vb_result_set s;
	beside(&s);
	seq(&s, VB_KIND_DISK, VB_PLATFORM_NATIVE, "host", VB_IO_SEQ_WRITE, 700);
	seq(&s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay", VB_IO_SEQ_WRITE,
	    560);
	seq(&s, "vm.disk", VB_PLATFORM_QEMU, "virtio-blk", VB_IO_SEQ_WRITE, 350);
	assert_int_equal(family__link(&s), 0);
	struct io_table t;
	io__table(&s, FAM_DISK, &t);
	/* seq_read: the overlay against the native run beside it (950). */
	const struct vb_result *n = io__table_cell(&s, &io__rows[0], &t, 0);
	assert_string_equal(n->benchmark, VB_BENCH_CONTAINER_DISK);
	assert_ptr_equal(io__table_cell(&s, &io__rows[0], &t, 1)->view.baseline, n);
	overhead_is(&s, &t, 0, 1, "+20.0% [");
	/* seq_write: no run beside; both against the native benchmark. */
	assert_string_equal(io__table_cell(&s, &io__rows[1], &t, 0)->benchmark, VB_KIND_DISK);
	overhead_is(&s, &t, 1, 2, "+50.0% [");
	result_set__free(&s);

	/* Two platforms against two native runs: the native benchmark's own. */
	beside(&s);
	seq(&s, "vm.disk", VB_PLATFORM_NATIVE, "host", VB_IO_SEQ_READ, 900);
	seq(&s, "vm.disk", VB_PLATFORM_QEMU, "virtio-blk", VB_IO_SEQ_READ, 450);
	assert_int_equal(family__link(&s), 0);
	io__table(&s, FAM_DISK, &t);
	assert_string_equal(io__table_cell(&s, &io__rows[0], &t, 0)->benchmark, VB_KIND_DISK);
	overhead_is(&s, &t, 0, 2, "+50.0% [");
	result_set__free(&s);
}

static void test_charts(void **state)
{
	(void)state;
	struct vb_result_set s;
	make_set(&s);
	struct chart_list l = { 0 };
	assert_int_equal(report__io_charts(&s, &l), 0);
	const struct chart *ov = NULL, *lat = NULL;
	for (size_t i = 0; i < l.n; i++) {
		if (!strcmp(l.items[i]->file, "io_disk_overhead"))
			ov = l.items[i];
		if (!strcmp(l.items[i]->file, "io_latency"))
			lat = l.items[i];
	}
	assert_non_null(ov);
	assert_non_null(lat);
	int se = chart__series((struct chart *)ov, "container-builtin overlay");
	int x = chart__x((struct chart *)ov, "seq_read MiB/s", 0);
	assert_true(se >= 0 && x >= 0);
	assert_true(fabs(ov->series[se].y[x] - 20) < 1e-6);
	/* QD1 random reads' p50 natively and in the overlay; not QD32. */
	int nat = chart__series((struct chart *)lat, "native");
	int p50 = chart__x((struct chart *)lat, "rand_read QD1 4 KiB p50", 0);
	assert_true(fabs(lat->series[nat].y[p50] - 100) < 1e-6);
	for (size_t i = 0; i < lat->nx; i++)
		assert_null(strstr(lat->xlabels[i], "QD32"));
	chart_list__free(&l);
	result_set__free(&s);
}

/* Two hosts: B's IOPS 20% lower (worse), its latency 20% lower (better,
 * though the file says higher is better), the same test in two modes kept
 * in rows of their own. */
static void test_compare_direction(void **state)
{
	(void)state;
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	assert_non_null(rep);
	double k[2] = { 1, 0.8 };
	for (int i = 0; i < 2; i++) {
		struct vb_result_set *s = &rep->inputs[i].set;
		result_set__init(s);
		rep->inputs[i].letter = (char)('A' + i);
		snprintf(rep->inputs[i].label, sizeof(rep->inputs[i].label), "host%c", 'A' + i);
		io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay",
		       VB_IO_RAND_READ, 1, 4096, VB_METRIC_IOPS, "IOPS", true, 10000 * k[i], 10);
		io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "overlay",
		       VB_IO_RAND_READ, 1, 4096, VB_METRIC_P50_US, "us", true, 100 * k[i], 10);
		io_add(s, VB_BENCH_CONTAINER_DISK, VB_PLATFORM_CONTAINER_BUILTIN, "volume",
		       VB_IO_RAND_READ, 1, 4096, VB_METRIC_IOPS, "IOPS", true, 10000, 10);
		io_add(s, VB_BENCH_CONTAINER_NET, VB_PLATFORM_CONTAINER_BUILTIN, "veth",
		       VB_IO_TCP_STREAM, 0, 131072, VB_METRIC_GBIT_PER_SEC, "Gbit/s", true,
		       10 / k[i], 10);
		assert_int_equal(family__link(s), 0);
	}
	rep->ninputs = 2;
	struct vb_err err = { 0 };
	assert_int_equal(compare__build(rep, &err), 0);
	size_t found = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *r = &rep->rows[i];
		assert_non_null(r->a);
		assert_non_null(r->b);
		/* A row never pairs two modes. */
		assert_string_equal(io__mode(r->a), io__mode(r->b));
		const char *m = r->a->metric;
		if (!strcmp(io__mode(r->a), "volume")) {
			assert_int_equal(r->verdict, CMP_SAME);
			continue;
		}
		assert_true(r->verdict == CMP_LOWER || r->verdict == CMP_HIGHER);
		if (!strcmp(m, VB_METRIC_IOPS))
			assert_false(r->b_better);
		else if (!strcmp(m, VB_METRIC_P50_US) || !strcmp(m, VB_METRIC_GBIT_PER_SEC))
			assert_true(r->b_better);
		found++;
	}
	assert_int_equal(found, 3);
	assert_int_equal(rep->nrows, 4);

	struct cmp_answer ans[COMPARE_QUESTIONS];
	compare__summary(rep, 1, ans);
	const char *io = ans[COMPARE_QUESTIONS - 1].text;
	assert_non_null(strstr(ans[COMPARE_QUESTIONS - 1].question, "I/O"));
	assert_non_null(
		strstr(io, "disk container-builtin overlay: B better in 1, worse in 1 of 2"));
	assert_non_null(
		strstr(io, "disk container-builtin volume: B better in 0, worse in 0 of 1"));
	assert_non_null(strstr(io, "net container-builtin veth: B better in 1, worse in 0 of 1"));
	compare__free(rep);
	free(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_the_worker),
		cmocka_unit_test_setup_teardown(test_csv_columns_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_felter_table, setup, teardown),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_native_cell),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_compare_direction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
