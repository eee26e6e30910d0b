/* vm.disk and vm.net on QEMU (qemu_bench.h): the jobs of measure/iobench.h
 * in a guest of the embedded kind and natively, in turn within every
 * iteration. The guest's initramfs carries the virtio drivers where the
 * kernel has them as modules; the worker loads them before it is ready.
 *
 * Disk: one raw file in a directory of its own under --dir (owner-named,
 * so a later run's sweep removes what a killed one left), or the block
 * device of --device, attached to a guest per mode. The guests find it by
 * its serial. Both guests and the native run use the same file, one at a
 * time, each with O_DIRECT (QEMU's cache=none), so none sees another's
 * cached copy; QEMU's image locking is off because the other guest holds
 * the file too.
 *
 * Net: QEMU's user-mode network with restrict=on (no way out of the VM)
 * on a private subnet, and one forwarded port on 127.0.0.1 only. Its
 * guestfwd carries a single connection per character device, so the
 * roles go the other way round: the guest's worker is the peer and
 * virtbench connects to it from the host (tcp_crr's connections are the
 * host's; tcp_stream is the guest sending, as in a container).
 *
 * As root, a second guest has a tap device instead (net/peer_ns.h):
 * the device lives in a network namespace of virtbench's own and QEMU, in
 * the host's, gets only its descriptor, so the link joins that namespace
 * and the guest and nothing else. The tap has the peer's address of the
 * same link (IO_NET_LINK_PEER) and the guest keeps its own, so the guest
 * is configured as for user mode. The peer runs in our namespace and the
 * guest's worker connects to it, as a container's does. vhost=on when
 * /dev/vhost-net opens; the mode says which. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/peer_ns.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "measure/iobench.h"
#include "measure/wclient.h"
#include "native/native.h"
#include "qemu/session.h"
#include "worker/io.h"

#define DISK_SERIAL "virtbench-io"
/* The guest peer's port on its private subnet. */
#define GUEST_PORT  5201
#define MAX_GUESTS  2
#define ARG_MAX_LEN (PATH_MAX * 2 + 256)

struct io_guest {
	struct qemu_session *s;
	const struct vb_guest_config *cfg;
	struct qemu_guest g;
	struct wclient c;
	const char *mode;
	bool booted, net;
	bool tap;	    /* net: tap in our namespace; the peer is ours (peer_ns__tap) */
	int tap_fd;	    /* until QEMU has it */
	uint32_t peer_port; /* tap: our peer's port on IO_NET_LINK_PEER */
	const char *note;   /* tap: why without vhost, or NULL */
	uint32_t host_port; /* net: 127.0.0.1's port forwarded to the guest's peer */
	int timeout_ms;
	char args[4][ARG_MAX_LEN];
	const char *argv[5];
};

static const char *const disk_modes[MAX_GUESTS] = { "io_uring", "threads" };

static int guest_exec(void *ctx, const struct wl_job *job, struct wl_report *rep,
		      struct vb_err *err)
{
	struct io_guest *q = ctx;
	if (interrupt__pending())
		return err__set(err, EINTR, "interrupted");
	if (!q->net) {
		/* The native run filled the same file with the same pattern
		 * before the guests (it is the first target), and the disk
		 * stays: nothing to make or remove here. */
		if (job->io_test == IO_NONE) {
			memset(rep, 0, sizeof(*rep));
			return 0;
		}
		return wclient__run_one(&q->c, job, rep, q->timeout_ms, err);
	}
	struct wl_job j = *job;
	if (q->tap) {
		j.io_peer = IO_NET_LINK_PEER;
		j.io_port = q->peer_port;
		return wclient__run_one(&q->c, &j, rep, q->timeout_ms, err);
	}
	if (j.io_test == IO_TCP_STREAM)
		j.io_test = IO_TCP_STREAM_RX;
	else if (j.io_test == IO_TCP_STREAM_RX)
		j.io_test = IO_TCP_STREAM;
	j.io_peer = INADDR_LOOPBACK;
	j.io_port = q->host_port;
	char why[256];
	errno = 0;
	if (io__run_job(&j, interrupt__flag(), rep, why, sizeof(why)) < 0)
		return err__set(err, errno ? errno : EIO, "%s", why);
	if (interrupt__pending())
		return err__set(err, EINTR, "interrupted");
	return 0;
}

/* session__describe's keys but the guest (always the initramfs) and the
 * QEMU version (in the set's extra.qemu): with the disk keys, direct and
 * engine they would pass VB_MAX_CONFIG. */
