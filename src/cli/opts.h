/* Option parsing shared by every command: numbers with their accepted range,
 * sizes with units, lists; and the common options (--json, --iterations...).
 * Each parse error is a usage error naming the option and the range. */
#ifndef VB_CLI_OPTS_H
#define VB_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "cli/table.h"
#include "core/runner.h"

int opt__uint(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err);
int opt__double(const char *opt, const char *val, double min, double max, double *out,
		struct vb_err *err);
/* Sizes: plain bytes or with K/M/G/T suffix (binary, 1K = 1024). */
int opt__size(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err);
/* A block of the memory workload: a size that is a power of two, as
 * sysbench requires (the workload core refuses others mid-run). */
int opt__block_size(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
		    struct vb_err *err);
/* A memory size where a plain number is MiB (as QEMU's -m and the seed's
 * "512"), or a number with K/M/G/T; a whole number of MiB, stored in MiB. */
int opt__mib(const char *opt, const char *val, uint64_t min_mib, uint64_t max_mib, uint64_t *out,
	     struct vb_err *err);

/* A text value such as a file or image name: empty is refused, with
 * `expected` ("a kernel image file"). */
int opt__text(const char *opt, const char *val, const char *expected, struct vb_err *err);

/* Comma lists. An empty value, or an empty item (a leading, trailing or
 * doubled comma), is a usage error; every item reaches `fn` whole, whatever
 * the length of the list. `fn` gets the option's display name and one item;
 * `expected` ends each message ("expected <expected>"). */
typedef int (*opt_item_fn)(const char *name, const char *item, void *ctx, struct vb_err *err);
int opt__list(const char *opt, const char *val, const char *expected, opt_item_fn fn, void *ctx,
	      struct vb_err *err);
/* Comma list of unsigned ints, e.g. "1,2,4"; more than cap values is refused. */
int opt__uint_list(const char *opt, const char *val, uint64_t min, uint64_t max,
		   uint64_t *out, unsigned cap, unsigned *n, struct vb_err *err);
/* Comma list of opt__mib sizes, e.g. "512,1G". */
int opt__mib_list(const char *opt, const char *val, uint64_t min_mib, uint64_t max_mib,
		  uint64_t *out, unsigned cap, unsigned *n, struct vb_err *err);
/* Comma list of the NULL-terminated choices (at most 64) as a mask: bit i
 * set when choices[i] is named; naming one twice is harmless. */
int opt__choice_list(const char *opt, const char *val, const char *const *choices,
		     uint64_t *mask, struct vb_err *err);
/* Value must be one of the NULL-terminated choices; returns its index. */
int opt__choice(const char *opt, const char *val, const char *const *choices, struct vb_err *err);

/* Bytes as a size is typed: "1K", "100G", or plain digits. */
void opt__size_text(char *out, size_t size, uint64_t bytes);

/* Options every benchmark command accepts: struct cli_common, read with
 * the table cli__common_opts. */
void common_opts__init(struct cli_common *c, unsigned default_iterations);
/* Handles the common long options; returns 1 if consumed, 0 if not one of
 * them, -1 on a bad value. `name` is without the leading dashes. */
int common_opts__parse(struct cli_common *c, const char *name, const char *val,
		       struct vb_err *err);
/* Help text for the common options, to append to a command's --help. */
extern const char common_opts__help[];
/* getopt_long entries for the common options (terminated by a zero entry is
 * NOT included: use COMMON_LONG_OPTS inside an option array). */
#define COMMON_OPT_BASE 1000
#define COMMON_LONG_OPTS                                                    \
	{ "json", no_argument, 0, COMMON_OPT_BASE + 0 },                    \
	{ "output", required_argument, 0, 'o' },                            \
	{ "iterations", required_argument, 0, COMMON_OPT_BASE + 1 },        \
	{ "warmup", required_argument, 0, COMMON_OPT_BASE + 2 },            \
	{ "adaptive", no_argument, 0, COMMON_OPT_BASE + 3 },                \
	{ "target-ci", required_argument, 0, COMMON_OPT_BASE + 4 },         \
	{ "max-iterations", required_argument, 0, COMMON_OPT_BASE + 5 },    \
	{ "quiet", no_argument, 0, 'q' },                                   \
	{ "help", no_argument, 0, 'h' }
/* Handles a getopt_long return value for the common options; returns 1 if
 * consumed, 0 if not a common option, -1 on a bad value. */
int common_opts__getopt(struct cli_common *c, int opt, const char *arg, struct vb_err *err);
/* Prints the set (table or JSON), saves it with -o; returns the exit status. */
int common_opts__emit(const struct cli_common *c, struct vb_result_set *s);

#endif
