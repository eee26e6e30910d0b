#include "report/compare_summary.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/answers.h"
#include "report/family.h"
#include "report/io.h"
#include "report/text.h"

static void what(const struct vb_result *r, char *out, size_t size)
{
	double v = r->view.vcpus, m = r->view.memory_mib, t = r->view.threads;
	if (isfinite(v) && isfinite(m))
		snprintf(out, size, "%s %g vCPU/%g MB", r->platform, v, m);
	else if (isfinite(t))
		snprintf(out, size, "%s %g thread%s", r->platform, t, t == 1 ? "" : "s");
	else
		snprintf(out, size, "%s", r->platform);
	size_t n = strlen(out);
	const char *pages = result__config(r, VB_CFG_PAGE_SIZE);
	if (isfinite(r->view.working_set)) {
		char ws[32];
		text__bytes(ws, sizeof(ws), r->view.working_set);
		n += (size_t)snprintf(out + n, n < size ? size - n : 0, " %s", ws);
	}
	if (pages && n < size)
		n += (size_t)snprintf(out + n, size - n, " %.8s pages", pages);
	const char *state = result__config(r, VB_CFG_GUEST_STATE);
	if (r->view.family == FAM_INTERFERENCE && isfinite(r->view.count) && n < size)
		snprintf(out + n, size - n, " beside %g %.8s guest%s", r->view.count,
			 state ? state : "", r->view.count == 1 ? "" : "s");
}

typedef bool (*row_pick)(const struct vb_result *r);

/* Rows present on both sides: "<what>: A x, B y, <verdict>". */
/* At most this many rows are spelled out per answer; the rest are counted. */
#define SHOWN 6

struct tally {
	size_t better, worse, unsure, flagged, needed;
};

static size_t paired(const struct cmp_report *rep, size_t bi, row_pick pick, struct text_out *o,
		     struct tally *t)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || !pick(row->a))
			continue;
		if (row->verdict == CMP_LOWER || row->verdict == CMP_HIGHER)
			(*(row->b_better ? &t->better : &t->worse))++;
		else if (row->verdict == CMP_INCONCLUSIVE)
			t->unsure++;
		else if (row->verdict == CMP_FLAGGED)
			t->flagged++;
		if (row->needed > t->needed)
			t->needed = row->needed;
		if (n++ >= SHOWN)
			continue;
		char w[96], a[32], b[32];
		what(row->a, w, sizeof(w));
		text__qty(a, sizeof(a), row->a->stats.median, row->a->unit);
		text__qty(b, sizeof(b), row->b->stats.median, row->b->unit);
		text__put(o, "%s%s %s: A %s, %c %s, %s", n > 1 ? "; " : "", w, row->a->metric, a,
			  rep->inputs[bi].letter, b, row->text);
	}
	if (n > SHOWN)
		text__put(o, "; and %zu more", n - SHOWN);
	return n;
}

static size_t one_sided(const struct cmp_report *rep, size_t bi, row_pick pick)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		if (row->bi == bi && (!row->a || !row->b) && pick(r))
			n++;
	}
	return n;
}

static void conclude(struct text_out *o, char letter, size_t n, const struct tally *t,
		     size_t single)
{
	if (!n) {
		text__put(o, "Not measured on both hosts");
	} else if (t->flagged == n) {
		text__put(
			o,
			". Not comparable: every row measures a different platform, accelerator or "
			"emulation on the two hosts");
	} else if (t->unsure + t->flagged == n) {
		text__put(o, ". Too few samples to tell; rerun with more iterations");
	} else if (!t->better && !t->worse) {
		text__put(o, ". No significant difference");
	} else {
		text__put(o, ". %c is better in %zu and worse in %zu of %zu comparisons", letter,
			  t->better, t->worse, n);
	}
	if (t->needed)
		text__put(o, " (a verdict needs %zu samples a side where it was inconclusive)",
			  t->needed);
	if (t->flagged && t->flagged < n)
		text__put(o, " (%zu row%s flagged as not comparable)", t->flagged,
			  t->flagged == 1 ? "" : "s");
	if (single)
		text__put(o, " (%zu row%s measured on one host only)", single,
			  single == 1 ? "" : "s");
	text__put(o, ".");
}

static bool pick_boot(const struct vb_result *r)
{
	return family__is_boot_total(r);
}
static bool pick_startup(const struct vb_result *r)
{
	return family__is_startup_main(r);
}

static void answer_rows(const struct cmp_report *rep, size_t bi, row_pick pick, struct text_out *o)
{
	struct tally t = { 0 };
	size_t n = paired(rep, bi, pick, o, &t);
	conclude(o, rep->inputs[bi].letter, n, &t, one_sided(rep, bi, pick));
}

