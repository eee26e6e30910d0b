#include <stdio.h>

#include "cli/cli.h"

/* Placeholder until the vm command lands. */
int cmd_vm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "virtbench: 'vm' is not implemented yet\n");
	return VB_EXIT_FAILURE;
}
