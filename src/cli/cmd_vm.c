/* `virtbench vm <subcommand>`: the built-in microVM benchmarks (a thin CLI
 * over src/vm/vm_bench.h). With --platform qemu the whole command goes to
 * the QEMU front end instead. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/interrupt.h"
#include "core/output.h"
#include "host/host.h"
#include "vm/vm_bench.h"

static const char vm_usage[] =
	"Usage: virtbench vm <subcommand> [options]\n"
	"\n"
	"Virtual machine benchmarks on the built-in microVM: a minimal monitor over\n"
	"/dev/kvm with its own guest image linked into virtbench (no image download,\n"
	"no QEMU, no network). The guest runs the same workload code as the native\n"
	"runs and measures from the inside with its own clock.\n"
	"\n"
	"Subcommands:\n"
	"  boot          start-up time split into phases, and VMM CPU time\n"
	"  exits         cost of one exit: port I/O, MMIO, in-kernel (CPUID), HLT,\n"
	"                empty KVM_RUN\n"
	"  cpu           in-guest cpu workload against native: overhead with interval\n"
	"  memory        in-guest memory, memlat and fault workloads against native\n"
	"  scale         throughput from 1 vCPU up to 2 x host CPUs\n"
	"  density       1, 2, 4 ... concurrent VMs: creation rate, readiness, memory\n"
	"  interference  native throughput while guests run busy or idle beside it\n"
	"\n"
	"Platform:\n"
	"  --platform microvm   the built-in monitor (default)\n"
	"  --platform qemu      the same benchmarks on a real Linux guest in QEMU\n"
	"\n"
	"Every subcommand takes --help. Guest code runs at user level (x86 CPL3): on\n"
	"kvm_pvm hosts only that level runs natively; each result records whether the\n"
	"guest kernel level is emulated on this host (config kvm_cpl0).\n"
	"\n"
	"Exit status: 0 success, 1 no usable /dev/kvm or a benchmark failure,\n"
	"2 usage error.\n";

/* Options shared by several subcommands. */
enum {
	OPT_VCPUS = 1,
	OPT_MEMORY,
	OPT_HUGE,
	OPT_TIME,
	OPT_PRIME,
	OPT_KIND,
	OPT_MIN_TIME,
	OPT_FORCE_HLT,
	OPT_WORKLOAD,
	OPT_BLOCK,
	OPT_MAX_VCPUS,
	OPT_MAX_VMS,
	OPT_GUESTS,
	OPT_STATE,
	OPT_PLATFORM,
};

struct vm_cli {
	struct cli_common common;
	uint64_t vcpus[VM_BENCH_MAX_CONFIGS];
	unsigned nvcpus;
	uint64_t memory[VM_BENCH_MAX_CONFIGS]; /* MiB */
	unsigned nmemory;
	enum vm_huge huge;
	double seconds;
	bool have_seconds;
	double min_seconds; /* smallest --time accepted: 0 only where it means "skip" */
	uint64_t prime;
	unsigned kinds;
	double min_time;
	bool force_hlt;
	unsigned workloads;
	uint64_t block;
	uint64_t max_vcpus, max_vms;
	uint64_t guests[VM_BENCH_MAX_CONFIGS];
	unsigned nguests;
	int state; /* 0 both, 1 busy, 2 idle */
};

/* The options of whichever subcommand runs. */
union vm_sub_opts {
	struct vm_boot_opts boot;
	struct vm_exits_opts exits;
	struct vm_work_opts work;
	struct vm_scale_opts scale;
	struct vm_density_opts density;
	struct vm_interference_opts interference;
};

/* Guest memory: plain numbers are MiB (as the seed's "512"), or with a
 * K/M/G suffix; whole 2 MiB pages, as guest memory is mapped. */
