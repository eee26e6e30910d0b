/* virtbench container startup|cpu|memory|density: a thin layer over
 * src/container/container_bench.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/io_opts.h"
#include "cli/table.h"
#include "container/container_bench.h"
#include "core/names.h"

struct ct_cli {
	struct cli_common common;
	struct container_opts o;
	bool full;
};

enum { CT_STARTUP, CT_CPU, CT_MEMORY, CT_DENSITY, CT_DISK, CT_NET };

#define AT(f) CLI_AT(struct ct_cli, f)

/* The names of enum ct_runtime (container_runtime__name), then "all". */
#define CT_RUNTIMES                                                                                \
	{ .name = "runtime",                                                                       \
	  .type = CLI_CHOICE_LIST,                                                                 \
	  .value = "LIST",                                                                         \
	  AT(o.runtimes),                                                                          \
	  CLI_CHOICES("builtin", "runc", "crun", "docker", "podman", "all"),                       \
	  .help = "runtimes to measure; those that cannot run here are skipped with a "            \
		  "reason" },                                                                      \
		{ .name = "keep-image",                                                            \
		  .type = CLI_FLAG,                                                                \
		  AT(o.keep_image),                                                                \
		  .help = "keep the image virtbench-worker:" VB_VERSION " afterwards" },           \
		{ .name = "cpus",                                                                  \
		  .type = CLI_DOUBLE,                                                              \
		  .value = "X",                                                                    \
		  AT(o.limits.cpus),                                                               \
		  .dmin = 0.01,                                                                    \
		  .dmax = 1024,                                                                    \
		  .def = "no limit",                                                               \
		  .help = "limit each container to X CPUs" },                                      \
	{                                                                                          \
		.name = "memory-limit", .type = CLI_SIZE, .value = "SIZE",                         \
		AT(o.limits.memory_bytes), .min = 4ull << 20, .max = 1ull << 40,                   \
		.def = "no limit", .help = "limit each container's memory"                         \
	}
/* docker/podman: images by name, each its own rows (cli.h). */
#define CT_IMAGES CLI_IMAGE_LIST(struct ct_cli, o.images, o.nimages)
#define CT_FULL(h)                                                                                 \
	{                                                                                          \
		.name = "full", .type = CLI_FLAG, AT(full), .help = h                              \
	}
#define CT_THREADS                                                                                 \
	{                                                                                          \
		.name = "threads", .type = CLI_UINT_LIST, .value = "LIST",                         \
		CLI_LIST_AT(struct ct_cli, o.threads, o.nthreads), .min = 1, .max = 1024,          \
		.def = "1 and the number of online CPUs", .help = "thread counts"                  \
	}

static const struct cli_opt startup_opts[] = { CT_RUNTIMES, CT_IMAGES, { 0 } };

static const struct cli_opt cpu_opts[] = {
	CT_RUNTIMES,
	CT_IMAGES,
	CT_FULL("the seed's length: 10 s runs"),
	CT_THREADS,
	{ .name = "time",
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(o.time_s),
	  .dmin = 0.01,
	  .dmax = 3600,
	  .def = "1, 10 with --full",
	  .help = "length of each run" },
	{ 0 },
};

static const struct cli_opt memory_opts[] = {
	CT_RUNTIMES,
	CT_IMAGES,
	CT_FULL("the seed's size: 10G moved per run"),
	CT_THREADS,
	{ .name = "time",
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(o.time_s),
	  .dmin = 0.01,
	  .dmax = 3600,
	  .def = "1, 10 with --full",
	  .help = "upper bound of each run" },
	{ .name = "memory-total-size",
	  CLI_ALIASES("total-size", "memory-total"),
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(o.mem_total),
	  .min = 1ull << 20,
	  .max = 1ull << 40,
	  .def = "1G, 10G with --full",
	  .help = "bytes moved per run" },
	{ .name = "memory-block-size",
	  CLI_ALIASES("block-size"),
	  .type = CLI_BLOCK,
	  .value = "SIZE",
	  AT(o.mem_block),
	  .min = 8,
	  .max = 1ull << 30,
	  .help = "block, a power of two" },
	{ 0 },
};

static const struct cli_opt density_opts[] = {
	CT_RUNTIMES,
	CT_FULL("the seed's size: counts up to 256"),
	{ .name = "counts",
	  .type = CLI_UINT_LIST,
	  .value = "LIST",
	  CLI_LIST_AT(struct ct_cli, o.counts, o.ncounts),
	  .min = 1,
	  .max = 4096,
	  .def = "1,2,4,...,64, up to 256 with --full",
	  .help = "numbers of containers at once" },
	{ 0 },
};

