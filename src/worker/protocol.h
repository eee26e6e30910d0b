/* The worker's line protocol, shared by the static worker (containers, QEMU
 * guest /init) and the host side. One record per line, ASCII, a record name
 * then `key=value` fields separated by single spaces, so it travels over a
 * pipe, a FIFO, a socket and a serial line alike:
 *
 *   worker -> host  VBREADY ts_ns=<CLOCK_MONOTONIC ns> pid=<pid> marker=<token>
 *   host -> worker  VBRUN kind=cpu threads=2 time_ns=... max_events=... ...
 *   worker -> host  VBRESULT thread=<i> events=... bytes=... elapsed_ns=... checksum=... loads=... error=...
 *   worker -> host  VBDONE status=0           or   VBERROR msg=<text to end of line>
 *   host -> worker  VBEXIT
 *   worker -> host  VBFACTS pid=1 hostname=... mounts=... netifs=lo   (isolation check)
 *
 * Hosted C with no dependency beyond libc and workload.h, so the static worker
 * and libvirtbench.a compile the same file. Unknown keys are ignored, so either
 * side may add fields without breaking the other; missing keys keep defaults.
 * Tokens (marker, hostname, netifs) never contain spaces; VBERROR's msg is the
 * last field and runs to the end of the line.
 *
 * The host parses what a container or a guest printed, so the parser is
 * strict: a record is printable ASCII and at most VBP_LINE_MAX bytes, each
 * key appears once, numbers are plain decimal, tokens are not empty, and a
 * VBRESULT names its thread. The host's client is measure/wclient.h. */
#ifndef VB_WORKER_PROTOCOL_H
#define VB_WORKER_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "workload/workload.h"

/* Longest record including the newline; longer lines are rejected. */
#define VBP_LINE_MAX   1024
#define VBP_TOKEN_MAX  64
/* Longest io_dir of a VBRUN (a path in the container). */
#define VBP_IO_DIR_MAX (VBP_LINE_MAX / 4)

enum vbp_type {
	VBP_UNKNOWN = 0,
	VBP_READY,
	VBP_RUN,
	VBP_RESULT,
	VBP_DONE,
	VBP_ERROR,
	VBP_EXIT,
	VBP_FACTS,
};

struct vbp_ready {
	uint64_t ts_ns; /* worker's CLOCK_MONOTONIC at the start of main() */
	int64_t pid;
	char marker[VBP_TOKEN_MAX];
};

struct vbp_result {
	uint32_t thread;
	struct wl_report rep;
};

/* What the worker sees of its surroundings (the isolation test). */
struct vbp_facts {
	int64_t pid, ppid;
	uint64_t mounts;   /* lines of /proc/self/mounts */
	uint64_t netifs_n; /* network interfaces listed */
	char hostname[VBP_TOKEN_MAX];
	char netifs[VBP_TOKEN_MAX * 2]; /* comma list, e.g. "lo" */
};

struct vbp_msg {
	enum vbp_type type;
	struct vbp_ready ready;
	struct wl_job job; /* VBRUN: pointers (buf, stop, shared) are never sent */
	uint64_t hist;	   /* VBRUN: 1: the threads share a zeroed sysbench latency
			* histogram (job.hist), as memory --mode sysbench does */
	struct vbp_result result;
	struct vbp_facts facts;
	char io_dir[VBP_LINE_MAX / 4]; /* VBRUN: job.io_dir points here */
	int status;		       /* VBDONE */
	char text[VBP_LINE_MAX];       /* VBERROR msg */
};

/* Formatters write one record with the trailing '\n' into out (at least
 * VBP_LINE_MAX bytes) and return its length, or -1 if it did not fit. */
int vbp__format_ready(char *out, size_t size, const struct vbp_ready *r);
/* hist: see vbp_msg.hist. */
int vbp__format_run(char *out, size_t size, const struct wl_job *job, uint64_t hist);
int vbp__format_result(char *out, size_t size, uint32_t thread, const struct wl_report *rep);
int vbp__format_done(char *out, size_t size, int status);
int vbp__format_error(char *out, size_t size, const char *msg);
int vbp__format_exit(char *out, size_t size);
int vbp__format_facts(char *out, size_t size, const struct vbp_facts *f);

/* Parses one record (trailing "\n" or "\r\n" allowed). Returns 0 and fills
 * *m, or -1 with a short reason in *why (static text) for a malformed line:
 * unknown record name, bad number, overlong token. */
int vbp__parse(const char *line, struct vbp_msg *m, const char **why);

/* Workload kind names as written on the wire ("noop", "cpu", "memory",
 * "memlat", "fault", "stream", "clock"). kind_from_name returns -1 when unknown. */
const char *vbp__kind_name(uint32_t kind);
int vbp__kind_from_name(const char *name);

/* Parses the worker's command-line job shorthand ("kind=noop threads=1 ...",
 * the same fields as VBRUN) given as separate argv words. */
int vbp__parse_job_args(int argc, char *const *argv, struct wl_job *job, uint64_t *hist,
			const char **why);

/* A small line reader over a descriptor (pipes, serial lines): buffers
 * partial reads, returns one line at a time without the newline. */
struct vbp_reader {
	int fd;
	size_t len;
	char buf[VBP_LINE_MAX * 2];
};
void vbp__reader_init(struct vbp_reader *r, int fd);
#define VBP_EOF (-2)
/* Returns the line length (>= 0), copied into line (NUL-terminated, newline
 * and any '\r' removed); VBP_EOF at end of stream (a partial last line is
 * returned first); -1 with errno set on a read error, ETIMEDOUT when no full
 * line arrived within timeout_ms (< 0: wait forever; the partial line stays
 * buffered), EMSGSIZE for a line longer than VBP_LINE_MAX. Callers poll in
 * short slices when they must notice Ctrl-C. */
int vbp__reader_line(struct vbp_reader *r, char *line, size_t size, int timeout_ms);

/* Writes all of buf, retrying on EINTR and short writes. 0 or -1. */
int vbp__write_all(int fd, const char *buf, size_t len);

#endif