static void guest_label(void *ctx, struct vb_result *r)
{
	struct io_guest *q = ctx;
	const char *kernel = q->s->kernel ? strrchr(q->s->kernel, '/') : NULL;
	result__set_config(r, VB_CFG_VCPUS, "%u", q->cfg->vcpus);
	result__set_config(r, VB_CFG_MEMORY_MIB, "%u", q->cfg->memory_mb);
	result__set_config(r, VB_CFG_ACCEL, "%s", q->s->accel.accel);
	if (kernel)
		result__set_config(r, VB_CFG_KERNEL, "%s", kernel + 1);
	session__mark(q->s, r);
	if (q->note) {
		size_t n = strlen(r->note);
		snprintf(r->note + n, sizeof(r->note) - n, "%s%s", n ? "; " : "", q->note);
	}
}

/* QEMU's option syntax: a comma in a value is written twice. */
static int escape_commas(char *out, size_t size, const char *in)
{
	size_t n = 0;
	for (; *in; in++) {
		if (n + 3 > size)
			return -1;
		if (*in == ',')
			out[n++] = ',';
		out[n++] = *in;
	}
	out[n] = '\0';
	return 0;
}

static int disk_args(struct io_guest *q, const char *raw, const char *aio, struct vb_err *err)
{
	char path[PATH_MAX * 2];
	if (escape_commas(path, sizeof(path), raw) < 0)
		return err__usage(err, "--dir: path too long");
	snprintf(q->args[0], ARG_MAX_LEN, "-drive");
	snprintf(q->args[1], ARG_MAX_LEN,
		 "file=%s,if=none,id=vbdisk,format=raw,cache=none,aio=%s,file.locking=off", path,
		 aio);
	snprintf(q->args[2], ARG_MAX_LEN, "-device");
	snprintf(q->args[3], ARG_MAX_LEN, "virtio-blk-pci,drive=vbdisk,serial=%s", DISK_SERIAL);
	return 0;
}

static void ip4(char *out, size_t size, uint32_t a)
{
	snprintf(out, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* The user-mode network: the guest alone on a private /24 (the link
 * addresses of worker/io.h), restrict=on, and one port forwarded from
 * 127.0.0.1. */
static void net_args(struct io_guest *q)
{
	char host[16], guest[16];
	ip4(host, sizeof(host), IO_NET_LINK_PEER);
	ip4(guest, sizeof(guest), IO_NET_LINK_CONTAINER);
	uint32_t a = IO_NET_LINK_PEER & ~255u;
	snprintf(q->args[0], ARG_MAX_LEN, "-netdev");
	snprintf(q->args[1], ARG_MAX_LEN,
		 "user,id=vbnet,restrict=on,ipv6=off,net=%u.%u.%u.0/24,host=%s,dns=%u.%u.%u.3,"
		 "hostfwd=tcp:127.0.0.1:%u-%s:%u",
		 a >> 24, (a >> 16) & 255, (a >> 8) & 255, host, a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, q->host_port, guest, GUEST_PORT);
	snprintf(q->args[2], ARG_MAX_LEN, "-device");
	snprintf(q->args[3], ARG_MAX_LEN, "virtio-net-pci,netdev=vbnet");
}

/* The tap: its descriptor handed to QEMU (kept open across its exec). */
static void tap_args(struct io_guest *q, bool vhost)
{
	snprintf(q->args[0], ARG_MAX_LEN, "-netdev");
	snprintf(q->args[1], ARG_MAX_LEN, "tap,id=vbnet,fd=%d,vhost=%s", q->tap_fd,
		 vhost ? "on" : "off");
	snprintf(q->args[2], ARG_MAX_LEN, "-device");
	snprintf(q->args[3], ARG_MAX_LEN, "virtio-net-pci,netdev=vbnet");
}

/* vhost=on only where QEMU could open the device; else the reason. */
static bool vhost_usable(char *why, size_t size)
{
	int fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "without vhost-net: /dev/vhost-net: %s", strerror(errno));
		return false;
	}
	close(fd);
	why[0] = '\0';
	return true;
}

/* A free port on 127.0.0.1 for the forwarding (QEMU binds it at start; a
 * port taken in between makes QEMU fail with a clear message). */
static int free_port(uint32_t *port, struct vb_err *err)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return err__set(err, e, "a port on 127.0.0.1");
	}
	close(fd);
	*port = ntohs(a.sin_port);
	return 0;
}

