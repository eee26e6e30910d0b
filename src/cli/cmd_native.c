/* `virtbench native <workload>`: the workload core run natively on pthreads.
 * The options of each workload, and a call of native__bench. */
#include "cli/cli.h"
#include "cli/io_opts.h"
#include "cli/table.h"
#include "native/native.h"

struct native_cli {
	struct cli_common common;
	struct native_opts o;
};

#define AT(f) CLI_AT(struct native_cli, o.f)

#define OPT_THREADS(h)                                                                             \
	{                                                                                          \
		.name = "threads", .type = CLI_UINT, .value = "N", AT(threads), .min = 1,          \
		.max = NATIVE_MAX_THREADS, .help = h                                               \
	}
#define OPT_TIME(h)                                                                                \
	{                                                                                          \
		.name = "time", .type = CLI_SECONDS, .value = "SECONDS", AT(time_s), .dmin = 0,    \
		.dmax = 86400, .help = h                                                           \
	}
#define OPT_EVENTS(h)                                                                              \
	{                                                                                          \
		.name = "events", .type = CLI_UINT, .value = "N", AT(events), .min = 0,            \
		.max = NATIVE_MAX_COUNT, .help = h                                                 \
	}
#define OPT_KERNELS(h)                                                                             \
	{                                                                                          \
		.name = "kernels", .type = CLI_CHOICE_LIST, .value = "LIST", AT(kernels),          \
		CLI_CHOICES("copy", "scale", "add", "triad"), .help = h                            \
	}
#define OPT_PAGES                                                                                  \
	{                                                                                          \
		.name = "pages", .type = CLI_CHOICE_LIST, .value = "LIST", AT(pages),              \
		CLI_CHOICES("4k", "2m"), .help = "page sizes to cover"                             \
	}

static const struct cli_opt cpu_opts[] = {
	OPT_THREADS("threads, started together"),
	OPT_TIME("seconds per iteration; 0: until --events"),
	OPT_EVENTS("events per iteration over all threads; 0: no limit"),
	{ .name = "cpu-max-prime",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(cpu_max_prime),
	  .min = 1,
	  .max = 2147483647,
	  .help = "upper limit of the numbers checked" },
	{ 0 },
};

static const struct cli_opt memory_opts[] = {
	OPT_THREADS("threads, started together"),
	OPT_TIME("seconds per iteration"),
	OPT_EVENTS("events per iteration over all threads (sysbench ignores it here); 0: no limit"),
	{ .name = "memory-block-size",
	  CLI_ALIASES("block-size"),
	  .type = CLI_BLOCK,
	  .value = "SIZE",
	  AT(block_size),
	  .min = 8,
	  .max = 1ull << 40,
	  .help = "block, a power of two" },
	{ .name = "memory-total-size",
	  CLI_ALIASES("total-size"),
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(total_size),
	  .min = 0,
	  .max = UINT64_MAX >> 1,
	  .help = "bytes over all threads; 0: no limit" },
	{ .name = "memory-oper",
	  CLI_ALIASES("oper"),
	  .type = CLI_CHOICE,
	  .value = "OP",
	  AT(oper),
	  CLI_CHOICES("none", "read", "write"),
	  .help = "what each event does" },
	{ .name = "memory-access-mode",
	  CLI_ALIASES("access-mode"),
	  .type = CLI_CHOICE,
	  .value = "MODE",
	  AT(access_rnd),
	  CLI_CHOICES("seq", "rnd"),
	  .help = "order of the blocks" },
	{ .name = "memory-scope",
	  CLI_ALIASES("scope"),
	  .type = CLI_CHOICE,
	  .value = "SCOPE",
	  AT(scope_local),
	  CLI_CHOICES("global", "local"),
	  .help = "one block shared by all threads, or one per thread" },
	{ .name = "mode",
	  .type = CLI_CHOICE,
	  .value = "MODE",
	  AT(mode),
	  CLI_CHOICES("sysbench", "plain", "bandwidth"),
	  .help = "what is measured, as above" },
	{ .name = "size",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(size),
	  .min = 1,
	  .max = 1ull << 44,
	  .help = "bandwidth mode: the three arrays of one thread" },
	OPT_KERNELS("bandwidth mode: STREAM kernels to run"),
	{ 0 },
};

