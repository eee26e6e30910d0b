/* What every QEMU benchmark shares: the programs and files it found, its
 * private work directory (sockets, initramfs, overlays, seeds; removed at
 * the end unless --keep, and on a forced Ctrl-C exit), the accelerator
 * chosen, and booting one guest to its ready marker with the failure log
 * saved when it does not get there. With --keep the dir holds
 * SWEEP_KEEP_MARKER, so the next runs leave it. */
#ifndef VB_QEMU_SESSION_H
#define VB_QEMU_SESSION_H

#include <limits.h>
#include <stdbool.h>

#include "qemu/guest.h"
#include "qemu/qemu_bench.h"

/* The work dir: virtbench-qemu.<pid>.<start>.XXXXXX under $TMPDIR. */
#define QEMU_DIR_PREFIX "virtbench-qemu."

struct qemu_session {
	const struct qemu_bench_opts *o;
	char *qemu, *qemu_img, *kernel, *worker;
	char *image_abs, *image_format;
	char qemu_version[64];
	char dir[256]; /* short: unix socket paths live in it */
	char initrd[PATH_MAX];
	bool have_dir;
	int abort_slot; /* the forced exit's removal of dir, or -1 */
	struct qemu_accel_info accel;
	unsigned boots; /* guests started, for unique file names */
	int probe_ms;	/* the accelerator's test boot: its bound, and no log file; else 0 */
	char overlay[PATH_MAX], seed[PATH_MAX]; /* this boot's, "" when none */
	/* QEMU arguments of the next boots besides the usual ones (devices),
	 * NULL terminated; NULL: none. */
	const char *const *extra_args;
	int pass_fd; /* for the next boot: a descriptor QEMU inherits, 0: none */
};

int session__open(struct qemu_session *s, const struct qemu_bench_opts *o, struct vb_err *err);
void session__close(struct qemu_session *s);

/* Starts a guest of configuration c and waits for its ready marker. On
 * failure the guest is destroyed, its per-boot files removed and the error
 * names the configuration, the accelerator and the log. */
int session__boot(struct qemu_session *s, const struct vb_guest_config *c, struct qemu_guest *g,
		  struct vb_err *err);
/* Powers the guest off (VBEXIT), destroys it and removes its files. */
int session__halt(struct qemu_session *s, struct qemu_guest *g, struct vb_err *err);
/* A guest that fails under KVM may well run under TCG (a nested host whose
 * KVM cannot run a stock kernel, QEMU aborting on an MSR): adds the advice
 * to the error when KVM was in use. Returns -1. */
int session__kvm_hint(const struct qemu_session *s, struct vb_err *err);
/* Destroys without a clean power-off (after an error). */
void session__abort(struct qemu_session *s, struct qemu_guest *g);

/* Boot timeout for this session, in ms. */
int session__timeout_ms(const struct qemu_session *s);
/* Fills the configuration keys every QEMU result carries. */
int session__describe(const struct qemu_session *s, const struct vb_guest_config *c,
		      struct vb_result *r);
/* The note of a result measured under TCG: emulated. */
void session__mark(const struct qemu_session *s, struct vb_result *r);
/* Records the accelerator choice in the set's extra block. */
void session__record(const struct qemu_session *s, struct vb_result_set *out);

/* Sets s->accel: the accelerator chosen (auto boots the session's guest
 * under KVM once per process and guest). */
int accel__resolve(struct qemu_session *s, struct vb_err *err);
/* Whether /dev/kvm opens and answers (0), else -1 with why; the tests
 * replace it to reach the test boot on a host without KVM. */
extern int (*accel__kvm_usable)(char *why, size_t size);

#endif
