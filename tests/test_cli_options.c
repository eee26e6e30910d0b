/* Every command's options, checked as data: unique names, a help line and
 * a value name where a value is taken, targets inside the configuration,
 * defaults that read back as they print and lie within range, one unit per
 * option name across commands (--time is seconds everywhere); --help lists
 * exactly the table; an option of a sibling is refused with one line. */
#include "testutil.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>

#include "cli/cmd_vm.h"
#include "cli/table.h"
#include "container/container_bench.h"
#include "core/proc.h"

/* What an option's value is, whatever its shape (one or a list). */
static const char *unit_of(enum cli_type t)
{
	switch (t) {
	case CLI_FLAG: return "flag";
	case CLI_UINT:
	case CLI_UINT_LIST: return "count";
	case CLI_DOUBLE: return "number";
	case CLI_SECONDS: return "seconds";
	case CLI_SIZE:
	case CLI_BLOCK: return "bytes";
	case CLI_MIB:
	case CLI_MIB_LIST: return "MiB";
	case CLI_CHOICE:
	case CLI_CHOICE_LIST: return "choice";
	case CLI_OUTPUT:
	case CLI_RESULTS_DIR: return "output";
	default: return "text";
	}
}

static unsigned nchoices(const struct cli_opt *o)
{
	unsigned n = 0;
	while (o->choices && o->choices[n])
		n++;
	return n;
}

static bool is_list(const struct cli_opt *o)
{
	return o->type == CLI_UINT_LIST || o->type == CLI_MIB_LIST || o->type == CLI_NAME_LIST;
}

/* The option's target lies inside the configuration, with the size its
 * type writes. */
static void check_target(const struct cli_command *cmd, const struct cli_opt *o)
{
	size_t want = 0;
	switch (o->type) {
	case CLI_FLAG: want = sizeof(bool); break;
	case CLI_DOUBLE:
	case CLI_SECONDS: want = sizeof(double); break;
	case CLI_TEXT:
	case CLI_PATH:
	case CLI_OUTPUT:
	case CLI_RESULTS_DIR: want = sizeof(char *); break;
	case CLI_NAME_LIST:
		if (o->size < 2)
			fail_msg("--%s: names of %zu bytes", o->name, o->size);
		want = o->size;
		break;
	default:
		if (o->size != 1 && o->size != 2 && o->size != 4 && o->size != 8)
			fail_msg("--%s: an integer target of %zu bytes", o->name, o->size);
		want = o->size;
	}
	if (o->size != want)
		fail_msg("--%s: target of %zu bytes, its type writes %zu", o->name, o->size, want);
	size_t end = o->off + o->size * (is_list(o) ? o->cap : 1);
	if (end > cmd->cfg_size)
		fail_msg("--%s: target ends at %zu, past the configuration (%zu)", o->name, end,
			 cmd->cfg_size);
	if (is_list(o) && (o->cap < 1 || o->cap > CLI_LIST_MAX ||
			   o->count_off + sizeof(unsigned) > cmd->cfg_size))
		fail_msg("--%s: a list of %u items or its count outside", o->name, o->cap);
	uint64_t top = o->size >= 8 ? UINT64_MAX : (1ull << (8 * o->size)) - 1;
	if ((o->type == CLI_UINT || o->type == CLI_UINT_LIST || o->type == CLI_MIB ||
	     o->type == CLI_MIB_LIST) &&
	    o->max > top)
		fail_msg("--%s: %" PRIu64 " does not fit %zu bytes", o->name, o->max, o->size);
	if (o->type == CLI_CHOICE && nchoices(o) - 1 > top)
		fail_msg("--%s: more choices than its target holds", o->name);
	if (o->type == CLI_CHOICE_LIST && nchoices(o) > 8 * o->size)
		fail_msg("--%s: more choices than bits in its target", o->name);
}

static void check_text(const struct cli_opt *o)
{
	for (const char *p = o->name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' &&
		    *p != '_')
			fail_msg("--%s: a name of lower-case letters, digits and dashes", o->name);
	if (!o->help || !o->help[0] || strchr(o->help, '\n'))
		fail_msg("--%s: no help line, or more than one", o->name);
	if (cli_opt__takes_value(o) != (o->value != NULL))
		fail_msg("--%s: a value name exactly when it takes a value", o->name);
	for (const char *p = o->value; p && *p; p++)
		if (!isupper((unsigned char)*p))
			fail_msg("--%s: value name %s is not upper case", o->name, o->value);
	if ((o->type == CLI_SECONDS) != !strcmp(o->value ? o->value : "", "SECONDS") &&
	    strcmp(o->name, "timeout"))
		fail_msg("--%s: durations are SECONDS", o->name);
	if (!strcmp(o->name, "time") && o->type != CLI_SECONDS)
		fail_msg("--time is not in seconds");
	if (o->min > o->max || o->dmin > o->dmax)
		fail_msg("--%s: range upside down", o->name);
	bool choice = o->type == CLI_CHOICE || o->type == CLI_CHOICE_LIST;
	if (choice != (nchoices(o) > 0))
		fail_msg("--%s: choices exactly for a choice", o->name);
	for (unsigned i = 0; i < nchoices(o); i++)
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(o->choices[i], o->choices[k]))
				fail_msg("--%s: choice %s twice", o->name, o->choices[i]);
}

