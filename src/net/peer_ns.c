/* The network of the built-in runtime's I/O benchmark: a network namespace
 * of virtbench's own for the peer, and a veth pair between it and the
 * container's namespace, with 10.253.253.1/30 (peer) and .2 (container).
 * The pair is made from inside the peer's namespace with its other end
 * sent straight into the container's, so nothing is ever added to the
 * host's namespace, and it vanishes with the namespaces: when the container
 * ends and the peer's descriptor is closed (also when virtbench is killed).
 *
 * For a QEMU guest the same namespace holds a tap device instead
 * (peer_ns__tap): QEMU, in the host's namespace, gets its descriptor, so the
 * guest's NIC is the other end of a link that lives only in the peer's
 * namespace, and the device goes when QEMU and virtbench close it.
 *
 * Each step runs on a short-lived thread that enters a namespace with
 * setns(2): a network namespace is a property of the thread, so the rest
 * of virtbench stays in the host's. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/peer_ns.h"
#include "worker/io.h"

#define PEER_IF "vbpeer0"
#define CT_IF	"vbct0"
#define TAP_IF	"vbtap0"

struct ns_call {
	int nsfd; /* -1: a new namespace (unshare) */
	int (*fn)(void *arg);
	void *arg;
	int rc, err;
};

static void *ns_thread(void *p)
{
	struct ns_call *c = p;
	if (c->nsfd >= 0 ? setns(c->nsfd, CLONE_NEWNET) < 0 : unshare(CLONE_NEWNET) < 0) {
		c->rc = -1;
		c->err = errno;
		return NULL;
	}
	errno = 0;
	c->rc = c->fn(c->arg);
	c->err = errno;
	return NULL;
}

/* Runs fn(arg) on a thread inside namespace nsfd (or a new one). */
static int in_ns(int nsfd, int (*fn)(void *), void *arg, const char *what, struct vb_err *err)
{
	struct ns_call c = { .nsfd = nsfd, .fn = fn, .arg = arg };
	pthread_t t;
	int e = pthread_create(&t, NULL, ns_thread, &c);
	if (e)
		return err__set(err, e, "%s: thread", what);
	pthread_join(t, NULL);
	if (c.rc < 0)
		return err__set(err, c.err, "%s", what);
	return 0;
}

static int open_own_ns(void *arg)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	*(int *)arg = fd;
	return fd < 0 ? -1 : 0;
}

/* Netlink attributes appended to a message in buf. */
struct nlbuf {
	char b[1024];
	size_t len;
};

