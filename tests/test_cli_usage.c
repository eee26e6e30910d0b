/* Usage errors: every option parser's error path gives one line naming the
 * option, the value and the accepted range; the binary exits 2 on an unknown
 * command and 0 with help text on stdout for --help. */
#include "testutil.h"

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/table.h"
#include "core/fileio.h"
#include "core/proc.h"

static void expect_usage(int rc, const struct vb_err *err, const char *want)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->status, VB_EXIT_USAGE);
	assert_string_equal(err->msg, want);
	assert_null(strchr(err->msg, '\n'));
}

static void test_uint(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	uint64_t v = 0;
	expect_usage(opt__uint("--iterations", "0", 1, 100000, &v, &err), &err,
		     "--iterations: '0' is out of range; expected an integer from 1 to 100000");
	expect_usage(opt__uint("vcpus", "abc", 1, 512, &v, &err), &err,
		     "--vcpus: 'abc' is not a number; expected an integer from 1 to 512");
	expect_usage(opt__uint("--memory", "-5", 64, 4096, &v, &err), &err,
		     "--memory: '-5' is out of range; expected an integer from 64 to 4096");
	expect_usage(opt__uint("--vcpus", "", 1, 512, &v, &err), &err,
		     "--vcpus: '' is not a number; expected an integer from 1 to 512");
	expect_usage(opt__uint("--vcpus", "4x", 1, 512, &v, &err), &err,
		     "--vcpus: '4x' is not a number; expected an integer from 1 to 512");
	expect_usage(opt__uint("--vcpus", " 4", 1, 512, &v, &err), &err,
		     "--vcpus: ' 4' is not a number; expected an integer from 1 to 512");
	expect_usage(opt__uint("--vcpus", "513", 1, 512, &v, &err), &err,
		     "--vcpus: '513' is out of range; expected an integer from 1 to 512");
	expect_usage(opt__uint("--n", "99999999999999999999999", 1, 512, &v, &err), &err,
		     "--n: '99999999999999999999999' is out of range; expected an integer from 1 "
		     "to 512");
	expect_usage(opt__uint("j", "x", 1, 2, &v, &err), &err,
		     "-j: 'x' is not a number; expected an integer from 1 to 2");
	assert_int_equal(opt__uint("--vcpus", "512", 1, 512, &v, &err), 0);
	assert_int_equal(v, 512);
	assert_int_equal(opt__uint("--vcpus", "+3", 1, 512, &v, &err), 0);
	assert_int_equal(v, 3);
}

static void test_double(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	double d;
	expect_usage(opt__double("--duration", "fast", 0.1, 60, &d, &err), &err,
		     "--duration: 'fast' is not a number; expected a number from 0.1 to 60");
	expect_usage(opt__double("--duration", "0", 0.1, 60, &d, &err), &err,
		     "--duration: '0' is out of range; expected a number from 0.1 to 60");
	expect_usage(opt__double("--duration", "nan", 0.1, 60, &d, &err), &err,
		     "--duration: 'nan' is not a number; expected a number from 0.1 to 60");
	expect_usage(opt__double("--duration", "inf", 0.1, 60, &d, &err), &err,
		     "--duration: 'inf' is out of range; expected a number from 0.1 to 60");
	expect_usage(opt__double("--duration", "1.5s", 0.1, 60, &d, &err), &err,
		     "--duration: '1.5s' is not a number; expected a number from 0.1 to 60");
	assert_int_equal(opt__double("--duration", "2.5", 0.1, 60, &d, &err), 0);
	assert_true(d == 2.5);
}