/* Every name, alias and letter once in a command. */
static void check_unique(const struct cli_command *cmd)
{
	const char *names[4 * CLI_OPTS_MAX];
	char letters[CLI_OPTS_MAX];
	unsigned n = 0, nl = 0;
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		if (i >= CLI_OPTS_MAX)
			fail_msg("%s: more than %d options", cmd->name, CLI_OPTS_MAX);
		names[n++] = o->name;
		for (const char *const *a = o->aliases; a && *a; a++)
			names[n++] = *a;
		if (o->letter)
			letters[nl++] = o->letter;
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(names[i], names[k]))
				fail_msg("%s: --%s twice", cmd->name, names[i]);
	for (unsigned i = 0; i < nl; i++)
		for (unsigned k = 0; k < i; k++)
			if (letters[i] == letters[k])
				fail_msg("%s: -%c twice", cmd->name, letters[i]);
}

/* A default printed as the option would read it reads back the same and
 * within range: help shows what the command does. */
static void check_defaults(const struct cli_call *c)
{
	const struct cli_command *cmd = c->cmd;
	void *cfg = calloc(1, cmd->cfg_size), *back = calloc(1, cmd->cfg_size);
	assert_non_null(cfg);
	assert_non_null(back);
	if (cmd->init)
		cmd->init(cfg, cmd);
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		char shown[512], again[512];
		if (o->def || !o->size || cli_opt__format(o, cfg, shown, sizeof(shown)) < 0)
			continue;
		memcpy(back, cfg, cmd->cfg_size);
		struct vb_err err = { 0 };
		if (cli_opt__set(o, "--x", shown, back, &err) < 0)
			fail_msg("%s --%s: its default '%s' is refused: %s", c->path, o->name,
				 shown, err.msg);
		assert_int_equal(cli_opt__format(o, back, again, sizeof(again)), 0);
		if (strcmp(shown, again))
			fail_msg("%s --%s: default '%s' reads back as '%s'", c->path, o->name,
				 shown, again);
	}
	free(cfg);
	free(back);
}

/* Option names across the tree, with the unit of the first seen. */
struct units {
	const char *name[256], *unit[256];
	char where[256][96];
	unsigned n;
	unsigned commands, groups;
};

static void check_unit(struct units *u, const char *name, const struct cli_opt *o, const char *path)
{
	for (unsigned i = 0; i < u->n; i++)
		if (!strcmp(u->name[i], name)) {
			if (strcmp(u->unit[i], unit_of(o->type)))
				fail_msg("--%s is %s in '%s' but %s in '%s'", name,
					 unit_of(o->type), path, u->unit[i], u->where[i]);
			return;
		}
	assert_true(u->n < 256);
	u->name[u->n] = name;
	u->unit[u->n] = unit_of(o->type);
	snprintf(u->where[u->n++], sizeof(u->where[0]), "%s", path);
}

static void check_command(const struct cli_call *c, void *ctx)
{
	struct units *u = ctx;
	const struct cli_command *cmd = c->cmd;
	if (!cmd->summary || !cmd->summary[0] || strlen(cmd->summary) > 64 || !cmd->description ||
	    !cmd->description[0])
		fail_msg("%s: a summary (64 characters at most) and a description", c->path);
	if (cmd->subs) {
		u->groups++;
		assert_null(cmd->opts);
		return;
	}
	u->commands++;
	if (!cmd->run == !cmd->bench || (cmd->bench && !cmd->common))
		fail_msg("%s: runs one way; a benchmark takes the common options", c->path);
	if (cmd->common && cmd->cfg_size < sizeof(struct cli_common))
		fail_msg("%s: the configuration starts with struct cli_common", c->path);
	check_unique(cmd);
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		check_text(o);
		if (o->size)
			check_target(cmd, o);
		check_unit(u, o->name, o, c->path);
		for (const char *const *a = o->aliases; a && *a; a++)
			check_unit(u, *a, o, c->path);
	}
	check_defaults(c);
}

static void test_tables(void **state)
{
	(void)state;
	struct units *u = calloc(1, sizeof(*u));
	assert_non_null(u);
	cli__walk(check_command, u);
	/* info, native x8, vm x11 (nested, nested-exec, disk and net too), qemu x5,
	 * container x6, run, compare, report, fleet run */
	assert_int_equal(u->commands, 35);
	assert_int_equal(u->groups, 5);
	free(u);
}

