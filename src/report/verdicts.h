/* One plain-words line per family of a run: the headline figures a reader
 * looks for first (boot time per platform, overhead per platform, startup
 * per runtime ...), each with what it is a median of. */
#ifndef VB_REPORT_VERDICTS_H
#define VB_REPORT_VERDICTS_H

#include <stddef.h>

#include "core/result.h"
#include "report/family.h"

struct verdict {
	enum family fam;
	char text[900];
};

/* Fills at most max lines, in family order; returns how many. */
size_t verdicts__build(const struct vb_result_set *s, struct verdict *out, size_t max);

#endif
