/* The facts that change how a reader should take the numbers: a nested
 * host, PVM, emulation, a CPU governor that is not `performance`, SMT,
 * noisy results with wide intervals, too few samples, an interrupted run. */
#ifndef VB_REPORT_CAVEATS_H
#define VB_REPORT_CAVEATS_H

#include "core/result.h"

#define CAVEATS_MAX 12

struct caveats {
	char text[CAVEATS_MAX][512];
	size_t n;
};

/* Relative half-width of the median's interval above which a result is
 * called noisy. */
#define CAVEATS_WIDE_CI 0.10

void caveats__collect(const struct vb_result_set *s, struct caveats *out);

#endif
