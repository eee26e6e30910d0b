/* The command-line front end: one file per command, each an option table
 * and the function that calls the library (cli/table.h), found from the
 * tree in tree.c. Commands parse options, call the library and print. */
#ifndef VB_CLI_CLI_H
#define VB_CLI_CLI_H

#include <stdbool.h>

#include "core/err.h"
#include "core/version.h"

struct cli_command;

extern const struct cli_command cmd__info;
extern const struct cli_command cmd__native;
extern const struct cli_command cmd__vm;
extern const struct cli_command cmd__container;
extern const struct cli_command cmd__run;
extern const struct cli_command cmd__compare;
extern const struct cli_command cmd__report;
extern const struct cli_command cmd__fleet;

/* Removes what dead runs left (containers, cgroups, images, QEMU, temp
 * dirs; core/sweep.h) and says so in one stderr line unless quiet. */
void cli__sweep(bool quiet);
/* The same for the disk tests' directories in dir (their --dir). */
void cli__sweep_io(const char *dir, bool quiet);
/* Both, in one line: `run`, whose disk tests write under its results
 * directory, so that a run killed with SIGKILL leaves its test
 * directories (virtbench-io.*) to the next run there. */
void cli__sweep_run(const char *dir, bool quiet);
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

/* --image LIST of `container startup|cpu|memory` and `run`: field a of T,
 * an array of names (char[CT_IMAGE_NAME_MAX], container_bench.h), its
 * count in n. Repeated, the option adds; each name is checked. */
#define CLI_IMAGE_LIST(T, a, n)                                                                         \
	{                                                                                               \
		.name = "image", .type = CLI_NAME_LIST, .value = "LIST", CLI_LIST_AT(T, a, n),          \
		.check = container_image__check,                                                        \
		.expected = "local image names such as alpine,ubuntu:20.04",                            \
		.def = "none: only the image built from the worker",                                    \
		.help = "docker/podman: also measure these local images, each in rows of its own (the " \
			"worker bind-mounted read-only); one not here is skipped with its pull command" \
	}

#endif
