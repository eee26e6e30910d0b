#include "qemu/guest.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/owner.h"
#include "measure/wclient.h"
#include "qemu/qemu_arch.h"

enum { CH_QMP = 0, CH_CON = 1, CH_PROTO = 2, CH_OUT = 3 };
static const char *const sock_names[3] = { "qmp.sock", "con.sock", "ch.sock" };

#define LOG_CAP	 (1u << 20)
/* Poll slice: how often Ctrl-C and a silent exit are noticed. */
#define SLICE_MS 50

void qemu_guest__init(struct qemu_guest *g)
{
	memset(g, 0, sizeof(*g));
	for (int i = 0; i < 3; i++)
		g->listen_fd[i] = g->fd[i] = -1;
	g->out_fd = -1;
	g->proc.pid = -1;
	g->proc.in_fd = g->proc.out_fd = g->proc.err_fd = -1;
	g->qemu_ready_ms = g->ready_ms = g->exit_ms = -1;
	qemu_bootlog__init(&g->boot);
}

static void textlog__append(struct qemu_textlog *l, const char *s, size_t n)
{
	if (n > LOG_CAP)
		return;
	if (l->len + n + 1 > LOG_CAP) {
		/* Keep the newer half: the end of a log tells why it stopped. */
		size_t drop = l->len / 2 + n;
		if (drop > l->len)
			drop = l->len;
		memmove(l->data, l->data + drop, l->len - drop);
		l->len -= drop;
	}
	if (l->len + n + 1 > l->cap) {
		size_t ncap = l->cap ? l->cap : 4096;
		while (ncap < l->len + n + 1)
			ncap *= 2;
		char *p = realloc(l->data, ncap);
		if (!p)
			return;
		l->data = p;
		l->cap = ncap;
	}
	memcpy(l->data + l->len, s, n);
	l->len += n;
	l->data[l->len] = '\0';
}

