/* What PID 1 of a QEMU guest sets up for the I/O jobs before it reports
 * ready: the kernel modules virtbench put into the initramfs (mod/order,
 * qemu/kmod.h: the virtio drivers where the guest kernel has them as
 * modules), and the one network interface of the guest, if it has one:
 * the NIC of QEMU's user-mode network that virtbench attached, whose
 * private subnet is the link of worker/io.h (the guest IO_NET_LINK_CONTAINER,
 * the host's side IO_NET_LINK_PEER). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "worker/io.h"
#include "worker/worker.h"

/* The user-mode network's /24 around the link addresses. */
#define GUEST_NET_PREFIX 24

int worker__load_modules(const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/order", dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0; /* none: the kernel has what it needs built in */
	int failed = 0;
	char name[64];
	while (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = '\0';
		if (!name[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)) {
			fprintf(stderr, "virtbench-worker: loading %s: %s\n", path,
				strerror(errno));
			failed++;
		}
		if (fd >= 0)
			close(fd);
	}
	fclose(f);
	return failed ? -1 : 0;
}

static int if_ioctl(int s, unsigned long req, const char *ifname, uint32_t addr, int flags)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (req == SIOCSIFFLAGS) {
		if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
			return -1;
		ifr.ifr_flags = (short)(ifr.ifr_flags | flags);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(addr);
	}
	return ioctl(s, req, &ifr);
}

/* The first interface besides lo, or -1. */
static int first_nic(char *out, size_t size)
{
	DIR *d = opendir("/sys/class/net");
	if (!d)
		return -1;
	int rc = -1;
	for (struct dirent *e; rc < 0 && (e = readdir(d));)
		if (e->d_name[0] != '.' && strcmp(e->d_name, "lo") &&
		    (size_t)snprintf(out, size, "%s", e->d_name) < size)
			rc = 0;
	closedir(d);
	return rc;
}

int worker__net_up(void)
{
	char nic[IFNAMSIZ];
	/* No NIC (vm boot, cpu, disk): nothing to do, nothing added to the
	 * boot time those measure. */
	if (first_nic(nic, sizeof(nic)) < 0)
		return 0;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if_ioctl(s, SIOCSIFFLAGS, "lo", 0, IFF_UP);
	uint32_t mask = ~0u << (32 - GUEST_NET_PREFIX);
	int rc = 0;
	if (if_ioctl(s, SIOCSIFADDR, nic, IO_NET_LINK_CONTAINER, 0) < 0 ||
	    if_ioctl(s, SIOCSIFNETMASK, nic, mask, 0) < 0 ||
	    if_ioctl(s, SIOCSIFFLAGS, nic, 0, IFF_UP) < 0) {
		fprintf(stderr, "virtbench-worker: configuring %s: %s\n", nic, strerror(errno));
		rc = -1;
	} else {
		/* One datagram to the host's side makes the guest ask for its
		 * hardware address, and the user-mode network learns the
		 * guest's from that question: the first connection forwarded
		 * in is then not held up. */
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_port = htons(9),
					  .sin_addr.s_addr = htonl(IO_NET_LINK_PEER) };
		sendto(s, "", 0, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
	}
	close(s);
	return rc;
}
