#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the native command lands. */
int cmd_native(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'native' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