static void test_size(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	uint64_t v;
	const uint64_t M = 1 << 20, G = 1 << 30;
	assert_int_equal(opt__size("--memory", "512M", 64 * M, 16 * G, &v, &err), 0);
	assert_int_equal(v, 512 * M);
	assert_int_equal(opt__size("--memory", "2g", 64 * M, 16 * G, &v, &err), 0);
	assert_int_equal(v, 2 * G);
	assert_int_equal(opt__size("--memory", "1GiB", 64 * M, 16 * G, &v, &err), 0);
	assert_int_equal(v, G);
	assert_int_equal(opt__size("--memory", "67108864", 64 * M, 16 * G, &v, &err), 0);
	assert_int_equal(v, 64 * M);
	expect_usage(opt__size("--memory", "-5", 64 * M, 16 * G, &v, &err), &err,
		     "--memory: '-5' is out of range; expected a size from 64M to 16G");
	expect_usage(opt__size("--memory", "32M", 64 * M, 16 * G, &v, &err), &err,
		     "--memory: '32M' is out of range; expected a size from 64M to 16G");
	expect_usage(opt__size("--memory", "99999999999T", 64 * M, 16 * G, &v, &err), &err,
		     "--memory: '99999999999T' is out of range; expected a size from 64M to 16G");
	expect_usage(opt__size("--memory", "lots", 64 * M, 16 * G, &v, &err), &err,
		     "--memory: 'lots' is not a size; expected bytes or a number with K, M, G or T "
		     "(1K = 1024) from 64M to 16G");
	expect_usage(opt__size("--memory", "5X", 64 * M, 16 * G, &v, &err), &err,
		     "--memory: '5X' is not a size; expected bytes or a number with K, M, G or T "
		     "(1K = 1024) from 64M to 16G");
	/* Digits are read whole, leading zeros and all. */
	assert_int_equal(opt__size("--memory", "0000000000000000000000000000000000000512M", 64 * M,
				   16 * G, &v, &err),
			 0);
	assert_int_equal(v, 512 * M);
	expect_usage(
		opt__size("--memory", "1000000000000000000000000000000000000000", 64 * M, 16 * G,
			  &v, &err),
		&err,
		"--memory: '1000000000000000000000000000000000000000' is out of range; expected "
		"a size from 64M to 16G");
}

static void test_list_and_choice(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	uint64_t v[4];
	unsigned n;
	assert_int_equal(opt__uint_list("--vcpus", "1,2,4", 1, 64, v, 4, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2], 4);
	expect_usage(opt__uint_list("--vcpus", "1,0", 1, 64, v, 4, &n, &err), &err,
		     "--vcpus: '0' is out of range; expected a comma list of at most 4 integers "
		     "from 1 to 64");
	expect_usage(opt__uint_list("--vcpus", "1,x", 1, 64, v, 4, &n, &err), &err,
		     "--vcpus: 'x' is not a number; expected a comma list of at most 4 integers "
		     "from 1 to 64");
	expect_usage(opt__uint_list("--vcpus", "1,,2", 1, 64, v, 4, &n, &err), &err,
		     "--vcpus: item 2 of '1,,2' is empty (a leading, trailing or doubled comma); "
		     "expected a comma list of at most 4 integers from 1 to 64");
	expect_usage(opt__uint_list("--vcpus", "1,2,3,4,5", 1, 64, v, 4, &n, &err), &err,
		     "--vcpus: more than 4 values; expected a comma list of at most 4 integers "
		     "from 1 to 64");
	static const char *const choices[] = { "microvm", "qemu", NULL };
	assert_int_equal(opt__choice("--platform", "qemu", choices, &err), 1);
	expect_usage(opt__choice("--platform", "xen", choices, &err), &err,
		     "--platform: 'xen' is not accepted; expected one of: microvm, qemu");
}

