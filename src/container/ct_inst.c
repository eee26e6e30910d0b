/* What every driver does with a started container: wait for the worker's
 * VBREADY, collect its results, wait for the runtime to end, kill it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/ct.h"
#include "core/clock.h"
#include "core/interrupt.h"

#define SLICE_MS 50

void ct_inst__init(struct ct_inst *in)
{
	memset(in, 0, sizeof(*in));
	in->out_fd = in->in_fd = in->err_fd = in->pidfd = in->setup_fd = -1;
	in->proc.in_fd = in->proc.out_fd = in->proc.err_fd = -1;
	vbp__reader_init(&in->rd, -1);
}

void ct_inst__drain_err(struct ct_inst *in)
{
	if (in->err_fd < 0)
		return;
	for (;;) {
		struct pollfd p = { .fd = in->err_fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			return;
		char buf[512];
		ssize_t n = read(in->err_fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		/* Keep the tail: the last line names the failure. */
		size_t cap = sizeof(in->errbuf) - 1;
		if ((size_t)n >= cap) {
			memcpy(in->errbuf, buf + n - cap, cap);
			in->errlen = cap;
		} else {
			if (in->errlen + (size_t)n > cap) {
				size_t drop = in->errlen + (size_t)n - cap;
				memmove(in->errbuf, in->errbuf + drop, in->errlen - drop);
				in->errlen -= drop;
			}
			memcpy(in->errbuf + in->errlen, buf, (size_t)n);
			in->errlen += (size_t)n;
		}
		in->errbuf[in->errlen] = '\0';
	}
}

void ct_inst__wrap_stderr(struct ct_inst *in, struct vb_err *err)
{
	ct_inst__drain_err(in);
	char line[300];
	ct__last_line(in->errbuf, line, sizeof(line));
	if (line[0] && err)
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg), " (%s)",
			 line);
}

/* The built-in runtime's child reports a failed set-up step on a pipe that
 * closes at exec; read it when the worker never spoke. */
static void setup_report(struct ct_inst *in, struct vb_err *err)
{
	if (in->setup_fd < 0)
		return;
	char buf[200];
	ssize_t n = read(in->setup_fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		snprintf(err->msg, sizeof(err->msg), "container set-up failed: %s", buf);
	}
}

/* Next record line within timeout_ms, watching Ctrl-C. */
static int next_line(struct ct_inst *in, char *line, size_t size, uint64_t deadline,
		     struct vb_err *err)
{
	for (;;) {
		if (interrupt__pending())
			return err__set(err, EINTR, "interrupted");
		uint64_t now = clock__now_ns();
		if (now >= deadline)
			return err__set(err, ETIMEDOUT, "no answer from the worker");
		uint64_t left_ms = (deadline - now) / 1000000 + 1;
		int n = vbp__reader_line(&in->rd, line, size,
					 left_ms < SLICE_MS ? (int)left_ms : SLICE_MS);
		if (n >= 0)
			return n;
		if (n == VBP_EOF) {
			err__set(err, 0, "the worker ended without answering");
			setup_report(in, err);
			ct_inst__wrap_stderr(in, err);
			return -1;
		}
		if (errno == ETIMEDOUT || errno == EINTR) {
			ct_inst__drain_err(in);
			continue;
		}
		return err__set(err, errno, "reading the worker's records");
	}
}

static int inst_recv(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err)
{
	struct ct_inst *in = ctx;
	uint64_t deadline = clock__now_ns() + (uint64_t)timeout_ms * 1000000u;
	return next_line(in, line, size, deadline, err) < 0 ? -1 : 0;
}

void ct_inst__client(struct ct_inst *in, struct wclient *c)
{
	*c = (struct wclient){ .name = "container", .recv = inst_recv, .ctx = in };
}

int ct_inst__wait_ready(struct ct_inst *in, int timeout_ms, struct vb_err *err)
{
	struct wclient c;
	ct_inst__client(in, &c);
	struct vbp_ready r;
	if (wclient__wait_ready(&c, NULL, timeout_ms, &r, err) < 0)
		return -1;
	in->t_ready_ns = r.ts_ns;
	return 0;
}

int ct_inst__read_results(struct ct_inst *in, struct rates_batch *b, struct rates *out,
			  int timeout_ms, struct vb_err *err)
{
	struct wclient c;
	ct_inst__client(in, &c);
	return wclient__collect(&c, b, out, timeout_ms, err);
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int ct_inst__wait_exit(struct ct_inst *in, int timeout_ms, struct vb_err *err)
{
	if (in->exited)
		return 0;
	if (in->pidfd < 0 && in->pid > 0)
		in->pidfd = pidfd_open_(in->pid);
	uint64_t deadline = clock__now_ns() + (uint64_t)timeout_ms * 1000000u;
	for (;;) {
		if (interrupt__pending())
			return err__set(err, EINTR, "interrupted");
		/* Keep the pipes flowing: a runtime blocked on a full pipe
		 * would never exit. */
		ct_inst__drain_err(in);
		struct pollfd p[2] = { { .fd = in->pidfd, .events = POLLIN },
				       { .fd = in->out_fd, .events = POLLIN } };
		int np = in->out_fd >= 0 ? 2 : 1;
		int pr = in->pidfd >= 0 ? poll(p, (nfds_t)np, SLICE_MS) : (usleep(1000), 0);
		if (pr > 0 && np == 2 && (p[1].revents & (POLLIN | POLLHUP))) {
			char sink[4096];
			ssize_t r = read(in->out_fd, sink, sizeof(sink));
			if (r == 0) {
				close(in->out_fd);
				in->out_fd = -1;
			}
		}
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)in->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == in->pid) {
			in->t_exit_ns = clock__now_ns();
			in->exited = true;
			in->status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
							      : (si.si_status & 0x7f);
			if (in->proc.pid > 0) {
				proc__stop(&in->proc, 0); /* reaps, closes its pipes */
				in->out_fd = in->in_fd = in->err_fd = -1;
			} else {
				int st;
				while (waitpid(in->pid, &st, 0) < 0 && errno == EINTR)
					;
			}
			return 0;
		}
		if (clock__now_ns() >= deadline)
			return err__set(err, ETIMEDOUT, "container did not exit");
	}
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

void ct_inst__kill(struct ct_inst *in)
{
	if (in->proc.pid > 0) {
		/* proc__stop owns these descriptors. */
		in->out_fd = in->in_fd = in->err_fd = -1;
		proc__stop(&in->proc, 200);
		in->exited = true;
	} else if (in->pid > 0 && !in->exited) {
		kill(in->pid, SIGKILL);
		int st;
		while (waitpid(in->pid, &st, 0) < 0 && errno == EINTR)
			;
		in->exited = true;
	}
	close_fd(&in->out_fd);
	close_fd(&in->in_fd);
	close_fd(&in->err_fd);
	close_fd(&in->pidfd);
	close_fd(&in->setup_fd);
}