static int parse_mib_list(const char *opt, const char *val, struct vm_cli *c, struct vb_err *err)
{
	if (opt__mib_list(opt, val, 16, 128 * 1024, c->memory, VM_BENCH_MAX_CONFIGS, &c->nmemory,
			  err) < 0)
		return -1;
	for (unsigned i = 0; i < c->nmemory; i++)
		if (c->memory[i] % 2)
			return err__usage(err, "%s: %llu MiB is not a multiple of 2 MiB", opt,
					  (unsigned long long)c->memory[i]);
	return 0;
}

static int parse_kinds(const char *val, unsigned *out, struct vb_err *err)
{
	static const char *const names[] = { "pio",	    "mmio", "inkernel", "hlt", "empty",
					     "mmio_kernel", "all",  NULL };
	uint64_t mask;
	if (opt__choice_list("--kind", val, names, &mask, err) < 0)
		return -1;
	*out = mask & (1u << 6) ? VM_EXITS_ALL : (unsigned)mask;
	return 0;
}

/* `vm memory` runs the memory workloads only: bit VM_WL_CPU stays clear. */
static int parse_workloads(const char *val, unsigned *out, struct vb_err *err)
{
	static const char *const names[] = { "memory", "memlat", "fault", NULL };
	uint64_t mask;
	if (opt__choice_list("--workload", val, names, &mask, err) < 0)
		return -1;
	*out = (unsigned)mask << VM_WL_MEMORY;
	return 0;
}

static const struct option long_opts[] = {
	{ "vcpus", required_argument, 0, OPT_VCPUS },
	{ "memory", required_argument, 0, OPT_MEMORY },
	{ "huge-pages", required_argument, 0, OPT_HUGE },
	{ "time", required_argument, 0, OPT_TIME },
	{ "cpu-max-prime", required_argument, 0, OPT_PRIME },
	{ "kind", required_argument, 0, OPT_KIND },
	{ "min-time", required_argument, 0, OPT_MIN_TIME },
	{ "force-hlt", no_argument, 0, OPT_FORCE_HLT },
	{ "workload", required_argument, 0, OPT_WORKLOAD },
	{ "memory-block-size", required_argument, 0, OPT_BLOCK },
	{ "max-vcpus", required_argument, 0, OPT_MAX_VCPUS },
	{ "max-vms", required_argument, 0, OPT_MAX_VMS },
	{ "guests", required_argument, 0, OPT_GUESTS },
	{ "state", required_argument, 0, OPT_STATE },
	{ "platform", required_argument, 0, OPT_PLATFORM },
	COMMON_LONG_OPTS,
	{ 0, 0, 0, 0 },
};

static const char *opt_name_of(int opt)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* Parses argv; `allowed` lists the subcommand's own options. Returns 1 when
 * help was printed, 0 to go on, -1 on a usage error (already reported). */
