/* `virtbench native <workload>`: the workload core run natively on pthreads.
 * Parses options, calls native__bench and prints; nothing else. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/output.h"
#include "core/result.h"
#include "host/host.h"
#include "native/native.h"

/* The host block is attached when host inspection is linked in. */
#pragma weak host__inspect

static const char usage[] =
	"Usage: virtbench native <workload> [options]\n"
	"\n"
	"Runs a workload of the workload core natively, on N threads that start\n"
	"together, timed with CLOCK_MONOTONIC. The same code runs inside the microVM\n"
	"guest and the containers, so these figures are the baseline of every\n"
	"overhead virtbench reports.\n"
	"\n"
	"Workloads:\n"
	"  cpu      sysbench 1.0 cpu: primes by trial division (events/s)\n"
	"  memory   sysbench 1.0.20 memory: blocks written or read (MiB/s, ops/s);\n"
	"           --mode bandwidth runs the STREAM kernels instead\n"
	"  memlat   dependent-load pointer chase, 4 KiB to 1 GiB, 4K and 2M pages\n"
	"           (ns per load)\n"
	"  fault    first touch of fresh pages, 4K and 2M pages (GiB/s, ns per page)\n"
	"  stream   STREAM copy, scale, add, triad over large arrays (GB/s)\n"
	"  clock    cost of one clock read (ns)\n"
	"\n"
	"Run 'virtbench native <workload> --help' for its options.\n";

static const char cpu_help[] =
	"Usage: virtbench native cpu [options]\n"
	"\n"
	"sysbench 1.0's cpu test: each event checks every number from 3 up to\n"
	"--cpu-max-prime for primality by trial division up to its square root.\n"
	"Reported as events per second over all threads (sysbench's \"events per\n"
	"second\") and per thread. One iteration is one run of --time seconds or\n"
	"--events events; the compiler and flags of the workload core are recorded\n"
	"in each result.\n"
	"\n"
	"Options:\n"
	"  --threads N            threads, 1 to 1024 (default 1)\n"
	"  --time S               seconds per iteration, 0 to 86400 (default 10;\n"
	"                         0 = until --events)\n"
	"  --events N             events per iteration over all threads, up to 10^12\n"
	"                         (default 0 = no limit)\n"
	"  --cpu-max-prime N      upper limit of the numbers checked, 1 to 2147483647\n"
	"                         (default 10000)\n"
	"\n"
	"Default: 3 iterations after 1 warm-up.\n";

static const char memory_help[] =
	"Usage: virtbench native memory [options]\n"
	"\n"
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
	"             three arrays filling --size per thread, in GB/s.\n"
	"\n"
	"Options:\n"
	"  --threads N                 threads, 1 to 1024 (default 1)\n"
	"  --time S                    seconds per iteration, 0 to 86400 (default 10)\n"
	"  --events N                  events per iteration over all threads, up to\n"
	"                              10^12 (default 0 = no limit; sysbench ignores\n"
	"                              it here)\n"
	"  --memory-block-size SIZE    block, a power of two from 8 bytes (default 1K)\n"
	"  --memory-total-size SIZE    bytes over all threads, 0 = no limit (default\n"
	"                              100G)\n"
	"  --memory-oper OP            write, read or none (default write)\n"
	"  --memory-access-mode MODE   seq or rnd (default seq)\n"
	"  --memory-scope SCOPE        global (one block shared by all threads) or\n"
	"                              local (one per thread) (default global)\n"
	"  --mode MODE                 sysbench, plain or bandwidth (default sysbench)\n"
	"  --size SIZE                 bandwidth mode: arrays per thread (default 384M)\n"
	"  --block-size, --total-size, --oper, --access-mode, --scope\n"
	"                              short names of the --memory-* options\n"
	"\n"
	"Default: 3 iterations after 1 warm-up.\n";

static const char memlat_help[] =
	"Usage: virtbench native memlat [options]\n"
	"\n"
	"Memory latency: a chase of dependent loads through a random cyclic\n"
	"permutation (Sattolo) of the cache lines of a working set, for working sets\n"
	"from --min-size to --max-size, doubling, with 4 KiB pages and with 2 MiB\n"
	"pages (hugetlbfs when its pool has pages, else transparent huge pages,\n"
	"checked in /proc/self/smaps; a working set that did not get them is listed\n"
	"as skipped, never reported as 2M). Past the caches and the TLB reach each\n"
	"load pays for a miss and a page walk. Reported in ns per load; one\n"
	"iteration is max(1M, lines in the set) loads.\n"
	"\n"
	"Options:\n"
	"  --min-size SIZE   smallest working set, from 4K (default 4K)\n"
	"  --max-size SIZE   largest working set (default 1G)\n"
	"  --pages LIST      4k, 2m or 4k,2m (default 4k,2m)\n"
	"  --loads N         loads per iteration, 8 to 10^12 (default max(1M, lines))\n"
	"  --threads N       threads, each with its own chain (default 1)\n"
	"\n"
	"Default: 3 iterations after 1 warm-up.\n";

