/* The disk and network benchmarks of every platform: which tests run, with
 * which sizes, and the results they make, whoever runs the job (natively
 * in this process, or the static worker in a container). The platform
 * supplies `exec`, which runs one disk or net job (src/worker/io.h) and
 * returns its report.
 *
 * Results (benchmark / metric, config test=..., depth, block_size,
 * direct, engine, mode):
 *   disk  seq_read, seq_write           mib_per_sec
 *         rand_read, rand_write (QD 1, 32)  iops, p50_us, p99_us
 *         fsync                         p50_us, p99_us
 *   net   tcp_stream, tcp_stream_rx     gbit_per_sec
 *         tcp_rr (1 and 64 bytes)       p50_us, p99_us, transactions_per_sec
 *         tcp_crr                       transactions_per_sec, p50_us
 * `mode` is the platform's: "host" natively, the network or storage mode
 * in a container ("loopback", "veth", "overlay", "volume"; docker and
 * podman: "none", "host", "layer", "volume"). */
#ifndef VB_MEASURE_IOBENCH_H
#define VB_MEASURE_IOBENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/result.h"
#include "measure/runner.h"
#include "workload/workload.h"

/* The tests a command may choose (bits of iobench_opts.tests): in the
 * order of the choices of --tests. */
enum iobench_disk_test {
	IOB_SEQ_READ = 0,
	IOB_SEQ_WRITE,
	IOB_RAND_READ,
	IOB_RAND_WRITE,
	IOB_FSYNC,
	IOB_DISK_N,
};
enum iobench_net_test { IOB_STREAM = 0, IOB_STREAM_RX, IOB_RR, IOB_CRR, IOB_NET_N };
#define IOB_DISK_CHOICES "seq_read", "seq_write", "rand_read", "rand_write", "fsync"
#define IOB_NET_CHOICES	 "tcp_stream", "tcp_stream_rx", "tcp_rr", "tcp_crr"

#define IOB_MAX_DEPTHS	 4
#define IOB_MAX_SIZES	 4

struct iobench_opts {
	bool net;	    /* net tests, else disk */
	unsigned tests;	    /* bits of the enum above */
	double time_s;	    /* per test and iteration */
	uint64_t max_bytes; /* per test and iteration, a bound on top of the time */
	/* disk */
	const char *dir; /* where the test file goes; NULL: the results' directory */
	uint64_t size;	 /* of the test file */
	unsigned depths[IOB_MAX_DEPTHS], ndepths; /* random tests: queue depths */
	bool buffered;				  /* no O_DIRECT */
	const char *device; /* native: a raw block device instead of a file in dir */
	/* net */
	unsigned msg_sizes[IOB_MAX_SIZES], nmsg_sizes; /* rr: request/response bytes */
	struct vb_run_opts run;
};

/* Defaults: disk 1 s per test, 256 MiB, depths 1 and 32; net 1 s, rr with
 * 1 and 64 bytes; 3 iterations after 1 warm-up. */
void iobench_opts__init(struct iobench_opts *o, bool net);

/* Runs a disk or net job (io fields of wl_job); 0 with *rep, or -1. */
typedef int (*iobench_exec_fn)(void *ctx, const struct wl_job *job, struct wl_report *rep,
			       struct vb_err *err);

struct iobench_target {
	const char *benchmark; /* "disk", "container.disk" ... */
	const char *platform;  /* "native", "container-builtin" ... */
	const char *mode;      /* "host", "loopback", "veth", "overlay", "volume" */
	const char *io_dir;    /* disk: the directory as the job runner sees it */
	uint32_t io_dev;       /* disk: what io_dir names (worker/io.h enum io_dev) */
	uint32_t peer, port;   /* net: the peer (0: the job runs its own on 127.0.0.1) */
	iobench_exec_fn exec;
	void *ctx;
	/* Called with each new result before it is measured (extra config). */
	void (*label)(void *ctx, struct vb_result *r);
};

/* Makes the test file of every target (disk), runs every test chosen on
 * the nt targets in turn within each iteration (A B A B ...), removes the
 * files on every path, and appends the results to out. When t[0] is the
 * native run, the others' results carry their overhead against it. A test
 * that fails ends the run with its reason; what finished is kept. */
#define IOB_MAX_TARGETS 12 /* native and two modes of each container runtime */
int iobench__run(const struct iobench_opts *o, const struct iobench_target *t, unsigned nt,
		 struct vb_result_set *out, struct vb_err *err);

/* The directories a disk run makes under its --dir (and a container run's
 * storage): IOB_DIR_PREFIX<pid>.<start>.XXXXXX (core/owner.h), so that a
 * run killed with SIGKILL leaves them to the next run's sweep. */
#define IOB_DIR_PREFIX "virtbench-io."
struct sweep_tally;
/* Removes such directories in dir whose owner is gone. */
void iobench__sweep(const char *dir, struct sweep_tally *t);

/* Checks a disk run's directory before anything is written: it exists, is
 * a directory, is writable (not a read-only file system) and has room for
 * the test file. A usage error naming `opt` otherwise. */
int iobench__check_dir(const char *opt, const char *dir, uint64_t size, struct vb_err *err);

/* Checks `--device DEV` (opt) before anything is written: a block device
 * of at least `size` bytes that is not mounted, has no mounted partition,
 * is not swap, held by nothing and not claimed by the kernel
 * (measure/iodev.c). A usage error otherwise. */
int iobench__check_device(const char *opt, const char *dev, uint64_t size, struct vb_err *err);

#endif
