#include "core/names.h"
#include "qemu/session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/tmpdir.h"
#include "core/owner.h"
#include "core/sweep.h"
#include "core/proc.h"
#include "qemu/image.h"
#include "qemu/initramfs.h"
#include "qemu/qemu_arch.h"
#include "qemu/qemu_env.h"

/* Power-off: a quarter of the boot's bound, at least 30 s (a cloud image's
 * systemd stopping its services under TCG on a loaded host takes 20-40 s). */
#define SHUTDOWN_MIN_MS 30000

static int qemu_version(struct qemu_session *s, struct vb_err *err)
{
	char *argv[] = { s->qemu, "--version", NULL };
	struct vb_proc_opts po = { .argv = argv, .timeout_ms = 10000, .stderr_to_stdout = true };
	struct vb_proc_result r;
	memset(&r, 0, sizeof(r));
	if (proc__run(&po, &r, err) < 0)
		return err__wrap(err, "%s --version", s->qemu);
	const char *v = r.out ? strstr(r.out, "version ") : NULL;
	if (r.exit_code != 0 || !v) {
		proc__result_free(&r);
		return err__set(err, 0, "%s does not answer --version like QEMU", s->qemu);
	}
	v += 8;
	size_t n = strcspn(v, " \n(");
	snprintf(s->qemu_version, sizeof(s->qemu_version), "%.*s", (int)n, v);
	proc__result_free(&r);
	return 0;
}

int session__open(struct qemu_session *s, const struct qemu_bench_opts *o, struct vb_err *err)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->abort_slot = -1;
	if (qemu_env__qemu(o->qemu, &s->qemu, err) < 0)
		goto fail;
	if (o->image) {
		enum qemu_iso_tool tool;
		cleanup_free char *tool_path = NULL;
		const struct qemu_arch *a = qemu_arch__get();
		if (a->disk_firmware && access(a->disk_firmware, R_OK) < 0) {
			err__set(
				err, errno,
				"--image needs the UEFI firmware %s (install the Debian package %s)",
				a->disk_firmware, a->disk_firmware_package);
			goto fail;
		}
		if (qemu_env__qemu_img(s->qemu, &s->qemu_img, err) < 0 ||
		    image__inspect(s->qemu_img, o->image, &s->image_format, &s->image_abs, err) <
			    0 ||
		    qemu_env__iso_tool(&tool, &tool_path, err) < 0)
			goto fail;
	} else if (qemu_env__kernel(o->kernel, &s->kernel, err) < 0 ||
		   qemu_env__worker(o->worker, &s->worker, err) < 0) {
		goto fail;
	}
	if (qemu_version(s, err) < 0)
		goto fail;
	/* The owner in the name lets the next run remove the dir (and stop a
	 * QEMU that outlived us) once we are gone: qemu__sweep. */
	char prefix[64];
	if (owner__name(prefix, sizeof(prefix), QEMU_DIR_PREFIX, '.') < 0 ||
	    tmpdir__make(NULL, prefix, s->dir, sizeof(s->dir), &s->abort_slot, err) < 0)
		goto fail;
	s->have_dir = true;
	/* A forced exit kills QEMU's group (the interrupt module) and removes
	 * the files, unless the user asked to keep them. */
	if (o->keep) {
		interrupt__cancel_run(s->abort_slot);
		s->abort_slot = -1;
		char keep[PATH_MAX];
		snprintf(keep, sizeof(keep), "%s/%s", s->dir, SWEEP_KEEP_MARKER);
		if (file__write_atomic(keep, "", 0, err) < 0)
			goto fail;
	}
	if (s->kernel) {
		snprintf(s->initrd, sizeof(s->initrd), "%s/initramfs.cpio", s->dir);
		if (initramfs__write_mods(s->initrd, s->worker, s->kernel, o->modules, err) < 0)
			goto fail;
	}
	if (accel__resolve(s, err) < 0)
		goto fail;
	return 0;
fail:
	session__close(s);
	return -1;
}

void session__close(struct qemu_session *s)
{
	interrupt__cleanup_enter();
	if (s->have_dir && !(s->o && s->o->keep))
		file__remove_tree(s->dir);
	interrupt__cancel_run(s->abort_slot);
	s->abort_slot = -1;
	interrupt__cleanup_leave();
	free(s->qemu);
	free(s->qemu_img);
	free(s->kernel);
	free(s->worker);
	free(s->image_abs);
	free(s->image_format);
	s->qemu = s->qemu_img = s->kernel = s->worker = s->image_abs = s->image_format = NULL;
	s->have_dir = false;
}

