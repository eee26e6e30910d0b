/* Results files come from other machines: no string in one ever runs a
 * command. Crafted files carry backquotes, system(), ';', newlines, both
 * quote kinds, @macros and non-ASCII text in every string field; `report`
 * and `compare -o` must draw every chart (with those strings on them) and
 * create none of the marker files the strings try to create. */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/proc.h"
#include "report/gnuplot.h"

static char marks[64];	/* the files the payloads try to create go here */
static char work[4096]; /* results directories */

/* Short enough for a platform name (31 bytes) with the marker directory's
 * path, each a different way out of a quoted string; ">file" is the
 * shortest command that leaves a trace. */
#define NPAYLOADS 10
static char payloads[NPAYLOADS][64];

/* Each template with "M" standing for the marker directory. */
static void make_payloads(void)
{
	static const char *const tpl[NPAYLOADS] = {
		"a`>M/0`",
		"system(\">M/1\")",
		"\".system(\">M/2\").\"",
		"'.system('>M/3').'",
		"x\n!>M/4\n",
		"; !>M/5 ;",
		"x\\\" `>M/6` \\'",
		"@ARG1 @ARG0 @x %s $0 \xc3\xa9\xc2\xb1\"'",
		"\r'`>M/8`'\t",
		"\x01\x1b[31m'' \"\" `>M/9",
	};
	for (int i = 0; i < NPAYLOADS; i++) {
		char *o = payloads[i];
		for (const char *t = tpl[i]; *t; t++)
			o += *t == 'M' ? sprintf(o, "%s", marks) : sprintf(o, "%c", *t);
		assert_true(strlen(payloads[i]) < 32);
	}
}

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	/* Under /tmp itself: the marker path must fit in a platform name. */
	snprintf(marks, sizeof(marks), "/tmp/vbXXXXXX");
	if (!mkdtemp(marks))
		return -1;
	make_payloads();
	return file__mkdtemp("vb-untrusted", work, sizeof(work), &err);
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(marks);
	file__remove_tree(work);
	return 0;
}

static void set_str(json_t *o, const char *key, const char *val)
{
	assert_int_equal(json_object_set_new(o, key, json_string(val)), 0);
}

/* The fixture with a payload in every string: the host block, each skip,
 * and a copy of every result whose platform, note, configuration values
 * and (where it names a chart) metric are payloads, so that the strings
 * reach series names, categories, titles and axis labels. */
static void write_hostile(const char *fixture_dir, const char *out_dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/results.json", fixture(fixture_dir));
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	json_t *host = json_object_get(doc, "host");
	set_str(host, "hostname", payloads[0]);
	set_str(host, "arch_label", payloads[4]);
	json_t *cpu = json_object_get(host, "cpu");
	if (cpu)
		set_str(cpu, "model_name", payloads[7]);
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(doc, "skipped"), i, v) {
		set_str(v, "platform", payloads[1]);
		set_str(v, "reason", payloads[2]);
	}
	json_t *results = json_object_get(doc, "results");
	size_t n = json_array_size(results);
	for (i = 0; i < n; i++) {
		json_t *copy = json_deep_copy(json_array_get(results, i));
		const char *bench = json_string_value(json_object_get(copy, "benchmark"));
		set_str(copy, "platform", payloads[i % NPAYLOADS]);
		set_str(copy, "note", payloads[(i + 1) % NPAYLOADS]);
		if (strstr(bench, "scale") || strstr(bench, "density") || strstr(bench, "exits"))
			set_str(copy, "metric", payloads[(i + 2) % NPAYLOADS]);
		const char *key;
		json_t *val;
		json_object_foreach (json_object_get(copy, "config"), key, val) {
			if (!strcmp(key, "image"))
				json_string_set(val, payloads[(i + 3) % NPAYLOADS]);
		}
		assert_int_equal(json_array_append_new(results, copy), 0);
	}
	assert_int_equal(file__mkdirs(out_dir, &(struct vb_err){ 0 }), 0);
	snprintf(path, sizeof(path), "%s/results.json", out_dir);
	assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

/* Entries of dir whose name ends with ext ("" for all). */
static size_t count_ext(const char *dir, const char *ext)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0, el = strlen(ext);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && len > el &&
		     !strcmp(e->d_name + len - el, ext);
	}
	closedir(d);
	return n;
}

static char *slurp(const char *dir, const char *name)
{
	char path[4200], *data = NULL;
	size_t len;
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (file__read_all(path, 64 << 20, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return data;
}

static void run_ok(char *const *argv)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 300000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	if (proc__run(&o, &r, &err) < 0)
		fail_msg("%s", err.msg);
	if (r.exit_code != 0)
		fail_msg("%s exited %d: %s", argv[1], r.exit_code, r.errout);
	proc__result_free(&r);
}

/* Nothing ran, every chart is a gnuplot PNG (a rejected script would have
 * fallen back to SVG), and the payloads are on the charts. */
static void expect_safe(const char *dir, const char *page, bool gnuplot)
{
	assert_int_equal(count_ext(marks, ""), 0);
	char *html = slurp(dir, page);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&#39;.system(")); /* escaped, yet shown */
	free(html);
	if (!gnuplot)
		return;
	size_t png = count_ext(dir, ".png"), svg = count_ext(dir, ".svg");
	assert_true(png > 3);
	assert_int_equal(png, svg);
	/* gnuplot drew the strings as text: a payload is in its SVG. */
	bool seen = false;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (!seen && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".svg"))
			continue;
		char *svg_text = slurp(dir, e->d_name);
		seen = strstr(svg_text, marks) != NULL;
		free(svg_text);
	}
	closedir(d);
	assert_true(seen);
}

static void test_report(void **state)
{
	(void)state;
	bool gnuplot = gnuplot__png_terminal() != NULL;
	VB_REQUIRE(gnuplot, "gnuplot with a png terminal is not installed");
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/report", work);
	write_hostile("results/x86_64", dir);
	char *const argv[] = { (char *)vb_binary(), "report", "-q", dir, NULL };
	run_ok(argv);
	expect_safe(dir, "report.html", gnuplot);
}

static void test_compare(void **state)
{
	(void)state;
	bool gnuplot = gnuplot__png_terminal() != NULL;
	VB_REQUIRE(gnuplot, "gnuplot with a png terminal is not installed");
	char a[4200], b[4200], out[4200];
	snprintf(a, sizeof(a), "%s/a", work);
	snprintf(b, sizeof(b), "%s/b", work);
	snprintf(out, sizeof(out), "%s/cmp", work);
	write_hostile("results/x86_64", a);
	write_hostile("results/aarch64", b);
	char *const argv[] = { (char *)vb_binary(), "compare", "-q", a, b, "-o", out, NULL };
	run_ok(argv);
	expect_safe(out, "compare.html", gnuplot);
}

/* The SVG drawn without gnuplot is escaped XML (no string runs there
 * either). */
static void test_report_without_gnuplot(void **state)
{
	(void)state;
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/plain", work);
	write_hostile("results/x86_64", dir);
	char *const argv[] = { (char *)vb_binary(), "report", "-q", "--no-gnuplot", dir, NULL };
	run_ok(argv);
	expect_safe(dir, "report.html", false);
	assert_true(count_ext(dir, ".svg") > 3);
	assert_int_equal(count_ext(dir, ".png"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_without_gnuplot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
