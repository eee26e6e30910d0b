/* The command-line front end: one file per command, each an option table
 * and the function that calls the library (cli/table.h), found from the
 * tree in tree.c. Commands parse options, call the library and print. */
#ifndef VB_CLI_CLI_H
#define VB_CLI_CLI_H

#include "core/err.h"
#include "core/version.h"

struct cli_command;

extern const struct cli_command cmd__info;
extern const struct cli_command cmd__native;
extern const struct cli_command cmd__vm;
extern const struct cli_command cmd__container;

/* Commands that read their own arguments, until they have tables. */
struct vb_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* For a command with subcommands: finds argv[1] in the table and runs it
 * with argv shifted; prints help for -h/--help or no subcommand; an unknown
 * one is a usage error. `usage` is the command's help text. */
int cli__subcommand(const char *prog, const char *usage, const struct vb_command *cmds,
		    int argc, char **argv);

/* Usage error: prints "virtbench: <msg>" plus a hint to --help; returns 2. */
int cli__usage_error(const char *cmd, const struct vb_err *err);

/* -o FILE of every command, checked while parsing: "-" (stdout), or a
 * regular file or nothing in an existing directory where a file can be
 * created. Anything else is a usage error naming what is there. */
int cli__check_output(const char *path, struct vb_err *err);
/* A results directory named on the command line (run -o, compare -o,
 * report DIR), checked while parsing (see outpath__check_dir); `what`
 * prefixes the message (an option name) or is NULL. */
int cli__check_results_dir(const char *what, const char *dir, struct vb_err *err);

#endif
