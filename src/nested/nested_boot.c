/* Booting the L1 guest, shared by `vm nested` (the benchmark list) and
 * `vm nested-exec` (a given script, the emulated hosts of the tests): what
 * this host offers, KVM or TCG, the initramfs in a private directory that
 * the QEMU platform's sweep knows, and QEMU with the console captured. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/tmpdir.h"
#include "core/owner.h"
#include "core/proc.h"
#include "host/host.h"
#include "nested/nested.h"
#include "nested/nested_arch.h"
#include "nested/nested_l1.h"
#include "qemu/qemu_env.h"
#include "qemu/session.h"

#define CONSOLE_MAX (64u << 20)

static const char *jstr(json_t *h, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(json_object_get(json_object_get(h, a), b), c);
	return json_is_string(v) ? json_string_value(v) : "";
}

int nested_host__inspect(struct nested_host *v, struct vb_err *err)
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

int nested__pick_accel(const struct nested_opts *o, const struct nested_arch *a,
		       const struct nested_host *v, bool *kvm, struct vb_err *err)
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

void nested_boot__close(struct nested_boot *b)
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
static int l1_tools(const struct nested_opts *o, const struct nested_arch *a, struct nested_boot *b,
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

int nested_boot__prepare(struct nested_boot *b, const struct nested_opts *o,
			 const struct nested_host *v, const char *commands,
			 const struct nested_extra *extra, unsigned nextra, struct vb_err *err)
{
	const struct nested_arch *a = b->arch;
	char version[128], prefix[64];
	if (l1_tools(o, a, b, err) < 0 ||
	    nested_l1__find_virtbench(o->virtbench, a->name, nested_arch__is_host(a), &b->virtbench,
				      err) < 0)
		return -1;
	const char *module = b->kvm ? (!strcmp(v->flavour, "kvm_intel") ? a->module_kvm_intel
									: a->module_kvm_amd)
				    : a->module_tcg;
	if (module && nested_l1__kernel_version(b->kernel, version, sizeof(version), err) < 0)
		return -1;
	/* The QEMU platform's prefix: its sweep removes what a killed run left. */
	if (owner__name(prefix, sizeof(prefix), QEMU_DIR_PREFIX, '.') < 0 ||
	    tmpdir__make(NULL, prefix, b->dir, sizeof(b->dir), &b->abort_slot, err) < 0) {
		b->dir[0] = '\0';
		return -1;
	}
	snprintf(b->initrd, sizeof(b->initrd), "%s/l1.cpio", b->dir);
	struct nested_l1 l1 = { .busybox = o->busybox ? o->busybox : "/bin/busybox",
				.virtbench = b->virtbench,
				.commands = commands,
				.module = module,
				.kernel_version = version,
				.modules_root = "/lib/modules",
				.extra = extra,
				.nextra = nextra };
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

int nested_boot__run(const struct nested_boot *b, const struct nested_opts *o,
		     const char *append_more, unsigned smp_n, struct vb_proc_result *r,
		     struct vb_err *err)
{
	const struct nested_arch *a = b->arch;
	char append[1024], smp[16];
	snprintf(append, sizeof(append), "console=%s%s%s rdinit=/init panic=-1 quiet%s", a->console,
		 append_more ? " " : "", append_more ? append_more : "",
		 b->kvm ? "" : " virtbench.emulated=qemu-tcg");
	snprintf(smp, sizeof(smp), "%u", smp_n ? smp_n : b->kvm ? 2 : a->smp_tcg);
	const char *argv[40] = { b->qemu };
	unsigned n = 1;
	for (const char *const *m = b->kvm ? a->machine_kvm : a->machine_tcg; *m; m++)
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
		fprintf(stderr, "virtbench: booting the L1 guest (%s, %s, %s vCPU)%s\n",
			b->kvm ? "KVM" : "TCG", b->kernel, smp,
			b->kvm ? "" : "; what runs inside takes minutes under TCG");
	if (proc__run(&po, r, err) < 0)
		return err__wrap(err, "the L1 guest");
	return 0;
}
