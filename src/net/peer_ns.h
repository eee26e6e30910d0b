/* The network peer's own namespace (peer_ns.c), shared by the container
 * runtimes and the QEMU guests: a namespace of virtbench's own for the
 * peer, joined to a container's by a veth pair (or to a QEMU guest by a
 * tap device), and the peer listening on its end. */
#ifndef VB_NET_PEER_NS_H
#define VB_NET_PEER_NS_H

#include <sys/types.h>

#include "core/err.h"
#include "worker/io.h"

struct peer_ns {
	int peer_ns, ct_ns;  /* namespace descriptors */
	struct io_peer peer; /* on IO_NET_LINK_PEER, port peer.port */
};

/* Makes the peer's namespace, the pair into the namespace of process
 * `container`, the addresses, and starts the peer. Root only. On failure
 * everything made is undone. */
int peer_ns__link(struct peer_ns *n, pid_t container, struct vb_err *err);
/* The peer's namespace with a tap device in it (for a QEMU guest's
 * -netdev tap,fd=), the peer's address on the tap, and the peer started.
 * *tap: the device's descriptor (close-on-exec), which the caller closes.
 * Root only. On failure everything made is undone. */
int peer_ns__tap(struct peer_ns *n, int *tap, struct vb_err *err);
/* Stops the peer and lets the namespace (and the pair) go. */
void peer_ns__close(struct peer_ns *n);

#endif