static int guest_boot(struct io_guest *q, struct vb_err *err)
{
	for (int i = 0; i < 4; i++)
		q->argv[i] = q->args[i];
	q->argv[4] = NULL;
	q->s->extra_args = q->argv;
	/* QEMU alone inherits the tap: only its child opens it up. */
	q->s->pass_fd = q->tap_fd >= 0 ? q->tap_fd : 0;
	int rc = session__boot(q->s, q->cfg, &q->g, err);
	q->s->extra_args = NULL;
	q->s->pass_fd = 0;
	if (q->tap_fd >= 0) {
		close(q->tap_fd); /* QEMU's now: the device lasts while QEMU runs */
		q->tap_fd = -1;
	}
	if (rc < 0)
		return err__wrap(err, "%s", q->mode);
	q->booted = true;
	qemu_guest__client(&q->g, &q->c);
	if (!q->net || q->tap)
		return 0;
	struct wl_job j = { .kind = WL_NET,
			    .threads = 1,
			    .io_test = IO_NONE,
			    .io_peer = IO_NET_LINK_CONTAINER,
			    .io_port = GUEST_PORT };
	struct wl_report rep;
	if (wclient__run_one(&q->c, &j, &rep, q->timeout_ms, err) < 0)
		return err__wrap(err, "starting the peer in the guest");
	return 0;
}

static int guests_down(struct io_guest *q, unsigned n, bool clean, struct vb_err *err)
{
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!q[i].booted)
			continue;
		q[i].booted = false;
		struct vb_err e = { 0 };
		if (!clean)
			session__abort(q[i].s, &q[i].g);
		else if (session__halt(q[i].s, &q[i].g, &e) < 0 && rc == 0) {
			*err = e;
			rc = -1;
		}
	}
	return rc;
}

/* The raw file the guests get: made here (QEMU opens it at start), filled
 * by the native run's first job. O_DIRECT must work on it: cache=none is
 * QEMU's O_DIRECT. */
static int make_raw(const char *path, uint64_t size, struct vb_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EINVAL)
		return err__usage(err,
				  "--dir: its file system does not take O_DIRECT, which QEMU's "
				  "cache=none needs; name a directory on another file system");
	if (fd < 0)
		return err__set(err, errno, "creating %s", path);
	int rc = ftruncate(fd, (off_t)size) < 0 ? err__set(err, errno, "sizing %s", path) : 0;
	close(fd);
	return rc;
}

/* The tap guest's own set-up: our namespace, the tap, the peer. */
static int tap_up(struct io_guest *q, struct peer_ns *tn, bool vhost, struct vb_err *err)
{
	if (peer_ns__tap(tn, &q->tap_fd, err) < 0)
		return err__wrap(err, "%s", q->mode);
	q->peer_port = tn->peer.port;
	tap_args(q, vhost);
	return 0;
}

