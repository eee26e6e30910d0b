/* The I/O workloads: disk and TCP, the same code natively (linked into
 * libvirtbench.a) and in the static worker (containers). Unlike the
 * freestanding workload core they need a kernel: files, io_uring, sockets.
 *
 * Disk tests run on one file made by io_disk__prepare, whose every 4 KiB
 * block starts with a word derived from its index, so every block read is
 * checked and the checksum of a pass is known in advance. Network tests
 * talk to a peer that virtbench runs itself (io_peer), only over loopback
 * (127.0.0.0/8) or the link between network namespaces virtbench created
 * (IO_NET_LINK_*): io__addr_allowed refuses every other address, on both
 * sides. Every run is bounded in time and in bytes. */
#ifndef VB_WORKER_IO_H
#define VB_WORKER_IO_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

enum io_test {
	IO_NONE = 0,
	IO_SEQ_READ = 1,  /* 1 MiB blocks in order, MiB/s */
	IO_SEQ_WRITE = 2, /* the same, written */
	IO_RAND_READ = 3, /* 4 KiB blocks at random offsets, IOPS and latency */
	IO_RAND_WRITE = 4,
	IO_FSYNC = 5,	      /* a 4 KiB write then fsync: the fsync's latency */
	IO_TCP_STREAM = 6,    /* bulk data to the peer (Gbit/s) */
	IO_TCP_STREAM_RX = 7, /* bulk data from the peer */
	IO_TCP_RR = 8,	      /* request/response on one connection (netperf TCP_RR) */
	IO_TCP_CRR = 9,	      /* connect, request, response, close (netperf TCP_CRR) */
	IO_TEST_MAX = 9,
};

/* The test's name in results and on the wire ("seq_read" ...), or NULL. */
const char *io__test_name(uint32_t test);
int io__test_is_net(uint32_t test);

/* Engines for the disk tests (io_result.engine). */
enum io_engine { IO_ENGINE_SYNC = 0, IO_ENGINE_URING = 1, IO_ENGINE_THREADS = 2 };
const char *io__engine_name(uint32_t engine);

/* Latency histogram: log-linear, IO_HIST_SUB buckets per power of two of
 * nanoseconds, so a percentile read from it is within 1/(2*IO_HIST_SUB)
 * (0.8%) of the true value. */
#define IO_HIST_SUB_BITS 6
#define IO_HIST_SUB	 (1u << IO_HIST_SUB_BITS)
#define IO_HIST_N	 ((64 - IO_HIST_SUB_BITS + 1) * IO_HIST_SUB)
struct io_hist {
	uint64_t count, sum_ns, min_ns, max_ns;
	uint64_t b[IO_HIST_N];
};
void io_hist__init(struct io_hist *h);
void io_hist__add(struct io_hist *h, uint64_t ns);
void io_hist__merge(struct io_hist *into, const struct io_hist *from);
/* The value at quantile q (0 < q <= 1), the middle of its bucket; 0 when
 * empty. */
uint64_t io_hist__quantile(const struct io_hist *h, double q);
/* The sum of the buckets (equals count). */
uint64_t io_hist__total(const struct io_hist *h);
/* Bucket of a value and the range it covers (exposed for the tests). */
unsigned io_hist__bucket(uint64_t ns);
void io_hist__range(unsigned bucket, uint64_t *lo, uint64_t *hi);

/* The link between the namespaces virtbench creates for a container's
 * network: 10.253.253.1 (the peer) and .2 (the container), a /30. */
#define IO_NET_LINK_PEER      0x0afdfd01u
#define IO_NET_LINK_CONTAINER 0x0afdfd02u
#define IO_NET_LINK_PREFIX    30
/* 1 for 127.0.0.0/8 and the two link addresses (host byte order). */
int io__addr_allowed(uint32_t addr);

struct io_params {
	uint32_t test;	    /* enum io_test */
	uint32_t depth;	    /* random disk tests: requests in flight (1 .. 256) */
	uint32_t direct;    /* disk: 1 = O_DIRECT where the file system takes it */
	uint64_t block;	    /* disk block; net: message (rr, crr) or write size (stream) */
	uint64_t file_size; /* disk: size of the file at path */
	uint64_t time_ns;   /* stop after this long (0: no limit) */
	uint64_t max_bytes; /* and after this many bytes (0: no limit) */
	uint32_t peer;	    /* net: the peer's IPv4 address (host order) */
	uint32_t port;	    /* net: its port */
	const char *path;   /* disk: the file made by io_disk__prepare */
	const volatile uint32_t *stop; /* set != 0 to end early (Ctrl-C); may be NULL */
};