/* Empty items are refused wherever they are, and no list is cut short. */
static void test_list_items(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	static const char *const kinds[] = { "pio", "mmio", "inkernel", "hlt", NULL };
	uint64_t mask = 0;
	const char *tail = "empty (a leading, trailing or doubled comma); expected a comma list "
			   "of: pio, mmio, inkernel, hlt";
	char want[256];
	snprintf(want, sizeof(want), "--kind: item 1 of ',pio' is %s", tail);
	expect_usage(opt__choice_list("--kind", ",pio", kinds, &mask, &err), &err, want);
	snprintf(want, sizeof(want), "--kind: item 2 of 'pio,' is %s", tail);
	expect_usage(opt__choice_list("--kind", "pio,", kinds, &mask, &err), &err, want);
	snprintf(want, sizeof(want), "--kind: item 2 of 'pio,,hlt' is %s", tail);
	expect_usage(opt__choice_list("--kind", "pio,,hlt", kinds, &mask, &err), &err, want);
	expect_usage(
		opt__choice_list("--kind", "", kinds, &mask, &err), &err,
		"--kind: the list is empty; expected a comma list of: pio, mmio, inkernel, hlt");
	expect_usage(opt__choice_list("--kind", "pio,PIO", kinds, &mask, &err), &err,
		     "--kind: 'PIO' is not accepted; expected a comma list of: pio, mmio, "
		     "inkernel, hlt");

	/* 40 items, 300 characters: the last one still counts. */
	char list[512] = "";
	for (int i = 0; i < 39; i++)
		strcat(list, i % 2 ? "inkernel," : "pio,");
	strcat(list, "mmio");
	assert_true(strlen(list) > 250);
	assert_int_equal(opt__choice_list("--kind", list, kinds, &mask, &err), 0);
	assert_int_equal(mask, 0x7);
	size_t len = strlen(list);
	strcat(list, ",bogus");
	expect_usage(opt__choice_list("--kind", list, kinds, &mask, &err), &err,
		     "--kind: 'bogus' is not accepted; expected a comma list of: pio, mmio, "
		     "inkernel, hlt");
	/* A long value is shown by its two ends in the message. */
	strcpy(list + len, ",");
	assert_int_equal(opt__choice_list("--kind", list, kinds, &mask, &err), -1);
	assert_non_null(strstr(err.msg, "item 41 of 'pio,inkernel,pio,inkernel,pio,in...,"));
	assert_non_null(strstr(err.msg, "inkernel,pio,mmio,' is empty"));

	expect_usage(opt__text("--kernel", "", "a kernel image file", &err), &err,
		     "--kernel: the value is empty; expected a kernel image file");
	assert_int_equal(opt__text("--kernel", "/boot/vmlinuz", "a kernel image file", &err), 0);
}