static const struct cli_opt memlat_opts[] = {
	{ .name = "min-size",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(min_size),
	  .min = 4096,
	  .max = 1ull << 44,
	  .help = "smallest working set" },
	{ .name = "max-size",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(max_size),
	  .min = 4096,
	  .max = 1ull << 44,
	  .help = "largest working set" },
	OPT_PAGES,
	{ .name = "loads",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(loads),
	  .min = 8,
	  .max = NATIVE_MAX_COUNT,
	  .def = "max(1M, lines in the set)",
	  .help = "loads per iteration" },
	OPT_THREADS("threads, each with its own chain"),
	{ 0 },
};

static const struct cli_opt fault_opts[] = {
	{ .name = "size",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(size),
	  .min = 2ull << 20,
	  .max = 1ull << 44,
	  .help = "bytes per thread" },
	OPT_PAGES,
	OPT_THREADS("threads, started together"),
	{ 0 },
};

static const struct cli_opt stream_opts[] = {
	{ .name = "size",
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(size),
	  .min = 3 * 4096,
	  .max = 1ull << 44,
	  .help = "the three arrays of one thread" },
	OPT_KERNELS("STREAM kernels to run"),
	OPT_EVENTS("passes of each kernel per iteration"),
	OPT_TIME("or seconds per kernel and iteration"),
	OPT_THREADS("threads, each with its own arrays"),
	{ 0 },
};

static const struct cli_opt clock_opts[] = {
	OPT_TIME("seconds per iteration"),
	OPT_EVENTS("or batches of 1024 reads per iteration"),
	OPT_THREADS("threads, started together"),
	{ 0 },
};

/* The workload's defaults (sysbench's for cpu and memory); 3 iterations,
 * 5 for the short ones. */
static void native_init(void *cfg, const struct cli_command *cmd)
{
	struct native_cli *c = cfg;
	native_opts__init(&c->o, (uint32_t)cmd->param);
	c->o.run.iterations = cmd->param == WL_FAULT || cmd->param == WL_CLOCK ? 5 : 3;
	c->common.run = c->o.run;
}

static int native_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct native_cli *c = cfg;
	c->o.run = c->common.run;
	return native_opts__check(&c->o, err);
}

static int native_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
			struct vb_err *err)
{
	struct native_cli *c = cfg;
	return native__bench(&c->o, s, err);
}

/* disk and net: the I/O workloads (measure/iobench.h). */
struct native_io_cli {
	struct cli_common common;
	struct iobench_opts io;
	char dir[4096]; /* the default --dir */
};

static const struct cli_opt disk_opts[] = {
	CLI_IO_DISK_OPTS(struct native_io_cli),
	CLI_IO_DEVICE(struct native_io_cli),
	{ 0 },
};
static const struct cli_opt net_opts[] = { CLI_IO_NET_OPTS(struct native_io_cli), { 0 } };

static void native_io_init(void *cfg, const struct cli_command *cmd)
{
	struct native_io_cli *c = cfg;
	iobench_opts__init(&c->io, cmd->param == WL_NET);
	c->common.run = c->io.run;
}

static int native_io_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct native_io_cli *c = cfg;
	return cli_io__prepare(&c->common, &c->io, 1, c->dir, sizeof(c->dir), err);
}

static int native_io_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
			   struct vb_err *err)
{
	struct native_io_cli *c = cfg;
	if (!c->io.net && !c->io.device)
		cli__sweep_io(c->io.dir, c->common.quiet);
	return native__bench_io(&c->io, s, err);
}

#define NATIVE_IO_SUB(id, p, ...)                                                                  \
	CLI_BENCH_COMMAND(id, struct native_io_cli, native_io, p, __VA_ARGS__)

NATIVE_IO_SUB(disk, WL_DISK, "disk", "disk: sequential MiB/s, random 4K IOPS and latency, fsync",
	      disk_opts,
	      "Disk I/O on a test file of --size bytes in a directory of its own under\n"
	      "--dir, with O_DIRECT where the file system takes it, or with --device on\n"
	      "the first --size bytes of a raw block device, whose contents it overwrites:\n"
	      "a device that is mounted, has a mounted partition, is swap or is held\n"
	      "(device-mapper, RAID) is refused before anything is written.\n" CLI_IO_DISK_TESTS
	      "The file and its directory are removed on success, failure and Ctrl-C.\n");

NATIVE_IO_SUB(net, WL_NET, "net", "TCP over loopback: stream Gbit/s, request/response latency",
	      net_opts,
	      "TCP over loopback (127.0.0.1) against a peer virtbench runs itself, never\n"
	      "any other address, each test bounded by --time and --max-bytes.\n" CLI_IO_NET_TESTS);

