/* The options of the disk and net benchmarks, the same in `native` and
 * `container`: tables for a configuration T with a field `io` (struct
 * iobench_opts), and the check of them before anything runs. */
#ifndef VB_CLI_IO_OPTS_H
#define VB_CLI_IO_OPTS_H

#include "cli/table.h"
#include "measure/iobench.h"

#define CLI_IO_TIME(T)                                                                             \
	{ .name = "time",                                                                          \
	  .type = CLI_SECONDS,                                                                     \
	  .value = "SECONDS",                                                                      \
	  CLI_AT(T, io.time_s),                                                                    \
	  .dmin = 0.001,                                                                           \
	  .dmax = 3600,                                                                            \
	  .help = "seconds per test and iteration" },                                              \
	{                                                                                          \
		.name = "max-bytes", .type = CLI_SIZE, .value = "SIZE", CLI_AT(T, io.max_bytes),   \
		.min = 1 << 20, .max = 1ull << 44,                                                 \
		.help = "and at most this many bytes per test and iteration"                       \
	}

#define CLI_IO_DISK_OPTS(T)                                                                        \
	{ .name = "dir",                                                                           \
	  .type = CLI_PATH,                                                                        \
	  .value = "DIR",                                                                          \
	  CLI_AT(T, io.dir),                                                                       \
	  .expected = "a directory",                                                               \
	  .def = "the directory of -o FILE, else the current directory",                           \
	  .help = "where the test files go (in a directory of its own, removed afterwards)" },     \
		{ .name = "size",                                                                  \
		  .type = CLI_SIZE,                                                                \
		  .value = "SIZE",                                                                 \
		  CLI_AT(T, io.size),                                                              \
		  .min = 16 << 20,                                                                 \
		  .max = 1ull << 44,                                                               \
		  .help = "each test file, a multiple of 1 MiB" },                                 \
		CLI_IO_TIME(T),                                                                    \
		{ .name = "tests",                                                                 \
		  .type = CLI_CHOICE_LIST,                                                         \
		  .value = "LIST",                                                                 \
		  CLI_AT(T, io.tests),                                                             \
		  CLI_CHOICES(IOB_DISK_CHOICES),                                                   \
		  .help = "tests to run" },                                                        \
		{ .name = "depth",                                                                 \
		  .type = CLI_UINT_LIST,                                                           \
		  .value = "LIST",                                                                 \
		  CLI_LIST_AT(T, io.depths, io.ndepths),                                           \
		  .min = 1,                                                                        \
		  .max = 256,                                                                      \
		  .help = "queue depths of the random tests" },                                    \
	{                                                                                          \
		.name = "buffered", .type = CLI_FLAG, CLI_AT(T, io.buffered),                      \
		.help = "through the page cache (default: O_DIRECT where the file system takes "   \
			"it)"                                                                      \
	}

#define CLI_IO_NET_OPTS(T)                                                                         \
	CLI_IO_TIME(T),                                                                            \
		{ .name = "tests",                                                                 \
		  .type = CLI_CHOICE_LIST,                                                         \
		  .value = "LIST",                                                                 \
		  CLI_AT(T, io.tests),                                                             \
		  CLI_CHOICES(IOB_NET_CHOICES),                                                    \
		  .help = "tests to run" },                                                        \
	{                                                                                          \
		.name = "message-size", .type = CLI_UINT_LIST, .value = "LIST",                    \
		CLI_LIST_AT(T, io.msg_sizes, io.nmsg_sizes), .min = 1, .max = 1 << 20,             \
		.help = "bytes of each request and response of tcp_rr"                             \
	}

/* --device: a raw block device instead of a file (native disk, vm disk). */
#define CLI_IO_DEVICE(T)                                                                           \
	{                                                                                          \
		.name = "device", .type = CLI_PATH, .value = "DEV", CLI_AT(T, io.device),          \
		.expected = "a block device",                                                      \
		.help = "run on this raw block device instead of a file, overwriting it: refused " \
			"when it or a partition of it is mounted, swap or held"                    \
	}

/* The options against each other, and for disk the directory: --dir, else
 * the directory of -o FILE, else the current one (dirbuf holds it), must
 * be a writable directory with room for `files` test files. */
int cli_io__prepare(const struct cli_common *com, struct iobench_opts *o, unsigned files,
		    char *dirbuf, size_t size, struct vb_err *err);

/* The descriptions of the disk and net tests, for the commands' help. */
#define CLI_IO_DISK_TESTS                                                                          \
	"The tests:\n"                                                                             \
	"  seq_read, seq_write    1 MiB blocks in order (MiB/s)\n"                                 \
	"  rand_read, rand_write  4 KiB blocks at random offsets at each --depth\n"                \
	"                         (IOPS, median and 99th percentile latency)\n"                    \
	"  fsync                  a 4 KiB write then fsync: the fsync's latency\n"                 \
	"Depth 1 is a pread/pwrite loop (fio's psync); a deeper queue goes through\n"              \
	"io_uring (fio's io_uring engine), or where io_uring is refused through as\n"              \
	"many threads (the result's engine says which). Every block read is checked\n"             \
	"against what was written.\n"
#define CLI_IO_NET_TESTS                                                                           \
	"The tests:\n"                                                                             \
	"  tcp_stream, tcp_stream_rx  bulk data to and from the peer (Gbit/s, as\n"                \
	"                             iperf3 and iperf3 -R)\n"                                     \
	"  tcp_rr                     one request and one response of each\n"                      \
	"                             --message-size on one connection (netperf\n"                 \
	"                             TCP_RR, sockperf ping-pong): median and 99th\n"              \
	"                             percentile round trip, transactions/s\n"                     \
	"  tcp_crr                    connect, 1-byte request and response, close\n"               \
	"                             (netperf TCP_CRR): transactions/s\n"

#endif
