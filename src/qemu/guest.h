/* One QEMU guest, from spawn to power-off, timed on the host's monotonic
 * clock from the moment QEMU is spawned. virtbench listens on three unix
 * sockets in a private directory before the spawn and QEMU connects to them
 * as a client, so nothing the guest says can be lost before virtbench is
 * listening: the QMP monitor (QEMU ready = qmp_capabilities answered), the
 * kernel console (printk stamps for the kernel phases) and the worker's
 * protocol channel (the ready marker, then commands and results). */
#ifndef VB_QEMU_GUEST_H
#define VB_QEMU_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/proc.h"
#include "qemu/bootlog.h"

struct qemu_guest_cfg {
	const char *qemu;
	const char *accel; /* "kvm" or "tcg" */
	unsigned vcpus, memory_mb;
	/* Direct kernel boot (the embedded guest); kernel NULL boots the disk. */
	const char *kernel, *initrd, *append;
	/* Disk boot: the throw-away overlay and the NoCloud seed ISO. */
	const char *disk, *seed;
	const char *dir;	  /* private directory for the sockets */
	unsigned id;		  /* names them: guests up together share dir */
	const char *marker;	  /* the token the guest must echo in VBREADY */
	const char *const *extra; /* more arguments (devices), NULL terminated; may be NULL */
	int pass_fd;		  /* > 2: a descriptor QEMU inherits (a tap); 0: none */
};

/* A growable text buffer that keeps only its last `cap` bytes. */
struct qemu_textlog {
	char *data;
	size_t len, cap;
};

struct qemu_linebuf {
	char buf[4096];
	size_t len;
};

#define QEMU_GUEST_QUEUE_MAX 256
/* <dir>/qemu-<pid>.pid: "<pid> <start>" of a running QEMU (core/owner.h). */
#define QEMU_PIDFILE_PREFIX  "qemu-"

struct qemu_guest {
	struct qemu_guest_cfg cfg;
	bool spawned;
	struct vb_proc proc;
	int listen_fd[3];
	int fd[3]; /* connected: QMP, console, channel */
	int out_fd;
	struct qemu_linebuf lb[4]; /* QMP, console, channel, QEMU output */
	int qmp_state;		   /* 0 greeting awaited, 1 capabilities sent, 2 ready */
	double t0_ms;		   /* host monotonic ms at spawn */
	double qemu_ready_ms, ready_ms, exit_ms; /* after t0, < 0 until seen */
	uint64_t guest_ready_ts_ns;		 /* the worker's own stamp */
	struct qemu_bootlog boot;		 /* console and boot report: the phases */
	bool exited, saw_eof;
	int status; /* as waitpid */
	struct qemu_textlog console, qemu_out;
	char *queue[QEMU_GUEST_QUEUE_MAX]; /* protocol lines after ready */
	size_t qhead, qlen;
};

struct qemu_boot_times {
	double qemu_ready_ms, kernel_entry_ms, kernel_done_ms, ready_ms, shutdown_ms;
	bool have_kernel_entry, have_kernel_done;
};

void qemu_guest__init(struct qemu_guest *g);
/* Spawns QEMU. On failure everything made so far is released. */
int qemu_guest__start(struct qemu_guest *g, const struct qemu_guest_cfg *cfg, struct vb_err *err);
/* Waits for the worker's VBREADY with the configured marker. */
int qemu_guest__wait_ready(struct qemu_guest *g, int timeout_ms, struct vb_err *err);
int qemu_guest__send(struct qemu_guest *g, const char *line, struct vb_err *err);
/* Next protocol record from the guest (without newline). */
int qemu_guest__recv(struct qemu_guest *g, char *line, size_t size, int timeout_ms,
		     struct vb_err *err);
/* The worker protocol client over the guest's channel (qemu_guest__send and
 * qemu_guest__recv). */
struct wclient;
void qemu_guest__client(struct qemu_guest *g, struct wclient *c);
/* Sends VBEXIT and waits until QEMU has exited (the guest powered off). */
int qemu_guest__shutdown(struct qemu_guest *g, int timeout_ms, struct vb_err *err);
/* Kills QEMU's process group if still there, closes everything, removes the
 * sockets. Safe to call at any point after qemu_guest__init, and twice. */
void qemu_guest__destroy(struct qemu_guest *g);

void qemu_guest__times(const struct qemu_guest *g, struct qemu_boot_times *t);
/* The last `nlines` lines of QEMU's own output (or, when it said nothing,
 * of the guest console), joined with " | " for a one-line error. */
void qemu_guest__log_tail(const struct qemu_guest *g, unsigned nlines, char *out, size_t size);
/* The whole log (QEMU output, then the console) for a failure log file. */
char *qemu_guest__log_text(const struct qemu_guest *g);

#endif
