/* virtbench container startup|cpu|memory|density: a thin layer over
 * src/container/container_bench.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "container/container_bench.h"
#include "core/output.h"
#include "host/host.h"

static const char usage[] =
	"Usage: virtbench container <subcommand> [options]\n"
	"\n"
	"Container benchmarks. Every runtime starts the same static program,\n"
	"virtbench-worker, and is measured to the same point: the worker's first\n"
	"instruction, timestamped with the monotonic clock it shares with the host.\n"
	"\n"
	"Subcommands:\n"
	"  startup    time to ready, time to exit and teardown per runtime, with the\n"
	"             unshare+exec floor and the seed's `docker run -d` + inspect method\n"
	"  cpu        sysbench-style CPU run natively and in each runtime, overhead %\n"
	"  memory     sysbench-style memory run (1K blocks) natively and in each runtime\n"
	"  density    N containers at once (1, 2, 4 ...): start rate, time until all ready\n"
	"\n"
	"Runtimes: builtin (virtbench's own: namespaces, read-only root, pivot_root,\n"
	"cgroup), runc, crun, docker, podman. Each is used when it works here; one that\n"
	"does not is reported as a skip with its reason. Run\n"
	"'virtbench container <subcommand> --help' for the options.\n";

static const char sub_usage[] =
	"Usage: virtbench container %s [options]\n"
	"\n"
	"%s"
	"\n"
	"Options:\n"
	"  --runtime LIST         comma list of builtin, runc, crun, docker, podman or\n"
	"                         all (default: all; those that cannot run here are\n"
	"                         skipped with a reason)\n"
	"  --image NAME           docker/podman: measure the local image NAME (e.g.\n"
	"                         ubuntu:20.04) with the worker bind-mounted read-only,\n"
	"                         instead of the image built from the worker\n"
	"  --keep-image           keep the image virtbench-worker:" VB_VERSION " afterwards\n"
	"  --full                 the seed's sizes: 10 s CPU runs, 10G memory total,\n"
	"                         density up to 256 containers\n"
	"  --threads LIST         cpu/memory: thread counts, 1 to 1024 (default 1 and\n"
	"                         the number of online CPUs)\n"
	"  --time SECONDS         cpu: length of each run, 0.01 to 3600 (default 1,\n"
	"                         10 with --full); memory: its upper bound (min 10)\n"
	"  --memory-total SIZE    memory: bytes moved per run, 1M to 1T (default 1G,\n"
	"                         10G with --full)\n"
	"  --memory-block-size SIZE  memory: block size, a power of two from 8 to 1G\n"
	"                         (default 1K)\n"
	"  --counts LIST          density: container counts, 1 to 4096 (default\n"
	"                         1,2,4,...,64; up to 256 with --full)\n"
	"  --cpus X               limit each container to X CPUs, 0.01 to 1024\n"
	"  --memory-limit SIZE    limit each container's memory, 4M to 1T\n"
	"\n"
	"%s"
	"\n"
	"Exit status: 0 when at least one runtime was measured, 1 when none could be\n"
	"(the skips say why) or on a failure, 2 on a usage error.\n";

static const char *const sub_text[] = {
	"Starts a no-op worker --iterations times (default 10, as the seed) in every\n"
	"runtime and reports ready_ms (spawn to the worker's first instruction),\n"
	"exit_ms (spawn to the runtime's exit) and teardown_ms (removal). Also\n"
	"measured: unshare-exec, the floor (unshare(2) of the same namespaces plus\n"
	"exec, no root file system or cgroup), and for docker/podman the seed's\n"
	"definition (`run -d` until `inspect` says Running) as <runtime>-seed-method.\n",
	"Runs the sysbench cpu workload (primes below 10000) for --time seconds on\n"
	"each --threads count natively and in every runtime, alternating, and reports\n"
	"events_per_sec with overhead_percent against native (default 5 iterations).\n",
	"Runs the sysbench memory workload (write, sequential, --memory-block-size\n"
	"blocks, --memory-total bytes) natively and in every runtime, alternating,\n"
	"and reports mib_per_sec with overhead_percent (default 5 iterations).\n",
	"Starts N containers at once for each --counts value, waits until all are\n"
	"ready, then stops them; reports all_ready_ms and start_rate_per_sec per\n"
	"runtime (default 3 iterations). A runtime stops growing at its first\n"
	"failure, which is recorded as a skip.\n",
};

static const char *const subs[] = { "startup", "cpu", "memory", "density", NULL };

enum {
	O_RUNTIME = 1,
	O_IMAGE,
	O_KEEP_IMAGE,
	O_FULL,
	O_THREADS,
	O_TIME,
	O_MEM_TOTAL,
	O_MEM_BLOCK,
	O_COUNTS,
	O_CPUS,
	O_MEM_LIMIT,
};

/* The names of enum ct_runtime, then "all". */
static int parse_runtimes(const char *val, unsigned *mask, struct vb_err *err)
{
	const char *names[CT_RT_COUNT + 2];
	for (int i = 0; i < CT_RT_COUNT; i++)
		names[i] = container_runtime__name((enum ct_runtime)i);
	names[CT_RT_COUNT] = "all";
	names[CT_RT_COUNT + 1] = NULL;
	uint64_t m;
	if (opt__choice_list("--runtime", val, names, &m, err) < 0)
		return -1;
	*mask = m >> CT_RT_COUNT ? CT_RT_ALL : (unsigned)m;
	return 0;
}