static bool pick_vm_overhead(const struct vb_result *r)
{
	return r->view.kind == VB_PK_VM && family__is_throughput(r);
}
static bool pick_ct_overhead(const struct vb_result *r)
{
	return r->view.kind == VB_PK_CONTAINER && family__is_throughput(r);
}

/* Overheads are derived figures with an interval each side: compare the
 * intervals (no samples of the overhead itself exist to test). */
static void answer_overhead(const struct cmp_report *rep, size_t bi, row_pick pick,
			    struct text_out *o)
{
	char letter = rep->inputs[bi].letter;
	size_t n = 0, lower = 0, higher = 0, flagged = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		struct vb_overhead oa, ob;
		if (row->bi != bi || !row->a || !row->b || !pick(row->a) ||
		    !family__overhead(row->a, &oa) || !family__overhead(row->b, &ob))
			continue;
		const char *dot = strrchr(row->a->benchmark, '.');
		const char *v;
		if (row->verdict == CMP_FLAGGED) {
			v = row->text;
			flagged++;
		} else if (ob.ci_high < oa.ci_low) {
			v = "lower on ";
			lower++;
		} else if (ob.ci_low > oa.ci_high) {
			v = "higher on ";
			higher++;
		} else {
			v = "intervals overlap: no clear difference";
		}
		if (n++ >= SHOWN)
			continue;
		char w[96];
		what(row->a, w, sizeof(w));
		text__put(o, "%s%s %s: A %+.1f%% [%+.1f, %+.1f], %c %+.1f%% [%+.1f, %+.1f], %s",
			  n > 1 ? "; " : "", w, dot ? dot + 1 : row->a->benchmark, oa.percent,
			  oa.ci_low, oa.ci_high, letter, ob.percent, ob.ci_low, ob.ci_high, v);
		if (v[0] == 'l' || v[0] == 'h')
			text__put(o, "%c (%s)", letter, v[0] == 'l' ? "better" : "worse");
	}
	if (n > SHOWN)
		text__put(o, "; and %zu more", n - SHOWN);
	if (!n)
		text__put(o, "Not measured on both hosts");
	else if (flagged == n)
		text__put(
			o,
			". Not comparable: the hosts measured different platforms, accelerators or "
			"emulation");
	else if (!lower && !higher)
		text__put(o, ". The overhead does not differ measurably");
	else
		text__put(o, ". %c's overhead is lower in %zu and higher in %zu of %zu comparisons",
			  letter, lower, higher, n);
	if (flagged && flagged < n)
		text__put(o, " (%zu row%s flagged as not comparable)", flagged,
			  flagged == 1 ? "" : "s");
	text__put(o, ".");
}

/* Scaling: throughput at the largest vCPU count both measured, against
 * 1 vCPU, per side. */
static void answer_scaling(const struct cmp_report *rep, size_t bi, struct text_out *o)
{
	char letter = rep->inputs[bi].letter;
	const struct cmp_row *one = NULL, *top = NULL;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || row->a->view.family != FAM_SCALE ||
		    !row->a->higher_is_better)
			continue;
		double v = row->a->view.vcpus;
		if (v == 1 && !one)
			one = row;
		if (isfinite(v) && (!top || v > top->a->view.vcpus) &&
		    (!one || (!strcmp(row->a->metric, one->a->metric) &&
			      !strcmp(row->a->platform, one->a->platform))))
			top = row;
	}
	if (one && top && top != one) {
		double sa = top->a->stats.median / one->a->stats.median;
		double sb = top->b->stats.median / one->b->stats.median;
		double v = top->a->view.vcpus;
		text__put(
			o,
			"%s %s from 1 to %g vCPUs: A %.2fx, %c %.2fx (ideal %gx); at %g vCPUs %s.",
			top->a->platform, top->a->metric, v, sa, letter, sb, v, v, top->text);
		if (fabs(sa - sb) / fmax(sa, sb) < 0.05)
			text__put(o, " Both scale alike.");
		else
			text__put(o, " %c scales better.", sb > sa ? letter : 'A');
	} else {
		size_t n = 0;
		for (size_t i = 0; i < rep->nrows; i++) {
			const struct cmp_row *row = &rep->rows[i];
			const struct vb_result *r = row->a ? row->a : row->b;
			if (row->bi == bi && r->view.family == FAM_SCALE)
				n++;
		}
		text__put(o, n ? "Too few vCPU counts measured on both hosts to compare scaling."
			       : "Not measured on both hosts.");
	}
	size_t single = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		const struct vb_result *r = row->a ? row->a : row->b;
		if (row->bi == bi && (!row->a || !row->b) && r->view.family == FAM_SCALE)
			single++;
	}
	if (single)
		text__put(o, " %zu vCPU count%s measured on one host only.", single,
			  single == 1 ? " was" : "s were");
}

