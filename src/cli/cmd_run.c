#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the run command lands. */
int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'run' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
