/* Charts, report.html and the run table: the SVG renderer's output, gnuplot
 * scripts (quoting), the page's sections and self-containment, number
 * formatting, and --only/--skip selection. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "core/fileio.h"
#include "report/caveats.h"
#include "report/chart.h"
#include "report/family.h"
#include "report/gnuplot.h"
#include "report/hostview.h"
#include "report/report.h"
#include "report/suite.h"
#include "report/text.h"

static void test_text(void **state)
{
	(void)state;
	char b[64];
	text__qty(b, sizeof(b), 0.02, "ms");
	assert_string_equal(b, "20.0 µs");
	text__qty(b, sizeof(b), 4100, "ms");
	assert_string_equal(b, "4.10 s");
	text__qty(b, sizeof(b), 1500, "events/s");
	assert_string_equal(b, "1500 events/s");
	text__qty_ci(b, sizeof(b), 0.02, 0.0197, 0.0203, "ms");
	assert_string_equal(b, "20.0 µs [19.7, 20.3]");
	text__bytes(b, sizeof(b), 1 << 30);
	assert_string_equal(b, "1 GiB");
	text__csvnum(b, sizeof(b), 1073741824.0);
	assert_string_equal(b, "1073741824");
	text__csvnum(b, sizeof(b), NAN);
	assert_string_equal(b, "");
	struct vb_buf x = { 0 };
	text__xml(&x, "a<b & \"c\"");
	assert_string_equal(x.data, "a&lt;b &amp; &quot;c&quot;");
	buf__free(&x);
	text__base64(&x, (const unsigned char *)"virt", 4);
	assert_string_equal(x.data, "dmlydA==");
	buf__free(&x);
}

static struct chart *sample_chart(enum chart_kind kind)
{
	struct chart *c = chart__new("t", "Title <with> \"quotes\"", "x", "y (ms)", kind);
	chart__put(c, "native", kind == CHART_LINES ? "" : "cat one", 4096, 1.0, 0.9, 1.1);
	chart__put(c, "microvm", kind == CHART_LINES ? "" : "cat one", 4096, 1.2, 1.1, 1.3);
	chart__put(c, "native", kind == CHART_LINES ? "" : "cat two", 1 << 20, 3.0, NAN, NAN);
	return c;
}

static void test_chart_model(void **state)
{
	(void)state;
	struct chart *c = sample_chart(CHART_BARS);
	assert_int_equal(c->nx, 2);
	assert_int_equal(c->nseries, 2);
	assert_true(isnan(c->series[1].y[1])); /* microvm has no "cat two" */
	double lo, hi;
	chart__range(c, &lo, &hi);
	assert_true(lo == 0.9 && hi == 3.0);
	/* An interval that misses its value is widened to hold it. */
	chart__put(c, "native", "cat three", 0, 5, 6, 7);
	assert_true(c->series[0].lo[2] == 5);
	chart__free(c);
	/* Bounded: extra series are dropped and the chart says so. */
	c = chart__new("t", "t", "x", "y", CHART_BARS);
	for (int i = 0; i < CHART_MAX_SERIES + 3; i++) {
		char n[16];
		snprintf(n, sizeof(n), "s%d", i);
		chart__put(c, n, "a", 0, 1, 1, 1);
	}
	assert_int_equal(c->nseries, CHART_MAX_SERIES);
	assert_true(c->truncated);
	chart__free(c);
}

static void test_svg(void **state)
{
	(void)state;
	enum chart_kind kinds[] = { CHART_BARS, CHART_STACKED, CHART_LINES };
	for (int k = 0; k < 3; k++) {
		struct chart *c = sample_chart(kinds[k]);
		c->logx = c->xbytes = kinds[k] == CHART_LINES;
		struct vb_buf b = { 0 };
		assert_int_equal(chart__svg(c, &b), 0);
		assert_memory_equal(b.data, "<?xml", 5);
		assert_non_null(strstr(b.data, "</svg>\n"));
		assert_non_null(strstr(b.data, "Title &lt;with&gt; &quot;quotes&quot;"));
		assert_null(strstr(b.data, "<with>"));
		assert_null(strstr(b.data, "nan"));
		if (kinds[k] == CHART_LINES)
			assert_non_null(strstr(b.data, "1 MiB"));
		buf__free(&b);
		chart__free(c);
	}
}