/* Knowledge check 1: the ratio on each host, and how each of its two
 * terms moved from A to B (the rows' verdicts). */
static void answer_boot_vs_startup(const struct cmp_report *rep, size_t bi, struct text_out *o)
{
	const struct cmp_input *in[2] = { &rep->inputs[0], &rep->inputs[bi] };
	struct boot_ratio br[2];
	for (int k = 0; k < 2; k++) {
		char one[ANSWERS_SIZE];
		answers__boot_vs_startup(&in[k]->set, one, sizeof(one));
		answers__boot_ratio(&in[k]->set, &br[k]);
		text__put(o, "%s%c: %s", k ? " " : "", in[k]->letter, one);
	}
	if (!isfinite(br[0].ratio) || !isfinite(br[1].ratio))
		return;
	/* The two terms across hosts: a row each when the platforms align. */
	for (int t = 0; t < 2; t++) {
		const struct vb_result *a = t ? br[0].ct : br[0].vm;
		const struct vb_result *b = t ? br[1].ct : br[1].vm;
		const struct cmp_row *row = NULL;
		for (size_t i = 0; i < rep->nrows && !row; i++)
			if (rep->rows[i].bi == bi && rep->rows[i].a == a && rep->rows[i].b == b)
				row = &rep->rows[i];
		char ra[32];
		text__num(ra, sizeof(ra), b->stats.median / a->stats.median);
		text__put(o, " %s %c/A %s: %s.", t ? "Container start-up" : "VM boot",
			  in[1]->letter, ra,
			  row ? row->text : "not aligned (different platform or configuration)");
	}
	char r0[32], r1[32];
	text__num(r0, sizeof(r0), br[0].ratio);
	text__num(r1, sizeof(r1), br[1].ratio);
	text__put(o, " The boot/start-up ratio is %sx on A and %sx on %c.", r0, r1, in[1]->letter);
}

static bool pick_interference(const struct vb_result *r)
{
	return r->view.family == FAM_INTERFERENCE;
}

/* Knowledge checks 2 and 3: each host's own answer, then the overheads of
 * the rows both measured side by side. */
static void answer_both(const struct cmp_report *rep, size_t bi, struct text_out *o,
			void (*one)(const struct vb_result_set *, char *, size_t), row_pick pick)
{
	const struct cmp_input *in[2] = { &rep->inputs[0], &rep->inputs[bi] };
	for (int k = 0; k < 2; k++) {
		char text[ANSWERS_SIZE];
		one(&in[k]->set, text, sizeof(text));
		text__put(o, "%s%c: %s", k ? " " : "", in[k]->letter, text);
	}
	text__put(o, " Side by side: ");
	answer_overhead(rep, bi, pick, o);
}

static void interference_scaling(const struct cmp_report *rep, size_t bi, struct text_out *o)
{
	struct interference_curve ca, cb;
	answers__interference_curve(&rep->inputs[0].set, "busy", &ca);
	answers__interference_curve(&rep->inputs[bi].set, "busy", &cb);
	if (isfinite(ca.per_guest) && isfinite(cb.per_guest))
		text__put(o, " Growth with busy guests: A %+.1f, %c %+.1f points per added guest.",
			  ca.per_guest, rep->inputs[bi].letter, cb.per_guest);
}

static bool pick_io(const struct vb_result *r)
{
	return io__is(r);
}

static void io_group(const struct vb_result *r, char *out, size_t size)
{
	const char *mode = io__mode(r);
	snprintf(out, size, "%s %s%s%s", names__kind(r->benchmark), r->platform, *mode ? " " : "",
		 mode);
}

/* Disk and network: per kind, platform and mode (a mode is its own
 * experiment, never pooled with another), how many rows B is better or
 * worse in, by each metric's direction, and the largest difference. */