/* Memory sizes where a plain number is MiB. */
static void test_mib(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	uint64_t v, list[4];
	unsigned n;
	assert_int_equal(opt__mib("--memory", "512", 16, 1024, &v, &err), 0);
	assert_int_equal(v, 512);
	assert_int_equal(opt__mib("--memory", "1G", 16, 1024, &v, &err), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(opt__mib("--memory", "65536K", 16, 1024, &v, &err), 0);
	assert_int_equal(v, 64);
	expect_usage(opt__mib("--memory", "1500K", 16, 1024, &v, &err), &err,
		     "--memory: '1500K' is not a whole number of MiB; expected a size from 16M "
		     "to 1G");
	expect_usage(opt__mib("--memory", "2G", 16, 1024, &v, &err), &err,
		     "--memory: '2G' is out of range; expected a size from 16M to 1G (a plain "
		     "number is MiB)");
	expect_usage(opt__mib("--memory", "99999999999999999", 16, 1024, &v, &err), &err,
		     "--memory: '99999999999999999' is out of range; expected a size from 16M to "
		     "1G (a plain number is MiB)");
	expect_usage(opt__mib("--memory", "lots", 16, 1024, &v, &err), &err,
		     "--memory: 'lots' is not a size; expected MiB or a number with K, M, G or T "
		     "(1K = 1024) from 16M to 1G");
	assert_int_equal(opt__mib_list("--memory", "512,1G", 16, 1024, list, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[1], 1024);
	expect_usage(opt__mib_list("--memory", "512,", 16, 1024, list, 4, &n, &err), &err,
		     "--memory: item 2 of '512,' is empty (a leading, trailing or doubled comma); "
		     "expected a comma list of at most 4 sizes from 16M to 1G (a plain number is "
		     "MiB)");
}

/* A command with only the common options, parsed in process. */
static const struct cli_command common_cmd = {
	.name = "t",
	.summary = "",
	.description = "",
	.common = true,
	.cfg_size = sizeof(struct cli_common),
};

static int parse_common(struct cli_common *c, const char *const *args, struct vb_err *err)
{
	struct cli_call call = { .cmd = &common_cmd, .path = "t" };
	char *argv[8];
	int n = 0;
	argv[n++] = "t";
	for (; *args && n < 8; args++)
		argv[n++] = (char *)*args;
	int rc = cli__parse(c, n, argv, &call, err);
	cli__call_free(&call);
	return rc;
}

#define PARSE(c, err, ...) parse_common(c, (const char *const[]){ __VA_ARGS__, NULL }, err)

static void test_common_opts(void **state)
{
	(void)state;
	struct cli_common c = { 0 };
	struct vb_err err = { 0 };
	runner__defaults(&c.run);
	assert_int_equal(PARSE(&c, &err, "--json", "--iterations", "20"), 0);
	assert_true(c.json);
	assert_int_equal(c.run.iterations, 20);
	assert_int_equal(c.run.warmup, 1);
	expect_usage(PARSE(&c, &err, "--vcpus", "2"), &err, "unknown option '--vcpus'");
	expect_usage(PARSE(&c, &err, "--iterations", "0"), &err,
		     "--iterations: '0' is out of range; expected an integer from 1 to 100000");
	expect_usage(PARSE(&c, &err, "--warmup=-1"), &err,
		     "--warmup: '-1' is out of range; expected an integer from 0 to 10000");
	expect_usage(
		PARSE(&c, &err, "--max-iterations", "0"), &err,
		"--max-iterations: '0' is out of range; expected an integer from 1 to 1000000");
	expect_usage(PARSE(&c, &err, "--target-ci", "2"), &err,
		     "--target-ci: '2' is out of range; expected a number from 0.001 to 0.5");
	expect_usage(PARSE(&c, &err, "--target-ci", "90%"), &err,
		     "--target-ci: '90%' is out of range; expected a number from 0.001 to 0.5 or "
		     "a percentage from 0.1% to 50%");
	expect_usage(PARSE(&c, &err, "--output", ""), &err, "--output: expected a file name");
	expect_usage(PARSE(&c, &err, "--iterations"), &err, "--iterations needs a value");
	expect_usage(PARSE(&c, &err, "--adaptive=yes"), &err, "--adaptive takes no value");
	expect_usage(PARSE(&c, &err, "-x"), &err, "unknown option '-x'");
	expect_usage(PARSE(&c, &err, "extra"), &err,
		     "unexpected argument 'extra'; 't' takes options only");
	/* Exact names only: an abbreviation could be another option. */
	expect_usage(PARSE(&c, &err, "--iter", "3"), &err, "unknown option '--iter'");
	assert_int_equal(PARSE(&c, &err, "--target-ci", "5%", "--adaptive", "-qo", "r.json"), 0);
	assert_true(c.run.target_rel_ci > 0.0499 && c.run.target_rel_ci < 0.0501);
	assert_true(c.run.adaptive);
	assert_true(c.quiet);
	assert_string_equal(c.output, "r.json");
	assert_int_equal(PARSE(&c, &err, "-oother.json", "--", "--json"), -1);
	assert_string_equal(c.output, "other.json");
	assert_int_equal(PARSE(&c, &err, "--help", "--bogus"), 1);
}

static int run_vb(char **args, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = args, .timeout_ms = 30000 };
	struct vb_err err = { 0 };
	int rc = proc__run(&o, r, &err);
	if (rc < 0)
		fail_msg("%s", err.msg);
	return rc;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_binary_unknown_command(void **state)
{
	(void)state;
	char *args[] = { (char *)vb_binary(), "frobnicate", NULL };
	struct vb_proc_result r;
	run_vb(args, &r);
	assert_int_equal(r.exit_code, 2);
	assert_int_equal(r.out_len, 0);
	assert_int_equal(count_lines(r.errout), 1);
	assert_non_null(strstr(r.errout, "frobnicate"));
	proc__result_free(&r);
}

static void test_binary_help(void **state)
{
	(void)state;
	char *args[] = { (char *)vb_binary(), "--help", NULL };
	struct vb_proc_result r;
	run_vb(args, &r);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "Usage: virtbench"));
	assert_int_equal(r.err_len, 0);
	proc__result_free(&r);
	char *args2[] = { (char *)vb_binary(), "--version", NULL };
	run_vb(args2, &r);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "virtbench " VB_VERSION "\n");
	proc__result_free(&r);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Number of entries in dir, "." and ".." aside. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Runs virtbench in an empty scratch directory, which an argument names as
 * "@" ("@/r.json" is a file in it), and expects a refusal: exit 2, nothing
 * on stdout, one line on stderr that contains `names`, and the directory
 * still empty (no results directory, no -o file). */
