/* Semantic checks on a result set read from a file. The core reader has
 * already checked the format (types, sizes, finite numbers); these catch
 * what is well formed but cannot be a measurement: no results, results
 * without samples, negative times, absurd magnitudes. */
#ifndef VB_REPORT_CHECK_H
#define VB_REPORT_CHECK_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"

/* Largest magnitude accepted for a sample: well above any rate or time a
 * benchmark here can produce (1e15 events/s, 11 days in ns). */
#define CHECK_MAX_ABS 1e15

/* `file` prefixes every message; allow_empty accepts a set without results
 * (a run interrupted before its first benchmark finished). */
int check__set(const struct vb_result_set *s, const char *file, bool allow_empty,
	       struct vb_err *err);

#endif