/* Runs virtbench with the words of path and then args. */
static int vb(const char *path, const char *const *args, struct vb_proc_result *r)
{
	char *argv[32], words[128];
	int n = 0;
	argv[n++] = (char *)vb_binary();
	snprintf(words, sizeof(words), "%s", path);
	for (char *w = strtok(words, " "); w && n < 20; w = strtok(NULL, " "))
		argv[n++] = w;
	for (; args && *args && n < 31; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 30000 };
	struct vb_err err = { 0 };
	if (proc__run(&o, r, &err) < 0)
		fail_msg("running virtbench %s: %s", path, err.msg);
	return r->exit_code;
}

/* Whether the left column of an entry of a --help names `name`. */
static bool listed(const char *help, const char *name)
{
	char want[80];
	snprintf(want, sizeof(want), "%s", name);
	size_t len = strlen(want);
	for (const char *p = help; (p = strstr(p, want)); p += len) {
		bool start = p[-1] == ' ';
		bool end = p[len] == ' ' || p[len] == ',' || p[len] == '\n';
		/* In the left column: the line starts with two spaces and a dash. */
		const char *line = p;
		while (line > help && line[-1] != '\n')
			line--;
		const char *gap = strstr(line + 2, "  "), *eol = strchr(line, '\n');
		const char *left_end = gap && (!eol || gap < eol) ? gap : eol;
		if (start && end && !strncmp(line, "  -", 3) && (!left_end || p < left_end))
			return true;
	}
	return false;
}

/* The names in the left column of every entry, counted. */
static unsigned entries(const char *help)
{
	unsigned n = 0;
	for (const char *p = help; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "  -", 3))
			continue;
		size_t len = strcspn(p, "\n");
		for (size_t i = 2; i < len && !(p[i] == ' ' && p[i + 1] == ' ') && i < 40; i++)
			n += p[i] == '-' && p[i - 1] == ' ';
	}
	return n;
}

static void check_help(const struct cli_call *c, void *ctx)
{
	(void)ctx;
	struct vb_proc_result r;
	assert_int_equal(vb(c->path, (const char *const[]){ "--help", NULL }, &r), 0);
	for (const char *p = r.out; *p; p += strcspn(p, "\n") + 1)
		if (strcspn(p, "\n") > 80)
			fail_msg("%s --help: a line wider than 80 columns: %.100s", c->path, p);
	const struct cli_command *cmd = c->cmd;
	unsigned want = 0;
	const struct cli_opt *o;
	for (unsigned i = 0; cmd->subs ? 0 : (o = cli__option(cmd, i)) != NULL; i++) {
		char name[64];
		snprintf(name, sizeof(name), "--%s", o->name);
		want += 1 + (o->letter != 0);
		if (!listed(r.out, name))
			fail_msg("%s --help lacks %s", c->path, name);
		for (const char *const *a = o->aliases; a && *a; a++, want++) {
			snprintf(name, sizeof(name), "--%s", *a);
			if (!listed(r.out, name))
				fail_msg("%s --help lacks %s", c->path, name);
		}
		snprintf(name, sizeof(name), "-%c", o->letter);
		if (o->letter && !listed(r.out, name))
			fail_msg("%s --help lacks %s", c->path, name);
	}
	if (!cmd->subs && entries(r.out) != want)
		fail_msg("%s --help lists %u names, its table %u:\n%s", c->path, entries(r.out),
			 want, r.out);
	for (const struct cli_command *const *s = cmd->subs; s && *s; s++) {
		char line[64];
		snprintf(line, sizeof(line), "\n  %-13s %s\n", (*s)->name, (*s)->summary);
		if (!strstr(r.out, line))
			fail_msg("%s --help does not list %s", c->path, (*s)->name);
	}
	proc__result_free(&r);
}

static void test_help_lists_the_table(void **state)
{
	(void)state;
	cli__walk(check_help, NULL);
}

static bool takes(const struct cli_command *cmd, const char *name)
{
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		if (!strcmp(o->name, name))
			return true;
		for (const char *const *a = o->aliases; a && *a; a++)
			if (!strcmp(*a, name))
				return true;
	}
	return false;
}

/* Command c refuses every option of `other` that it does not take, with
 * one line naming c and the commands that take it. */
