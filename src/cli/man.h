/* The manual pages, made from the command tables (cli/table.h) so that
 * they say what the parser accepts and --help prints: virtbench(1) and
 * one page per command, virtbench-<command>(1), with every subcommand,
 * option, value name, range and default. What no table holds (the
 * environment, the files, the results format, examples) is in
 * man_text.c. */
#ifndef VB_CLI_MAN_H
#define VB_CLI_MAN_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

/* The name of page i ("virtbench", "virtbench-info", ...), or NULL past
 * the last. */
const char *man__name(size_t i, char *buf, size_t size);
/* Page `name` in man(7) roff, dated `date` (YYYY-MM-DD). An unknown name
 * is an error. */
int man__write(const char *name, const char *date, FILE *f, struct vb_err *err);

/* Text of a page section that applies to some commands. */
struct man_entry {
	const char *term;     /* roff: the tag of a .TP item */
	const char *commands; /* the commands it concerns, space-separated; NULL: all */
	const char *text;     /* plain text (escaped when written) */
};
struct man_example {
	const char *command; /* the page it belongs to ("info"); NULL: virtbench(1) */
	const char *what;    /* one sentence */
	const char *line;    /* the command line, words separated by single spaces */
};
extern const struct man_entry man__environment[], man__files[]; /* ended by a zero entry */
extern const struct man_example man__examples[];		/* ended by a zero entry */
/* What a results file holds, for the pages of commands that write or read one. */
extern const char man__results_text[];
extern const char *const man__results_commands;

#endif
