/* The host block as a reader sees it: the few fields that decide whether two
 * results can be compared (architecture, CPU, virtualization extensions,
 * nesting, KVM flavour), picked from `virtbench info --json` output without
 * depending on its exact nesting, since files may come from other versions. */
#ifndef VB_REPORT_HOSTVIEW_H
#define VB_REPORT_HOSTVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum hostview_kind { HV_TEXT, HV_BYTES, HV_TOPOLOGY };

struct hostview_field {
	const char *label;	  /* "Architecture" */
	const char *const *names; /* keys or dotted paths tried, first match wins */
	enum hostview_kind kind;  /* how to show the value */
};

/* The fields shown in host blocks, in display order; NULL-label terminated. */
extern const struct hostview_field hostview__fields[];

/* The value of the first of `names` found at the top level or nested up to
 * three levels down, as text ("" when absent). Objects and arrays are
 * summarised, never dumped whole. */
const char *hostview__get(const json_t *host, const char *const *names, char *buf, size_t size);
/* A field of hostview__fields, formatted for display ("" when absent). */
const char *hostview__field(const json_t *host, const struct hostview_field *f, char *buf,
			    size_t size);
/* hostname-arch, or "" when the block has neither. */
void hostview__label(const json_t *host, char *out, size_t size);
/* The caveats themselves (nested, PVM, governor, SMT) come from
 * host__caveats() in src/host/host.h, the same derivation `info` uses. */

#endif
