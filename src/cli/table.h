/* Options declared once per command. A command is data: its name, a
 * one-line summary, a description, its option table and either its
 * subcommands or the functions that run it. From the tables come the
 * parsing (`--opt value` and `--opt=value`, exact names only), every usage
 * error, and `--help`; the tree (cli__commands) is what a man page or a
 * completion script is made from. kvmtool's parse-options is the model: an
 * option binds its flag, its type, where the value goes and its help line.
 *
 * Where a value goes is an offset into the command's configuration (a
 * struct the command defines, whose size is cfg_size and which `init` fills
 * with the defaults), so the tables are static data that need no instance.
 * Help shows the default from that configuration as the option prints it,
 * unless `def` says it in words (a default computed from the host). */
#ifndef VB_CLI_TABLE_H
#define VB_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/result.h"
#include "measure/runner.h"

enum cli_type {
	CLI_FLAG,	 /* no value: sets a bool */
	CLI_UINT,	 /* an integer from min to max, into an unsigned of `size` bytes */
	CLI_DOUBLE,	 /* a number from dmin to dmax, into a double */
	CLI_SECONDS,	 /* a duration in seconds (fractions too), dmin to dmax, into a double */
	CLI_SIZE,	 /* bytes, or a number with K/M/G/T, min to max bytes */
	CLI_BLOCK,	 /* a CLI_SIZE that is a power of two */
	CLI_MIB,	 /* MiB, or a number with K/M/G/T, min to max MiB, stored in MiB */
	CLI_TEXT,	 /* a string; not empty when `expected` says what it should be */
	CLI_PATH,	 /* a file or directory to read; not empty */
	CLI_CHOICE,	 /* one of `choices`: its index */
	CLI_UINT_LIST,	 /* comma list of CLI_UINT values, into an array (see CLI_LIST_AT) */
	CLI_MIB_LIST,	 /* comma list of CLI_MIB values, into an array */
	CLI_CHOICE_LIST, /* comma list of `choices` as a mask (bit i: choices[i]); "all"
			  * among them stands for every choice before it */
	CLI_NAME_LIST,	 /* comma list of names into an array of char[size] (CLI_LIST_AT);
			  * a repeated option adds to it, a name given twice counts once,
			  * each name is checked by `check` */
	CLI_OUTPUT,	 /* a file to write (cli__check_output); "-" is stdout */
	CLI_RESULTS_DIR, /* a results directory to write (cli__check_results_dir) */
};

struct cli_opt {
	const char *name;	    /* long name without the dashes; NULL ends a table */
	char letter;		    /* short option, or 0 */
	const char *const *aliases; /* other long names, NULL-terminated, or NULL */
	enum cli_type type;
	const char *value;	    /* value name in help ("N", "LIST"); NULL for a flag */
	size_t off, size;	    /* target in the configuration; for lists one element */
	size_t count_off;	    /* lists: an unsigned that receives the item count */
	unsigned cap;		    /* lists: most items */
	uint64_t min, max;	    /* integers, sizes (bytes), MiB */
	double dmin, dmax;	    /* CLI_DOUBLE, CLI_SECONDS */
	const char *const *choices; /* CLI_CHOICE, CLI_CHOICE_LIST: NULL-terminated */
	const char *expected;	    /* CLI_TEXT, CLI_PATH: what an empty value should be */
	/* Parses instead of the type's parser (the type still says what the value
	 * is); `name` is the option as typed. */
	int (*parse)(const struct cli_opt *o, const char *name, const char *val, void *target,
		     struct vb_err *err);
	/* CLI_NAME_LIST: 0 when item is a valid name, else -1 with why. */
	int (*check)(const char *item, char *why, size_t size);
	const char *def;  /* the default in words, instead of the configured value */
	const char *help; /* one line */
};

/* Where a value goes: field f of configuration type T. */
#define CLI_AT(T, f) .off = offsetof(T, f), .size = sizeof(((T *)0)->f)
/* The option every command that draws charts has; at: AT(field) of its
 * options struct. */
#define CLI_OPT_NO_GNUPLOT(at)                                                                     \
	{                                                                                          \
		.name = "no-gnuplot", .type = CLI_FLAG, at,                                        \
		.help = "draw the SVG charts with virtbench even if gnuplot exists"                \
	}
/* A list: array field a of T, its count in field n (an unsigned). */
#define CLI_LIST_AT(T, a, n)                                                                       \
	.off = offsetof(T, a), .size = sizeof(((T *)0)->a[0]), .count_off = offsetof(T, n),        \
	.cap = sizeof(((T *)0)->a) / sizeof(((T *)0)->a[0])
#define CLI_ALIASES(...)                                                                           \
	.aliases = (const char *const[])                                                           \
	{                                                                                          \
		__VA_ARGS__, NULL                                                                  \
	}
#define CLI_CHOICES(...)                                                                           \
	.choices = (const char *const[])                                                           \
	{                                                                                          \
		__VA_ARGS__, NULL                                                                  \
	}
/* Most items of a list option, most options of a command (with the common
 * ones and --help). */
#define CLI_LIST_MAX 64
#define CLI_OPTS_MAX 64

/* The options every benchmark command takes, stored in struct cli_common
 * at the start of its configuration. */
struct cli_common {
	bool json;
	const char *output; /* -o FILE: also save the JSON results there */
	struct vb_run_opts run;
	bool quiet;
};
extern const struct cli_opt cli__common_opts[];

struct cli_command;

/* One invocation of a command (also what cli__walk visits). */
struct cli_call {
	const struct cli_command *cmd;
	const struct cli_command *group; /* where cmd was found; NULL for the root */
	char path[96];			 /* "vm boot --platform qemu", for messages */
	char base[64];			 /* the group's path: "vm" */
	char suffix[40];		 /* the variant chosen: " --platform qemu", or "" */
	char **operands;		 /* what is not an option, in order */
	int noperands;
	int dashdash;	/* operands before a "--" (noperands when there is none) */
	uint64_t given; /* bit i: option i (cli__option) was given */
};

