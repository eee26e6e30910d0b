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
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "core/owner.h"
#include "core/proc.h"
#include "host/host.h"
#include "nested/nested.h"
#include "nested/nested_arch.h"
#include "nested/nested_l1.h"
#include "qemu/qemu_env.h"
#include "qemu/session.h"

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

struct host_kvm_view {
	bool usable, nested;
	char flavour[32], why[256], usable_why[256];
};

static const char *jstr(json_t *h, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(json_object_get(json_object_get(h, a), b), c);
	return json_is_string(v) ? json_string_value(v) : "";
}

static int host_view(struct host_kvm_view *v, struct vb_err *err)
{
	json_t *h = host__inspect_fast(err);
	if (!h)
		return err__wrap(err, "inspecting this host");
	json_t *kvm = json_object_get(json_object_get(h, "virtualization"), "kvm");
	json_t *ng = json_object_get(kvm, "nested_guests");
	v->usable = json_is_true(json_object_get(kvm, "usable"));
	v->nested = json_is_true(json_object_get(ng, "possible"));
	snprintf(v->flavour, sizeof(v->flavour), "%s", jstr(h, "virtualization", "kvm", "flavour"));
	json_t *why = json_object_get(ng, "reason");
	snprintf(v->why, sizeof(v->why), "%s", json_is_string(why) ? json_string_value(why) : "");
	const char *nb = jstr(h, "virtualization", "kvm", "not_bound_reason");
	snprintf(v->usable_why, sizeof(v->usable_why), "%s",
		 nb[0] ? nb : "no usable /dev/kvm on this host");
	json_decref(h);
	return 0;
}