static int listen_unix(const char *path, struct vb_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return err__set(err, ENAMETOOLONG, "socket %s (set TMPDIR to a shorter path)",
				path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err__set(err, errno, "socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		int e = errno;
		close(fd);
		return err__set(err, e, "listening on %s", path);
	}
	return fd;
}

/* argv strings live in one arena freed with the guest's start-up. */
struct argv_builder {
	char *argv[64];
	int n;
	bool overflow;
	char arena[16384];
	size_t used;
};

static void arg(struct argv_builder *b, const char *fmt, ...) VB_PRINTF(2, 3);
static void arg(struct argv_builder *b, const char *fmt, ...)
{
	if (b->n >= (int)(sizeof(b->argv) / sizeof(*b->argv)) - 1) {
		b->overflow = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(b->arena + b->used, sizeof(b->arena) - b->used, fmt, ap);
	va_end(ap);
	if (len < 0 || b->used + (size_t)len + 1 > sizeof(b->arena)) {
		b->overflow = true;
		return;
	}
	b->argv[b->n++] = b->arena + b->used;
	b->argv[b->n] = NULL;
	b->used += (size_t)len + 1;
}

static void build_argv(struct argv_builder *b, const struct qemu_guest_cfg *c)
{
	const struct qemu_arch *a = qemu_arch__get();
	bool kvm = !strcmp(c->accel, "kvm");
	arg(b, "%s", c->qemu);
	arg(b, "-name");
	arg(b, "virtbench");
	/* Only the devices named here: no default NIC, VGA, floppy or CD. */
	arg(b, "-nodefaults");
	arg(b, "-no-user-config");
	arg(b, "-display");
	arg(b, "none");
	arg(b, "-no-reboot");
	arg(b, "-nic");
	arg(b, "none");
	arg(b, "-machine");
	arg(b, "%s", a->machine);
	arg(b, "-accel");
	arg(b, "%s", kvm ? "kvm" : "tcg");
	const char *cpu = kvm ? a->cpu_kvm : a->cpu_tcg;
	if (cpu) {
		arg(b, "-cpu");
		arg(b, "%s", cpu);
	}
	arg(b, "-smp");
	arg(b, "%u", c->vcpus);
	arg(b, "-m");
	arg(b, "%uM", c->memory_mb);
	arg(b, "-chardev");
	arg(b, "socket,id=vbqmp,path=%s/%u%s", c->dir, c->id, sock_names[CH_QMP]);
	arg(b, "-mon");
	arg(b, "chardev=vbqmp,mode=control");
	arg(b, "-chardev");
	arg(b, "socket,id=vbcon,path=%s/%u%s", c->dir, c->id, sock_names[CH_CON]);
	arg(b, "-serial");
	arg(b, "chardev:vbcon");
	if (!a->channel_shared) {
		arg(b, "-chardev");
		arg(b, "socket,id=vbch,path=%s/%u%s", c->dir, c->id, sock_names[CH_PROTO]);
		arg(b, "-serial");
		arg(b, "chardev:vbch");
	}
	if (c->kernel) {
		arg(b, "-kernel");
		arg(b, "%s", c->kernel);
		arg(b, "-initrd");
		arg(b, "%s", c->initrd);
		/* loglevel=7: the hand-over line ("Run /init") is KERN_INFO.
		 * panic=-1 with -no-reboot: a guest that panics ends QEMU at once. */
		arg(b, "-append");
		arg(b, "console=%s loglevel=7 rdinit=/init panic=-1 vb.console=%s vb.marker=%s%s%s",
		    a->kernel_console, a->channel_dev, c->marker, c->append ? " " : "",
		    c->append ? c->append : "");
	}
	if (c->disk) {
		/* No bootable disk: the firmware reboots at once instead of
		 * retrying, and -no-reboot turns that into QEMU's exit. */
		arg(b, "-boot");
		arg(b, "strict=on,reboot-timeout=0");
		if (a->disk_firmware) {
			arg(b, "-bios");
			arg(b, "%s", a->disk_firmware);
		}
		arg(b, "-drive");
		arg(b, "file=%s,if=virtio,format=qcow2,cache=unsafe", c->disk);
	}
	if (c->seed) {
		arg(b, "-drive");
		arg(b, "file=%s,if=virtio,format=raw,readonly=on", c->seed);
	}
	for (const char *const *e = c->extra; e && *e; e++)
		arg(b, "%s", *e);
}

/* QEMU dies with us (PR_SET_PDEATHSIG); should it not, the next run finds
 * it by this file in our pid-named work dir (qemu__sweep) and checks its
 * start time and command line before it kills it. */
static void pidfile_path(const struct qemu_guest *g, char *out, size_t size)
{
	snprintf(out, size, "%s/" QEMU_PIDFILE_PREFIX "%d.pid", g->cfg.dir, (int)g->proc.pid);
}

static void write_pidfile(const struct qemu_guest *g)
{
	struct vb_owner o;
	char path[PATH_MAX], text[64];
	if (!g->cfg.dir || owner__of(g->proc.pid, &o) < 0)
		return;
	pidfile_path(g, path, sizeof(path));
	int n = snprintf(text, sizeof(text), "%d %llu\n", (int)o.pid, (unsigned long long)o.start);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	ssize_t w = write(fd, text, (size_t)n);
	(void)w;
	close(fd);
}

int qemu_guest__start(struct qemu_guest *g, const struct qemu_guest_cfg *cfg, struct vb_err *err)
{
	const struct qemu_arch *a = qemu_arch__get();
	g->cfg = *cfg;
	int nsock = a->channel_shared ? 2 : 3;
	for (int i = 0; i < nsock; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%u%s", cfg->dir, cfg->id, sock_names[i]);
		g->listen_fd[i] = listen_unix(path, err);
		if (g->listen_fd[i] < 0) {
			qemu_guest__destroy(g);
			return -1;
		}
	}
	struct argv_builder *b = calloc(1, sizeof(*b));
	if (!b) {
		qemu_guest__destroy(g);
		return err__set(err, ENOMEM, "qemu arguments");
	}
	build_argv(b, cfg);
	if (b->overflow) {
		free(b);
		qemu_guest__destroy(g);
		return err__set(err, E2BIG,
				"the QEMU command line is too long (shorter --append?)");
	}
	struct vb_proc_opts po = {
		.argv = b->argv,
		.stderr_to_stdout = true,
		.pass_fd = cfg->pass_fd,
	};
	g->t0_ms = clock__now_ms();
	int rc = proc__spawn(&po, &g->proc, err);
	free(b);
	if (rc < 0) {
		qemu_guest__destroy(g);
		return err__wrap(err, "starting %s", cfg->qemu);
	}
	g->spawned = true;
	g->out_fd = g->proc.out_fd;
	write_pidfile(g);
	return 0;
}

/* A protocol line from the guest: before ready only our VBREADY counts
 * (the worker protocol client parses it, as every platform's); after it,
 * lines queue for qemu_guest__recv. */
static void proto_line(struct qemu_guest *g, char *line, double t)
{
	if (g->ready_ms < 0) {
		struct vbp_ready r;
		if (qemu_bootlog__report(&g->boot, line))
			return;
		if (wclient__is_ready(line, g->cfg.marker, &r)) {
			g->ready_ms = t - g->t0_ms;
			g->guest_ready_ts_ns = r.ts_ns;
			qemu_bootlog__ready(&g->boot, g->ready_ms, r.ts_ns);
		}
		return;
	}
	if (g->qlen >= QEMU_GUEST_QUEUE_MAX)
		return;
	char *copy = strdup(line);
	if (!copy)
		return;
	g->queue[(g->qhead + g->qlen++) % QEMU_GUEST_QUEUE_MAX] = copy;
}

static void qmp_line(struct qemu_guest *g, const char *line, double t)
{
	json_t *j = json_loads(line, 0, NULL);
	if (!j)
		return;
	if (g->qmp_state == 0 && json_object_get(j, "QMP")) {
		static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
		if (send(g->fd[CH_QMP], caps, sizeof(caps) - 1, MSG_NOSIGNAL) ==
		    (ssize_t)(sizeof(caps) - 1))
			g->qmp_state = 1;
	} else if (g->qmp_state == 1 && json_object_get(j, "return")) {
		g->qmp_state = 2;
		g->qemu_ready_ms = t - g->t0_ms;
	}
	json_decref(j);
}

static void handle_line(struct qemu_guest *g, int ch, char *line, size_t len, double t)
{
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	switch (ch) {
	case CH_QMP: qmp_line(g, line, t); break;
	case CH_CON: {
		textlog__append(&g->console, line, len);
		textlog__append(&g->console, "\n", 1);
		qemu_bootlog__console(&g->boot, line, t - g->t0_ms);
		/* One UART for both: protocol records are the lines that
		 * start with "VB" once leading noise is skipped. */
		if (qemu_arch__get()->channel_shared) {
			char *p = strstr(line, "VB");
			if (p && (p == line || (unsigned char)p[-1] < ' '))
				proto_line(g, p, t);
		}
		break;
	}
	case CH_PROTO: proto_line(g, line, t); break;
	case CH_OUT:
		textlog__append(&g->qemu_out, line, len);
		textlog__append(&g->qemu_out, "\n", 1);
		break;
	}
}

/* Reads what is there; returns 0, or 1 at end of stream. */
static int drain(struct qemu_guest *g, int ch, int fd, double t)
{
	struct qemu_linebuf *lb = &g->lb[ch];
	for (;;) {
		ssize_t n = read(fd, lb->buf + lb->len, sizeof(lb->buf) - 1 - lb->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
		}
		if (n == 0) {
			if (lb->len) {
				lb->buf[lb->len] = '\0';
				handle_line(g, ch, lb->buf, lb->len, t);
				lb->len = 0;
			}
			return 1;
		}
		lb->len += (size_t)n;
		size_t start = 0;
		for (size_t i = 0; i < lb->len; i++) {
			if (lb->buf[i] != '\n')
				continue;
			lb->buf[i] = '\0';
			handle_line(g, ch, lb->buf + start, i - start, t);
			start = i + 1;
		}
		if (start == 0 && lb->len == sizeof(lb->buf) - 1) {
			/* An over-long line: hand it on in pieces. */
			lb->buf[lb->len] = '\0';
			handle_line(g, ch, lb->buf, lb->len, t);
			lb->len = 0;
		} else if (start) {
			memmove(lb->buf, lb->buf + start, lb->len - start);
			lb->len -= start;
		}
		if (ch == CH_OUT)
			return 0; /* a pipe: blocking, read once per wake-up */
	}
}

/* One round of the event loop: accepts QEMU's connections, reads whatever
 * arrived, and notices QEMU's exit. */
static void pump(struct qemu_guest *g, int timeout_ms)
{
	struct pollfd pfd[7];
	int which[7], n = 0;
	for (int i = 0; i < 3; i++) {
		if (g->listen_fd[i] >= 0) {
			pfd[n] = (struct pollfd){ .fd = g->listen_fd[i], .events = POLLIN };
			which[n++] = 10 + i;
		}
		if (g->fd[i] >= 0) {
			pfd[n] = (struct pollfd){ .fd = g->fd[i], .events = POLLIN };
			which[n++] = i;
		}
	}
	if (g->out_fd >= 0) {
		pfd[n] = (struct pollfd){ .fd = g->out_fd, .events = POLLIN };
		which[n++] = CH_OUT;
	}
	/* After QEMU closed something it is on its way out: look often. */
	if (g->saw_eof && timeout_ms > 1)
		timeout_ms = 1;
	int r = poll(pfd, (nfds_t)n, timeout_ms);
	double t = clock__now_ms();
	for (int i = 0; r > 0 && i < n; i++) {
		if (!pfd[i].revents)
			continue;
		int w = which[i];
		if (w >= 10) {
			int c = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (c >= 0) {
				g->fd[w - 10] = c;
				close(g->listen_fd[w - 10]);
				g->listen_fd[w - 10] = -1;
			}
			continue;
		}
		int fd = w == CH_OUT ? g->out_fd : g->fd[w];
		if (drain(g, w, fd, t)) {
			g->saw_eof = true;
			if (w == CH_OUT)
				g->out_fd = -1; /* proc__stop closes the pipe itself */
			else {
				close(fd);
				g->fd[w] = -1;
			}
		}
	}
	if (g->spawned && !g->exited && proc__exited(&g->proc, &g->status)) {
		g->exited = true;
		g->exit_ms = t - g->t0_ms;
		/* Whatever QEMU wrote last is still in the pipe. */
		if (g->out_fd >= 0) {
			while (drain(g, CH_OUT, g->out_fd, t) == 0) {
				struct pollfd p = { .fd = g->out_fd, .events = POLLIN };
				if (poll(&p, 1, 0) <= 0)
					break;
			}
		}
	}
}

static void describe_exit(const struct qemu_guest *g, char *out, size_t size)
{
	if (WIFSIGNALED(g->status))
		snprintf(out, size, "QEMU was killed by signal %d (%s)", WTERMSIG(g->status),
			 strsignal(WTERMSIG(g->status)));
	else
		snprintf(out, size, "QEMU exited with status %d", WEXITSTATUS(g->status));
}

/* Pumps until cond(g) holds; errors for exit, timeout and Ctrl-C. */
static int pump_until(struct qemu_guest *g, bool (*cond)(const struct qemu_guest *), int timeout_ms,
		      const char *what, struct vb_err *err)
{
	double deadline = clock__now_ms() + timeout_ms;
	while (!cond(g)) {
		if (g->boot.fatal[0])
			return err__set(err, 0, "the guest failed to boot before %s: %s", what,
					g->boot.fatal);
		if (g->exited) {
			char why[128], tail[600];
			describe_exit(g, why, sizeof(why));
			qemu_guest__log_tail(g, 3, tail, sizeof(tail));
			return err__set(err, 0, "%s before %s%s%s", why, what, tail[0] ? ": " : "",
					tail);
		}
		if (interrupt__pending())
			return err__set(err, EINTR, "waiting for %s", what);
		double left = deadline - clock__now_ms();
		if (left <= 0)
			return err__set(err, ETIMEDOUT, "no %s within %.0f s", what,
					timeout_ms / 1e3);
		pump(g, left < SLICE_MS ? (int)left + 1 : SLICE_MS);
	}
	return 0;
}

/* Ready means the marker arrived and QMP has answered (it always answers
 * long before a kernel boots; waiting for it keeps the phases complete). */
static bool is_ready(const struct qemu_guest *g)
{
	return g->ready_ms >= 0 && g->qmp_state == 2;
}

int qemu_guest__wait_ready(struct qemu_guest *g, int timeout_ms, struct vb_err *err)
{
	return pump_until(g, is_ready, timeout_ms, "the guest's ready marker", err);
}

int qemu_guest__send(struct qemu_guest *g, const char *line, struct vb_err *err)
{
	int fd = g->fd[qemu_arch__get()->channel_shared ? CH_CON : CH_PROTO];
	if (fd < 0)
		return err__set(err, EPIPE, "the guest's channel is closed");
	size_t len = strlen(line), off = 0;
	double deadline = clock__now_ms() + 10000;
	while (off < len) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    clock__now_ms() < deadline) {
				pump(g, 1);
				continue;
			}
			return err__set(err, errno, "writing to the guest");
		}
		off += (size_t)n;
	}
	return 0;
}