static const char fault_help[] =
	"Usage: virtbench native fault [options]\n"
	"\n"
	"First-touch rate: each iteration maps --size bytes per thread afresh and\n"
	"stores one byte per page, so every store takes a page fault (with 2 MiB\n"
	"pages one per 2 MiB, checked afterwards in /proc/self/smaps). Reported in\n"
	"GiB/s of memory faulted in and ns per page.\n"
	"\n"
	"Options:\n"
	"  --size SIZE      bytes per thread, from 2M (default 256M)\n"
	"  --pages LIST     4k, 2m or 4k,2m (default 4k,2m)\n"
	"  --threads N      threads, 1 to 1024 (default 1)\n"
	"\n"
	"Default: 5 iterations after 1 warm-up.\n";

static const char stream_help[] =
	"Usage: virtbench native stream [options]\n"
	"\n"
	"Memory bandwidth: STREAM's kernels copy (c = a), scale (b = 3c), add\n"
	"(c = a + b) and triad (a = b + 3c) over three uint64 arrays that fill\n"
	"--size per thread (integers, so that guests without floating point run the\n"
	"same code). Bytes are counted as STREAM counts them; reported in GB/s\n"
	"(10^9 bytes per second).\n"
	"\n"
	"Options:\n"
	"  --size SIZE       the three arrays of one thread (default 384M)\n"
	"  --kernels LIST    from copy,scale,add,triad (default all)\n"
	"  --events N        passes of each kernel per iteration, up to 10^12\n"
	"                    (default 5)\n"
	"  --time S          or seconds per kernel and iteration (default 0)\n"
	"  --threads N       threads, each with its own arrays (default 1)\n"
	"\n"
	"Default: 3 iterations after 1 warm-up.\n";

static const char clock_help[] =
	"Usage: virtbench native clock [options]\n"
	"\n"
	"The cost of one read of the platform clock (here clock_gettime with\n"
	"CLOCK_MONOTONIC), which sysbench makes three times per event. Reported in\n"
	"ns per read.\n"
	"\n"
	"Options:\n"
	"  --time S          seconds per iteration (default 0.1)\n"
	"  --events N        or batches of 1024 reads per iteration, up to 10^12\n"
	"  --threads N       threads, 1 to 1024 (default 1)\n"
	"\n"
	"Default: 5 iterations after 1 warm-up.\n";

enum {
	OPT_THREADS = 2000,
	OPT_TIME,
	OPT_EVENTS,
	OPT_MAX_PRIME,
	OPT_BLOCK,
	OPT_TOTAL,
	OPT_OPER,
	OPT_ACCESS,
	OPT_SCOPE,
	OPT_MODE,
	OPT_SIZE,
	OPT_MIN_SIZE,
	OPT_MAX_SIZE,
	OPT_PAGES,
	OPT_LOADS,
	OPT_KERNELS,
};

static const struct option long_opts[] = {
	COMMON_LONG_OPTS,
	{ "threads", required_argument, 0, OPT_THREADS },
	{ "time", required_argument, 0, OPT_TIME },
	{ "events", required_argument, 0, OPT_EVENTS },
	{ "cpu-max-prime", required_argument, 0, OPT_MAX_PRIME },
	{ "memory-block-size", required_argument, 0, OPT_BLOCK },
	{ "block-size", required_argument, 0, OPT_BLOCK },
	{ "memory-total-size", required_argument, 0, OPT_TOTAL },
	{ "total-size", required_argument, 0, OPT_TOTAL },
	{ "memory-oper", required_argument, 0, OPT_OPER },
	{ "oper", required_argument, 0, OPT_OPER },
	{ "memory-access-mode", required_argument, 0, OPT_ACCESS },
	{ "access-mode", required_argument, 0, OPT_ACCESS },
	{ "memory-scope", required_argument, 0, OPT_SCOPE },
	{ "scope", required_argument, 0, OPT_SCOPE },
	{ "mode", required_argument, 0, OPT_MODE },
	{ "size", required_argument, 0, OPT_SIZE },
	{ "min-size", required_argument, 0, OPT_MIN_SIZE },
	{ "max-size", required_argument, 0, OPT_MAX_SIZE },
	{ "pages", required_argument, 0, OPT_PAGES },
	{ "loads", required_argument, 0, OPT_LOADS },
	{ "kernels", required_argument, 0, OPT_KERNELS },
	{ 0, 0, 0, 0 },
};

