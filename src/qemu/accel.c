/* --accel auto. /dev/kvm opening is not enough: on a nested host such as
 * this project's development machine (kvm_pvm) the device works for small
 * CPL3 guests but a stock kernel never finishes booting under KVM. So auto
 * boots the embedded guest once under KVM with a short bound and takes KVM
 * only when that guest reaches its ready marker; otherwise TCG. The choice
 * is made once per process. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "qemu/session.h"

/* A KVM guest that works boots this kernel in well under a second. */
#define ACCEL_PROBE_MS 5000

static struct {
	bool done;
	struct qemu_accel_info info;
} cache;

static void set(struct qemu_accel_info *info, const char *accel, const char *fmt, ...)
	VB_PRINTF(3, 4);
static void set(struct qemu_accel_info *info, const char *accel, const char *fmt, ...)
{
	snprintf(info->accel, sizeof(info->accel), "%s", accel);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(info->reason, sizeof(info->reason), fmt, ap);
	va_end(ap);
}

/* Returns 0 when /dev/kvm opens and speaks API 12, else -1 with why set. */
static int kvm_usable(char *why, size_t size)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "/dev/kvm: %s", strerror(errno));
		return -1;
	}
	int v = ioctl(fd, KVM_GET_API_VERSION, 0);
	close(fd);
	if (v != KVM_API_VERSION) {
		snprintf(why, size, "/dev/kvm: unexpected API version %d", v);
		return -1;
	}
	return 0;
}

static void probe_boot(const char *qemu, const char *kernel, const char *initrd, const char *dir,
		       const char *append, struct qemu_accel_info *info)
{
	struct qemu_guest g;
	qemu_guest__init(&g);
	struct qemu_guest_cfg cfg = {
		.qemu = qemu,
		.accel = "kvm",
		.vcpus = 1,
		.memory_mb = 256,
		.kernel = kernel,
		.initrd = initrd,
		.append = append,
		.dir = dir,
		.marker = "vbaccelprobe",
	};
	struct vb_err err = { 0 };
	double t0 = clock__now_ms();
	if (qemu_guest__start(&g, &cfg, &err) == 0 &&
	    qemu_guest__wait_ready(&g, ACCEL_PROBE_MS, &err) == 0) {
		set(info, "kvm", "a KVM test boot reached the ready marker in %.0f ms",
		    clock__now_ms() - t0);
		struct vb_err ignored = { 0 };
		qemu_guest__shutdown(&g, 2000, &ignored);
	} else {
		set(info, "tcg", "a KVM test boot failed: %s", err.msg);
	}
	qemu_guest__destroy(&g);
}

int accel__resolve(const struct qemu_bench_opts *o, const char *qemu, const char *kernel,
		   const char *initrd, const char *dir, struct qemu_accel_info *info,
		   struct vb_err *err)
{
	char why[200];
	memset(info, 0, sizeof(*info));
	if (o->accel == QEMU_ACCEL_TCG) {
		set(info, "tcg", "requested with --accel tcg");
		return 0;
	}
	if (o->accel == QEMU_ACCEL_KVM) {
		if (kvm_usable(why, sizeof(why)) < 0)
			return err__set(err, 0, "--accel kvm: %s (use --accel tcg or auto)", why);
		set(info, "kvm", "requested with --accel kvm");
		return 0;
	}
	if (cache.done) {
		*info = cache.info;
		return 0;
	}
	double t0 = clock__now_ms();
	if (kvm_usable(why, sizeof(why)) < 0)
		set(info, "tcg", "%s", why);
	else if (kernel && initrd)
		probe_boot(qemu, kernel, initrd, dir, o->append, info);
	else
		set(info, "kvm", "/dev/kvm works (no test boot for a disk image)");
	info->detect_ms = clock__now_ms() - t0;
	if (interrupt__pending())
		return err__set(err, EINTR, "choosing the accelerator");
	cache.info = *info;
	cache.done = true;
	return 0;
}
