/* The static worker's internal interface: what main() does and the hooks a
 * platform-specific start-up (PID 1 in a QEMU guest, src/worker/pid1.c)
 * plugs into. Not part of libvirtbench.a. */
#ifndef VB_WORKER_WORKER_H
#define VB_WORKER_WORKER_H

#include <stdint.h>

#include "worker/protocol.h"

/* Where the worker talks. */
struct worker_io {
	int ready_fd; /* VBREADY goes here */
	int cmd_fd;   /* commands (VBRUN, VBEXIT) come from here */
	int out_fd;   /* records (VBRESULT, VBDONE, VBERROR, VBFACTS) go here */
	char marker[VBP_TOKEN_MAX];
	/* Called with the exit status instead of returning from main (PID 1
	 * must power the machine off rather than exit). NULL: plain exit. */
	void (*finish)(int status);
};

/* PID-1 start-up in a VM guest: mount /proc, /sys, /dev, open the console
 * named by vb.console=, read vb.marker=, fill *io and set io->finish.
 * Called by main() when getpid() == 1 and no worker option was given (a
 * container runtime always passes options, a kernel starting /init does
 * not). Returns 0, or -1 when the guest cannot talk to the host. The
 * default definition (weak, in main.c) does nothing and keeps stdio. */
int worker__pid1_setup(struct worker_io *io);

/* In a guest (src/worker/guest_init.c): loads the modules dir/order names
 * (none when there is no such file), and brings up lo and the guest's NIC
 * at IO_NET_LINK_CONTAINER when it has one. 0, or -1 after a message on
 * stderr (the guest's console). */
int worker__load_modules(const char *dir);
int worker__net_up(void);

/* Runs one job on job->threads threads (each with its own buffer of
 * job->buf_size bytes) and writes one VBRESULT per thread and VBDONE (or
 * VBERROR) to fd. Returns 0 when the records were written. */
int worker__run_job(int fd, const struct wl_job *job, uint64_t hist);

/* The disk and net kinds (src/worker/io.h): one VBRESULT (thread 0) and
 * VBDONE, or VBERROR. Called by worker__run_job. */
int worker__run_io(int fd, const struct wl_job *job);

/* Writes VBFACTS: what this process sees of its PID, hostname, mounts and
 * network interfaces (the container isolation check). */
int worker__write_facts(int fd);

#endif