static int vm_cli__parse(const char *sub, const char *help, const int *allowed, int argc,
			 char **argv, struct vm_cli *c)
{
	struct vb_err err = { 0 };
	char cmd[48];
	snprintf(cmd, sizeof(cmd), "vm %s", sub);
	optind = 0;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			fputs("\n", stdout);
			fputs(common_opts__help, stdout);
			return 1;
		}
		if (opt == '?' || opt == ':') {
			const char *bad = argv[optind - 1];
			if (opt == ':')
				err__usage(&err, "%s: expects a value", bad);
			else
				err__usage(&err, "unknown option '%s'", bad);
			cli__usage_error(cmd, &err);
			return -1;
		}
		int rc = common_opts__getopt(&c->common, opt, optarg, &err);
		if (rc < 0) {
			cli__usage_error(cmd, &err);
			return -1;
		}
		if (rc > 0)
			continue;
		bool ok = opt == OPT_PLATFORM;
		for (const int *a = allowed; *a; a++)
			ok = ok || *a == opt;
		if (!ok) {
			err__usage(&err, "--%s does not apply to 'vm %s'", opt_name_of(opt), sub);
			cli__usage_error(cmd, &err);
			return -1;
		}
		uint64_t v;
		double d;
		static const char *const huge_names[] = { "none", "thp", "hugetlb", NULL };
		static const char *const state_names[] = { "both", "busy", "idle", NULL };
		switch (opt) {
		case OPT_PLATFORM:
			if (strcmp(optarg, "microvm") != 0) {
				err__usage(&err, "--platform: '%s' is not accepted here; expected "
						 "microvm or qemu",
					   optarg);
				rc = -1;
			}
			break;
		case OPT_VCPUS:
			rc = opt__uint_list("--vcpus", optarg, 1, 256, c->vcpus, VM_BENCH_MAX_CONFIGS,
					    &c->nvcpus, &err);
			break;
		case OPT_MEMORY:
			rc = parse_mib_list("--memory", optarg, c, &err);
			break;
		case OPT_HUGE:
			rc = opt__choice("--huge-pages", optarg, huge_names, &err);
			if (rc >= 0)
				c->huge = (enum vm_huge)rc;
			break;
		case OPT_TIME:
			rc = opt__double("--time", optarg, c->min_seconds, 3600, &d, &err);
			c->seconds = d;
			c->have_seconds = true;
			break;
		case OPT_PRIME:
			rc = opt__uint("--cpu-max-prime", optarg, 3, 1000000000, &v, &err);
			c->prime = v;
			break;
		case OPT_KIND:
			rc = parse_kinds(optarg, &c->kinds, &err);
			break;
		case OPT_MIN_TIME:
			rc = opt__double("--min-time", optarg, 0.001, 60, &c->min_time, &err);
			break;
		case OPT_FORCE_HLT:
			c->force_hlt = true;
			break;
		case OPT_WORKLOAD:
			rc = parse_workloads(optarg, &c->workloads, &err);
			break;
		case OPT_BLOCK:
			rc = opt__block_size("--memory-block-size", optarg, 8, 1ull << 30, &c->block,
					      &err);
			break;
		case OPT_MAX_VCPUS:
			rc = opt__uint("--max-vcpus", optarg, 1, 256, &c->max_vcpus, &err);
			break;
		case OPT_MAX_VMS:
			rc = opt__uint("--max-vms", optarg, 1, 100000, &c->max_vms, &err);
			break;
		case OPT_GUESTS:
			rc = opt__uint_list("--guests", optarg, 0, 1024, c->guests,
					    VM_BENCH_MAX_CONFIGS, &c->nguests, &err);
			break;
		case OPT_STATE:
			rc = opt__choice("--state", optarg, state_names, &err);
			if (rc >= 0)
				c->state = rc;
			break;
		}
		if (rc < 0) {
			cli__usage_error(cmd, &err);
			return -1;
		}
	}
	if (optind < argc) {
		err__usage(&err, "unexpected argument '%s'", argv[optind]);
		cli__usage_error(cmd, &err);
		return -1;
	}
	return 0;
}

/* --vcpus and --memory into configurations: equal-length lists pair up, a
 * single value applies to every entry of the other list. */
static int vm_cli__configs(const struct vm_cli *c, struct vm_config *cfg, unsigned *ncfg,
			   struct vb_err *err)
{
	if (!c->nvcpus && !c->nmemory)
		return 0; /* keep the defaults */
	unsigned nv = c->nvcpus, nm = c->nmemory;
	unsigned n = nv > nm ? nv : nm;
	if (nv > 1 && nm > 1 && nv != nm)
		return err__usage(err,
				  "--vcpus and --memory: lists of %u and %u values; give lists of "
				  "the same length or one value",
				  nv, nm);
	for (unsigned i = 0; i < n; i++) {
		cfg[i].vcpus = nv ? (unsigned)c->vcpus[nv > 1 ? i : 0] : 1;
		cfg[i].mem_mb = nm ? c->memory[nm > 1 ? i : 0] : 512 * cfg[i].vcpus;
	}
	*ncfg = n;
	return 0;
}