static struct rtattr *attr(struct nlbuf *m, unsigned short type, const void *data, size_t n)
{
	struct rtattr *a = (struct rtattr *)(m->b + NLMSG_ALIGN(m->len));
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	if (n)
		memcpy(RTA_DATA(a), data, n);
	m->len = NLMSG_ALIGN(m->len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void attr_end(struct nlbuf *m, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)(m->b + m->len - (char *)nest);
}

/* RTM_NEWLINK of a veth pair: PEER_IF here, CT_IF in the namespace ctfd. */
static int make_veth(void *arg)
{
	int ctfd = *(int *)arg;
	struct nlbuf m = { .len = NLMSG_LENGTH(sizeof(struct ifinfomsg)) };
	memset(m.b, 0, sizeof(m.b));
	struct nlmsghdr *h = (struct nlmsghdr *)m.b;
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	attr(&m, IFLA_IFNAME, PEER_IF, sizeof(PEER_IF));
	struct rtattr *info = attr(&m, IFLA_LINKINFO, NULL, 0);
	attr(&m, IFLA_INFO_KIND, "veth", 4);
	struct rtattr *data = attr(&m, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *peer = attr(&m, VETH_INFO_PEER, NULL, 0);
	m.len += sizeof(struct ifinfomsg); /* the peer's own header, zeroed */
	attr(&m, IFLA_IFNAME, CT_IF, sizeof(CT_IF));
	uint32_t fd = (uint32_t)ctfd;
	attr(&m, IFLA_NET_NS_FD, &fd, sizeof(fd));
	attr_end(&m, peer);
	attr_end(&m, data);
	attr_end(&m, info);
	h->nlmsg_len = (uint32_t)m.len;

	int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk < 0)
		return -1;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int rc = -1;
	char reply[4096];
	if (sendto(sk, m.b, m.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto out;
	ssize_t n = recv(sk, reply, sizeof(reply), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		goto out;
	struct nlmsghdr *rh = (struct nlmsghdr *)reply;
	if (rh->nlmsg_type != NLMSG_ERROR) {
		errno = EPROTO;
		goto out;
	}
	struct nlmsgerr *ne = NLMSG_DATA(rh);
	if (ne->error) {
		errno = -ne->error;
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		int e = errno;
		close(sk);
		errno = e;
		return -1;
	}
	close(sk);
	return 0;
}

struct if_conf {
	const char *name;
	uint32_t addr; /* host order */
};

static int ifreq_addr(int sk, const char *name, unsigned long req, uint32_t a)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(a);
	return ioctl(sk, req, &ifr);
}

static int set_up(int sk, const char *name)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return ioctl(sk, SIOCSIFFLAGS, &ifr);
}

/* Address, mask and up, for the interface of this namespace; lo up too. */
static int conf_if(void *arg)
{
	const struct if_conf *c = arg;
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -1;
	uint32_t mask = ~0u << (32 - IO_NET_LINK_PREFIX);
	int rc = ifreq_addr(sk, c->name, SIOCSIFADDR, c->addr) < 0 ||
				 ifreq_addr(sk, c->name, SIOCSIFNETMASK, mask) < 0 ||
				 set_up(sk, c->name) < 0 || set_up(sk, "lo") < 0
			 ? -1
			 : 0;
	int e = errno;
	close(sk);
	errno = e;
	return rc;
}

struct peer_call {
	struct io_peer *peer;
	char why[256];
};

static int start_peer(void *arg)
{
	struct peer_call *c = arg;
	return io_peer__start(c->peer, IO_NET_LINK_PEER, c->why, sizeof(c->why));
}

/* The peer's side of the link: address on `name` in n->peer_ns, then the
 * peer listening on it. */
static int peer_up(struct peer_ns *n, const char *name, struct vb_err *err)
{
	struct if_conf pc = { name, IO_NET_LINK_PEER };
	struct peer_call call = { .peer = &n->peer };
	if (in_ns(n->peer_ns, conf_if, &pc, "configuring the peer's end", err) < 0)
		return -1;
	if (in_ns(n->peer_ns, start_peer, &call, "starting the peer", err) < 0)
		return err__wrap(err, "%s", call.why);
	return 0;
}

static void net_init(struct peer_ns *n)
{
	n->peer_ns = n->ct_ns = -1;
	n->peer.lfd = n->peer.ctl = n->peer.res = -1;
	n->peer.pid = 0;
}

int peer_ns__link(struct peer_ns *n, pid_t container, struct vb_err *err)
{
	net_init(n);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)container);
	n->ct_ns = open(path, O_RDONLY | O_CLOEXEC);
	if (n->ct_ns < 0)
		return err__set(err, errno, "the container's network namespace");
	struct if_conf cc = { CT_IF, IO_NET_LINK_CONTAINER };
	if (in_ns(-1, open_own_ns, &n->peer_ns, "the peer's network namespace", err) < 0 ||
	    in_ns(n->peer_ns, make_veth, &n->ct_ns, "creating the veth pair", err) < 0 ||
	    in_ns(n->ct_ns, conf_if, &cc, "configuring the container's end", err) < 0 ||
	    peer_up(n, PEER_IF, err) < 0) {
		peer_ns__close(n);
		return -1;
	}
	return 0;
}

/* TUNSETIFF on a thread inside the peer's namespace: the device is made
 * there, and it lasts as long as a descriptor of it is open. */
static int open_tap(void *arg)
{
	int *fd = arg;
	*fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return -1;
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", TAP_IF);
	if (ioctl(*fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		close(*fd);
		*fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

int peer_ns__tap(struct peer_ns *n, int *tap, struct vb_err *err)
{
	net_init(n);
	*tap = -1;
	if (in_ns(-1, open_own_ns, &n->peer_ns, "the peer's network namespace", err) < 0 ||
	    in_ns(n->peer_ns, open_tap, tap, "creating the tap device (/dev/net/tun)", err) < 0 ||
	    peer_up(n, TAP_IF, err) < 0) {
		if (*tap >= 0)
			close(*tap);
		*tap = -1;
		peer_ns__close(n);
		return -1;
	}
	return 0;
}

void peer_ns__close(struct peer_ns *n)
{
	io_peer__stop(&n->peer);
	if (n->peer_ns >= 0)
		close(n->peer_ns); /* the namespace and its end of the pair go */
	if (n->ct_ns >= 0)
		close(n->ct_ns);
	n->peer_ns = n->ct_ns = -1;
}