static int run_sub(int which, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTS,
		{ "runtime", required_argument, 0, O_RUNTIME },
		{ "image", required_argument, 0, O_IMAGE },
		{ "keep-image", no_argument, 0, O_KEEP_IMAGE },
		{ "full", no_argument, 0, O_FULL },
		{ "threads", required_argument, 0, O_THREADS },
		{ "time", required_argument, 0, O_TIME },
		{ "memory-total", required_argument, 0, O_MEM_TOTAL },
		{ "memory-block-size", required_argument, 0, O_MEM_BLOCK },
		{ "counts", required_argument, 0, O_COUNTS },
		{ "cpus", required_argument, 0, O_CPUS },
		{ "memory-limit", required_argument, 0, O_MEM_LIMIT },
		{ 0, 0, 0, 0 },
	};
	static const unsigned default_iters[] = { 10, 5, 5, 3 };
	struct cli_common common;
	common_opts__init(&common, default_iters[which]);
	struct vb_err err = { 0 };

	/* --full changes defaults the other options override: find it first. */
	bool full = false;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--full"))
			full = true;
	struct container_opts o;
	container_opts__init(&o, full);

	char prog[32];
	snprintf(prog, sizeof(prog), "container %s", subs[which]);
	uint64_t list[CT_MAX_COUNTS];
	unsigned n;
	double d;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		int rc = common_opts__getopt(&common, c, optarg, &err);
		if (rc < 0)
			return cli__usage_error(prog, &err);
		if (rc > 0)
			continue;
		switch (c) {
		case 'h':
			printf(sub_usage, subs[which], sub_text[which], common_opts__help);
			return VB_EXIT_OK;
		case O_RUNTIME:
			if (parse_runtimes(optarg, &o.runtimes, &err) < 0)
				return cli__usage_error(prog, &err);
			break;
		case O_IMAGE:
			if (opt__text("--image", optarg, "an image name such as ubuntu:20.04", &err) < 0)
				return cli__usage_error(prog, &err);
			o.image = optarg;
			break;
		case O_KEEP_IMAGE:
			o.keep_image = true;
			break;
		case O_FULL:
			break;
		case O_THREADS:
			if (opt__uint_list("--threads", optarg, 1, 1024, list, CT_MAX_THREAD_CONFIGS, &n,
					   &err) < 0)
				return cli__usage_error(prog, &err);
			for (unsigned i = 0; i < n; i++)
				o.threads[i] = (unsigned)list[i];
			o.nthreads = n;
			break;
		case O_TIME:
			if (opt__double("--time", optarg, 0.01, 3600, &o.time_s, &err) < 0)
				return cli__usage_error(prog, &err);
			break;
		case O_MEM_TOTAL:
			if (opt__size("--memory-total", optarg, 1ull << 20, 1ull << 40, &o.mem_total,
				      &err) < 0)
				return cli__usage_error(prog, &err);
			break;
		case O_MEM_BLOCK:
			if (opt__block_size("--memory-block-size", optarg, 8, 1ull << 30, &o.mem_block,
					    &err) < 0)
				return cli__usage_error(prog, &err);
			break;
		case O_COUNTS:
			if (opt__uint_list("--counts", optarg, 1, 4096, list, CT_MAX_COUNTS, &n, &err) < 0)
				return cli__usage_error(prog, &err);
			for (unsigned i = 0; i < n; i++)
				o.counts[i] = (unsigned)list[i];
			o.ncounts = n;
			break;
		case O_CPUS:
			if (opt__double("--cpus", optarg, 0.01, 1024, &d, &err) < 0)
				return cli__usage_error(prog, &err);
			o.limits.cpus = d;
			break;
		case O_MEM_LIMIT:
			if (opt__size("--memory-limit", optarg, 4ull << 20, 1ull << 40,
				      &o.limits.memory_bytes, &err) < 0)
				return cli__usage_error(prog, &err);
			break;
		case ':':
			err__usage(&err, "%s: expected a value", argv[optind - 1]);
			return cli__usage_error(prog, &err);
		default:
			err__usage(&err, "unknown option '%s'", argv[optind - 1]);
			return cli__usage_error(prog, &err);
		}
	}
	if (optind < argc) {
		err__usage(&err, "unexpected argument '%s'", argv[optind]);
		return cli__usage_error(prog, &err);
	}
	if (o.mem_block > o.mem_total) {
		err__usage(&err, "--memory-block-size: larger than --memory-total");
		return cli__usage_error(prog, &err);
	}
	/* Each thread moves its share of the total (sysbench's): less than a
	 * block would be a run that does nothing. */
	for (unsigned i = 0; i < o.nthreads; i++)
		if (o.mem_total / o.threads[i] < o.mem_block) {
			err__usage(&err, "--memory-total: %llu bytes over %u threads is less than one "
					 "--memory-block-size block per thread",
				   (unsigned long long)o.mem_total, o.threads[i]);
			return cli__usage_error(prog, &err);
		}
	o.run = common.run;
	o.quiet = common.quiet;

	struct vb_result_set set;
	result_set__init(&set);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(set.started, sizeof(set.started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct vb_err herr = { 0 };
	set.host = host__inspect(&herr);
	if (!set.host)
		warn__("host inspection failed: %s", herr.msg);
	int r = which == 0   ? container_bench__startup(&o, &set, &err)
		: which == 1 ? container_bench__cpu(&o, &set, &err)
		: which == 2 ? container_bench__memory(&o, &set, &err)
			     : container_bench__density(&o, &set, &err);
	int rc;
	if (r < 0) {
		if (set.nresults) {
			set.incomplete = true;
			common_opts__emit(&common, &set);
		}
		rc = err__report(&err);
	} else {
		rc = common_opts__emit(&common, &set);
		size_t measured = 0;
		for (size_t i = 0; i < set.nresults; i++)
			measured += strcmp(set.results[i]->platform, "native") &&
				    strcmp(set.results[i]->platform, "unshare-exec");
		if (rc == VB_EXIT_OK && measured == 0) {
			fprintf(stderr, "virtbench: container %s: no runtime could be measured\n",
				subs[which]);
			rc = VB_EXIT_FAILURE;
		}
	}
	result_set__free(&set);
	return rc;
}

static int cmd_startup(int argc, char **argv)
{
	return run_sub(0, argc, argv);
}
static int cmd_cpu(int argc, char **argv)
{
	return run_sub(1, argc, argv);
}
static int cmd_memory(int argc, char **argv)
{
	return run_sub(2, argc, argv);
}
static int cmd_density(int argc, char **argv)
{
	return run_sub(3, argc, argv);
}

int cmd_container(int argc, char **argv)
{
	static const struct vb_command cmds[] = {
		{ "startup", "start-up per runtime", cmd_startup },
		{ "cpu", "CPU overhead per runtime", cmd_cpu },
		{ "memory", "memory overhead per runtime", cmd_memory },
		{ "density", "many containers at once", cmd_density },
		{ NULL, NULL, NULL },
	};
	return cli__subcommand("virtbench container", usage, cmds, argc, argv);
}