/* Runs the benchmark and prints; the set records the host's KVM kind. */
static int vm_cli__finish(struct vm_cli *c, struct vb_result_set *s, int rc,
			  const struct vb_err *err, const char *sub)
{
	if (rc == 0 || err->status != VB_EXIT_USAGE)
		vm_bench__annotate(s);
	if (rc < 0) {
		if (err->status == VB_EXIT_USAGE) {
			char cmd[48];
			snprintf(cmd, sizeof(cmd), "vm %s", sub);
			result_set__free(s);
			return cli__usage_error(cmd, err);
		}
		if (s->nresults == 0) {
			result_set__free(s);
			return err__report(err);
		}
		s->incomplete = true; /* print what was measured, then fail */
		common_opts__emit(&c->common, s);
		result_set__free(s);
		return err__report(err);
	}
	int status = common_opts__emit(&c->common, s);
	result_set__free(s);
	return status;
}

static void vm_cli__init(struct vm_cli *c, unsigned iterations)
{
	memset(c, 0, sizeof(*c));
	common_opts__init(&c->common, iterations);
	c->min_seconds = 0.001;
}

/* The set, stamped with the start time. */
static void vm_cli__set(struct vb_result_set *s)
{
	result_set__init(s);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(s->started, sizeof(s->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct vb_err herr = { 0 };
	s->host = host__inspect(&herr); /* NULL is fine: the set is valid without */
}

static const char boot_help[] =
	"Usage: virtbench vm boot [--vcpus LIST] [--memory LIST] [options]\n"
	"\n"
	"Boots the built-in microVM and splits each start-up into phases, measured by\n"
	"the VMM with CLOCK_MONOTONIC: open /dev/kvm, create the VM, map guest memory,\n"
	"create the vCPUs, load the guest, first guest instruction (the guest's first\n"
	"write to the device, as Firecracker's boot timer), all vCPUs ready, teardown.\n"
	"Also reported: ready_ms (start to all ready), total_ms (with teardown) and\n"
	"vmm_cpu_ms (process CPU time of boot and teardown).\n"
	"\n"
	"Options:\n"
	"  --vcpus LIST        vCPUs per configuration, 1 to 256 (e.g. 1,2,4)\n"
	"  --memory LIST       guest memory per configuration in MiB, or with a K/M/G\n"
	"                      suffix; a multiple of 2 MiB (e.g. 512,1024,2048)\n"
	"                      Default configurations: 1/512, 2/1024, 4/2048.\n"
	"  --huge-pages MODE   back guest memory with none (default), thp (madvise) or\n"
	"                      hugetlb (needs vm.nr_hugepages)\n"
	"  --iterations N      boots per configuration (default 3)\n";

static int boot__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	struct vm_boot_opts *o = &u->boot;
	vm_boot_opts__init(o);
	o->run = c->common.run;
	o->huge = c->huge;
	return vm_cli__configs(c, o->configs, &o->nconfigs, err);
}

static int boot__run(const union vm_sub_opts *u, struct vb_result_set *s, struct vb_err *err)
{
	return vm_bench__boot(&u->boot, s, err);
}

static const char exits_help[] =
	"Usage: virtbench vm exits [--kind LIST] [--min-time SECONDS] [options]\n"
	"\n"
	"Cost of one VM exit in ns, the kvm-unit-tests vmexit way: the guest repeats\n"
	"the exit N times, N doubling until one run lasts --min-time; each sample is\n"
	"one such run. Every figure is timed twice: by the host (VMM timestamps of\n"
	"the guest's START and STOP) and by the guest clock (TSC scaled by KVM's\n"
	"frequency). Exits that reach user space are counted and must match exactly.\n"
	"\n"
	"Options:\n"
	"  --kind LIST        pio       port I/O write, handled in the VMM (x86)\n"
	"                     mmio      store to an unbacked page, handled in the VMM\n"
	"                     inkernel  x86 CPUID, arm64 HVC (SMCCC_VERSION): answered\n"
	"                               inside KVM (the note says whether it exits\n"
	"                               at all on this host)\n"
	"                     hlt       HLT at guest kernel level, resumed at once (x86)\n"
	"                     empty     KVM_RUN that returns without entering the guest\n"
	"                     mmio_kernel  load from the in-kernel GIC distributor,\n"
	"                               completed inside KVM (arm64)\n"
	"                     all       everything this architecture has (default)\n"
	"  --min-time SECONDS shortest run that counts as a sample, 0.001 to 60\n"
	"                     (default 0.1)\n"
	"  --force-hlt        measure HLT even where guest kernel level is emulated\n"
	"  --iterations N     samples per kind (default 5)\n";

static int exits__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	struct vm_exits_opts *o = &u->exits;
	vm_exits_opts__init(o);
	o->run = c->common.run;
	if (c->kinds)
		o->kinds = c->kinds;
	if (c->min_time > 0)
		o->min_seconds = c->min_time;
	o->force_hlt = c->force_hlt;
	return 0;
}