#define NATIVE_SUB(id, p, ...) CLI_BENCH_COMMAND(id, struct native_cli, native, p, __VA_ARGS__)

NATIVE_SUB(cpu, WL_CPU, "cpu", "sysbench 1.0 cpu: primes by trial division (events/s)", cpu_opts,
	   "sysbench 1.0's cpu test: each event checks every number from 3 up to\n"
	   "--cpu-max-prime for primality by trial division up to its square root.\n"
	   "Reported as events per second over all threads (sysbench's \"events per\n"
	   "second\") and per thread. One iteration is one run of --time seconds or\n"
	   "--events events; the compiler and flags of the workload core are recorded\n"
	   "in each result.\n");

NATIVE_SUB(memory, WL_MEMORY, "memory", "sysbench 1.0.20 memory: blocks written or read (MiB/s)",
	   memory_opts,
	   "sysbench 1.0.20's memory test: each event writes (or reads) one block of\n"
	   "machine words; each thread does total / block / threads events or stops at\n"
	   "--time. Reported as MiB/s and operations/s, computed as sysbench computes\n"
	   "them (bytes / 2^20 / wall time of the run).\n"
	   "\n"
	   "Modes:\n"
	   "  sysbench   (default) also what sysbench does around every event: a clock\n"
	   "             read for the time limit, one before and one after the event,\n"
	   "             and a latency-histogram update. With 1 KiB blocks this\n"
	   "             bookkeeping is most of what sysbench measures, so the figures\n"
	   "             line up with sysbench's. A clock_read_ns result is added.\n"
	   "  plain      the same blocks without the bookkeeping.\n"
	   "  bandwidth  the memory system itself: STREAM copy/scale/add/triad over\n"
	   "             three arrays filling --size per thread, in GB/s.\n");

NATIVE_SUB(memlat, WL_MEMLAT, "memlat",
	   "memory latency: a pointer chase, 4K and 2M pages (ns/load)", memlat_opts,
	   "Memory latency: a chase of dependent loads through a random cyclic\n"
	   "permutation (Sattolo) of the cache lines of a working set, for working sets\n"
	   "from --min-size to --max-size, doubling, with 4 KiB pages and with 2 MiB\n"
	   "pages (hugetlbfs when its pool has pages, else transparent huge pages,\n"
	   "checked in /proc/self/smaps; a working set that did not get them is listed\n"
	   "as skipped, never reported as 2M). Past the caches and the TLB reach each\n"
	   "load pays for a miss and a page walk. Reported in ns per load.\n");

NATIVE_SUB(fault, WL_FAULT, "fault", "first touch of fresh pages, 4K and 2M pages (ns per page)",
	   fault_opts,
	   "First-touch rate: each iteration maps --size bytes per thread afresh and\n"
	   "stores one byte per page, so every store takes a page fault (with 2 MiB\n"
	   "pages one per 2 MiB, checked afterwards in /proc/self/smaps). Reported in\n"
	   "GiB/s of memory faulted in and ns per page.\n");

NATIVE_SUB(stream, WL_STREAM, "stream", "STREAM copy, scale, add, triad over large arrays (GB/s)",
	   stream_opts,
	   "Memory bandwidth: STREAM's kernels copy (c = a), scale (b = 3c), add\n"
	   "(c = a + b) and triad (a = b + 3c) over three uint64 arrays that fill\n"
	   "--size per thread (integers, so that guests without floating point run the\n"
	   "same code). Bytes are counted as STREAM counts them; reported in GB/s\n"
	   "(10^9 bytes per second).\n");

NATIVE_SUB(clock, WL_CLOCK, "clock", "cost of one clock read (ns)", clock_opts,
	   "The cost of one read of the platform clock (here clock_gettime with\n"
	   "CLOCK_MONOTONIC), which sysbench makes three times per event. Reported in\n"
	   "ns per read.\n");

static const struct cli_command *const workloads[] = {
	&cpu, &memory, &memlat, &fault, &stream, &clock, &disk, &net, NULL,
};

const struct cli_command cmd__native = {
	.name = "native",
	.summary = "a workload natively: cpu, memory, ... stream, clock, disk, net",
	.description =
		"Runs a workload of the workload core natively, on N threads that start\n"
		"together, timed with CLOCK_MONOTONIC. The same code runs inside the microVM\n"
		"guest and the containers, so these figures are the baseline of every\n"
		"overhead virtbench reports.\n",
	.subs = workloads,
};