static int pick_accel(const struct nested_opts *o, const struct nested_arch *a,
		      const struct host_kvm_view *v, bool *kvm, struct vb_err *err)
{
	if (!nested_arch__is_host(a)) {
		if (o->accel == NESTED_ACCEL_KVM)
			return err__usage(err,
					  "--accel kvm: an %s L1 guest runs only under TCG here",
					  a->name);
		*kvm = false;
		return 0;
	}
	if (o->accel == NESTED_ACCEL_TCG) {
		*kvm = false;
		return 0;
	}
	if (v->nested) {
		*kvm = true;
		return 0;
	}
	if (o->accel == NESTED_ACCEL_KVM) {
		err__set(err, 0, "nested KVM is not possible here: %s%s", v->why,
			 strstr(v->why, "--accel tcg")
				 ? ""
				 : "; --accel tcg runs the same under emulation "
				   "(correctness, not speed)");
		err->status = VB_EXIT_FAILURE;
		return -1;
	}
	*kvm = false;
	if (!o->quiet)
		fprintf(stderr,
			"virtbench: nested KVM is not possible here (%s): the L1 guest runs "
			"under TCG and every figure is marked emulated\n",
			v->why);
	return 0;
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

struct l1_boot {
	char dir[PATH_MAX], initrd[PATH_MAX + 32];
	char *qemu, *kernel, *virtbench;
	int abort_slot;
};

static void l1_boot__close(struct l1_boot *b)
{
	interrupt__cleanup_enter();
	if (b->dir[0])
		file__remove_tree(b->dir);
	interrupt__cancel_run(b->abort_slot);
	interrupt__cleanup_leave();
	free(b->qemu);
	free(b->kernel);
	free(b->virtbench);
}

/* QEMU and the kernel: as the QEMU platform finds them for this host's
 * architecture; for another one, its QEMU on PATH and the --kernel given. */
static int l1_tools(const struct nested_opts *o, const struct nested_arch *a, struct l1_boot *b,
		    struct vb_err *err)
{
	if (nested_arch__is_host(a))
		return qemu_env__qemu(o->qemu, &b->qemu, err) < 0 ||
				       qemu_env__kernel(o->kernel, &b->kernel, err) < 0
			       ? -1
			       : 0;
	if (!o->kernel)
		return err__usage(err,
				  "--kernel: give the %s L1 guest's kernel (Debian's "
				  "linux-image-arm64 has KVM built in)",
				  a->name);
	b->qemu = o->qemu ? strdup(o->qemu) : proc__which(a->qemu_binary);
	if (!b->qemu)
		return err__set(err, 0,
				"%s not found (Debian package qemu-system-arm or "
				"qemu-system-x86, or --qemu PATH)",
				a->qemu_binary);
	b->kernel = strdup(o->kernel);
	if (!b->kernel || access(b->kernel, R_OK) < 0)
		return err__set(err, errno, "--kernel %s", o->kernel);
	return 0;
}

static int l1_prepare(const struct nested_opts *o, const struct nested_arch *a,
		      const struct host_kvm_view *v, bool kvm, const char *commands,
		      struct l1_boot *b, struct vb_err *err)
{
	char version[128], prefix[64];
	if (l1_tools(o, a, b, err) < 0 ||
	    nested_l1__find_virtbench(o->virtbench, a->name, nested_arch__is_host(a), &b->virtbench,
				      err) < 0)
		return -1;
	const char *module =
		kvm ? (!strcmp(v->flavour, "kvm_intel") ? a->module_kvm_intel : a->module_kvm_amd)
		    : a->module_tcg;
	if (module && nested_l1__kernel_version(b->kernel, version, sizeof(version), err) < 0)
		return -1;
	/* The QEMU platform's prefix: its sweep removes what a killed run left. */
	if (owner__name(prefix, sizeof(prefix), QEMU_DIR_PREFIX, '.') < 0 ||
	    file__mkdtemp(prefix, b->dir, sizeof(b->dir), err) < 0) {
		b->dir[0] = '\0';
		return -1;
	}
	const char *rm[] = { "rm", "-rf", "--one-file-system", b->dir, NULL };
	b->abort_slot = interrupt__run_on_abort(rm);
	snprintf(b->initrd, sizeof(b->initrd), "%s/l1.cpio", b->dir);
	struct nested_l1 l1 = { .busybox = o->busybox ? o->busybox : "/bin/busybox",
				.virtbench = b->virtbench,
				.commands = commands,
				.module = module,
				.kernel_version = version,
				.modules_root = "/lib/modules" };
	bool st;
	if (nested_l1__is_static(l1.busybox, a->name, &st, err) < 0)
		return err__wrap(err, "busybox for the L1 guest (Debian package busybox-static)");
	if (!st)
		return err__usage(err,
				  "%s is linked dynamically; the L1 guest needs a static busybox "
				  "(Debian package busybox-static, or --busybox PATH)",
				  l1.busybox);
	return nested_l1__write_initramfs(b->initrd, &l1, err);
}

static int l1_boot(const struct nested_opts *o, const struct nested_arch *a, bool kvm,
		   const struct l1_boot *b, struct vb_proc_result *r, struct vb_err *err)
{
	char append[256], smp[16];
	snprintf(append, sizeof(append), "console=%s rdinit=/init panic=-1 quiet%s", a->console,
		 kvm ? "" : " virtbench.emulated=qemu-tcg");
	snprintf(smp, sizeof(smp), "%u", kvm ? 2 : a->smp_tcg);
	const char *argv[40] = { b->qemu };
	unsigned n = 1;
	for (const char *const *m = kvm ? a->machine_kvm : a->machine_tcg; *m; m++)
		argv[n++] = *m;
	const char *rest[] = { "-smp",	     smp,	"-m",	   "2048",    "-nographic",
			       "-no-reboot", "-nic",	"none",	   "-kernel", b->kernel,
			       "-initrd",    b->initrd, "-append", append,    NULL };
	for (unsigned i = 0; rest[i]; i++)
		argv[n++] = rest[i];
	argv[n] = NULL;
	struct vb_proc_opts po = { .argv = (char *const *)argv,
				   .timeout_ms = (int)(o->timeout_s ? o->timeout_s : 900) * 1000,
				   .max_output = CONSOLE_MAX,
				   .stderr_to_stdout = true };
	if (!o->quiet)
		fprintf(stderr,
			"virtbench: booting the L1 guest (%s, %s); its benchmarks take "
			"minutes under TCG\n",
			kvm ? "KVM" : "TCG", b->kernel);
	if (proc__run(&po, r, err) < 0)
		return err__wrap(err, "the L1 guest");
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
	struct host_kvm_view v = { 0 };
	bool kvm = false;
	if (host_view(&v, err) < 0 || pick_accel(o, a, &v, &kvm, err) < 0)
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
	struct l1_boot b = { .abort_slot = -1 };
	struct vb_proc_result r = { 0 };
	struct nested_console c = { 0 };
	int rc = l1_prepare(o, a, &v, kvm, script, &b, err);
	if (rc == 0)
		rc = l1_boot(o, a, kvm, &b, &r, err);
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
	l1_boot__close(&b);
	return rc;
}