static int exits__run(const union vm_sub_opts *u, struct vb_result_set *s, struct vb_err *err)
{
	return vm_bench__exits(&u->exits, s, err);
}

static const char cpu_help[] =
	"Usage: virtbench vm cpu [--vcpus LIST] [--memory LIST] [--time SECONDS] [options]\n"
	"\n"
	"Runs the cpu workload (sysbench cpu: primes by trial division) inside the\n"
	"guest on every vCPU, and the same job natively on as many threads, in turn,\n"
	"and reports both throughputs and the guest's overhead_percent with its 95%\n"
	"interval. These are the columns of the seed's hypervisor_overhead.csv, with\n"
	"a true in-guest figure.\n"
	"\n"
	"Options:\n"
	"  --vcpus LIST          vCPUs (= threads) per configuration, 1 to 256\n"
	"  --memory LIST         guest memory per configuration in MiB (default\n"
	"                        configurations 1/512, 2/1024, 4/2048)\n"
	"  --time SECONDS        length of each run (default 1)\n"
	"  --cpu-max-prime N     upper limit of the prime search (default 10000)\n"
	"  --huge-pages MODE     none (default), thp or hugetlb\n"
	"  --iterations N        native/guest pairs per configuration (default 5)\n"
	"\n"
	"With --adaptive, pairs are added until the overhead's 95% interval is within\n"
	"--target-ci either side (--target-ci 1% stops at +-1 point), at least 10 and\n"
	"at most --max-iterations pairs. On a noisy host +-1 point takes about 40\n"
	"pairs of 1 s.\n";

static const char memory_help[] =
	"Usage: virtbench vm memory [--workload LIST] [--vcpus LIST] [options]\n"
	"\n"
	"Runs memory workloads inside the guest and natively, in turn, and reports\n"
	"both and the guest's overhead with its 95% interval:\n"
	"  memory   sysbench memory: 1 KiB blocks written in order (MiB/s)\n"
	"  memlat   dependent loads over a random cycle (ns per load)\n"
	"  fault    first touch of fresh pages (ns per page; in the guest this is\n"
	"           the second-level fault of guest memory)\n"
	"\n"
	"Options:\n"
	"  --workload LIST          any of memory, memlat, fault (default all three)\n"
	"  --vcpus LIST, --memory LIST\n"
	"                           configurations as for 'vm cpu'\n"
	"  --time SECONDS           length of each memory/memlat run (default 1)\n"
	"  --memory-block-size SIZE block of the memory workload, a power of two from\n"
	"                           8 to 1G (default 1K)\n"
	"  --huge-pages MODE        none (default), thp or hugetlb\n"
	"  --iterations N           native/guest pairs (default 5)\n"
	"\n"
	"With --adaptive, pairs are added until the overhead's 95% interval is within\n"
	"--target-ci either side (--target-ci 1% stops at +-1 point).\n";

