/* The option-table module on a table of its own: every type reads into its
 * target and prints back as typed, ranges in words, the parser's rules
 * (exact names, --opt=value, clusters, --, operands), the refusal of a
 * sibling's option naming who takes it, and --help laid out from the table. */
#include "testutil.h"

#include <stdbool.h>

#include "cli/table.h"

struct t_cfg {
	struct cli_common common;
	bool flag;
	uint8_t small;
	uint64_t big;
	double secs;
	uint64_t bytes, block;
	uint32_t mib;
	const char *text, *path;
	int choice;
	unsigned list[4], nlist;
	uint64_t mibs[3];
	unsigned nmibs;
	uint16_t mask;
};

#define AT(f) CLI_AT(struct t_cfg, f)

static const struct cli_opt t_opts[] = {
	{ .name = "flag", .letter = 'f', .type = CLI_FLAG, AT(flag), .help = "a flag" },
	{ .name = "small",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(small),
	  .min = 1,
	  .max = 200,
	  .help = "a small number" },
	{ .name = "big",
	  CLI_ALIASES("large", "huge"),
	  .type = CLI_UINT,
	  .value = "N",
	  AT(big),
	  .min = 0,
	  .max = UINT64_MAX,
	  .help = "a big number" },
	{ .name = "time",
	  .letter = 't',
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(secs),
	  .dmin = 0.01,
	  .dmax = 60,
	  .help = "a duration" },
	{ .name = "bytes",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(bytes),
	  .min = 1024,
	  .max = 1ull << 30,
	  .help = "a size" },
	{ .name = "block",
	  .type = CLI_BLOCK,
	  .value = "SIZE",
	  AT(block),
	  .min = 8,
	  .max = 1ull << 20,
	  .help = "a block" },
	{ .name = "mib",
	  .type = CLI_MIB,
	  .value = "MIB",
	  AT(mib),
	  .min = 16,
	  .max = 4096,
	  .help = "memory" },
	{ .name = "text", .type = CLI_TEXT, .value = "ARGS", AT(text), .help = "any text" },
	{ .name = "path",
	  .type = CLI_PATH,
	  .value = "FILE",
	  AT(path),
	  .expected = "a file",
	  .def = "none",
	  .help = "a file" },
	{ .name = "choice",
	  .type = CLI_CHOICE,
	  .value = "MODE",
	  AT(choice),
	  CLI_CHOICES("none", "some", "all"),
	  .help = "one of three" },
	{ .name = "list",
	  .type = CLI_UINT_LIST,
	  .value = "LIST",
	  CLI_LIST_AT(struct t_cfg, list, nlist),
	  .min = 1,
	  .max = 64,
	  .help = "counts" },
	{ .name = "mibs",
	  .type = CLI_MIB_LIST,
	  .value = "LIST",
	  CLI_LIST_AT(struct t_cfg, mibs, nmibs),
	  .min = 16,
	  .max = 4096,
	  .help = "sizes" },
	{ .name = "kinds",
	  .type = CLI_CHOICE_LIST,
	  .value = "LIST",
	  AT(mask),
	  CLI_CHOICES("a", "b", "c", "all"),
	  .help = "a help line long enough to be wrapped at the edge of a terminal of eighty "
		  "columns, twice over, so that its third line shows how it goes on" },
	{ 0 },
};

static void t_init(void *cfg, const struct cli_command *cmd)
{
	struct t_cfg *c = cfg;
	(void)cmd;
	runner__defaults(&c->common.run);
	c->small = 7;
	c->secs = 1.5;
	c->bytes = 1 << 20;
	c->block = 1024;
	c->mib = 512;
	c->list[0] = 1;
	c->list[1] = 2;
	c->nlist = 2;
	c->mask = 7;
}

static int t_run(void *cfg, const struct cli_call *c)
{
	(void)cfg;
	(void)c;
	return 0;
}

static const struct cli_command t_cmd = {
	.name = "one",
	.summary = "the test command",
	.description = "Tests the tables.\n",
	.opts = t_opts,
	.common = true,
	.cfg_size = sizeof(struct t_cfg),
	.init = t_init,
	.run = t_run,
};

static const struct cli_opt sib_opts[] = {
	{ .name = "only-here",
	  .type = CLI_FLAG,
	  .off = 0,
	  .size = sizeof(bool),
	  .help = "the sibling's own" },
	{ 0 },
};

static const struct cli_command t_sib = {
	.name = "two",
	.summary = "its sibling",
	.description = "A sibling.\n",
	.opts = sib_opts,
	.cfg_size = sizeof(bool),
	.run = t_run,
};

