/* The one line a usage error prints, with the way to the command's help. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

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