/* tap: the second guest has the tap (as root; the caller decided). */
static int run(struct qemu_session *s, const struct vb_guest_config *cfg,
	       const struct iobench_opts *io, bool tap, struct vb_result_set *out,
	       struct vb_err *err)
{
	const char *bench = io->net ? VB_BENCH_VM_NET : VB_BENCH_VM_DISK;
	struct iobench_target t[1 + MAX_GUESTS];
	char dir[4096] = "", raw[PATH_MAX] = "";
	struct io_guest *q = calloc(MAX_GUESTS, sizeof(*q));
	if (!q)
		return err__set(err, ENOMEM, "%s", bench);
	int rc = native__io_target(io, &t[0], dir, sizeof(dir), err);
	t[0].benchmark = bench;
	unsigned ng = io->net ? (tap ? 2 : 1) : MAX_GUESTS;
	struct peer_ns tn;
	bool tn_up = false;
	char vhost_why[160] = "";
	bool vhost = tap && vhost_usable(vhost_why, sizeof(vhost_why));
	if (rc == 0 && dir[0]) {
		if ((size_t)snprintf(raw, sizeof(raw), "%s/%s", dir, IO_FILE_NAME) >= sizeof(raw))
			rc = err__usage(err, "--dir: path too long");
		else
			rc = make_raw(raw, io->size, err);
		t[0].io_dir = raw;
		t[0].io_dev = IO_DEV_PATH;
	}
	if (rc == 0 && io->device) /* checked before the run; never removed */
		snprintf(raw, sizeof(raw), "%s", io->device);
	if (rc == 0 && io->net)
		rc = free_port(&q[0].host_port, err);
	for (unsigned i = 0; i < ng; i++) {
		q[i].s = s;
		q[i].cfg = cfg;
		q[i].net = io->net;
		q[i].tap = io->net && i == 1;
		q[i].tap_fd = -1;
		q[i].mode = io->net ? "virtio-net,user" : NULL;
		q[i].timeout_ms = (int)(io->time_s * 1000) * 50 + session__timeout_ms(s);
		if (q[i].tap) {
			q[i].mode = qemu_bench__tap_mode(vhost);
			q[i].note = vhost ? NULL : vhost_why;
			struct vb_err te = { 0 };
			if (rc == 0 && tap_up(&q[i], &tn, vhost, &te) == 0) {
				tn_up = true;
			} else if (rc == 0) {
				/* A host without /dev/net/tun, say: that mode's skip;
				 * the user-mode guest is still measured. */
				if (interrupt__pending()) {
					*err = te;
					rc = -1;
				} else {
					result_set__skip(out, bench, VB_PLATFORM_QEMU,
							 "%s mode: %s", q[i].mode, te.msg);
				}
				ng = i;
				break;
			}
		} else if (io->net)
			net_args(&q[i]);
		else if (rc == 0)
			rc = disk_args(&q[i], raw, disk_modes[i], err);
		t[1 + i] = (struct iobench_target){
			.benchmark = bench,
			.platform = VB_PLATFORM_QEMU,
			.io_dir = io->net ? NULL : DISK_SERIAL,
			.io_dev = io->net ? IO_DEV_NONE : IO_DEV_SERIAL,
			.exec = guest_exec,
			.ctx = &q[i],
			.label = guest_label,
		};
	}
	char modes[MAX_GUESTS][64];
	for (unsigned i = 0; i < ng; i++) {
		if (!io->net) {
			snprintf(modes[i], sizeof(modes[i]), "virtio-blk,cache=none,aio=%s",
				 disk_modes[i]);
			q[i].mode = modes[i];
		}
		t[1 + i].mode = q[i].mode;
		if (rc == 0)
			rc = guest_boot(&q[i], err);
	}
	if (rc == 0)
		rc = iobench__run(io, t, 1 + ng, out, err);
	interrupt__cleanup_enter();
	struct vb_err e2 = { 0 };
	if (guests_down(q, ng, rc == 0, &e2) < 0 && rc == 0) {
		*err = e2;
		rc = -1;
	}
	for (unsigned i = 0; i < ng; i++)
		if (q[i].tap_fd >= 0)
			close(q[i].tap_fd); /* QEMU never started */
	if (tn_up)
		peer_ns__close(&tn); /* after QEMU: the namespace, tap and peer go */
	if (dir[0] && raw[0] && unlink(raw) < 0 && errno != ENOENT && rc == 0)
		rc = err__set(err, errno, "removing %s", raw);
	if (native__io_target_done(dir, &e2) < 0 && rc == 0) {
		*err = e2;
		rc = -1;
	}
	interrupt__cleanup_leave();
	free(q);
	return rc;
}

int qemu_bench__io(const struct qemu_bench_opts *o, const struct iobench_opts *io,
		   struct vb_result_set *out, struct vb_err *err)
{
	static const char *const disk_mods[] = { "virtio_pci", "virtio_blk", NULL };
	static const char *const net_mods[] = { "virtio_pci", "virtio_net", NULL };
	const char *bench = io->net ? VB_BENCH_VM_NET : VB_BENCH_VM_DISK;
	if (o->image)
		return err__usage(err, "--image boots a cloud image for vm boot only; the disk and "
				       "net jobs run in the embedded guest (drop --image)");
	struct qemu_bench_opts qo = *o;
	qo.modules = io->net ? net_mods : disk_mods;
	/* One guest size: the disk and network paths hardly depend on it. */
	struct vb_guest_config cfg = { 1, 512 };
	if (o->nconfigs)
		cfg = o->configs[0];
	/* The tap needs a namespace and a device of our own: root. */
	bool tap = io->net && geteuid() == 0;
	if (io->net && !tap)
		result_set__skip(out, bench, VB_PLATFORM_QEMU,
				 "%s mode: needs root (a network namespace of virtbench's own "
				 "with a tap device in it)",
				 qemu_bench__tap_mode(access("/dev/vhost-net", F_OK) == 0));
	struct qemu_session s;
	if (session__open(&s, &qo, err) < 0)
		return err__wrap(err, "%s (qemu)", bench);
	session__record(&s, out);
	int rc = run(&s, &cfg, io, tap, out, err);
	session__close(&s);
	return rc < 0 ? err__wrap(err, "%s (qemu)", bench) : 0;
}

const char *qemu_bench__tap_mode(bool vhost)
{
	return vhost ? "virtio-net,tap,vhost" : "virtio-net,tap";
}