static const struct cli_command *const t_subs[] = { &t_cmd, &t_sib, NULL };

static const struct cli_command t_group = {
	.name = "grp",
	.summary = "the group",
	.description = "A group.\n",
	.subs = t_subs,
	.exit_status = "Exit status: 0.\n",
};

static struct t_cfg cfg;
static struct cli_call call;

static int parse(const char *const *args, struct vb_err *err)
{
	char *argv[32];
	int n = 0;
	argv[n++] = "one";
	for (; *args && n < 32; args++)
		argv[n++] = (char *)*args;
	memset(&cfg, 0, sizeof(cfg));
	t_init(&cfg, &t_cmd);
	struct cli_call g = { .cmd = &t_group, .group = cli__commands(), .path = "grp" };
	cli__call_free(&call);
	cli__call_child(&g, &t_cmd, &call);
	memset(err, 0, sizeof(*err));
	return cli__parse(&cfg, n, argv, &call, err);
}

#define PARSE(err, ...) parse((const char *const[]){ __VA_ARGS__, NULL }, err)

static void expect_error(int rc, const struct vb_err *err, const char *want)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->status, VB_EXIT_USAGE);
	if (strcmp(err->msg, want))
		fail_msg("got '%s', expected '%s'", err->msg, want);
}

static void test_values(void **state)
{
	(void)state;
	struct vb_err err;
	assert_int_equal(PARSE(&err, "-f", "--small=200", "--large", "18446744073709551615", "-t",
			       "0.5", "--bytes", "2M", "--block", "4K", "--mib", "1G", "--text", "",
			       "--path", "/x", "--choice", "all", "--list", "3,4,5", "--mibs=64,1G",
			       "--kinds", "b,all"),
			 0);
	assert_true(cfg.flag);
	assert_int_equal(cfg.small, 200);
	assert_true(cfg.big == UINT64_MAX);
	assert_true(cfg.secs == 0.5);
	assert_int_equal(cfg.bytes, 2 << 20);
	assert_int_equal(cfg.block, 4096);
	assert_int_equal(cfg.mib, 1024);
	assert_string_equal(cfg.text, "");
	assert_string_equal(cfg.path, "/x");
	assert_int_equal(cfg.choice, 2);
	assert_int_equal(cfg.nlist, 3);
	assert_int_equal(cfg.list[2], 5);
	assert_int_equal(cfg.nmibs, 2);
	assert_int_equal(cfg.mibs[1], 1024);
	assert_int_equal(cfg.mask, 7); /* "all": every choice before it */
	/* Which options were given, by any of their names. */
	assert_true(cli__given(&call, "big"));
	assert_true(cli__given(&call, "huge"));
	assert_false(cli__given(&call, "json"));
	/* The common options land in struct cli_common. */
	assert_int_equal(PARSE(&err, "--json", "--iterations", "4", "-qf"), 0);
	assert_true(cfg.common.json && cfg.common.quiet && cfg.flag);
	assert_int_equal(cfg.common.run.iterations, 4);
}

static void test_errors(void **state)
{
	(void)state;
	struct vb_err err;
	expect_error(PARSE(&err, "--small", "201"), &err,
		     "--small: '201' is out of range; expected an integer from 1 to 200");
	expect_error(PARSE(&err, "--huge", "-1"), &err,
		     "--huge: '-1' is out of range; expected an integer from 0 to "
		     "18446744073709551615");
	expect_error(PARSE(&err, "-t", "0"), &err,
		     "-t: '0' is out of range; expected a number from 0.01 to 60");
	expect_error(PARSE(&err, "--block", "3K"), &err,
		     "--block: '3K' is not a power of two; expected a block size such as 1K or 4K");
	expect_error(PARSE(&err, "--path", ""), &err,
		     "--path: the value is empty; expected a file");
	expect_error(PARSE(&err, "--choice", "most"), &err,
		     "--choice: 'most' is not accepted; expected one of: none, some, all");
	expect_error(PARSE(&err, "--list", "1,2,3,4,5"), &err,
		     "--list: more than 4 values; expected a comma list of at most 4 integers from "
		     "1 to 64");
	expect_error(PARSE(&err, "--kinds", "a,,b"), &err,
		     "--kinds: item 2 of 'a,,b' is empty (a leading, trailing or doubled comma); "
		     "expected a comma list of: a, b, c, all");
	expect_error(PARSE(&err, "--small"), &err, "--small needs a value");
	expect_error(PARSE(&err, "--flag=1"), &err, "--flag takes no value");
	expect_error(PARSE(&err, "-x"), &err, "unknown option '-x'");
	expect_error(PARSE(&err, "--sma", "3"), &err, "unknown option '--sma'");
	expect_error(PARSE(&err, "stray"), &err,
		     "unexpected argument 'stray'; 'grp one' takes options only");
	expect_error(PARSE(&err, "--only-here"), &err,
		     "--only-here is not an option of 'grp one'; 'grp two' takes it");
	/* Values that look like options are values; after -- all are operands. */
	expect_error(PARSE(&err, "--text", "--flag", "--", "-f"), &err,
		     "unexpected argument '-f'; 'grp one' takes options only");
	assert_string_equal(cfg.text, "--flag");
	assert_false(cfg.flag);
	assert_int_equal(PARSE(&err, "--small", "2", "-h", "--bogus"), 1);
}