static int work__fill(const struct vm_cli *c, unsigned default_wl, union vm_sub_opts *u,
		      struct vb_err *err)
{
	struct vm_work_opts *o = &u->work;
	vm_work_opts__init(o, c->workloads ? c->workloads : default_wl);
	o->run = c->common.run;
	o->huge = c->huge;
	if (c->have_seconds)
		o->seconds = c->seconds;
	if (c->prime)
		o->cpu_max_prime = (uint32_t)c->prime;
	if (c->block)
		o->mem_block_size = c->block;
	return vm_cli__configs(c, o->configs, &o->nconfigs, err);
}

static int work__run(const union vm_sub_opts *u, struct vb_result_set *s, struct vb_err *err)
{
	return vm_bench__workload(&u->work, s, err);
}

static int cpu__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	return work__fill(c, 1u << VM_WL_CPU, u, err);
}

static int memory__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	return work__fill(c, (1u << VM_WL_MEMORY) | (1u << VM_WL_MEMLAT) | (1u << VM_WL_FAULT), u,
			  err);
}

static const char scale_help[] =
	"Usage: virtbench vm scale [--max-vcpus N] [--time SECONDS] [options]\n"
	"\n"
	"Runs the cpu workload in a guest of 1, 2, 4 ... vCPUs up to --max-vcpus and\n"
	"natively on as many threads, in turn: aggregate throughput, per-vCPU\n"
	"throughput and the guest's overhead, so that oversubscription (more vCPUs\n"
	"than host CPUs) shows.\n"
	"\n"
	"Options:\n"
	"  --max-vcpus N       largest guest, 1 to 256 (default 2 x host CPUs)\n"
	"  --time SECONDS      length of each run (default 1)\n"
	"  --cpu-max-prime N   upper limit of the prime search (default 10000)\n"
	"  --iterations N      native/guest pairs per size (default 3)\n";

static int scale__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	struct vm_scale_opts *o = &u->scale;
	vm_scale_opts__init(o);
	o->run = c->common.run;
	if (c->max_vcpus)
		o->max_vcpus = (unsigned)c->max_vcpus;
	if (c->have_seconds)
		o->seconds = c->seconds;
	if (c->prime)
		o->cpu_max_prime = (uint32_t)c->prime;
	return 0;
}

static int scale__run(const union vm_sub_opts *u, struct vb_result_set *s, struct vb_err *err)
{
	return vm_bench__scale(&u->scale, s, err);
}

static const char density_help[] =
	"Usage: virtbench vm density [--max-vms N] [--memory MIB] [--time SECONDS] [options]\n"
	"\n"
	"Starts 1, 2, 4 ... concurrent 1-vCPU VMs, up to --max-vms or what host memory\n"
	"and the open-file limit allow (the soft limit is raised to the hard one), and\n"
	"reports for each count: creation rate (VMs/s, each VM started as soon as it\n"
	"is made), time until all are ready, VMM memory per VM beyond the guest\n"
	"memory touched (process RSS and PSS) and host memory per VM (MemAvailable,\n"
	"which includes KVM's kernel memory), and per-VM and aggregate in-guest cpu\n"
	"throughput with all VMs running at once.\n"
	"\n"
	"Options:\n"
	"  --max-vms N       largest count, 1 to 100000 (default 1024)\n"
	"  --memory MIB      guest memory per VM (default 64)\n"
	"  --time SECONDS    in-guest cpu run with all VMs up (default 0.5; 0 skips it)\n"
	"  --iterations N    repetitions of each count (default 1)\n";

static void density__defaults(struct vm_cli *c)
{
	c->min_seconds = 0; /* density: 0 skips the in-guest run */
	c->common.run.warmup = 0;
}

