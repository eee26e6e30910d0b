/* The seed's five analysis questions, answered from a comparison of A with
 * one other set: VM boot time, hypervisor overhead, container startup,
 * container overhead, scaling; then its three knowledge-check questions
 * (report/answers.h) for both hosts; then disk and network I/O. Each answer names the rows it rests
 * on; rows flagged as not comparable are counted, never given a verdict. */
#ifndef VB_REPORT_COMPARE_SUMMARY_H
#define VB_REPORT_COMPARE_SUMMARY_H

#include "report/compare.h"

#define COMPARE_QUESTIONS 9

struct cmp_answer {
	const char *question;
	char text[4000];
};

void compare__summary(const struct cmp_report *rep, size_t bi,
		      struct cmp_answer out[COMPARE_QUESTIONS]);

/* The rows of B that were flagged (platform, accelerator or emulation
 * differ) in one sentence, "" when none; returns how many. */
size_t compare__flagged_note(const struct cmp_report *rep, size_t bi, char *out, size_t size);

#endif