struct io_result {
	uint64_t ops;	     /* I/Os, transactions or writes done */
	uint64_t bytes;	     /* bytes moved (disk: read or written; net: received by the sink) */
	uint64_t elapsed_ns; /* from the first request to the last completion */
	uint64_t checksum;   /* disk reads: sum of the first word of every 4 KiB block read */
	uint64_t bad_blocks; /* disk reads: blocks whose content was not what was written */
	uint32_t direct;     /* O_DIRECT was used */
	uint32_t engine;     /* enum io_engine */
	struct io_hist hist; /* per-operation latency */
};

/* Runs one test. Returns 0, or -1 with a reason in why. A run ended by
 * *stop is not a failure: its figures cover what was done. */
int io__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size);

/* The result as the worker reports it (VBRESULT): events are the
 * operations, the latency percentiles come from the histogram. */
struct wl_report;
struct wl_job;
void io__report(const struct io_result *r, struct wl_report *rep);

/* A disk or net job as the worker gets it (wl_job's io_ fields): a test,
 * or with io_test 0 the test file made (io_file_size) or removed (0), in
 * job->io_dir. Returns 0 with *rep filled (zeros for the file), or -1
 * with why. */
int io__run_job(const struct wl_job *job, const volatile uint32_t *stop, struct wl_report *rep,
		char *why, size_t why_size);

/* The two halves of io__run. */
int io_disk__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size);
int io_net__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size);

/* The worker's test file in a directory: dir/IO_FILE_NAME. */
#define IO_FILE_NAME "virtbench-io.dat"

/* What a disk job's io_dir names (wl_job.io_dev). */
enum io_dev {
	IO_DEV_NONE = 0, /* a directory: the job makes IO_FILE_NAME there and removes it */
	/* The target itself, a block device or a raw file that exists: the
	 * pattern is written over it in place, and it is never removed. */
	IO_DEV_PATH = 1,
	/* The serial of a block device (a guest's virtio-blk disk), found in
	 * /sys/block: its name is the guest kernel's to choose. */
	IO_DEV_SERIAL = 2,
};
/* "/dev/NAME" of the block device whose sys_block/NAME/serial reads
 * `serial` (sys_block is "/sys/block"; the tests pass a fixture). Returns
 * 0, or -1 with why. */
int io__find_serial(const char *sys_block, const char *serial, char *out, size_t size, char *why,
		    size_t why_size);

/* Disk: the test file. Creates dir/name of `size` bytes (a multiple of
 * 1 MiB) filled with the block pattern, written with O_DIRECT when `direct`
 * and the file system takes it, and synced. Returns 0 or -1 with why (the
 * file is removed then). */
int io_disk__prepare(const char *path, uint64_t size, int direct, char *why, size_t why_size);
/* The same pattern over the first `size` bytes of a block device or file
 * that exists and is at least that large (IO_DEV_PATH, IO_DEV_SERIAL). */
int io_disk__fill(const char *path, uint64_t size, int direct, char *why, size_t why_size);
/* The word that starts 4 KiB block `index` of the test file. */
uint64_t io_disk__block_word(uint64_t index);
/* The checksum of reading `bytes` in order from the start (wrapping at
 * file_size), as io__run reports it for IO_SEQ_READ. */
uint64_t io_disk__seq_checksum(uint64_t file_size, uint64_t bytes);

/* The peer: a process of its own (as netperf's and sockperf's servers
 * are), serving one connection after another on a socket bound to addr
 * (host order, allowed by io__addr_allowed) in the network namespace of
 * the thread calling io_peer__start. It ends when io_peer__stop closes its
 * control pipe or when its parent is gone (the pipe's EOF either way). */
struct io_peer {
	int lfd, ctl, res; /* listening socket (until handed over), pipes */
	pid_t pid;
	uint32_t addr, port;
	uint64_t received; /* bytes the peer took in (stream), once stopped */
	uint64_t served;   /* transactions served (rr, crr), once stopped */
};
int io_peer__start(struct io_peer *p, uint32_t addr, char *why, size_t why_size);
/* The same on a given port (0: any free one). */
int io_peer__start_at(struct io_peer *p, uint32_t addr, uint32_t port, char *why, size_t why_size);
/* Ends the process and reads its counts; safe on a peer never started and
 * twice. */
void io_peer__stop(struct io_peer *p);

#endif
