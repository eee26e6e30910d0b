/* Disk and network natively: the I/O workloads (src/worker/io.h) run in
 * this process, the disk tests in a directory of their own under --dir
 * (removed afterwards), the network tests against a peer thread on
 * 127.0.0.1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/interrupt.h"
#include "core/names.h"
#include "core/owner.h"
#include "core/tmpdir.h"
#include "native/native.h"
#include "worker/io.h"

static int exec_here(void *ctx, const struct wl_job *job, struct wl_report *rep, struct vb_err *err)
{
	(void)ctx;
	char why[256];
	if (io__run_job(job, interrupt__flag(), rep, why, sizeof(why)) < 0)
		return err__set(err, errno ? errno : EIO, "%s", why);
	if (interrupt__pending())
		return err__set(err, EINTR, "interrupted");
	return 0;
}

/* The forced exit's removal of the one native target dir there is at a time. */
static int abort_slot = -1;

static void label(void *ctx, struct vb_result *r)
{
	(void)ctx;
	native__config_build(r);
}

int native__io_target(const struct iobench_opts *o, struct iobench_target *t, char *dir,
		      size_t size, struct vb_err *err)
{
	*t = (struct iobench_target){
		.benchmark = o->net ? VB_KIND_NET : VB_KIND_DISK,
		.platform = VB_PLATFORM_NATIVE,
		.mode = o->net ? "loopback" : "host",
		.exec = exec_here,
		.label = label,
	};
	dir[0] = '\0';
	if (o->net)
		return 0;
	if (o->device) {
		/* Checked before the run (iobench__check_device); used in
		 * place and never removed. */
		t->mode = "device";
		t->io_dir = o->device;
		t->io_dev = IO_DEV_PATH;
		return 0;
	}
	char prefix[64];
	if (owner__name(prefix, sizeof(prefix), IOB_DIR_PREFIX, '.') < 0)
		return err__set(err, EINVAL, "native disk: owner name");
	if ((size_t)snprintf(dir, size, "%s/%s.XXXXXX", o->dir ? o->dir : ".", prefix) >= size)
		return err__usage(err, "--dir: name too long");
	if (tmpdir__make(o->dir ? o->dir : ".", prefix, dir, size, &abort_slot, err) < 0)
		return err__wrap(err, "native disk");
	t->io_dir = dir;
	return 0;
}

int native__io_target_done(char *dir, struct vb_err *err)
{
	if (!dir[0])
		return 0;
	int rc = rmdir(dir) < 0 ? err__set(err, errno, "removing %s", dir) : 0;
	dir[0] = '\0';
	interrupt__cancel_run(abort_slot);
	abort_slot = -1;
	return rc;
}

int native__bench_io(const struct iobench_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	struct iobench_target t;
	char dir[4096];
	if (native__io_target(o, &t, dir, sizeof(dir), err) < 0)
		return -1;
	int rc = iobench__run(o, &t, 1, out, err);
	struct vb_err e2 = { 0 };
	if (native__io_target_done(dir, &e2) < 0 && rc == 0) {
		*err = e2;
		rc = -1;
	}
	return rc;
}