static void test_gnuplot_script(void **state)
{
	(void)state;
	struct chart *c = sample_chart(CHART_BARS);
	snprintf(c->note, sizeof(c->note), "it's a note");
	struct vb_buf b = { 0 }, d = { 0 };
	assert_int_equal(gnuplot__script(c, "pngcairo", &b, &d), 0);
	/* Labels single-quoted (gnuplot expands nothing there), a quote as
	 * the constant "'" joined with '.'; the note on a second title line;
	 * no path in the script, only names next to it. */
	assert_non_null(strstr(
		b.data, "set title 'Title <with> \"quotes\"'.\"\\n\".'it'.\"'\".'s a note'"));
	assert_non_null(strstr(b.data, "set output 't.png'"));
	assert_non_null(strstr(b.data, "set output 't.svg'"));
	assert_non_null(strstr(b.data, "set xtics nomirror ('cat one' 0, 'cat two' 1)"));
	assert_non_null(strstr(b.data, "plot 't.dat' using 1:2:3"));
	assert_null(strchr(b.data, '`'));
	assert_null(strstr(b.data, "<< EOD"));
	/* The data file holds numbers only: one row per category. */
	assert_string_equal(d.data, " 1 0.9 1.1 1.2 1.1 1.3\n 3 3 3 NaN NaN NaN\n");
	buf__free(&b);
	buf__free(&d);
	chart__free(c);
}

/* gnuplot, when installed, draws PNG and SVG. */
static void test_gnuplot_draws(void **state)
{
	(void)state;
	VB_REQUIRE(gnuplot__png_terminal() != NULL, "gnuplot with a png terminal is not installed");
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-gp", dir, sizeof(dir), &err), 0);
	struct chart *c = sample_chart(CHART_LINES);
	c->logx = c->xbytes = true;
	if (gnuplot__render(c, dir, &err) < 0)
		fail_msg("%s", err.msg);
	char p[4200];
	snprintf(p, sizeof(p), "%s/t.png", dir);
	assert_int_equal(access(p, R_OK), 0);
	snprintf(p, sizeof(p), "%s/t.svg", dir);
	assert_int_equal(access(p, R_OK), 0);
	chart__free(c);
	file__remove_tree(dir);
}

static char *read_text(const char *dir, const char *name)
{
	char p[4200], *data = NULL;
	size_t len;
	struct vb_err err = { 0 };
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (file__read_all(p, 64 << 20, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return data;
}

static void test_report_page(void **state)
{
	(void)state;
	char dir[4096], path[4200];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-report", dir, sizeof(dir), &err), 0);
	snprintf(path, sizeof(path), "%s/results.json", fixture("results/x86_64"));
	struct vb_result_set s;
	assert_int_equal(result_set__load(path, &s, &err), 0);
	struct report_opts o = { .no_gnuplot = true, .quiet = true };
	if (report__write_all(&s, dir, &o, &err) < 0)
		fail_msg("%s", err.msg);
	char *html = read_text(dir, "report.html");
	static const char *const want[] = {
		"At a glance",
		"Read these numbers with care",
		"AMD EPYC 7R13 Processor",
		"microvm boots in",
		"container-builtin",
		"QEMU with TCG",
		"SMT is on",
		"fewer than 6 samples",
		"Skipped",
		"podman not found",
		"data:image/svg+xml;base64,",
		"boot_phases_microvm",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(html, want[i]))
			fail_msg("report.html lacks '%s'", want[i]);
	assert_null(strstr(html, "src=\"http"));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "<script"));
	free(html);
	/* One SVG per chart, the CSVs next to them. */
	static const char *const files[] = { "container_startup_times.svg",
					     "container_cpu_performance.svg",
					     "container_memory_performance.svg",
					     "exit_latency.svg",
					     "overhead.svg",
					     "memory_latency.svg",
					     "vm_boot_times.csv",
					     "results.csv" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (access(path, R_OK) < 0)
			fail_msg("missing %s", files[i]);
	}
	result_set__free(&s);
	file__remove_tree(dir);
}

/* An interrupted, empty run still renders a page that says so. */
static void test_report_empty(void **state)
{
	(void)state;
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-report", dir, sizeof(dir), &err), 0);
	struct vb_result_set s;
	result_set__init(&s);
	s.incomplete = true;
	struct report_opts o = { .no_gnuplot = true, .quiet = true };
	assert_int_equal(report__write_all(&s, dir, &o, &err), 0);
	char *html = read_text(dir, "report.html");
	assert_non_null(strstr(html, "Incomplete run"));
	assert_non_null(strstr(html, "No benchmark produced a result"));
	free(html);
	file__remove_tree(dir);
}

static void test_hostview(void **state)
{
	(void)state;
	json_t *h = json_pack("{s:s, s:s}", "hostname", "box", "arch", "x86_64");
	char b[128];
	hostview__label(h, b, sizeof(b));
	assert_string_equal(b, "box-x86_64");
	json_decref(h);
}