static int density__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	struct vm_density_opts *o = &u->density;
	vm_density_opts__init(o);
	o->run = c->common.run;
	if (c->max_vms)
		o->max_vms = (unsigned)c->max_vms;
	if (c->nmemory > 1)
		return err__usage(err, "--memory: density takes one size, the memory of every VM; "
				       "got %u",
				  c->nmemory);
	if (c->nmemory)
		o->mem_mb = c->memory[0];
	if (c->have_seconds)
		o->seconds = c->seconds;
	return 0;
}

static int density__run(const union vm_sub_opts *u, struct vb_result_set *s, struct vb_err *err)
{
	return vm_bench__density(&u->density, s, err);
}

static const char interference_help[] =
	"Usage: virtbench vm interference [--guests LIST] [--state busy|idle|both] [options]\n"
	"\n"
	"Native cpu throughput on all host CPUs while 1-vCPU guests run beside it:\n"
	"idle (waiting in the VMM) or busy (running the cpu workload). The seed's\n"
	"'hypervisor overhead' measured this; here it has its honest name. Each\n"
	"figure with guests carries the overhead against the run with none.\n"
	"\n"
	"Options:\n"
	"  --guests LIST      numbers of guests (default 0,1,2,4)\n"
	"  --state STATE      busy, idle or both (default both)\n"
	"  --time SECONDS     length of each native run (default 1)\n"
	"  --iterations N     native runs per point (default 3)\n";

static int interference__fill(const struct vm_cli *c, union vm_sub_opts *u, struct vb_err *err)
{
	struct vm_interference_opts *o = &u->interference;
	vm_interference_opts__init(o);
	o->run = c->common.run;
	if (c->nguests) {
		o->nguests = c->nguests;
		for (unsigned i = 0; i < c->nguests; i++)
			o->guests[i] = (unsigned)c->guests[i];
	}
	o->both = c->state == 0;
	o->busy = c->state != 2;
	if (c->have_seconds)
		o->seconds = c->seconds;
	if (c->prime)
		o->cpu_max_prime = (uint32_t)c->prime;
	return 0;
}

static int interference__run(const union vm_sub_opts *u, struct vb_result_set *s,
			     struct vb_err *err)
{
	return vm_bench__interference(&u->interference, s, err);
}

/* Each subcommand is a row: its options and defaults, how the parsed command
 * line fills its options, and the benchmark it runs. vm_sub__main does the
 * rest (parse, fill, run, print) the same way for all of them. */
struct vm_sub {
	const char *name, *help;
	const int *allowed;  /* OPT_* it takes, 0-terminated */
	unsigned iterations; /* default --iterations */
	void (*defaults)(struct vm_cli *c); /* NULL: the common defaults */
	int (*fill)(const struct vm_cli *c, union vm_sub_opts *o, struct vb_err *err);
	int (*run)(const union vm_sub_opts *o, struct vb_result_set *s, struct vb_err *err);
};

enum { SUB_BOOT, SUB_EXITS, SUB_CPU, SUB_MEMORY, SUB_SCALE, SUB_DENSITY, SUB_INTERFERENCE, SUB_N };

static const int boot_opts[] = { OPT_VCPUS, OPT_MEMORY, OPT_HUGE, 0 };
static const int exits_opts[] = { OPT_KIND, OPT_MIN_TIME, OPT_FORCE_HLT, 0 };
static const int cpu_opts[] = { OPT_VCPUS, OPT_MEMORY, OPT_TIME, OPT_PRIME, OPT_HUGE, 0 };
static const int memory_opts[] = { OPT_VCPUS, OPT_MEMORY, OPT_TIME, OPT_WORKLOAD,
				   OPT_BLOCK, OPT_HUGE,	  0 };