static void ct_init(void *cfg, const struct cli_command *cmd)
{
	static const unsigned iterations[] = { 10, 5, 5, 3 };
	struct ct_cli *c = cfg;
	container_opts__init(&c->o, false);
	c->o.run.iterations = iterations[cmd->param];
	c->common.run = c->o.run;
}

/* --full: the seed's sizes where no option set them. */
static void full_sizes(struct ct_cli *c, const struct cli_call *call)
{
	struct container_opts f;
	container_opts__init(&f, true);
	if (!cli__given(call, "time"))
		c->o.time_s = f.time_s;
	if (!cli__given(call, "memory-total-size"))
		c->o.mem_total = f.mem_total;
	if (!cli__given(call, "counts")) {
		memcpy(c->o.counts, f.counts, sizeof(f.counts));
		c->o.ncounts = f.ncounts;
	}
}

static int ct_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct ct_cli *c = cfg;
	if (c->full)
		full_sizes(c, call);
	if (call->cmd->param != CT_MEMORY)
		return 0;
	if (c->o.mem_block > c->o.mem_total)
		return err__usage(err, "--memory-block-size: larger than --memory-total-size");
	/* Each thread moves its share of the total (sysbench's): less than a
	 * block would be a run that does nothing. */
	for (unsigned i = 0; i < c->o.nthreads; i++)
		if (c->o.mem_total / c->o.threads[i] < c->o.mem_block)
			return err__usage(err,
					  "--memory-total-size: %llu bytes over %u threads is less "
					  "than one --memory-block-size block per thread",
					  (unsigned long long)c->o.mem_total, c->o.threads[i]);
	return 0;
}

/* Complete, but a failure when no runtime could be measured (the skips
 * say why). */
static int measured_any(const struct cli_call *call, const struct vb_result_set *s,
			struct vb_err *err)
{
	for (size_t i = 0; i < s->nresults; i++)
		if (strcmp(s->results[i]->platform, VB_PLATFORM_NATIVE) &&
		    strcmp(s->results[i]->platform, VB_PLATFORM_UNSHARE_EXEC))
			return 0;
	err__set(err, 0, "%s: no runtime could be measured", call->path);
	return 1;
}

static int ct_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
		    struct vb_err *err)
{
	struct ct_cli *c = cfg;
	c->o.run = c->common.run;
	c->o.quiet = c->common.quiet;
	cli__sweep(c->o.quiet);
	int (*const fn[])(const struct container_opts *, struct vb_result_set *,
			  struct vb_err *) = { container_bench__startup, container_bench__cpu,
					       container_bench__memory, container_bench__density };
	if (fn[call->cmd->param](&c->o, s, err) < 0)
		return -1;
	return measured_any(call, s, err);
}

#define CT_SUB(id, p, ...) CLI_BENCH_COMMAND(id, struct ct_cli, ct, p, __VA_ARGS__)

CT_SUB(startup, CT_STARTUP, "startup", "time to ready, to exit and to remove, per runtime",
       startup_opts,
       "Starts a no-op worker --iterations times in every runtime and reports\n"
       "ready_ms (spawn to the worker's first instruction), exit_ms (spawn to the\n"
       "runtime's exit) and teardown_ms (removal). Also measured: unshare-exec, the\n"
       "floor (unshare(2) of the same namespaces plus exec, no root file system or\n"
       "cgroup), and for docker/podman the seed's definition (`run -d` until\n"
       "`inspect` says Running) as <runtime>-seed-method.\n");

CT_SUB(cpu, CT_CPU, "cpu", "sysbench cpu natively and in each runtime, with the overhead", cpu_opts,
       "Runs the sysbench cpu workload (primes below 10000) for --time seconds on\n"
       "each --threads count natively and in every runtime, alternating, and reports\n"
       "events_per_sec with overhead_percent against native.\n");

CT_SUB(memory, CT_MEMORY, "memory",
       "sysbench memory natively and in each runtime, with the overhead", memory_opts,
       "Runs the sysbench memory workload (write, sequential, --memory-block-size\n"
       "blocks, --memory-total-size bytes shared by the threads) natively and in\n"
       "every runtime, alternating, and reports mib_per_sec with overhead_percent.\n");

CT_SUB(density, CT_DENSITY, "density", "N containers at once: start rate, time until all are ready",
       density_opts,
       "Starts N containers at once for each --counts value, waits until all are\n"
       "ready, then stops them; reports all_ready_ms and start_rate_per_sec per\n"
       "runtime. A runtime stops growing at its first failure, which is recorded as\n"
       "a skip.\n");

/* disk and net: the I/O workloads in the built-in runtime's modes. */
struct ct_io_cli {
	struct cli_common common;
	struct container_opts o;
	struct iobench_opts io;
	char dir[4096]; /* the default --dir */
};