static unsigned refuse_all_of(const struct cli_call *c, const struct cli_command *other)
{
	unsigned n = 0;
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(other, i)); i++) {
		if (takes(c->cmd, o->name))
			continue;
		char arg[80], want[256];
		snprintf(arg, sizeof(arg), "--%s", o->name);
		char *argv[] = { (char *)c->cmd->name, arg, "1", NULL };
		struct cli_call call = *c;
		void *cfg = calloc(1, c->cmd->cfg_size);
		if (c->cmd->init)
			c->cmd->init(cfg, c->cmd);
		struct vb_err err = { 0 };
		int rc = cli__parse(cfg, 3, argv, &call, &err);
		cli__call_free(&call);
		free(cfg);
		snprintf(want, sizeof(want), "%s is not an option of '%s'; ", arg, c->path);
		if (rc != -1 || err.status != VB_EXIT_USAGE ||
		    strncmp(err.msg, want, strlen(want)) || !strstr(err.msg, other->name) ||
		    strchr(err.msg, '\n'))
			fail_msg("%s %s: %s", c->path, arg, err.msg);
		n++;
	}
	return n;
}

static void refuse_siblings(const struct cli_call *g, void *ctx)
{
	unsigned *n = ctx;
	for (const struct cli_command *const *s = g->cmd->subs; s && *s; s++) {
		struct cli_call c;
		cli__call_child(g, *s, &c);
		for (const struct cli_command *const *t = g->cmd->subs; *t; t++)
			if (*t != *s)
				*n += refuse_all_of(&c, *t);
		for (const struct cli_variant *v = g->cmd->variants; v && v->option; v++)
			for (const struct cli_command *const *t = v->group->subs; *t; t++)
				*n += refuse_all_of(&c, *t);
	}
}

static void test_sibling_options_refused(void **state)
{
	(void)state;
	unsigned n = 0;
	cli__walk(refuse_siblings, &n);
	assert_true(n > 50);
	/* And from the outside: one line, exit 2, nothing run. */
	static const char *const cases[][6] = {
		{ "container startup", "--counts", "5", "--counts", "'container density'" },
		{ "vm boot --platform qemu", "--time", "1", "--time", "'vm cpu --platform qemu'" },
		{ "vm boot", "--timeout", "5", "--timeout", "'vm boot --platform qemu'" },
		{ "native cpu", "--memory-oper", "read", "--memory-oper", "'native memory'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vb_proc_result r;
		int code = vb(cases[i][0], (const char *const[]){ cases[i][1], cases[i][2], NULL },
			      &r);
		if (code != 2 || r.out_len || !strstr(r.errout, cases[i][3]) ||
		    !strstr(r.errout, cases[i][4]) || strchr(r.errout, '\n')[1])
			fail_msg("%s %s: exit %d, stderr %s", cases[i][0], cases[i][1], code,
				 r.errout);
		proc__result_free(&r);
	}
}

/* The QEMU front end takes --time in seconds, fractions too, as every
 * other command does, and runs for that many milliseconds. */
static void test_qemu_time_in_seconds(void **state)
{
	(void)state;
	static const struct {
		const char *arg;
		unsigned ms;
	} cases[] = {
		{ NULL, 1000 }, { "0.5", 500 }, { "2", 2000 }, { "0.01", 10 }, { "600", 600000 }
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_call c;
		const struct cli_command *cmd = cli__find("vm cpu --platform qemu", &c);
		assert_non_null(cmd);
		struct qemu_cli *cfg = calloc(1, cmd->cfg_size);
		cmd->init(cfg, cmd);
		char *argv[] = { "cpu", "--time", (char *)cases[i].arg, NULL };
		struct vb_err err = { 0 };
		assert_int_equal(cli__parse(cfg, cases[i].arg ? 3 : 1, argv, &c, &err), 0);
		assert_int_equal(cmd->prepare(cfg, &c, &err), 0);
		assert_int_equal(cfg->q.work_ms, cases[i].ms);
		cli__call_free(&c);
		free(cfg);
	}
	struct vb_proc_result r;
	assert_int_equal(vb("vm cpu --platform qemu",
			    (const char *const[]){ "--time", "1000", NULL }, &r),
			 2);
	assert_non_null(strstr(r.errout, "--time: '1000' is out of range; expected a number from "
					 "0.01 to 600"));
	proc__result_free(&r);
}

/* The runtime names of the table are the library's. */
static void test_runtime_choices(void **state)
{
	(void)state;
	struct cli_call c;
	const struct cli_command *cmd = cli__find("container startup", &c);
	assert_non_null(cmd);
	const struct cli_opt *o = cli__option(cmd, 0);
	assert_string_equal(o->name, "runtime");
	for (int i = 0; i < CT_RT_COUNT; i++)
		assert_string_equal(o->choices[i], container_runtime__name((enum ct_runtime)i));
	assert_string_equal(o->choices[CT_RT_COUNT], "all");
	assert_null(o->choices[CT_RT_COUNT + 1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_help_lists_the_table),
		cmocka_unit_test(test_sibling_options_refused),
		cmocka_unit_test(test_qemu_time_in_seconds),
		cmocka_unit_test(test_runtime_choices),
	};
	return cmocka_run_group_tests_name("cli options", tests, NULL, NULL);
}