static void answer_io(const struct cmp_report *rep, size_t bi, struct text_out *o)
{
	char letter = rep->inputs[bi].letter;
	char done[16][192];
	size_t ndone = 0, groups = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || !row->a || !row->b || !io__is(row->a))
			continue;
		char g[192];
		io_group(row->a, g, sizeof(g));
		bool seen = false;
		for (size_t k = 0; k < ndone; k++)
			seen |= !strcmp(done[k], g);
		if (seen)
			continue;
		if (ndone == sizeof(done) / sizeof(done[0]))
			break;
		snprintf(done[ndone++], sizeof(done[0]), "%s", g);
		struct tally t = { 0 };
		size_t n = 0;
		const struct cmp_row *top = NULL;
		for (size_t j = i; j < rep->nrows; j++) {
			const struct cmp_row *q = &rep->rows[j];
			char h[192];
			if (q->bi != bi || !q->a || !q->b || !io__is(q->a))
				continue;
			io_group(q->a, h, sizeof(h));
			if (strcmp(g, h))
				continue;
			n++;
			if (q->verdict == CMP_LOWER || q->verdict == CMP_HIGHER) {
				(*(q->b_better ? &t.better : &t.worse))++;
				if (!top || fabs(q->diff) > fabs(top->diff))
					top = q;
			} else if (q->verdict == CMP_FLAGGED) {
				t.flagged++;
			} else if (q->verdict == CMP_INCONCLUSIVE) {
				t.unsure++;
			}
		}
		text__put(o, "%s%s: %c better in %zu, worse in %zu of %zu", groups++ ? "; " : "", g,
			  letter, t.better, t.worse, n);
		if (t.unsure)
			text__put(o, " (%zu inconclusive)", t.unsure);
		if (t.flagged)
			text__put(o, " (%zu flagged)", t.flagged);
		if (top) {
			char w[96];
			io__workload(top->a, w, sizeof(w));
			text__put(o, ", largest %s %s: %s", w, top->a->metric, top->text);
		}
	}
	text__put(o, groups ? "." : "Not measured on both hosts.");
	size_t single = one_sided(rep, bi, pick_io);
	if (single)
		text__put(o, " %zu row%s measured on one host only.", single,
			  single == 1 ? " was" : "s were");
}

size_t compare__flagged_note(const struct cmp_report *rep, size_t bi, char *out, size_t size)
{
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	size_t n = 0, plat = 0, rt = 0, accel = 0, emul = 0;
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *row = &rep->rows[i];
		if (row->bi != bi || row->verdict != CMP_FLAGGED)
			continue;
		n++;
		plat += strstr(row->text, "platform") != NULL;
		rt += strstr(row->text, "container runtime") != NULL;
		accel += strstr(row->text, "accelerator") != NULL;
		emul += strstr(row->text, "emulated") != NULL;
	}
	if (!n)
		return 0;
	text__put(
		&o,
		"%zu row%s flagged and given no verdict, because the two hosts measured different "
		"things:",
		n, n == 1 ? "" : "s");
	if (plat)
		text__put(&o,
			  " %zu where the seed files hold different VM platforms (e.g. microVM vs "
			  "QEMU),",
			  plat);
	if (rt)
		text__put(&o,
			  " %zu where the seed files hold different container runtimes (e.g. "
			  "docker vs podman),",
			  rt);
	if (accel)
		text__put(&o, " %zu where the accelerator differs (kvm vs tcg),", accel);
	if (emul)
		text__put(&o, " %zu where one host is itself emulated (%s),", emul,
			  VB_HOST_EMULATED_PARAM);
	if (o.used && out[o.used - 1] == ',')
		out[--o.used] = '\0'; /* the last comma */
	text__put(&o, ".");
	return n;
}

void compare__summary(const struct cmp_report *rep, size_t bi,
		      struct cmp_answer out[COMPARE_QUESTIONS])
{
	static const char *const q[COMPARE_QUESTIONS] = {
		"VM boot time",
		"Hypervisor overhead",
		"Container startup time",
		"Container performance overhead",
		"Scaling behaviour",
		"Knowledge check: VM boot against container start-up, per architecture",
		"Knowledge check: memory-virtualization overhead",
		"Knowledge check: hypervisor overhead against the number of running VMs",
		"Disk and network I/O, per platform and mode",
	};
	for (size_t k = 0; k < COMPARE_QUESTIONS; k++) {
		out[k].question = q[k];
		out[k].text[0] = '\0';
		struct text_out o = { out[k].text, sizeof(out[k].text), 0 };
		switch (k) {
		case 0: answer_rows(rep, bi, pick_boot, &o); break;
		case 1: answer_overhead(rep, bi, pick_vm_overhead, &o); break;
		case 2: answer_rows(rep, bi, pick_startup, &o); break;
		case 3: answer_overhead(rep, bi, pick_ct_overhead, &o); break;
		case 4: answer_scaling(rep, bi, &o); break;
		case 5: answer_boot_vs_startup(rep, bi, &o); break;
		case 6: answer_both(rep, bi, &o, answers__memory_virt, family__is_memvirt); break;
		case 7:
			answer_both(rep, bi, &o, answers__interference, pick_interference);
			interference_scaling(rep, bi, &o);
			break;
		default: answer_io(rep, bi, &o); break;
		}
	}
}