static const int scale_opts[] = { OPT_MAX_VCPUS, OPT_TIME, OPT_PRIME, 0 };
static const int density_opts[] = { OPT_MAX_VMS, OPT_MEMORY, OPT_TIME, 0 };
static const int interference_opts[] = { OPT_GUESTS, OPT_STATE, OPT_TIME, OPT_PRIME, 0 };

static const struct vm_sub vm_subs[SUB_N] = {
	[SUB_BOOT] = { "boot", boot_help, boot_opts, 3, NULL, boot__fill, boot__run },
	[SUB_EXITS] = { "exits", exits_help, exits_opts, 5, NULL, exits__fill, exits__run },
	[SUB_CPU] = { "cpu", cpu_help, cpu_opts, 5, NULL, cpu__fill, work__run },
	[SUB_MEMORY] = { "memory", memory_help, memory_opts, 5, NULL, memory__fill, work__run },
	[SUB_SCALE] = { "scale", scale_help, scale_opts, 3, NULL, scale__fill, scale__run },
	[SUB_DENSITY] = { "density", density_help, density_opts, 1, density__defaults,
			  density__fill, density__run },
	[SUB_INTERFERENCE] = { "interference", interference_help, interference_opts, 3, NULL,
			       interference__fill, interference__run },
};

static int vm_sub__main(const struct vm_sub *sub, int argc, char **argv)
{
	struct vm_cli c;
	vm_cli__init(&c, sub->iterations);
	if (sub->defaults)
		sub->defaults(&c);
	int rc = vm_cli__parse(sub->name, sub->help, sub->allowed, argc, argv, &c);
	if (rc)
		return rc > 0 ? VB_EXIT_OK : VB_EXIT_USAGE;
	union vm_sub_opts o;
	struct vb_err err = { 0 };
	if (sub->fill(&c, &o, &err) < 0) {
		char cmd[48];
		snprintf(cmd, sizeof(cmd), "vm %s", sub->name);
		return cli__usage_error(cmd, &err);
	}
	struct vb_result_set s;
	vm_cli__set(&s);
	rc = sub->run(&o, &s, &err);
	return vm_cli__finish(&c, &s, rc, &err, sub->name);
}

/* cli__subcommand calls plain entry points: one per row. */
#define VM_SUB_ENTRY(fn, id)                                   \
	static int fn(int argc, char **argv)                   \
	{                                                      \
		return vm_sub__main(&vm_subs[id], argc, argv); \
	}
VM_SUB_ENTRY(vm_boot, SUB_BOOT)
VM_SUB_ENTRY(vm_exits, SUB_EXITS)
VM_SUB_ENTRY(vm_cpu, SUB_CPU)
VM_SUB_ENTRY(vm_memory, SUB_MEMORY)
VM_SUB_ENTRY(vm_scale, SUB_SCALE)
VM_SUB_ENTRY(vm_density, SUB_DENSITY)
VM_SUB_ENTRY(vm_interference, SUB_INTERFERENCE)

static const struct vb_command vm_commands[] = {
	{ "boot", "start-up phases", vm_boot },
	{ "exits", "exit latency", vm_exits },
	{ "cpu", "in-guest cpu against native", vm_cpu },
	{ "memory", "in-guest memory against native", vm_memory },
	{ "scale", "vCPU scaling", vm_scale },
	{ "density", "concurrent VMs", vm_density },
	{ "interference", "native throughput beside guests", vm_interference },
	{ NULL, NULL, NULL },
};

/* True when the arguments ask for the QEMU platform. */
static bool wants_qemu(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--platform=qemu") ||
		    (!strcmp(argv[i], "--platform") && i + 1 < argc && !strcmp(argv[i + 1], "qemu")))
			return true;
	}
	return false;
}

int cmd_vm(int argc, char **argv)
{
	if (wants_qemu(argc, argv))
		return cmd_vm_qemu(argc, argv);
	return cli__subcommand("virtbench vm", vm_usage, vm_commands, argc, argv);
}