static int client_send(void *ctx, const char *line, struct vb_err *err)
{
	return qemu_guest__send(ctx, line, err);
}

static int client_recv(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err)
{
	return qemu_guest__recv(ctx, line, size, timeout_ms, err);
}

void qemu_guest__client(struct qemu_guest *g, struct wclient *c)
{
	*c = (struct wclient){ .name = "guest", .send = client_send, .recv = client_recv, .ctx = g };
}

static bool has_line(const struct qemu_guest *g)
{
	return g->qlen > 0;
}

int qemu_guest__recv(struct qemu_guest *g, char *line, size_t size, int timeout_ms,
		     struct vb_err *err)
{
	if (pump_until(g, has_line, timeout_ms, "an answer from the guest", err) < 0)
		return -1;
	char *l = g->queue[g->qhead];
	g->qhead = (g->qhead + 1) % QEMU_GUEST_QUEUE_MAX;
	g->qlen--;
	snprintf(line, size, "%s", l);
	free(l);
	return 0;
}

int qemu_guest__shutdown(struct qemu_guest *g, int timeout_ms, struct vb_err *err)
{
	struct wclient c;
	qemu_guest__client(g, &c);
	if (wclient__exit(&c, err) < 0)
		return -1;
	double sent = clock__now_ms() - g->t0_ms;
	double deadline = clock__now_ms() + timeout_ms;
	while (!g->exited) {
		if (interrupt__pending())
			return err__set(err, EINTR, "waiting for the guest to power off");
		double left = deadline - clock__now_ms();
		if (left <= 0)
			return err__set(err, ETIMEDOUT, "the guest did not power off within %.0f s",
					timeout_ms / 1e3);
		pump(g, left < SLICE_MS ? (int)left + 1 : SLICE_MS);
	}
	if (WIFSIGNALED(g->status) || WEXITSTATUS(g->status) != 0) {
		char why[128];
		describe_exit(g, why, sizeof(why));
		return err__set(err, 0, "%s at power-off", why);
	}
	/* Shutdown is measured from the request, not from spawn. */
	g->exit_ms -= sent;
	return 0;
}

