/* A nested run: decide KVM or TCG for the L1 guest, run the commands on this
 * host (L1 figures, where this host has KVM), boot the L1 guest that runs
 * them again inside (L2 figures), read its results as untrusted files, and
 * pair each L2 figure with its L1 figure. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/names.h"
#include "core/proc.h"
#include "nested/nested.h"
#include "nested/nested_arch.h"
#include "nested/nested_l1.h"

#define MAX_CMDS    NESTED_NBENCH
#define CONSOLE_MAX (64u << 20)

void nested_opts__init(struct nested_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->accel = NESTED_ACCEL_AUTO;
	o->only = (1u << NESTED_NBENCH) - 1;
	o->iterations = 3;
	o->timeout_s = 900;
}

/* Marks every result of a set with its level and accelerator; the results
 * move into dst. */
static int adopt(struct vb_result_set *dst, struct vb_result_set *src, const char *level,
		 const char *accel, struct vb_err *err)
{
	for (size_t i = 0; i < src->nresults; i++) {
		struct vb_result *r = src->results[i];
		if (result__set_config(r, VB_CFG_LEVEL, "%s", level) < 0 ||
		    result__set_config(r, VB_CFG_NESTED_ACCEL, "%s", accel) < 0)
			return err__set(err, 0, "%s: too many configuration keys", r->benchmark);
		if (!strcmp(accel, "tcg"))
			snprintf(r->note, sizeof(r->note), "%s",
				 "emulated (L1 under TCG): correctness, not speed");
	}
	return result_set__merge(dst, src);
}

/* L1 figures: the same commands run by this virtbench on this host. */
static int run_host_level(const struct nested_cmd *cmds, unsigned n, struct vb_result_set *s,
			  struct vb_err *err)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return err__set(err, errno, "reading /proc/self/exe");
	self[len] = '\0';
	for (unsigned i = 0; i < n; i++) {
		const char *argv[24] = { self };
		unsigned k = 1;
		for (unsigned j = 0; cmds[i].argv[j] && k < 23; j++)
			argv[k++] = cmds[i].argv[j];
		struct vb_proc_opts po = { .argv = (char *const *)argv,
					   .timeout_ms = 600000,
					   .max_output = CONSOLE_MAX };
		struct vb_proc_result r;
		if (proc__run(&po, &r, err) < 0)
			return err__wrap(err, "L1 %s", cmds[i].name);
		struct vb_result_set one;
		result_set__init(&one);
		int rc = r.exit_code == 0 ? result_set__load_buffer(r.out, r.out_len, &one, err)
					  : err__set(err, 0, "exited %d: %.200s", r.exit_code,
						     r.errout ? r.errout : "");
		proc__result_free(&r);
		if (rc == 0)
			rc = adopt(s, &one, "l1", "host", err);
		result_set__free(&one);
		if (rc < 0)
			return err__wrap(err, "L1 %s", cmds[i].name);
	}
	return 0;
}

static int l2_results(const struct nested_console *c, const struct nested_cmd *cmds, unsigned n,
		      bool kvm, struct vb_result_set *s, struct vb_err *err)
{
	for (unsigned i = 0; i < n; i++) {
		int rc = -1;
		for (unsigned j = 0; j < c->nrcs; j++)
			if (!strcmp(c->rcs[j].name, cmds[i].name))
				rc = c->rcs[j].rc;
		size_t len;
		const char *data = nested_console__file(c, cmds[i].name, &len);
		if (rc != 0 || !data) {
			const char *e = "";
			for (unsigned j = 0; j < c->nrcs; j++)
				if (!strcmp(c->rcs[j].name, cmds[i].name))
					e = c->rcs[j].error;
			const char *what = rc < 0 ? "did not finish"
					   : rc	  ? "failed"
						  : "wrote no results";
			result_set__skip(s, "vm.nested", cmds[i].name, "in the L1 guest: %s%s%s",
					 what, e[0] ? ": " : "", e);
			continue;
		}
		struct vb_result_set one;
		result_set__init(&one);
		int r = result_set__load_buffer(data, len, &one, err);
		if (r == 0)
			r = adopt(s, &one, "l2", kvm ? "kvm" : "tcg", err);
		result_set__free(&one);
		if (r < 0)
			return err__wrap(err, "%s from the L1 guest", cmds[i].name);
	}
	return 0;
}

/* Every L2 figure beside its L1 figure: the L2 result gets the overhead
 * against L1 (the ratio in the metric's direction, with its interval). */
void nested__pair_levels(struct vb_result_set *s)
{
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *l2 = s->results[i];
		const char *lv = result__config(l2, VB_CFG_LEVEL);
		if (!lv || strcmp(lv, "l2") || l2->has_overhead)
			continue;
		for (size_t j = 0; j < s->nresults; j++) {
			struct vb_result *l1 = s->results[j];
			const char *lv1 = result__config(l1, VB_CFG_LEVEL);
			if (lv1 && !strcmp(lv1, "l1") && l1->nsamples && l2->nsamples &&
			    result__twin(l2, l1, names__level_keys)) {
				result__set_overhead(l2, l1, l2);
				break;
			}
		}
	}
}

int nested__run(const struct nested_opts *o, struct vb_result_set *s, struct vb_err *err)
{
	const struct nested_arch *a = nested_arch__find(o->arch);
	if (!a)
		return err__usage(err, "--arch %s: not an architecture virtbench knows", o->arch);
	struct nested_host v = { 0 };
	bool kvm = false;
	if (nested_host__inspect(&v, err) < 0 || nested__pick_accel(o, a, &v, &kvm, err) < 0)
		return -1;
	struct nested_cmd cmds[MAX_CMDS];
	char iters[16];
	unsigned n = nested__commands(o->only, o->iterations, iters, cmds, MAX_CMDS);
	if (!nested_arch__is_host(a)) {
		result_set__skip(s, "vm.nested", "l1", "no L1 figures: this host is not %s",
				 a->name);
	} else if (v.usable) {
		if (run_host_level(cmds, n, s, err) < 0)
			return -1;
	} else {
		result_set__skip(s, "vm.nested", "l1", "no L1 figures: %s", v.usable_why);
	}
	cleanup_free char *script = nested__commands_script(cmds, n);
	if (!script)
		return err__set(err, ENOMEM, "out of memory");
	struct nested_boot b = { .arch = a, .kvm = kvm, .abort_slot = -1 };
	struct vb_proc_result r = { 0 };
	struct nested_console c = { 0 };
	int rc = nested_boot__prepare(&b, o, &v, script, NULL, 0, err);
	if (rc == 0)
		rc = nested_boot__run(&b, o, NULL, 0, &r, err);
	if (rc == 0)
		rc = nested_console__parse(r.out ? r.out : "", r.out_len, &c, err);
	if (rc == 0 && c.no_kvm)
		rc = err__set(err, 0, "the L1 guest has no /dev/kvm%s%s", c.note[0] ? ": " : "",
			      c.note);
	if (rc == 0 && !c.done)
		rc = err__set(err, 0, "the L1 guest did not finish (QEMU exit %d%s)", r.exit_code,
			      r.timed_out ? ", timed out" : "");
	if (rc == 0)
		rc = l2_results(&c, cmds, n, kvm, s, err);
	if (rc == 0)
		nested__pair_levels(s);
	nested_console__free(&c);
	proc__result_free(&r);
	nested_boot__close(&b);
	return rc;
}