int session__timeout_ms(const struct qemu_session *s)
{
	if (s->probe_ms)
		return s->probe_ms;
	if (s->o->timeout_s)
		return (int)s->o->timeout_s * 1000;
	int base = !strcmp(s->accel.accel, "kvm") ? 30000 : 120000;
	/* A cloud image runs systemd and cloud-init before its marker. */
	return s->o->image ? base * 10 : base;
}

static void remove_boot_files(struct qemu_session *s)
{
	if (s->o->keep)
		return;
	if (s->overlay[0])
		unlink(s->overlay);
	if (s->seed[0])
		unlink(s->seed);
	s->overlay[0] = s->seed[0] = '\0';
}

static void make_marker(char *out, size_t size, unsigned boot)
{
	unsigned char r[8] = { 0 };
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		/* Unique enough without randomness: pid and boot count. */
		snprintf(out, size, "vb%dx%u", (int)getpid(), boot);
		return;
	}
	snprintf(out, size, "vb%02x%02x%02x%02x%02x%02x%02x%02x%u", r[0], r[1], r[2], r[3], r[4],
		 r[5], r[6], r[7], boot);
}

/* Saves the whole QEMU log next to the results, or puts its last lines in
 * the error when there is nowhere to save it. */
static void attach_log(struct qemu_session *s, const struct vb_guest_config *c,
		       const struct qemu_guest *g, struct vb_err *err)
{
	char tail[400];
	qemu_guest__log_tail(g, 3, tail, sizeof(tail));
	if (s->o->log_dir && !s->probe_ms) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/qemu-%ucpu-%umb-%s-boot%u.log", s->o->log_dir,
			 c->vcpus, c->memory_mb, s->accel.accel, s->boots);
		char *text = qemu_guest__log_text(g);
		struct vb_err ignored = { 0 };
		if (text && file__write_atomic(path, text, strlen(text), &ignored) == 0) {
			free(text);
			size_t used = strlen(err->msg);
			snprintf(err->msg + used, sizeof(err->msg) - used, " (QEMU log: %s)", path);
			return;
		}
		free(text);
	}
	/* An exit already carries the tail; a timeout does not yet. */
	if (tail[0] && !strstr(err->msg, tail)) {
		size_t used = strlen(err->msg);
		snprintf(err->msg + used, sizeof(err->msg) - used, "; last output: %s", tail);
	}
}

int session__kvm_hint(const struct qemu_session *s, struct vb_err *err)
{
	if (!strcmp(s->accel.accel, "kvm") && !s->probe_ms && !strstr(err->msg, "--accel tcg")) {
		size_t used = strlen(err->msg);
		snprintf(err->msg + used, sizeof(err->msg) - used,
			 "; under KVM: try --accel tcg, which needs no hardware virtualization");
	}
	return -1;
}

