/* Rows that align by name yet measure different things: a microVM start
 * beside a Linux boot (the seed files hold each host's own VM platform),
 * KVM beside TCG, or a host that is itself emulated beside one that is not.
 * compare flags them instead of giving them a verdict. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "host/kvm.h"
#include "report/compare.h"
#include "report/hostview.h"
#include "report/text.h"

void compare__host_emulated(const struct vb_result_set *s, char *out, size_t size)
{
	static const char *const names[] = { "kernel.cmdline", "cmdline", NULL };
	char cmdline[4096];
	out[0] = '\0';
	if (!s->host)
		return;
	hostview__get(s->host, names, cmdline, sizeof(cmdline));
	cmdline__param(cmdline, VB_HOST_EMULATED_PARAM, out, size);
}

void compare__accel(const struct vb_result *r, char *out, size_t size)
{
	const char *accel = result__config(r, VB_CFG_ACCEL);
	if (accel && *accel)
		snprintf(out, size, "%s", accel);
	else if (r->view.kind == VB_PK_VM)
		snprintf(out, size, "%s", r->view.emulated ? VB_ACCEL_TCG : VB_ACCEL_KVM);
	else
		out[0] = '\0';
}

bool compare__mismatch(const struct vb_result_set *A, const struct vb_result *a,
		       const struct vb_result_set *B, const struct vb_result *b, char *why,
		       size_t size)
{
	/* Every reason that holds, "; " between them. */
	struct text_out o = { why, size, 0 };
	why[0] = '\0';
	if (strcmp(a->platform, b->platform))
		text__put(&o, "platform %s (A) vs %s", a->platform, b->platform);
	char xa[32], xb[32];
	compare__accel(a, xa, sizeof(xa));
	compare__accel(b, xb, sizeof(xb));
	if ((xa[0] || xb[0]) && strcasecmp(xa, xb))
		text__put(&o, "%saccelerator %s (A) vs %s", o.used ? "; " : "", xa[0] ? xa : "none",
			  xb[0] ? xb : "none");
	char ea[32], eb[32];
	compare__host_emulated(A, ea, sizeof(ea));
	compare__host_emulated(B, eb, sizeof(eb));
	if (strcmp(ea, eb))
		text__put(&o, "%semulated host %s (A) vs %s", o.used ? "; " : "", ea[0] ? ea : "no",
			  eb[0] ? eb : "no");
	return o.used > 0;
}
