/* Subcommand dispatch and the one-line usage error shared by every command. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

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

static bool is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help");
}

int cli__dispatch(const char *prog, const char *usage, const struct vb_command *cmds,
		  int argc, char **argv)
{
	const char *name = command_name(prog);
	const char *sep = *name ? " " : "";
	if (argc < 2) {
		fputs(usage, stderr);
		return VB_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		fputs(usage, stdout);
		return VB_EXIT_OK;
	}
	for (const struct vb_command *c = cmds; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		fprintf(stderr,
			"virtbench: %s%s'%s' is not known here; expected a subcommand first; run "
			"'virtbench%s%s --help'\n",
			name, *name ? ": " : "", argv[1], sep, name);
	else
		fprintf(stderr,
			"virtbench: %s%sunknown subcommand '%s'; run 'virtbench%s%s --help' for the "
			"list\n",
			name, *name ? ": " : "", argv[1], sep, name);
	return VB_EXIT_USAGE;
}

int cli__usage_error(const char *cmd, const struct vb_err *err)
{
	const char *name = command_name(cmd);
	fprintf(stderr, "virtbench: %s (see 'virtbench%s%s --help')\n",
		err && err->msg[0] ? err->msg : "invalid usage", *name ? " " : "", name);
	return VB_EXIT_USAGE;
}