static void expect_refused(const char *const *args, const char *names)
{
	char bin[PATH_MAX], cwd[PATH_MAX], dir[] = "/tmp/vb-usage-XXXXXX";
	assert_non_null(realpath(vb_binary(), bin));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(dir));
	char *argv[32], held[32][PATH_MAX], shown[2048] = "virtbench";
	unsigned n = 0;
	argv[n++] = bin;
	for (; *args && n < 31; args++, n++) {
		argv[n] = (char *)*args;
		if ((*args)[0] == '@') {
			snprintf(held[n], sizeof(held[n]), "%s%s", dir, *args + 1);
			argv[n] = held[n];
		}
		size_t used = strlen(shown);
		snprintf(shown + used, sizeof(shown) - used, " '%.80s%s'", *args,
			 strlen(*args) > 80 ? "..." : "");
	}
	argv[n] = NULL;
	assert_int_equal(chdir(dir), 0);
	struct vb_proc_result r;
	run_vb(argv, &r);
	assert_int_equal(chdir(cwd), 0);
	int left = dir_entries(dir);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	bool ok = r.exit_code == 2 && r.out_len == 0 && count_lines(r.errout) == 1 &&
		  r.errout[r.err_len - 1] == '\n' && strstr(r.errout, names) && left == 0;
	if (!ok)
		fail_msg("%s: exit %d, %zu bytes on stdout, %d files written, stderr: %s", shown,
			 r.exit_code, r.out_len, left, r.errout);
	proc__result_free(&r);
}

#define REFUSED(names, ...) expect_refused((const char *const[]){ __VA_ARGS__, NULL }, names)

/* --root must be a directory holding a captured host. */
static void test_binary_info_root(void **state)
{
	(void)state;
	REFUSED("--root", "info", "--root", "/nonexistent", "-o", "@/host.json");
	REFUSED("--root", "info", "--root", "/dev/null", "--json");
	REFUSED("--root", "info", "--root", "@", "-o", "@/host.json");
	REFUSED("--root", "info", "--root", "@/missing/deeper");
	REFUSED("--root", "info", "--root", "");
}

/* --only and --skip: every item names something, and something is left. */
static void test_binary_run_selection(void **state)
{
	(void)state;
	REFUSED("--only", "run", "--only", "");
	REFUSED("--skip", "run", "--skip", "");
	REFUSED("--only", "run", "--only", "native.cpu,");
	REFUSED("--only", "run", "--only", ",native");
	REFUSED("--skip", "run", "--only", "native", "--skip", "native.cpu,,native.memory");
	REFUSED("--skip", "run", "--skip", "native,microvm,qemu,container");
	REFUSED("--skip", "run", "--only", "native.cpu", "--skip", "native");
	REFUSED("native.cpu, native.memory", "run", "--only", "nativ");
	REFUSED("--only", "run", "--list", "--only", "");
}

/* report DIR: an empty or missing DIR says what is expected. */
static void test_binary_report_dir(void **state)
{
	(void)state;
	REFUSED("DIR is an empty string; expected a results directory", "report", "");
	REFUSED("missing' does not exist; expected a results directory", "report", "@/missing");
}

struct refusal {
	const char *names;    /* in the one line on stderr */
	const char *args[12]; /* after "virtbench"; "@" is the scratch directory */
};

static void expect_all_refused(const struct refusal *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_refused(cases[i].args, cases[i].names);
}

/* Lists: no empty item anywhere, none cut short, no item dropped. */
static void test_binary_lists(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{ "--runtime", { "container", "startup", "--runtime", "builtin,", "-o", "@/r" } },
		{ "--runtime",
		  { "container", "startup", "--runtime", "builtin,,runc", "-o", "@/r" } },
		{ "--counts", { "container", "density", "--counts", "1,2,", "-o", "@/r" } },
		{ "--kernels", { "native", "stream", "--kernels", "copy,,add", "-o", "@/r" } },
		{ "--workload", { "vm", "memory", "--workload", "cpu", "-o", "@/r" } },
		{ "--memory", { "vm", "density", "--memory", "64,128", "-o", "@/r" } },
		{ "--memory",
		  { "vm", "boot", "--platform", "qemu", "--memory", "512,", "-o", "@/r" } },
		{ "--kernel", { "vm", "boot", "--platform", "qemu", "--kernel", "", "-o", "@/r" } },
	};
	expect_all_refused(cases, sizeof(cases) / sizeof(cases[0]));

	/* Past 127 and 255 characters, where fixed buffers used to end. */
	char kinds[512] = "", mem[512] = "";
	for (int i = 0; i < 30; i++)
		strcat(kinds, "inkernel,");
	strcat(kinds, "bogus");
	REFUSED("'bogus'", "vm", "exits", "--kind", kinds, "-o", "@/r.json");
	for (int i = 0; i < 15; i++)
		strcat(mem, "00000000000000000512,");
	strcat(mem, "511");
	assert_true(strlen(mem) > 256);
	REFUSED("511 MiB is not a multiple of 2 MiB", "vm", "boot", "--memory", mem, "-o",
		"@/r.json");
}

