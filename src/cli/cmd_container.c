#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the container command lands. */
int cmd_container(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'container' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
