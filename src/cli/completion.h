/* Shell completion made from the command tables (cli/table.h): commands,
 * subcommands, options, and the values of choice options, so that it
 * offers what the parser accepts. */
#ifndef VB_CLI_COMPLETION_H
#define VB_CLI_COMPLETION_H

#include <stdio.h>

/* The bash completion script: defines _virtbench and registers it for
 * `virtbench` (bash-completion loads it from completions/virtbench). */
void completion__write_bash(FILE *f);

#endif