int session__boot(struct qemu_session *s, const struct vb_guest_config *c, struct qemu_guest *g,
		  struct vb_err *err)
{
	const struct qemu_arch *a = qemu_arch__get();
	char marker[64];
	s->boots++;
	make_marker(marker, sizeof(marker), s->boots);
	qemu_guest__init(g);
	s->overlay[0] = s->seed[0] = '\0';
	if (s->image_abs) {
		snprintf(s->overlay, sizeof(s->overlay), "%s/overlay-%u.qcow2", s->dir, s->boots);
		snprintf(s->seed, sizeof(s->seed), "%s/seed-%u.iso", s->dir, s->boots);
		if (image__overlay(s->qemu_img, s->image_abs, s->image_format, s->overlay, err) <
			    0 ||
		    image__seed(s->dir, marker, a->channel_dev, s->seed, err) < 0) {
			remove_boot_files(s);
			return err__wrap(err, "preparing the cloud image");
		}
	}
	struct qemu_guest_cfg cfg = {
		.qemu = s->qemu,
		.accel = s->accel.accel,
		.vcpus = c->vcpus,
		.memory_mb = c->memory_mb,
		.kernel = s->kernel,
		.initrd = s->kernel ? s->initrd : NULL,
		.append = s->o->append,
		.disk = s->image_abs ? s->overlay : NULL,
		.seed = s->image_abs ? s->seed : NULL,
		.dir = s->dir,
		.marker = marker,
		.extra = s->extra_args,
		.pass_fd = s->pass_fd,
		.id = s->boots,
	};
	int timeout = session__timeout_ms(s);
	if (qemu_guest__start(g, &cfg, err) < 0 || qemu_guest__wait_ready(g, timeout, err) < 0) {
		bool gave_up = g->exited && WIFEXITED(g->status) && WEXITSTATUS(g->status) == 0;
		if (g->spawned && s->image_abs && !g->boot.have_output && !g->boot.fatal[0] &&
		    (gave_up || (!g->exited && err->errnum == ETIMEDOUT)))
			/* The firmware is silent on the serial port, so a disk
			 * it cannot boot shows as nothing at all. */
			snprintf(err->msg, sizeof(err->msg),
				 "the image did not boot: nothing on the serial console %s (no "
				 "boot loader on the disk, or one and a kernel that do not write "
				 "to the first serial port)",
				 g->exited ? "before the firmware gave up" : "within --timeout");
		else if (g->spawned && err->errnum == ETIMEDOUT)
			snprintf(err->msg, sizeof(err->msg),
				 "the guest never printed its ready marker within %d s (raise "
				 "--timeout if it is only slow)",
				 timeout / 1000);
		attach_log(s, c, g, err);
		session__abort(s, g);
		err__wrap(err, "qemu guest %u vCPU/%u MiB (%s)", c->vcpus, c->memory_mb,
			  s->accel.accel);
		return session__kvm_hint(s, err);
	}
	return 0;
}

int session__halt(struct qemu_session *s, struct qemu_guest *g, struct vb_err *err)
{
	int bound = session__timeout_ms(s) / 4;
	int rc = qemu_guest__shutdown(g, bound > SHUTDOWN_MIN_MS ? bound : SHUTDOWN_MIN_MS, err);
	if (rc < 0) {
		err__wrap(err, "qemu guest %u vCPU/%u MiB (%s)", g->cfg.vcpus, g->cfg.memory_mb,
			  s->accel.accel);
		session__kvm_hint(s, err);
	}
	qemu_guest__destroy(g);
	remove_boot_files(s);
	return rc;
}

void session__abort(struct qemu_session *s, struct qemu_guest *g)
{
	qemu_guest__destroy(g);
	remove_boot_files(s);
}

int session__describe(const struct qemu_session *s, const struct vb_guest_config *c,
		      struct vb_result *r)
{
	const char *guest = s->image_abs ? strrchr(s->image_abs, '/') + 1 : "initramfs";
	const char *kernel = s->kernel ? strrchr(s->kernel, '/') : NULL;
	kernel = kernel ? kernel + 1 : s->kernel;
	if (result__set_config(r, VB_CFG_VCPUS, "%u", c->vcpus) < 0 ||
	    result__set_config(r, VB_CFG_MEMORY_MIB, "%u", c->memory_mb) < 0 ||
	    result__set_config(r, VB_CFG_ACCEL, "%s", s->accel.accel) < 0 ||
	    result__set_config(r, VB_CFG_GUEST, "%s", guest) < 0 ||
	    result__set_config(r, VB_CFG_QEMU, "%s", s->qemu_version) < 0 ||
	    (kernel && result__set_config(r, VB_CFG_KERNEL, "%s", kernel) < 0))
		return -1;
	session__mark(s, r);
	return 0;
}

void session__mark(const struct qemu_session *s, struct vb_result *r)
{
	if (!strcmp(s->accel.accel, "tcg"))
		snprintf(r->note, sizeof(r->note), "emulated (tcg): no hardware virtualization");
}

void session__record(const struct qemu_session *s, struct vb_result_set *out)
{
	if (!out->extra)
		out->extra = json_object();
	if (!out->extra)
		return;
	json_t *q = json_pack("{s:s, s:s, s:f, s:s}", "accel", s->accel.accel, "accel_reason",
			      s->accel.reason, "accel_detect_ms", s->accel.detect_ms,
			      "qemu_version", s->qemu_version);
	if (q && s->o->keep)
		json_object_set_new(q, "workdir", json_string(s->dir));
	if (q)
		json_object_set_new(out->extra, "qemu", q);
}