/* Which options each workload takes (the others are usage errors). */
static bool accepts(uint32_t kind, int opt)
{
	switch (opt) {
	case OPT_THREADS:
		return true;
	case OPT_TIME:
	case OPT_EVENTS:
		return kind != WL_MEMLAT && kind != WL_FAULT;
	case OPT_MAX_PRIME:
		return kind == WL_CPU;
	case OPT_BLOCK:
	case OPT_TOTAL:
	case OPT_OPER:
	case OPT_ACCESS:
	case OPT_SCOPE:
	case OPT_MODE:
		return kind == WL_MEMORY;
	case OPT_SIZE:
		return kind == WL_MEMORY || kind == WL_FAULT || kind == WL_STREAM;
	case OPT_MIN_SIZE:
	case OPT_MAX_SIZE:
	case OPT_LOADS:
		return kind == WL_MEMLAT;
	case OPT_PAGES:
		return kind == WL_MEMLAT || kind == WL_FAULT;
	case OPT_KERNELS:
		return kind == WL_STREAM || kind == WL_MEMORY;
	default:
		return false;
	}
}

static int parse_pages(const char *val, unsigned *out, struct vb_err *err)
{
	static const char *const names[] = { "4k", "2m", "4k,2m", "2m,4k", "4K", "2M",
					      "4K,2M", "2M,4K", NULL };
	static const unsigned masks[] = { 1, 2, 3, 3, 1, 2, 3, 3 };
	int i = opt__choice("--pages", val, names, err);
	if (i < 0)
		return err__usage(err, "--pages: '%.64s' is not accepted; expected 4k, 2m or 4k,2m",
				  val);
	*out = masks[i];
	return 0;
}

static int parse_kernels(const char *val, unsigned *out, struct vb_err *err)
{
	static const char *const names[] = { "copy", "scale", "add", "triad", NULL };
	uint64_t mask;
	if (opt__choice_list("--kernels", val, names, &mask, err) < 0)
		return -1;
	*out = (unsigned)mask;
	return 0;
}

static int parse_one(struct native_opts *o, int opt, const char *arg, struct vb_err *err)
{
	static const char *const opers[] = { "none", "read", "write", NULL };
	static const char *const access[] = { "seq", "rnd", NULL };
	static const char *const scopes[] = { "global", "local", NULL };
	static const char *const modes[] = { "sysbench", "plain", "bandwidth", NULL };
	uint64_t v;
	int i;
	switch (opt) {
	case OPT_THREADS:
		if (opt__uint("--threads", arg, 1, NATIVE_MAX_THREADS, &v, err) < 0)
			return -1;
		o->threads = (unsigned)v;
		return 0;
	case OPT_TIME:
		return opt__double("--time", arg, 0, 86400, &o->time_s, err);
	case OPT_EVENTS:
		return opt__uint("--events", arg, 0, NATIVE_MAX_COUNT, &o->events, err);
	case OPT_MAX_PRIME:
		if (opt__uint("--cpu-max-prime", arg, 1, 2147483647, &v, err) < 0)
			return -1;
		o->cpu_max_prime = (uint32_t)v;
		return 0;
	case OPT_BLOCK:
		return opt__block_size("--memory-block-size", arg, 8, 1ull << 40, &o->block_size, err);
	case OPT_TOTAL:
		return opt__size("--memory-total-size", arg, 0, UINT64_MAX >> 1, &o->total_size,
				 err);
	case OPT_OPER:
		if ((i = opt__choice("--memory-oper", arg, opers, err)) < 0)
			return -1;
		o->oper = (uint32_t)i;
		return 0;
	case OPT_ACCESS:
		if ((i = opt__choice("--memory-access-mode", arg, access, err)) < 0)
			return -1;
		o->access_rnd = i == 1;
		return 0;
	case OPT_SCOPE:
		if ((i = opt__choice("--memory-scope", arg, scopes, err)) < 0)
			return -1;
		o->scope_local = i == 1;
		return 0;
	case OPT_MODE:
		if ((i = opt__choice("--mode", arg, modes, err)) < 0)
			return -1;
		o->mode = (enum native_mem_mode)i;
		return 0;
	case OPT_SIZE:
		return opt__size("--size", arg, 1, 1ull << 44, &o->size, err);
	case OPT_MIN_SIZE:
		return opt__size("--min-size", arg, 4096, 1ull << 44, &o->min_size, err);
	case OPT_MAX_SIZE:
		return opt__size("--max-size", arg, 4096, 1ull << 44, &o->max_size, err);
	case OPT_PAGES:
		return parse_pages(arg, &o->pages, err);
	case OPT_LOADS:
		return opt__uint("--loads", arg, 8, NATIVE_MAX_COUNT, &o->loads, err);
	case OPT_KERNELS:
		return parse_kernels(arg, &o->kernels, err);
	default:
		return err__usage(err, "unexpected option");
	}
}

