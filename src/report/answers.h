/* The seed's three knowledge-check questions, answered from one set's
 * figures, each with its interval: how VM boot compares with container
 * start-up on this architecture, what memory virtualization costs (first
 * touch, latency by working set, 4K/2M pages, in the guest against
 * natively), and how the host's throughput falls as VMs run beside it.
 * report.html shows them for its host, compare's summary for both. */
#ifndef VB_REPORT_ANSWERS_H
#define VB_REPORT_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/result.h"

#define ANSWERS_N    3
#define ANSWERS_SIZE 1600

extern const char *const answers__questions[ANSWERS_N];

/* VM boot against container start-up on one host: the seed VM platform's
 * boot at its smallest configuration, the start-up of the seed's runtime
 * (docker first, see family__seed_container_platform), and their ratio
 * with a 95% bootstrap interval. */
struct boot_ratio {
	const struct vb_result *vm, *ct;
	double ratio, lo, hi; /* vm / ct of the medians; lo, hi NaN without an interval */
};
bool answers__boot_ratio(const struct vb_result_set *s, struct boot_ratio *out);

/* "x86_64" from the host block, else "this host". */
void answers__arch(const struct vb_result_set *s, char *out, size_t size);
/* "8.50 s [8.31, 8.72]", or "8.50 s (n = 1)" where one sample has no interval. */
void answers__qty(const struct vb_result *r, char *out, size_t size);

/* Each answer for one linked set; "" parts are said as not measured. */
void answers__boot_vs_startup(const struct vb_result_set *s, char *out, size_t size);
void answers__memory_virt(const struct vb_result_set *s, char *out, size_t size);
void answers__interference(const struct vb_result_set *s, char *out, size_t size);
void answers__build(const struct vb_result_set *s, char out[ANSWERS_N][ANSWERS_SIZE]);

/* The interference overheads of one guest state ("busy", "idle") by number
 * of guests, and the growth per added guest (NaN with fewer than two). */
struct interference_curve {
	size_t n;
	double guests[16];
	struct vb_overhead ov[16];
	double per_guest; /* percentage points per added guest, least squares */
};
void answers__interference_curve(const struct vb_result_set *s, const char *state,
				 struct interference_curve *out);

#endif
