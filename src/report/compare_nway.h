/* `compare` of three or more result sets: one table with every result of
 * the baseline A and, per other set, its ratio to A and its verdict. */
#ifndef VB_REPORT_COMPARE_NWAY_H
#define VB_REPORT_COMPARE_NWAY_H

#include <stdio.h>

#include "report/compare.h"

/* Nothing when there are fewer than three sets (the pair table says it). */
void compare__print_nway(const struct cmp_report *rep, FILE *f);

#endif
