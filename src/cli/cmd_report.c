#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the report command lands. */
int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'report' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
