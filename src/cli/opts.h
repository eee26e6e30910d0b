/* Option values: numbers with their accepted range, sizes with units, lists
 * and choices. Each parse error is a usage error naming the option and the
 * range. The option tables (cli/table.h) call these. */
#ifndef VB_CLI_OPTS_H
#define VB_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

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
int opt__uint_list(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
		   unsigned cap, unsigned *n, struct vb_err *err);
/* Comma list of opt__mib sizes, e.g. "512,1G". */
int opt__mib_list(const char *opt, const char *val, uint64_t min_mib, uint64_t max_mib,
		  uint64_t *out, unsigned cap, unsigned *n, struct vb_err *err);
/* Comma list of the NULL-terminated choices (at most 64) as a mask: bit i
 * set when choices[i] is named; naming one twice is harmless. */
int opt__choice_list(const char *opt, const char *val, const char *const *choices, uint64_t *mask,
		     struct vb_err *err);
/* Value must be one of the NULL-terminated choices; returns its index. */
int opt__choice(const char *opt, const char *val, const char *const *choices, struct vb_err *err);

/* Bytes as a size is typed: "1K", "100G", or plain digits. */
void opt__size_text(char *out, size_t size, uint64_t bytes);

#endif
