#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the compare command lands. */
int cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'compare' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
