/* Rows that align by name yet measure different things: a microVM start
 * beside a Linux boot (the seed files hold each host's own VM platform),
 * docker beside podman (and each host's own container runtime), KVM beside
 * TCG, or a host that is itself emulated beside one that is not. compare
 * flags them instead of giving them a verdict. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/names.h"
#include "host/kvm.h"
#include "report/compare.h"
#include "report/family.h"
#include "report/hostview.h"
#include "report/report.h"
#include "report/text.h"

bool compare__seed_row(const struct vb_result *r, size_t k, const char *plat)
{
	switch (k) {
	case 0: return !strcmp(r->platform, plat) && family__is_boot_total(r);
	case 1:
		return !strcmp(r->platform, plat) && r->view.family == FAM_CPU &&
		       family__is_throughput(r);
	case 2:
		return r->view.kind == VB_PK_CONTAINER && family__platform_is(r, plat) &&
		       family__is_startup_main(r);
	case 3:
	case 4:
		return r->view.kind == VB_PK_CONTAINER && family__platform_is(r, plat) &&
		       r->view.family == (k == 3 ? FAM_CPU : FAM_MEMORY) &&
		       family__is_throughput(r);
	default: return false;
	}
}

static bool same(double x, double y)
{
	return x == y || (isnan(x) && isnan(y));
}

static bool seed_method(const struct vb_result *r)
{
	const char *p = strstr(r->platform, "-seed-method");
	return p && !p[strlen("-seed-method")];
}

bool compare__seed_match(const struct vb_result *a, const struct vb_result *b, size_t k)
{
	if (!same(a->view.threads, b->view.threads))
		return false;
	if (k < 2)
		return same(a->view.vcpus, b->view.vcpus) &&
		       same(a->view.memory_mib, b->view.memory_mib);
	const char *ia = result__config(a, VB_CFG_IMAGE), *ib = result__config(b, VB_CFG_IMAGE);
	return !strcmp(ia ? ia : "", ib ? ib : "") && seed_method(a) == seed_method(b);
}

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
	/* Containers: the runtime alone names what differs ("docker-seed-method"
	 * beside "podman-seed-method" is docker beside podman). */
	bool ct = a->view.kind == VB_PK_CONTAINER && b->view.kind == VB_PK_CONTAINER;
	if (strcmp(a->platform, b->platform) && ct)
		text__put(&o, "container runtime %s (A) vs %s", a->platform, b->platform);
	else if (strcmp(a->platform, b->platform))
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