static void test_format_and_range(void **state)
{
	(void)state;
	struct vb_err err;
	assert_int_equal(PARSE(&err, "--mibs", "64,2048", "--kinds", "a,c", "--text", "x"), 0);
	static const struct {
		const char *name, *value, *range;
	} want[] = {
		{ "small", "7", "1 to 200" },
		{ "time", "1.5", "0.01 to 60" },
		{ "bytes", "1M", "1K to 1G" },
		{ "block", "1K", "8 to 1M" },
		{ "mib", "512M", "16M to 4G" },
		{ "text", "x", "" },
		{ "choice", "none", "none, some or all" },
		{ "list", "1,2", "comma list, each 1 to 64" },
		{ "mibs", "64M,2G", "comma list, each 16M to 4G" },
		{ "kinds", "a,c", "comma list of a, b, c, all" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_opt *o = NULL;
		for (unsigned k = 0; (o = cli__option(&t_cmd, k)); k++)
			if (!strcmp(o->name, want[i].name))
				break;
		assert_non_null(o);
		char v[128], r[256];
		assert_int_equal(cli_opt__format(o, &cfg, v, sizeof(v)), 0);
		cli_opt__range(o, r, sizeof(r));
		if (strcmp(v, want[i].value) || strcmp(r, want[i].range))
			fail_msg("--%s: '%s' '%s'", o->name, v, r);
	}
	char v[64];
	assert_int_equal(cli_opt__format(&t_opts[0], &cfg, v, sizeof(v)), -1); /* a flag */
	cfg.mask = 7;
	assert_int_equal(cli_opt__format(&t_opts[12], &cfg, v, sizeof(v)), 0);
	assert_string_equal(v, "all");
}

static char *help_of(const struct cli_call *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cli__help(c, f);
	fclose(f);
	return text;
}

static void test_help(void **state)
{
	(void)state;
	struct cli_call g = { .cmd = &t_group, .group = cli__commands(), .path = "grp" }, c;
	cli__call_child(&g, &t_cmd, &c);
	char *text = help_of(&c);
	const char *want_start =
		"Usage: virtbench grp one [options]\n"
		"\n"
		"Tests the tables.\n"
		"\n"
		"Options:\n"
		"  -f, --flag               a flag\n"
		"  --small N                a small number (1 to 200; default 7)\n"
		"  --big, --large, --huge N\n"
		"                           a big number (0 to 18446744073709551615; "
		"default 0)\n";
	if (strncmp(text, want_start, strlen(want_start)))
		fail_msg("help starts:\n%s", text);
	assert_non_null(strstr(text, "  --path FILE              a file (default none)\n"));
	assert_non_null(strstr(text, "  --text ARGS              any text\n"));
	assert_non_null(strstr(
		text, "  --kinds LIST             a help line long enough to be wrapped at "
		      "the edge of\n"
		      "                           a terminal of eighty columns, twice over, "
		      "so that\n"
		      "                           its third line shows how it goes on (comma "
		      "list of\n"
		      "                           a, b, c, all; default all)\n"));
	assert_non_null(strstr(text, "\nCommon options:\n  --json "));
	assert_non_null(strstr(text, "  -h, --help               show this help\n"
				     "\nExit status: 0.\n"));
	free(text);
	text = help_of(&g);
	assert_string_equal(text, "Usage: virtbench grp <subcommand> [options]\n"
				  "\n"
				  "A group.\n"
				  "\n"
				  "Subcommands:\n"
				  "  one           the test command\n"
				  "  two           its sibling\n"
				  "\n"
				  "Run 'virtbench grp <subcommand> --help' for its options.\n"
				  "\n"
				  "Exit status: 0.\n");
	free(text);
}

static int teardown(void **state)
{
	(void)state;
	cli__call_free(&call);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format_and_range),
		cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests_name("cli tables", tests, NULL, teardown);
}