#define CT_IO_RUNTIME                                                                              \
	{                                                                                          \
		.name = "runtime", .type = CLI_CHOICE_LIST, .value = "LIST",                       \
		CLI_AT(struct ct_io_cli, o.runtimes),                                              \
		CLI_CHOICES("builtin", "runc", "crun", "docker", "podman", "all"),                 \
		.help = "runtimes to measure; those that cannot run here are skipped with a "      \
			"reason"                                                                   \
	}
static const struct cli_opt ct_disk_opts[] = { CLI_IO_DISK_OPTS(struct ct_io_cli),
					       CT_IO_RUNTIME,
					       { 0 } };
static const struct cli_opt ct_net_opts[] = { CLI_IO_NET_OPTS(struct ct_io_cli),
					      CT_IO_RUNTIME,
					      { 0 } };

static void ct_io_init(void *cfg, const struct cli_command *cmd)
{
	struct ct_io_cli *c = cfg;
	container_opts__init(&c->o, false);
	iobench_opts__init(&c->io, cmd->param == CT_NET);
	c->common.run = c->io.run;
}

/* Disk: the native file and, for each runtime, its two modes' (docker's
 * and podman's writable layers are elsewhere, but room for them is asked
 * all the same). */
static int ct_io_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct ct_io_cli *c = cfg;
	unsigned files = 1;
	for (int rt = 0; rt < CT_RT_COUNT; rt++)
		files += c->o.runtimes & (1u << rt) ? 2 : 0;
	return cli_io__prepare(&c->common, &c->io, files, c->dir, sizeof(c->dir), err);
}

static int ct_io_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
		       struct vb_err *err)
{
	struct ct_io_cli *c = cfg;
	c->o.quiet = c->common.quiet;
	cli__sweep(c->o.quiet);
	if (!c->io.net)
		cli__sweep_io(c->io.dir, c->o.quiet);
	if (container_bench__io(&c->o, &c->io, s, err) < 0)
		return -1;
	return measured_any(call, s, err);
}

#define CT_IO_SUB(id, p, ...) CLI_BENCH_COMMAND(id, struct ct_io_cli, ct_io, p, __VA_ARGS__)

CT_IO_SUB(
	disk, CT_DISK, "disk", "disk I/O natively and in each runtime's layer and a volume",
	ct_disk_opts,
	"The disk tests of `native disk` in the same static worker natively and in\n"
	"every runtime, alternating within every iteration, each result with its\n"
	"runtime, its mode and overhead_percent against native:\n"
	"  overlay  builtin, runc, crun: the test file in a writable overlayfs layer,\n"
	"           its upper directory on the file system of --dir (builtin: the\n"
	"           container's root; runc, crun: /vbio, mounted by the runtime)\n"
	"  layer    docker, podman: the test file in the container's writable layer\n"
	"  volume   a directory under --dir bind-mounted into the container (-v)\n" CLI_IO_DISK_TESTS
	"Everything made under --dir is removed on success, failure and Ctrl-C.\n");

CT_IO_SUB(net, CT_NET, "net", "TCP natively and in each runtime's network modes", ct_net_opts,
	  "The network tests of `native net` in the same static worker natively and in\n"
	  "every runtime, alternating within every iteration, each result with its\n"
	  "runtime, its mode and overhead_percent against native:\n"
	  "  loopback  builtin, runc, crun: the container's own lo, the peer inside\n"
	  "  veth      builtin, runc, crun: a veth pair between the container and a\n"
	  "            network namespace virtbench makes for the peer (root only),\n"
	  "            10.253.253.1 and .2; the host's own interfaces are never used\n"
	  "  none      docker, podman --network none: the peer inside, on its lo\n"
	  "  host      docker, podman --network host: the peer on the host's 127.0.0.1\n"
	  "A bridge network is never measured (its addresses are outside loopback);\n"
	  "the skip says why.\n" CLI_IO_NET_TESTS);

static const struct cli_command *const ct_subs[] = { &startup, &cpu, &memory, &density,
						     &disk,    &net, NULL };

const struct cli_command cmd__container = {
	.name = "container",
	.summary = "containers: startup, cpu, memory, density, disk, net",
	.description =
		"Container benchmarks. Every runtime starts the same static program,\n"
		"virtbench-worker, and is measured to the same point: the worker's first\n"
		"instruction, timestamped with the monotonic clock it shares with the host.\n"
		"\n"
		"Runtimes: builtin (virtbench's own: namespaces, read-only root, pivot_root,\n"
		"cgroup), runc, crun, docker, podman. Each is used when it works here; one that\n"
		"does not is reported as a skip with its reason.\n",
	.exit_status = "Exit status: 0 when at least one runtime was measured, 1 when none could\n"
		       "be (the skips say why) or on a failure, 2 on a usage error.\n",
	.subs = ct_subs,
};