/* Counts and sizes beyond their range are refused, never wrapped. */
static void test_binary_counts(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{ "--events",
		  { "native", "clock", "--events", "4611686018427387905", "-o", "@/r" } },
		{ "--events",
		  { "native", "cpu", "--events", "18446744073709551616", "-o", "@/r" } },
		{ "--loads",
		  { "native", "memlat", "--loads", "4611686018427387904", "-o", "@/r" } },
		{ "--threads", { "native", "cpu", "--threads", "1025", "-o", "@/r" } },
		{ "--iterations", { "native", "cpu", "--iterations", "100001", "-o", "@/r" } },
		{ "--max-vms", { "vm", "density", "--max-vms", "100001", "-o", "@/r" } },
		{ "--counts", { "container", "density", "--counts", "4097", "-o", "@/r" } },
		{ "--time",
		  { "vm", "cpu", "--platform", "qemu", "--time", "600001", "-o", "@/r" } },
		/* Blocks the workload would refuse mid-run. */
		{ "--memory-block-size",
		  { "container", "memory", "--memory-block-size", "1000", "-o", "@/r" } },
		{ "--memory-total",
		  { "container", "memory", "--memory-total", "1M", "--threads", "1024",
		    "--memory-block-size", "4K", "-o", "@/r" } },
		{ "--memory-block-size",
		  { "vm", "memory", "--memory-block-size", "3K", "-o", "@/r" } },
		{ "--block-size",
		  { "vm", "memory", "--platform", "qemu", "--block-size", "3K", "-o", "@/r" } },
	};
	expect_all_refused(cases, sizeof(cases) / sizeof(cases[0]));
}

/* cli__dispatch and cli__usage_error, with their stdio captured. */
static int sub_ok(void *cfg, const struct cli_call *c)
{
	(void)cfg;
	(void)c;
	return 7;
}

static void test_dispatch(void **state)
{
	(void)state;
	static const struct cli_command boot = {
		.name = "boot", .summary = "boot time", .description = "", .run = sub_ok
	};
	static const struct cli_command *const subs[] = { &boot, NULL };
	static const struct cli_command vm = { .name = "vm",
					       .summary = "",
					       .subs = subs,
					       .description = "help text\n",
					       .exit_status = "" };
	struct cli_call g = { .cmd = &vm, .group = cli__commands(), .path = "vm" };
	char *a1[] = { "vm", "boot", NULL };
	assert_int_equal(cli__dispatch(&g, 2, a1), 7);
	FILE *saved = stderr;
	char *text = NULL;
	size_t len = 0;
	stderr = open_memstream(&text, &len);
	char *a2[] = { "vm", "reboot", NULL };
	assert_int_equal(cli__dispatch(&g, 2, a2), 2);
	char *a3[] = { "vm", NULL };
	assert_int_equal(cli__dispatch(&g, 1, a3), 2);
	struct vb_err err = { 0 };
	err__usage(&err, "--vcpus: 'abc' is not a number; expected an integer from 1 to 512");
	assert_int_equal(cli__usage_error("vm boot", &err), 2);
	fclose(stderr);
	stderr = saved;
	assert_string_equal(text, "virtbench: vm: unknown subcommand 'reboot'; run 'virtbench vm "
				  "--help' for the list\n"
				  "Usage: virtbench vm <subcommand> [options]\n"
				  "\n"
				  "help text\n"
				  "\n"
				  "Subcommands:\n"
				  "  boot          boot time\n"
				  "\n"
				  "Run 'virtbench vm <subcommand> --help' for its options.\n"
				  "\n"
				  "virtbench: --vcpus: 'abc' is not a number; expected an integer "
				  "from 1 to 512 (see 'virtbench vm boot --help')\n");
	free(text);
}

/* -o names a file to create or replace, never anything else: a bad one is
 * one line and exit 2 before the benchmark runs (nothing on stdout), and
 * what is there stays as it was. */
