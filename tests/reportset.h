/* Result sets built in memory for the report's tests: each result's samples
 * are designed (a median and an even spread around it), so what compare,
 * the answers and the seed files must say is known. */
#ifndef VB_TESTS_REPORTSET_H
#define VB_TESTS_REPORTSET_H

#include <jansson.h>

#include "core/names.h"
#include "core/result.h"
#include "report/family.h"

/* n samples spread evenly over median * (1 +- 1%); config as "k=v" items
 * ending with NULL. Added to s, which owns it. */
static inline struct vb_result *rs_add(struct vb_result_set *s, const char *bench, const char *plat,
				       const char *metric, const char *unit, bool hib,
				       double median, size_t n, ...)
{
	struct vb_result *r = result__new(bench, plat, metric, unit, hib);
	if (!r)
		return NULL;
	va_list ap;
	va_start(ap, n);
	for (const char *kv = va_arg(ap, const char *); kv; kv = va_arg(ap, const char *)) {
		char key[64];
		const char *eq = strchr(kv, '=');
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		result__set_config(r, key, "%s", eq + 1);
	}
	va_end(ap);
	for (size_t i = 0; i < n; i++) {
		double f = n > 1 ? -0.01 + 0.02 * (double)i / (double)(n - 1) : 0;
		result__add_sample(r, median * (1 + f));
	}
	result__finish(r);
	if (result_set__add(s, r) < 0)
		return NULL;
	return r;
}

/* A host block with an architecture and, when given, a kernel command line. */
static inline void rs_host(struct vb_result_set *s, const char *host, const char *arch,
			   const char *cmdline)
{
	s->host = json_pack("{s:s, s:s, s:{s:s}}", "hostname", host, "arch", arch, "kernel",
			    "cmdline", cmdline ? cmdline : "quiet");
}

#endif
