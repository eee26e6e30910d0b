/* --accel auto. /dev/kvm opening is not enough: on a nested host such as
 * this project's development machine (kvm_pvm) the device works for small
 * CPL3 guests but a stock kernel never finishes booting under KVM, and QEMU
 * may abort at the first vCPU ("failed to set MSR"). So auto boots the
 * guest to be measured (the embedded one, or the cloud image) once under
 * KVM with a bound and takes KVM only when it reaches its ready marker;
 * otherwise TCG. The choice is made once per process and guest. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "qemu/session.h"

/* A KVM guest that works boots this kernel in well under a second, and a
 * cloud image to cloud-init's end in seconds. */
#define ACCEL_PROBE_MS	     5000
#define ACCEL_PROBE_IMAGE_MS 90000

static struct {
	bool done;
	char key[PATH_MAX]; /* the image the test booted, "" for the embedded guest */
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
static int kvm_device_usable(char *why, size_t size)
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

int (*accel__kvm_usable)(char *why, size_t size) = kvm_device_usable;

/* The test boot: the session's own guest (the embedded one, or the cloud
 * image through an overlay and a seed of its own) under KVM, bounded. */
static void probe_boot(struct qemu_session *s, struct qemu_accel_info *info)
{
	static const struct vb_guest_config small = { 1, 512 };
	struct qemu_guest g;
	struct vb_err err = { 0 };
	snprintf(s->accel.accel, sizeof(s->accel.accel), "kvm");
	s->probe_ms = s->image_abs ? ACCEL_PROBE_IMAGE_MS : ACCEL_PROBE_MS;
	double t0 = clock__now_ms();
	if (session__boot(s, &small, &g, &err) == 0) {
		set(info, "kvm", "a KVM test boot of the %s reached the ready marker in %.0f ms",
		    s->image_abs ? "image" : "embedded guest", clock__now_ms() - t0);
		struct vb_err ignored = { 0 };
		session__halt(s, &g, &ignored);
	} else {
		set(info, "tcg", "a KVM test boot of the %s failed: %s",
		    s->image_abs ? "image" : "embedded guest", err.msg);
	}
	s->probe_ms = 0;
}

int accel__resolve(struct qemu_session *s, struct vb_err *err)
{
	const struct qemu_bench_opts *o = s->o;
	struct qemu_accel_info *info = &s->accel;
	char why[200];
	memset(info, 0, sizeof(*info));
	if (o->accel == QEMU_ACCEL_TCG) {
		set(info, "tcg", "requested with --accel tcg");
		return 0;
	}
	if (o->accel == QEMU_ACCEL_KVM) {
		if (accel__kvm_usable(why, sizeof(why)) < 0)
			return err__set(err, 0, "--accel kvm: %s (use --accel tcg or auto)", why);
		set(info, "kvm", "requested with --accel kvm");
		return 0;
	}
	/* One test per guest and process: the image's own, or the embedded
	 * guest's (every entry of `virtbench run` shares it). */
	const char *key = s->image_abs ? s->image_abs : "";
	if (cache.done && !strcmp(cache.key, key)) {
		*info = cache.info;
		return 0;
	}
	double t0 = clock__now_ms();
	if (accel__kvm_usable(why, sizeof(why)) < 0)
		set(info, "tcg", "%s", why);
	else
		probe_boot(s, info);
	info->detect_ms = clock__now_ms() - t0;
	if (interrupt__pending())
		return err__set(err, EINTR, "choosing the accelerator");
	cache.info = *info;
	snprintf(cache.key, sizeof(cache.key), "%s", key);
	cache.done = true;
	return 0;
}
