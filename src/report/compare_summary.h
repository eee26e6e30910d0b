/* The seed's five analysis questions, answered from a comparison of A with
 * one other set: VM boot time, hypervisor overhead, container startup,
 * container overhead, scaling. Each answer names the rows it rests on. */
#ifndef VB_REPORT_COMPARE_SUMMARY_H
#define VB_REPORT_COMPARE_SUMMARY_H

#include "report/compare.h"

#define COMPARE_QUESTIONS 5

struct cmp_answer {
	const char *question;
	char text[2400];
};

void compare__summary(const struct cmp_report *rep, size_t bi,
		      struct cmp_answer out[COMPARE_QUESTIONS]);

#endif
