/* The host side of the worker protocol (worker/protocol.h), one client for
 * every platform that runs the static worker: a container's worker over its
 * stdout, a QEMU guest's /init over a serial channel, the native worker
 * beside a guest over pipes. The transport is the caller's (send one line,
 * receive the next); what the records mean, in which order they may come and
 * what is refused is decided here. Everything received is untrusted text:
 * lines are bounded (VBP_LINE_MAX), parsed strictly (vbp__parse), and a
 * record that does not belong where it comes is an error, never a guess. */
#ifndef VB_MEASURE_WCLIENT_H
#define VB_MEASURE_WCLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "measure/rates.h"
#include "worker/protocol.h"

struct wclient {
	const char *name; /* who speaks, for errors: "guest", "native", "runc" */
	/* Sends one line (with its newline). NULL: the worker takes its job
	 * from its command line and reads nothing. */
	int (*send)(void *ctx, const char *line, struct vb_err *err);
	/* The next line without its newline, within timeout_ms; -1 with *err
	 * on timeout, end of stream or Ctrl-C. */
	int (*recv)(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err);
	void *ctx;
};

/* Is `line` a well-formed VBREADY carrying `marker` (any marker when NULL)?
 * Fills *ready when it is. For transports that sort lines themselves. */
bool wclient__is_ready(const char *line, const char *marker, struct vbp_ready *ready);

/* Waits for VBREADY (with `marker` unless NULL). Lines that are no record
 * (a runtime's or a console's own chatter on the same stream) are skipped;
 * VBERROR fails with the worker's message. */
int wclient__wait_ready(const struct wclient *c, const char *marker, int timeout_ms,
			struct vbp_ready *ready, struct vb_err *err);

/* The next record of `type`, as wait_ready; its line goes to line[size]
 * when line is not NULL. */
int wclient__expect(const struct wclient *c, enum vbp_type type, struct vbp_msg *m, char *line,
		    size_t size, int timeout_ms, struct vb_err *err);

/* Collects one run's VBRESULTs into b (a new run of it) up to VBDONE and
 * computes its rates: every thread of the run reports exactly once, VBDONE's
 * status is 0, no VBERROR. timeout_ms bounds the whole run. */
int wclient__collect(const struct wclient *c, struct rates_batch *b, struct rates *out,
		     int timeout_ms, struct vb_err *err);

/* Sends VBRUN for job (hist: see vbp_msg.hist), then wclient__collect. */
int wclient__run(const struct wclient *c, const struct wl_job *job, uint64_t hist,
		 struct rates_batch *b, struct rates *out, int timeout_ms, struct vb_err *err);

/* Sends VBRUN for a one-thread job (disk, net) and returns its one report
 * once VBDONE follows it. */
int wclient__run_one(const struct wclient *c, const struct wl_job *job, struct wl_report *rep,
		     int timeout_ms, struct vb_err *err);

/* Sends VBEXIT: the worker ends (a QEMU guest powers off). */
int wclient__exit(const struct wclient *c, struct vb_err *err);

/* The static worker binary, the same way for every platform: `opt` (an
 * option such as --worker, NULL for none), else $VIRTBENCH_WORKER, else
 * virtbench-worker next to the running program, one directory up (the
 * tests run from tests/) or in ../lib/virtbench (installed). Writes an
 * absolute path to out. */
int wclient__find_worker(const char *opt, char *out, size_t size, struct vb_err *err);

#endif