/* A group whose subcommands are another tree when an option has a value:
 * `vm ... --platform qemu` is the QEMU front end. */
struct cli_variant {
	const char *option, *value;
	const struct cli_command *group;
};

struct cli_command {
	const char *name;
	const char *summary;	 /* one line, in the parent's list */
	const char *operands;	 /* synopsis of the operands ("A B [C ...]"), NULL: none */
	const char *description; /* paragraphs for --help */
	const char *examples;	 /* command lines, one a line, or NULL */
	const char *exit_status; /* or NULL: as the group says */
	/* A group: */
	const struct cli_command *const *subs; /* NULL-terminated */
	const struct cli_variant *variants;    /* ended by a zero entry, or NULL */
	/* A command: */
	const struct cli_opt *opts; /* its own options, ended by a zero entry */
	bool common;		    /* also takes cli__common_opts */
	int param;		    /* for hooks shared by several commands */
	size_t cfg_size;
	void (*init)(void *cfg, const struct cli_command *cmd);
	/* A benchmark: prepare checks the options against each other and
	 * completes them (a usage error), then bench fills the set; the result
	 * set is started, printed and saved around it (cli__bench_main). bench
	 * returns 0, -1 on a failure part way (what finished is kept, marked
	 * incomplete), or 1 when the set is complete but the command failed. */
	int (*prepare)(void *cfg, const struct cli_call *call, struct vb_err *err);
	int (*bench)(void *cfg, const struct cli_call *call, struct vb_result_set *s,
		     struct vb_err *err);
	/* Any other command: the whole of it, returning the exit status. */
	int (*run)(void *cfg, const struct cli_call *call);
};

/* A benchmark command whose configuration is T and whose hooks are
 * <hook>_init, <hook>_prepare and <hook>_bench, shared with its siblings
 * that differ by param. */
#define CLI_BENCH_COMMAND(id, T, hook, p, nm, sum, opt, text)                                      \
	static const struct cli_command id = {                                                     \
		.name = nm,                                                                        \
		.summary = sum,                                                                    \
		.description = text,                                                               \
		.opts = opt,                                                                       \
		.common = true,                                                                    \
		.param = p,                                                                        \
		.cfg_size = sizeof(T),                                                             \
		.init = hook##_init,                                                               \
		.prepare = hook##_prepare,                                                         \
		.bench = hook##_bench,                                                             \
	}

/* The tree: the root ("virtbench") and its commands. */
const struct cli_command *cli__commands(void);
/* Visits every command and group below the root, depth first, variants
 * included. */
void cli__walk(void (*fn)(const struct cli_call *c, void *ctx), void *ctx);
/* The command at a path such as "vm boot --platform qemu"; NULL if none.
 * Fills c (without operands). */
const struct cli_command *cli__find(const char *path, struct cli_call *c);

/* Option i of a command, its own first and then the common ones; NULL past
 * the end. */
const struct cli_opt *cli__option(const struct cli_command *cmd, unsigned i);
/* Whether the option named `name` was on the command line. */
bool cli__given(const struct cli_call *c, const char *name);

/* Parses argv (argv[0] is the command's name) into cfg, which init has
 * filled; c (from cli__find or the dispatcher) gets the operands. Returns
 * 0, 1 when --help was asked, -1 on a usage error. c->operands points into
 * an array that cli__call_free releases. */
int cli__parse(void *cfg, int argc, char **argv, struct cli_call *c, struct vb_err *err);
void cli__call_free(struct cli_call *c);

/* One option's value into cfg; `name` is the option as typed. */
int cli_opt__set(const struct cli_opt *o, const char *name, const char *val, void *cfg,
		 struct vb_err *err);
bool cli_opt__takes_value(const struct cli_opt *o);
/* The value held in cfg as the option would read it ("1K", "4k,2m");
 * 0, or -1 when there is nothing to show (a flag, no text, an empty list). */
int cli_opt__format(const struct cli_opt *o, const void *cfg, char *out, size_t size);
/* What the option accepts in words ("1 to 1024", "none, thp or hugetlb"). */
void cli_opt__range(const struct cli_opt *o, char *out, size_t size);

/* The option's default as --help shows it: `def` in words, else the value
 * in cfg (a configuration as init fills it; may be NULL); -1, out empty,
 * when there is none to show. */
int cli_opt__default(const struct cli_opt *o, const void *cfg, char *out, size_t size);
/* The help line, then what it accepts and the default when there is one:
 * "length of each run (0.01 to 600; default 1)". */
void cli_opt__describe(const struct cli_opt *o, const char *def, char *out, size_t size);
/* A configuration of cmd as its init fills it (free it), or NULL for a
 * command without one. */
void *cli__defaults(const struct cli_command *cmd);

/* --help of a command or group. */
void cli__help(const struct cli_call *c, FILE *f);

/* The call of subcommand sub of group g, or of g's variant v. */
void cli__call_child(const struct cli_call *g, const struct cli_command *sub, struct cli_call *c);
void cli__call_variant(const struct cli_call *g, const struct cli_variant *v, struct cli_call *c);
/* Runs c's command (a group or not) with argv[0] its name; the exit status. */
int cli__dispatch(struct cli_call *c, int argc, char **argv);
/* Runs the command line: argv[0] is "virtbench". Returns the exit status. */
int cli__main(int argc, char **argv);
/* A benchmark command from its parsed configuration. */
int cli__bench_main(void *cfg, const struct cli_call *c);

#endif