static unsigned default_iterations(uint32_t kind)
{
	return kind == WL_FAULT || kind == WL_CLOCK ? 5 : 3;
}

static int run_workload(uint32_t kind, const char *name, const char *help, int argc, char **argv)
{
	char prog[64];
	snprintf(prog, sizeof(prog), "native %s", name);
	struct native_opts o;
	struct cli_common c;
	struct vb_err err = { 0 };
	native_opts__init(&o, kind);
	common_opts__init(&c, default_iterations(kind));
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			fputs("\n", stdout);
			fputs(common_opts__help, stdout);
			return VB_EXIT_OK;
		}
		if (opt == '?') {
			err__usage(&err, "unknown option '%s'", argv[optind - 1]);
			return cli__usage_error(prog, &err);
		}
		if (opt == ':') {
			err__usage(&err, "%s needs a value", argv[optind - 1]);
			return cli__usage_error(prog, &err);
		}
		int rc = common_opts__getopt(&c, opt, optarg, &err);
		if (rc < 0)
			return cli__usage_error(prog, &err);
		if (rc > 0)
			continue;
		if (!accepts(kind, opt)) {
			err__usage(&err, "%s is not an option of '%s'", argv[optind - 1], prog);
			return cli__usage_error(prog, &err);
		}
		if (parse_one(&o, opt, optarg, &err) < 0)
			return cli__usage_error(prog, &err);
	}
	if (optind < argc) {
		err__usage(&err, "unexpected argument '%s'", argv[optind]);
		return cli__usage_error(prog, &err);
	}
	o.run = c.run;
	o.run.label = c.quiet ? NULL : prog;
	if (native_opts__check(&o, &err) < 0)
		return cli__usage_error(prog, &err);

	struct vb_result_set set;
	result_set__init(&set);
	if (host__inspect) {
		struct vb_err herr = { 0 };
		set.host = host__inspect(&herr);
		if (!set.host)
			warn__("host inspection failed: %s", herr.msg);
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(set.started, sizeof(set.started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = native__bench(&o, &set, &err);
	int status = VB_EXIT_OK;
	if (rc < 0) {
		status = err.status == VB_EXIT_USAGE ? VB_EXIT_USAGE : VB_EXIT_FAILURE;
		if (set.nresults == 0 && set.nskips == 0) {
			result_set__free(&set);
			return err__report(&err);
		}
		err__report(&err); /* what finished is still printed and saved */
	}
	int erc = common_opts__emit(&c, &set);
	result_set__free(&set);
	return status ? status : erc;
}

static int native_cpu(int argc, char **argv)
{
	return run_workload(WL_CPU, "cpu", cpu_help, argc, argv);
}
static int native_memory(int argc, char **argv)
{
	return run_workload(WL_MEMORY, "memory", memory_help, argc, argv);
}
static int native_memlat(int argc, char **argv)
{
	return run_workload(WL_MEMLAT, "memlat", memlat_help, argc, argv);
}
static int native_fault(int argc, char **argv)
{
	return run_workload(WL_FAULT, "fault", fault_help, argc, argv);
}
static int native_stream(int argc, char **argv)
{
	return run_workload(WL_STREAM, "stream", stream_help, argc, argv);
}
static int native_clock(int argc, char **argv)
{
	return run_workload(WL_CLOCK, "clock", clock_help, argc, argv);
}

static const struct vb_command workloads[] = {
	{ "cpu", "sysbench cpu", native_cpu },
	{ "memory", "sysbench memory", native_memory },
	{ "memlat", "memory latency", native_memlat },
	{ "fault", "first touch", native_fault },
	{ "stream", "memory bandwidth", native_stream },
	{ "clock", "clock read cost", native_clock },
	{ NULL, NULL, NULL },
};

int cmd_native(int argc, char **argv)
{
	return cli__subcommand("virtbench native", usage, workloads, argc, argv);
}