/* A host block as `info` writes it, with /dev/kvm usable or not. */
static json_t *host_block(bool kvm_usable)
{
	return json_pack("{s:s, s:s, s:{s:s, s:b}, s:{s:{s:b}, s:{s:s, s:b}, s:s}}", "hostname",
			 "box", "arch", "x86_64", "cpu", "governor", "powersave", "smt_on", 1,
			 "virtualization", "guest", "is_guest", 1, "kvm", "flavour", "kvm_pvm",
			 "usable", kvm_usable, "verdict", "guest: PVM guest of a Firecracker host");
}

static bool caveat_has(const struct caveats *c, const char *needle)
{
	for (size_t i = 0; i < c->n; i++)
		if (strstr(c->text[i], needle))
			return true;
	return false;
}

static void test_caveats_follow_host_block(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	struct caveats c;

	s.host = host_block(true);
	caveats__collect(&s, &c);
	assert_true(caveat_has(&c, "itself a virtual machine (guest: PVM guest"));
	assert_true(caveat_has(&c, "KVM here is PVM"));
	assert_true(caveat_has(&c, "governor is 'powersave'"));
	assert_true(caveat_has(&c, "SMT is on"));
	json_decref(s.host);

	/* kvm_pvm loaded but not providing /dev/kvm: no PVM caveat. */
	s.host = host_block(false);
	caveats__collect(&s, &c);
	assert_true(caveat_has(&c, "itself a virtual machine"));
	assert_false(caveat_has(&c, "KVM here is PVM"));
	json_decref(s.host);
	s.host = NULL;
	result_set__free(&s);
}

/* Only TCG counts as emulation: a microVM on kvm_pvm (guest kernel level
 * emulated, guest code on the CPU) is not labelled TCG anywhere. */
static void test_tcg_label_only_for_tcg(void **state)
{
	(void)state;
	struct vb_result *pvm = result__new("vm.boot", "microvm", "ready_ms", "ms", false);
	struct vb_result *tcg = result__new("vm.boot", "qemu", "total_ms", "ms", false);
	struct vb_result *accel = result__new("vm.boot", "qemu", "total_ms", "ms", false);
	assert_non_null(pvm);
	assert_non_null(tcg);
	assert_non_null(accel);
	snprintf(pvm->note, sizeof(pvm->note),
		 "guest kernel level emulated by this host's KVM (kvm_pvm); guest code runs at "
		 "user level");
	snprintf(tcg->note, sizeof(tcg->note), "emulated (tcg): no hardware virtualization");
	result__set_config(accel, "accel", "tcg");
	assert_false(family__is_emulated(pvm));
	assert_true(family__is_emulated(tcg));
	assert_true(family__is_emulated(accel));

	struct vb_result_set s;
	result_set__init(&s);
	for (int i = 0; i < 6; i++)
		assert_int_equal(result__add_sample(pvm, 1.5 + i * 0.01), 0);
	result__finish(pvm);
	assert_int_equal(result_set__add(&s, pvm), 0);
	struct caveats c;
	caveats__collect(&s, &c);
	assert_false(caveat_has(&c, "TCG"));
	result_set__free(&s);
	result__free(tcg);
	result__free(accel);
}

static void test_suite_select(void **state)
{
	(void)state;
	bool sel[64];
	struct vb_err err = { 0 };
	assert_int_equal(suite__select(NULL, NULL, sel, &err), 0);
	for (size_t i = 0; i < suite__nentries; i++)
		assert_true(sel[i]);
	assert_int_equal(suite__select("vm,native.cpu", "vm.density", sel, &err), 0);
	for (size_t i = 0; i < suite__nentries; i++) {
		const char *n = suite__entries[i].name;
		bool want = (!strncmp(n, "vm.", 3) && strcmp(n, "vm.density")) ||
			    !strcmp(n, "native.cpu");
		assert_int_equal(sel[i], want);
	}
	assert_int_equal(suite__select("container", NULL, sel, &err), 0);
	assert_int_equal(suite__select("qemu.bogus", NULL, sel, &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "'qemu.bogus'"));
	assert_int_equal(suite__select(NULL, ",", sel, &err), -1);
	char d[256];
	suite__default_dir(d, sizeof(d));
	assert_memory_equal(d, "results/", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_chart_model),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_gnuplot_script),
		cmocka_unit_test(test_gnuplot_draws),
		cmocka_unit_test(test_report_page),
		cmocka_unit_test(test_report_empty),
		cmocka_unit_test(test_hostview),
		cmocka_unit_test(test_caveats_follow_host_block),
		cmocka_unit_test(test_tcg_label_only_for_tcg),
		cmocka_unit_test(test_suite_select),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
