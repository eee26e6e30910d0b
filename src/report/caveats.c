#include "report/caveats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host/host.h"
#include "report/family.h"
#include "report/hostview.h"

static void add(struct caveats *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct caveats *c, const char *fmt, ...)
{
	if (c->n >= CAVEATS_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->text[c->n++], sizeof(c->text[0]), fmt, ap);
	va_end(ap);
}

static void noisy(const struct vb_result_set *s, struct caveats *c)
{
	size_t wide = 0, few = 0;
	char list[300] = "";
	size_t used = 0;
	double worst_level = 1;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		double w = stats__rel_ci_halfwidth(&r->stats);
		if (r->stats.n >= 2 && r->stats.ci_level < 0.95) {
			few++;
			worst_level = fmin(worst_level, r->stats.ci_level);
		}
		if (!(isfinite(w) && w > CAVEATS_WIDE_CI) && !(isinf(w)))
			continue;
		if (wide++ < 4 && used < sizeof(list)) {
			int n = snprintf(list + used, sizeof(list) - used, "%s%s %s %s (±%.0f%%)",
					 used ? "; " : "", r->benchmark, r->platform, r->metric,
					 isfinite(w) ? w * 100 : 999.0);
			if (n > 0)
				used += (size_t)n;
		}
	}
	if (wide)
		add(c,
		    "%zu result%s noisy: the 95%% interval of the median is wider than ±%.0f%% "
		    "(%s%s). Rerun with --full or --adaptive on a quiet machine before drawing "
		    "conclusions from them.",
		    wide, wide == 1 ? " is" : "s are", CAVEATS_WIDE_CI * 100, list,
		    wide > 4 ? "; ..." : "");
	if (few)
		add(c,
		    "%zu result%s fewer than 6 samples: no 95%% interval of the median exists, so "
		    "the range min to max is shown (confidence as low as %.0f%%).",
		    few, few == 1 ? " has" : "s have", worst_level * 100);
}

void caveats__collect(const struct vb_result_set *s, struct caveats *c)
{
	memset(c, 0, sizeof(*c));
	const json_t *h = s->host;
	if (s->incomplete)
		add(c, "This run was interrupted: only the benchmarks that finished are here.");
	if (!h || !json_object_size(h))
		add(c, "The results carry no host block, so they cannot be checked against the "
		       "machine they came from.");
	/* One derivation of the host's caveats, shared with `virtbench info`. */
	struct host_caveats hc;
	host__caveats(h, &hc);
	if (hc.nested)
		add(c,
		    "This host is itself a virtual machine%s%s%s: every VM figure includes the "
		    "outer hypervisor's cost and native figures share the CPU with other guests. "
		    "Bare-metal hosts will differ.",
		    hc.verdict[0] ? " (" : "", hc.verdict, hc.verdict[0] ? ")" : "");
	if (hc.pvm)
		add(c,
		    "KVM here is PVM (kvm_pvm, shadow paging): guest user-mode code runs at native "
		    "speed but guest kernel-mode code is emulated (about 1 µs per instruction), "
		    "and exits and page faults cost far more than with VT-x/AMD-V. The microVM "
		    "runs its workloads in guest user mode so CPU figures stay fair; exit, "
		    "fault and boot figures are PVM's, not hardware virtualization's.");
	bool tcg = false;
	for (size_t i = 0; i < s->nresults && !tcg; i++)
		tcg = family__is_emulated(s->results[i]);
	if (tcg)
		add(c, "Some results come from QEMU with TCG (instruction emulation, no KVM): they "
		       "measure an emulator, not a hypervisor, and are marked (TCG).");
	if (hc.governor_not_performance)
		add(c,
		    "The CPU frequency governor is '%s', not 'performance': the clock changes "
		    "during runs, which widens intervals and can bias short runs.",
		    json_string_value(json_object_get(json_object_get(h, "cpu"), "governor")));
	if (hc.smt_on)
		add(c, "SMT is on: two hardware threads share one core, so runs with as many "
		       "threads as logical CPUs are not twice as fast as one thread.");
	noisy(s, c);
}
