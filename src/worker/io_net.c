/* The network tests over TCP, against a peer virtbench runs itself:
 *   tcp_stream     bulk writes to the peer, which counts what arrives and
 *                  reports the count back (iperf3's default direction);
 *   tcp_stream_rx  bulk writes from the peer (iperf3 -R);
 *   tcp_rr         one request and one response of `block` bytes at a
 *                  time on one connection (netperf TCP_RR, sockperf
 *                  ping-pong): the round trip's latency;
 *   tcp_crr        a connection per transaction (netperf TCP_CRR).
 * Every connection starts with a header naming the test and the size, so
 * one peer serves them all. Addresses: io__addr_allowed only. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "worker/io.h"

#define STREAM_CHUNK (128u << 10)
#define MAX_MSG	     (1u << 20)

struct hdr {
	uint32_t test, pad;
	uint64_t block;
};

static int set_why(char *why, size_t n, const char *what, int e)
{
	snprintf(why, n, "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

static int full_send(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0, or -1 (errno; ECONNRESET for an early end of stream). */
static int full_recv(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = recv(fd, p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ECONNRESET;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static struct sockaddr_in sin_of(uint32_t addr, uint32_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(addr) };
	return a;
}

/* ---- the peer ---- */

static void serve(struct io_peer *p, int c)
{
	struct hdr h;
	if (full_recv(c, &h, sizeof(h)) < 0 || h.block < 1 || h.block > MAX_MSG)
		return;
	char *buf = malloc(h.test == IO_TCP_STREAM || h.test == IO_TCP_STREAM_RX ? STREAM_CHUNK
										 : h.block);
	if (!buf)
		return;
	if (h.test == IO_TCP_STREAM) {
		uint64_t got = 0;
		for (;;) {
			ssize_t n = recv(c, buf, STREAM_CHUNK, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (uint64_t)n;
		}
		p->received += got;
		full_send(c, &got, sizeof(got));
	} else if (h.test == IO_TCP_STREAM_RX) {
		memset(buf, 0x5a, STREAM_CHUNK);
		size_t chunk = h.block < STREAM_CHUNK ? h.block : STREAM_CHUNK;
		while (full_send(c, buf, chunk) == 0)
			;
	} else if (h.test == IO_TCP_RR || h.test == IO_TCP_CRR) {
		nodelay(c);
		while (full_recv(c, buf, h.block) == 0 && full_send(c, buf, h.block) == 0) {
			p->served++;
			if (h.test == IO_TCP_CRR)
				break; /* the peer closes first: TIME_WAIT stays here */
		}
	}
	free(buf);
}

/* Closes every descriptor from 3 up but the ones in keep[0..n). */
static void close_others(const int *keep, unsigned n)
{
	unsigned lo = 3;
	for (;;) {
		unsigned next = ~0u;
		for (unsigned i = 0; i < n; i++)
			if (keep[i] >= (int)lo && (unsigned)keep[i] < next)
				next = (unsigned)keep[i];
		if (next > lo)
			syscall(SYS_close_range, lo, next == ~0u ? ~0u : next - 1, 0);
		if (next == ~0u)
			return;
		lo = next + 1;
	}
}

/* The peer process: serves connections one after another until its
 * control pipe says the parent is done (or gone), then reports its counts
 * on the result pipe. */
static __attribute__((noreturn)) void peer_main(struct io_peer *p, int ctl, int res)
{
	int keep[] = { p->lfd, ctl, res };
	close_others(keep, 3);
	signal(SIGINT, SIG_IGN); /* the parent ends it; Ctrl-C reaches both */
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		struct pollfd pfd[2] = { { .fd = p->lfd, .events = POLLIN },
					 { .fd = ctl, .events = POLLIN } };
		int n = poll(pfd, 2, -1);
		if (n < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break; /* EOF: the parent closed it, or is gone */
		if (n <= 0 || !(pfd[0].revents & POLLIN))
			continue;
		int c = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		struct timeval tv = { .tv_sec = 2 }; /* a vanished client ends its service */
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		serve(p, c);
		close(c);
	}
	uint64_t counts[2] = { p->received, p->served };
	ssize_t w = write(res, counts, sizeof(counts));
	(void)w;
	_exit(0);
}

int io_peer__start(struct io_peer *p, uint32_t addr, char *why, size_t why_size)
{
	return io_peer__start_at(p, addr, 0, why, why_size);
}

int io_peer__start_at(struct io_peer *p, uint32_t addr, uint32_t port, char *why, size_t why_size)
{
	memset((void *)p, 0, sizeof(*p));
	p->lfd = p->ctl = p->res = -1;
	if (!io__addr_allowed(addr))
		return set_why(why, why_size, "peer address outside loopback and the test link",
			       EADDRNOTAVAIL);
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p->lfd < 0)
		return set_why(why, why_size, "peer socket", errno);
	int one = 1;
	setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (port > 65535)
		return set_why(why, why_size, "peer port", EINVAL);
	struct sockaddr_in a = sin_of(addr, port);
	socklen_t len = sizeof(a);
	int ctl[2] = { -1, -1 }, res[2] = { -1, -1 }, e = 0;
	if (bind(p->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(p->lfd, 128) < 0 ||
	    getsockname(p->lfd, (struct sockaddr *)&a, &len) < 0 || pipe2(ctl, O_CLOEXEC) < 0 ||
	    pipe2(res, O_CLOEXEC) < 0) {
		e = errno;
		goto fail;
	}
	p->addr = addr;
	p->port = ntohs(a.sin_port);
	pid_t pid = fork();
	if (pid < 0) {
		e = errno;
		goto fail;
	}
	if (pid == 0)
		peer_main(p, ctl[0], res[1]);
	p->pid = pid;
	close(ctl[0]);
	close(res[1]);
	p->ctl = ctl[1];
	p->res = res[0];
	close(p->lfd); /* the peer's now */
	p->lfd = -1;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (res[i] >= 0)
			close(res[i]);
	}
	close(p->lfd);
	p->lfd = -1;
	return set_why(why, why_size, "peer", e);
}

void io_peer__stop(struct io_peer *p)
{
	if (p->ctl >= 0)
		close(p->ctl); /* EOF: the peer reports and ends */
	p->ctl = -1;
	if (p->res >= 0) {
		/* Within a few seconds even when it serves a stuck client. */
		struct pollfd pfd = { .fd = p->res, .events = POLLIN };
		uint64_t counts[2];
		if (poll(&pfd, 1, 5000) == 1 &&
		    read(p->res, counts, sizeof(counts)) == (ssize_t)sizeof(counts)) {
			p->received = counts[0];
			p->served = counts[1];
		}
		close(p->res);
		p->res = -1;
	}
	if (p->pid > 0) {
		kill(p->pid, SIGKILL); /* gone already, or stuck: it ends now */
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
	}
	if (p->lfd >= 0)
		close(p->lfd);
	p->lfd = -1;
}

/* ---- the client ---- */

static int dial(const struct io_params *p, struct hdr *h, const void *extra, size_t extra_len)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = sin_of(p->peer, p->port);
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (h->test != IO_TCP_STREAM && h->test != IO_TCP_STREAM_RX)
		nodelay(fd);
	int rc;
	do
		rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* The header and the first request in one write, so a connection's
	 * first transaction costs one segment as netperf's does. */
	char first[sizeof(*h) + 64];
	if (extra_len <= 64) {
		memcpy(first, h, sizeof(*h));
		if (extra_len)
			memcpy(first + sizeof(*h), extra, extra_len);
		rc = full_send(fd, first, sizeof(*h) + extra_len);
	} else {
		rc = full_send(fd, h, sizeof(*h));
		if (rc == 0 && extra_len)
			rc = full_send(fd, extra, extra_len);
	}
	if (rc < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int stopped(const struct io_params *p)
{
	return p->stop && *p->stop;
}

/* One operation at least: the clock runs from before the connection, which
 * on a loaded host may take the whole time. */
static int more(const struct io_params *p, const struct io_result *r, uint64_t now, uint64_t t_end)
{
	return !stopped(p) && (!t_end || now < t_end || !r->ops) &&
	       (!p->max_bytes || r->bytes < p->max_bytes);
}

static int stream_tx(const struct io_params *p, uint64_t t_end, char *buf, struct io_result *r)
{
	struct hdr h = { .test = IO_TCP_STREAM, .block = p->block };
	int fd = dial(p, &h, NULL, 0);
	if (fd < 0)
		return errno;
	uint64_t sent = 0, t0 = clock__now_ns(), now = t0;
	int e = 0;
	while (!stopped(p) && (!t_end || now < t_end || !r->ops) &&
	       (!p->max_bytes || sent < p->max_bytes)) {
		size_t len = p->block;
		if (p->max_bytes && p->max_bytes - sent < len)
			len = (size_t)(p->max_bytes - sent);
		uint64_t t = clock__now_ns();
		if (full_send(fd, buf, len) < 0) {
			e = errno;
			break;
		}
		now = clock__now_ns();
		io_hist__add(&r->hist, now - t);
		sent += len;
		r->ops++;
	}
	uint64_t got = 0;
	if (!e && shutdown(fd, SHUT_WR) < 0)
		e = errno;
	if (!e && full_recv(fd, &got, sizeof(got)) < 0)
		e = errno;
	r->elapsed_ns = clock__now_ns() - t0; /* until the peer had it all */
	r->bytes = got;
	if (!e && got != sent)
		e = EPROTO;
	close(fd);
	return e;
}

static int stream_rx(const struct io_params *p, uint64_t t_end, char *buf, struct io_result *r)
{
	struct hdr h = { .test = IO_TCP_STREAM_RX, .block = p->block };
	int fd = dial(p, &h, NULL, 0);
	if (fd < 0)
		return errno;
	uint64_t t0 = clock__now_ns(), now = t0;
	int e = 0;
	while (more(p, r, now, t_end)) {
		size_t len = STREAM_CHUNK;
		if (p->max_bytes && p->max_bytes - r->bytes < len)
			len = (size_t)(p->max_bytes - r->bytes);
		ssize_t n = recv(fd, buf, len, 0);
		now = clock__now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ECONNRESET;
			break;
		}
		r->bytes += (uint64_t)n;
		r->ops++;
	}
	r->elapsed_ns = now - t0;
	close(fd);
	return e;
}

static int rr(const struct io_params *p, uint64_t t_end, char *buf, struct io_result *r)
{
	struct hdr h = { .test = IO_TCP_RR, .block = p->block };
	int fd = -1, e = 0;
	uint64_t t0 = clock__now_ns(), now = t0;
	memset(buf, 0x33, p->block);
	while (more(p, r, now, t_end)) {
		uint64_t t = clock__now_ns();
		int rc;
		if (fd < 0) {
			/* The first request goes with the header. */
			fd = dial(p, &h, buf, p->block);
			rc = fd < 0 ? -1 : 0;
			t0 = t;
		} else {
			rc = full_send(fd, buf, p->block);
		}
		if (rc < 0 || full_recv(fd, buf, p->block) < 0) {
			e = errno;
			break;
		}
		now = clock__now_ns();
		io_hist__add(&r->hist, now - t);
		r->ops++;
		r->bytes += 2 * p->block;
	}
	r->elapsed_ns = now - t0;
	if (fd >= 0)
		close(fd);
	return e;
}

static int crr(const struct io_params *p, uint64_t t_end, char *buf, struct io_result *r)
{
	struct hdr h = { .test = IO_TCP_CRR, .block = p->block };
	int e = 0;
	uint64_t t0 = clock__now_ns(), now = t0;
	memset(buf, 0x44, p->block);
	while (more(p, r, now, t_end)) {
		uint64_t t = clock__now_ns();
		int fd = dial(p, &h, buf, p->block);
		if (fd < 0 || full_recv(fd, buf, p->block) < 0) {
			e = errno;
			if (fd >= 0)
				close(fd);
			break;
		}
		char c;
		while (recv(fd, &c, 1, 0) < 0 && errno == EINTR) /* the peer's close */
			;
		close(fd);
		now = clock__now_ns();
		io_hist__add(&r->hist, now - t);
		r->ops++;
		r->bytes += 2 * p->block;
	}
	r->elapsed_ns = now - t0;
	return e;
}

static int net_run(const struct io_params *p, struct io_result *r, char *why, size_t why_size)
{
	if (!io__addr_allowed(p->peer))
		return set_why(why, why_size, "peer address outside loopback and the test link",
			       EADDRNOTAVAIL);
	if (!p->port || p->port > 65535)
		return set_why(why, why_size, "peer port", EINVAL);
	if (p->block < 1 || p->block > MAX_MSG)
		return set_why(why, why_size, "message size", EINVAL);
	if (!p->time_ns && !p->max_bytes)
		return set_why(why, why_size, "network test without a time or byte limit", EINVAL);
	char *buf = malloc(STREAM_CHUNK > p->block ? STREAM_CHUNK : p->block);
	if (!buf)
		return set_why(why, why_size, "buffer", ENOMEM);
	memset(buf, 0x5a, STREAM_CHUNK > p->block ? STREAM_CHUNK : p->block);
	uint64_t t_end = p->time_ns ? clock__now_ns() + p->time_ns : 0;
	int e = p->test == IO_TCP_STREAM      ? stream_tx(p, t_end, buf, r)
		: p->test == IO_TCP_STREAM_RX ? stream_rx(p, t_end, buf, r)
		: p->test == IO_TCP_RR	      ? rr(p, t_end, buf, r)
					      : crr(p, t_end, buf, r);
	free(buf);
	if (e)
		return set_why(why, why_size, io__test_name(p->test), e);
	return 0;
}

/* Without a port, the test gets a peer of its own on 127.0.0.1. */
int io_net__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size)
{
	if (p->port)
		return net_run(p, r, why, why_size);
	struct io_peer peer;
	if (io_peer__start(&peer, INADDR_LOOPBACK, why, why_size) < 0)
		return -1;
	struct io_params own = *p;
	own.peer = peer.addr;
	own.port = peer.port;
	int rc = net_run(&own, r, why, why_size);
	io_peer__stop(&peer);
	return rc;
}