void qemu_guest__destroy(struct qemu_guest *g)
{
	/* A second Ctrl-C waits for QEMU's end and the files' removal. */
	interrupt__cleanup_enter();
	if (g->spawned) {
		char pidfile[PATH_MAX];
		pidfile_path(g, pidfile, sizeof(pidfile));
		proc__stop(&g->proc, 2000);
		g->spawned = false;
		if (g->cfg.dir)
			unlink(pidfile);
	}
	for (int i = 0; i < 3; i++) {
		if (g->listen_fd[i] >= 0)
			close(g->listen_fd[i]);
		if (g->fd[i] >= 0)
			close(g->fd[i]);
		g->listen_fd[i] = g->fd[i] = -1;
		if (g->cfg.dir) {
			char path[512];
			snprintf(path, sizeof(path), "%s/%u%s", g->cfg.dir, g->cfg.id,
				 sock_names[i]);
			unlink(path);
		}
	}
	g->out_fd = -1;
	while (g->qlen) {
		free(g->queue[g->qhead]);
		g->qhead = (g->qhead + 1) % QEMU_GUEST_QUEUE_MAX;
		g->qlen--;
	}
	free(g->console.data);
	free(g->qemu_out.data);
	memset(&g->console, 0, sizeof(g->console));
	memset(&g->qemu_out, 0, sizeof(g->qemu_out));
	interrupt__cleanup_leave();
}

