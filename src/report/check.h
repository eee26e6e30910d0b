/* Semantic checks on a result set read from a file. The core reader has
 * already checked the format (types, sizes, finite numbers); these refuse
 * what is well formed but cannot be a measurement (no results, results
 * without samples, absurd magnitudes) and warn about figures that are odd
 * but can come from a real, noisy run (a negative size or time from a
 * difference of two readings): the warning stays with the result and the
 * report and compare show it. */
#ifndef VB_REPORT_CHECK_H
#define VB_REPORT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/result.h"

/* Largest magnitude accepted for a sample: well above any rate or time a
 * benchmark here can produce (1e15 events/s, 11 days in ns). */
#define CHECK_MAX_ABS 1e15

/* `file` prefixes every message; allow_empty accepts a set without results
 * (a run interrupted before its first benchmark finished). */
int check__set(struct vb_result_set *s, const char *file, bool allow_empty, struct vb_err *err);
/* Sets (or clears) each result's warning; returns how many have one. */
size_t check__plausibility(struct vb_result_set *s);
/* One "virtbench: warning:" line per result with a warning, at most max. */
void check__print_warnings(const struct vb_result_set *s, const char *file, FILE *f, size_t max);

#endif
