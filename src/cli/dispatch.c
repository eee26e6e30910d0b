/* Down the command tree to one command: a group finds its subcommand in
 * argv[1] (or, for a variant such as `vm ... --platform qemu`, wherever it
 * stands among the options), a command parses its options against its
 * table and runs. Also the one-line usage error shared by every command. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/version.h"

/* "vm" and "virtbench vm" both name the command in messages. */
static const char *command_name(const char *prog)
{
	if (!prog)
		return "";
	if (!strncmp(prog, "virtbench ", 10))
		return prog + 10;
	if (!strcmp(prog, "virtbench"))
		return "";
	return prog;
}

int cli__usage_error(const char *cmd, const struct vb_err *err)
{
	const char *name = command_name(cmd);
	fprintf(stderr, "virtbench: %s (see 'virtbench%s%s --help')\n",
		err && err->msg[0] ? err->msg : "invalid usage", *name ? " " : "", name);
	return VB_EXIT_USAGE;
}

static bool is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help");
}

static const struct cli_command *sub_named(const struct cli_command *g, const char *name)
{
	for (const struct cli_command *const *s = g->subs; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

/* "boot, cpu or memory" */
static void sub_names(const struct cli_command *g, char *out, size_t size)
{
	size_t used = 0;
	out[0] = 0;
	for (const struct cli_command *const *s = g->subs; *s && used < size; s++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 s == g->subs ? ""
					 : s[1]	      ? ", "
						      : " or ",
					 (*s)->name);
}

static const struct cli_variant *variant_of(const struct cli_command *g, int argc, char **argv)
{
	for (const struct cli_variant *v = g->variants; v && v->option; v++) {
		char opt[48], eq[96];
		snprintf(opt, sizeof(opt), "--%s", v->option);
		snprintf(eq, sizeof(eq), "--%s=%s", v->option, v->value);
		for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
			if (!strcmp(argv[i], eq) || (!strcmp(argv[i], opt) && i + 1 < argc &&
						     !strcmp(argv[i + 1], v->value)))
				return v;
	}
	return NULL;
}

/* Whether some subcommand of g has option a ("--time", "-o") with a value
 * in the next argument. */
static bool value_follows(const struct cli_command *g, const char *a)
{
	bool is_long = a[1] == '-';
	if (is_long ? strchr(a, '=') != NULL : a[2] != 0)
		return false;
	for (const struct cli_command *const *s = g->subs; *s; s++) {
		const struct cli_opt *o;
		for (unsigned i = 0; (o = cli__option(*s, i)); i++)
			if ((is_long ? !strcmp(o->name, a + 2) : o->letter == a[1]) &&
			    cli_opt__takes_value(o))
				return true;
	}
	return false;
}

/* Where the subcommand is when options may come first: the first word
 * that is neither an option nor an option's value; 0 when none. */
static int subcommand_at(const struct cli_command *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			return i;
		if (!strcmp(a, "--"))
			return i + 1 < argc ? i + 1 : 0;
		if (value_follows(g, a))
			i++;
	}
	return 0;
}

static int run_leaf(struct cli_call *c, int argc, char **argv)
{
	const struct cli_command *cmd = c->cmd;
	void *cfg = calloc(1, cmd->cfg_size ? cmd->cfg_size : 1);
	if (!cfg) {
		fputs("virtbench: out of memory\n", stderr);
		return VB_EXIT_FAILURE;
	}
	if (cmd->init)
		cmd->init(cfg, cmd);
	struct vb_err err = { 0 };
	int rc = cli__parse(cfg, argc, argv, c, &err), status;
	if (rc < 0)
		status = err.status == VB_EXIT_USAGE ? cli__usage_error(c->path, &err)
						     : err__report(&err);
	else if (rc > 0)
		status = (cli__help(c, stdout), VB_EXIT_OK);
	else
		status = cmd->run ? cmd->run(cfg, c) : cli__bench_main(cfg, c);
	cli__call_free(c);
	free(cfg);
	return status;
}

/* The subcommand moved first, then every other argument. */
static int run_variant(const struct cli_call *g, const struct cli_variant *v, int argc, char **argv)
{
	struct cli_call vg, c;
	cli__call_variant(g, v, &vg);
	struct vb_err err = { 0 };
	char names[256];
	sub_names(v->group, names, sizeof(names));
	int si = subcommand_at(v->group, argc, argv);
	for (int i = 1; !si && i < argc; i++)
		if (is_help(argv[i]))
			return (cli__help(&vg, stdout), VB_EXIT_OK);
	if (!si) {
		err__usage(&err, "%s needs a subcommand: %s", vg.path, names);
		return cli__usage_error(vg.path, &err);
	}
	const struct cli_command *sub = sub_named(v->group, argv[si]);
	if (!sub) {
		err__usage(&err, "the %s %s has no '%s'; expected %s", v->value, v->option,
			   argv[si], names);
		return cli__usage_error(vg.path, &err);
	}
	char **args = malloc(sizeof(char *) * (size_t)argc);
	if (!args) {
		fputs("virtbench: out of memory\n", stderr);
		return VB_EXIT_FAILURE;
	}
	int n = 0;
	args[n++] = argv[si];
	for (int i = 1; i < argc; i++)
		if (i != si)
			args[n++] = argv[i];
	cli__call_child(&vg, sub, &c);
	int rc = run_leaf(&c, n, args);
	free(args);
	return rc;
}

static int unknown_sub(const struct cli_call *g, const char *word)
{
	const char *name = g->path, *sep = *name ? " " : "";
	if (!g->group)
		fprintf(stderr,
			"virtbench: unknown command '%s'; run 'virtbench --help' for the list\n",
			word);
	else if (word[0] == '-')
		fprintf(stderr,
			"virtbench: %s: '%s' is not known here; expected a subcommand first; run "
			"'virtbench%s%s --help'\n",
			name, word, sep, name);
	else
		fprintf(stderr,
			"virtbench: %s: unknown subcommand '%s'; run 'virtbench%s%s --help' for the "
			"list\n",
			name, word, sep, name);
	return VB_EXIT_USAGE;
}

int cli__dispatch(struct cli_call *g, int argc, char **argv)
{
	if (!g->cmd->subs)
		return run_leaf(g, argc, argv);
	const struct cli_variant *v = variant_of(g->cmd, argc, argv);
	if (v)
		return run_variant(g, v, argc, argv);
	if (argc < 2)
		return (cli__help(g, stderr), VB_EXIT_USAGE);
	if (is_help(argv[1]))
		return (cli__help(g, stdout), VB_EXIT_OK);
	if (!g->group && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("virtbench %s\n", VB_VERSION);
		return VB_EXIT_OK;
	}
	const struct cli_command *sub = sub_named(g->cmd, argv[1]);
	if (!sub)
		return unknown_sub(g, argv[1]);
	struct cli_call c;
	cli__call_child(g, sub, &c);
	return cli__dispatch(&c, argc - 1, argv + 1);
}

int cli__main(int argc, char **argv)
{
	struct cli_call root = { .cmd = cli__commands() };
	return cli__dispatch(&root, argc, argv);
}
