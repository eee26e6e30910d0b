/* compare's section on nested virtualization (`vm nested`): where both sets
 * have a figure at both levels, the cost of one level down (L2 inside an L1
 * guest against L1 on the host) of each host side by side, and which
 * host's nesting costs more. */
#ifndef VB_REPORT_COMPARE_NESTED_H
#define VB_REPORT_COMPARE_NESTED_H

#include <stdio.h>

#include "core/stats.h"
#include "report/compare.h"

enum cmp_nest_verdict {
	NEST_SAME,   /* the overheads differ by less than the noise, or overlap */
	NEST_B_MORE, /* B's nesting costs more than A's */
	NEST_B_LESS, /* B's nesting costs less */
	NEST_UNSURE, /* a side has one sample: no interval */
};

struct cmp_nest {
	const struct vb_result *a1, *a2, *b1, *b2; /* L1 and L2 of A and of B */
	const struct cmp_row *row;		   /* the aligned L2 row */
	double a_ratio, b_ratio;		   /* L2/L1 of the medians */
	struct vb_overhead a, b;		   /* L2 against L1, in the metric's direction */
	enum cmp_nest_verdict verdict;
	char text[160];
};

/* The figures of set bi (against A) that both sets have at both levels;
 * returns how many there are (at most max are filled). */
size_t compare__nested(const struct cmp_report *rep, size_t bi, struct cmp_nest *out, size_t max);
/* The section's table and its one-sentence answer; nothing without rows. */
void compare__nested_print(const struct cmp_report *rep, size_t bi, FILE *f);
/* "B's nesting costs more: ..." into out, "" without rows; the row count. */
size_t compare__nested_summary(const struct cmp_report *rep, size_t bi, char *out, size_t size);

#endif