static void expect_output_refused(const char *cmd, const char *sub, const char *out,
				  const char *what)
{
	char *args[16];
	int n = 0;
	args[n++] = (char *)vb_binary();
	args[n++] = (char *)cmd;
	if (sub)
		args[n++] = (char *)sub;
	if (!strcmp(cmd, "native")) {
		static char *const rest[] = {
			"--time", "0.01", "--iterations", "1", "--warmup", "0"
		};
		for (size_t i = 0; i < 6; i++)
			args[n++] = rest[i];
	}
	if (!strcmp(cmd, "compare")) {
		static char good[4096];
		snprintf(good, sizeof(good), "%s", fixture("results/x86_64"));
		args[n++] = good;
		args[n++] = good;
	}
	args[n++] = "-o";
	args[n++] = (char *)out;
	args[n] = NULL;
	struct stat before, after;
	bool existed = lstat(out, &before) == 0;
	struct vb_proc_result r;
	run_vb(args, &r);
	if (r.exit_code != 2 || r.out_len != 0 || count_lines(r.errout) != 1 ||
	    !strstr(r.errout, what))
		fail_msg("%s %s -o '%s': exit %d, stdout %zu bytes, stderr '%s' (wanted '%s')", cmd,
			 sub ? sub : "", out, r.exit_code, r.out_len, r.errout, what);
	proc__result_free(&r);
	if (existed) {
		assert_int_equal(lstat(out, &after), 0);
		assert_int_equal(after.st_mode, before.st_mode);
		assert_true(after.st_ino == before.st_ino);
	}
}

static void test_output_paths(void **state)
{
	(void)state;
	char dir[256], fifo[300], sock[300], link[300], file[300], missing[300], dev[300],
		slash[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-out", dir, sizeof(dir), &err), 0);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	int sfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", sock);
	assert_int_equal(bind(sfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(file, sizeof(file), "%s/file.json", dir);
	assert_int_equal(file__write_atomic(file, "{}", 2, &err), 0);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	assert_int_equal(symlink(file, link), 0);
	snprintf(missing, sizeof(missing), "%s/no/such/dir/r.json", dir);
	snprintf(slash, sizeof(slash), "%s/", dir);

	expect_output_refused("native", "clock", "", "--output: expected a file name");
	expect_output_refused("native", "clock", fifo, "is a FIFO");
	expect_output_refused("native", "clock", sock, "is a socket");
	expect_output_refused("native", "clock", dir, "is a directory");
	expect_output_refused("native", "clock", slash, "names a directory");
	expect_output_refused("native", "clock", link, "is a symbolic link");
	expect_output_refused("native", "clock", missing, "does not exist");
	expect_output_refused("native", "clock", "/proc/x", "cannot create a file in /proc");
	snprintf(dev, sizeof(dev), "%s/null", dir);
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0)
		expect_output_refused("native", "clock", dev, "is a character device");
	/* The same check in every command that takes -o. */
	expect_output_refused("info", NULL, fifo, "is a FIFO");
	expect_output_refused("vm", "boot", fifo, "is a FIFO");
	expect_output_refused("container", "startup", fifo, "is a FIFO");
	expect_output_refused("run", NULL, file, "expected a results directory");
	expect_output_refused("compare", NULL, fifo, "is a FIFO");
	close(sfd);

	/* A regular file is replaced, 0644 whatever the umask. */
	char *args[] = { (char *)vb_binary(),
			 "native",
			 "clock",
			 "--time",
			 "0.01",
			 "--iterations",
			 "1",
			 "--warmup",
			 "0",
			 "-q",
			 "-o",
			 file,
			 NULL };
	mode_t old = umask(0);
	struct vb_proc_result r;
	run_vb(args, &r);
	umask(old);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
	struct stat st;
	assert_int_equal(lstat(file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(st.st_size > 2);
	file__remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_list_and_choice),
		cmocka_unit_test(test_list_items),
		cmocka_unit_test(test_mib),
		cmocka_unit_test(test_common_opts),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_binary_unknown_command),
		cmocka_unit_test(test_binary_help),
		cmocka_unit_test(test_output_paths),
		cmocka_unit_test(test_binary_info_root),
		cmocka_unit_test(test_binary_run_selection),
		cmocka_unit_test(test_binary_report_dir),
		cmocka_unit_test(test_binary_lists),
		cmocka_unit_test(test_binary_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