void qemu_guest__times(const struct qemu_guest *g, struct qemu_boot_times *t)
{
	memset(t, 0, sizeof(*t));
	t->qemu_ready_ms = g->qemu_ready_ms;
	t->ready_ms = g->ready_ms;
	t->shutdown_ms = g->exit_ms;
	t->have_kernel_entry = g->boot.klog.have_entry;
	t->kernel_entry_ms = g->boot.klog.entry_ms;
	t->have_kernel_done = qemu_klog__done_ms(&g->boot.klog, &t->kernel_done_ms);
}

void qemu_guest__log_tail(const struct qemu_guest *g, unsigned nlines, char *out, size_t size)
{
	const struct qemu_textlog *l = g->qemu_out.len ? &g->qemu_out : &g->console;
	out[0] = '\0';
	if (!l->len || !size)
		return;
	/* Walk back over nlines non-empty lines. */
	size_t end = l->len, start = end;
	unsigned found = 0;
	while (start > 0 && found < nlines) {
		size_t e = start;
		while (e > 0 && (l->data[e - 1] == '\n' || l->data[e - 1] == '\r'))
			e--;
		size_t s = e;
		while (s > 0 && l->data[s - 1] != '\n')
			s--;
		if (e > s)
			found++;
		start = s;
	}
	size_t used = 0;
	for (size_t i = start; i < end && used + 4 < size; i++) {
		unsigned char c = (unsigned char)l->data[i];
		if (c == '\n') {
			if (used && i + 1 < end)
				used += (size_t)snprintf(out + used, size - used, " | ");
		} else if (c >= ' ' && c < 0x7f) {
			out[used++] = (char)c;
			out[used] = '\0';
		}
	}
	if (used >= size)
		out[size - 1] = '\0';
}

char *qemu_guest__log_text(const struct qemu_guest *g)
{
	size_t n = g->qemu_out.len + g->console.len + 128;
	char *s = malloc(n);
	if (!s)
		return NULL;
	snprintf(s, n, "== QEMU output ==\n%s== guest console ==\n%s",
		 g->qemu_out.len ? g->qemu_out.data : "", g->console.len ? g->console.data : "");
	return s;
}
