/* `virtbench vm <subcommand>`: the built-in microVM benchmarks, a thin CLI
 * over src/vm/vm_bench.h. With --platform qemu the subcommands are those
 * of the QEMU front end (cmd_vm_qemu.c). */
#include <errno.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_vm.h"
#include "cli/table.h"
#include "core/names.h"
#include "vm/vm_bench.h"

struct vm_cli {
	struct cli_common common;
	int platform;
	uint64_t vcpus[VM_BENCH_MAX_CONFIGS], memory[VM_BENCH_MAX_CONFIGS];
	unsigned nvcpus, nmemory;
	unsigned workloads; /* vm memory: memory, memlat, fault */
	int state;	    /* vm interference: both, busy, idle */
	struct vm_boot_opts boot;
	struct vm_exits_opts exits;
	struct vm_work_opts work;
	struct vm_scale_opts scale;
	struct vm_density_opts density;
	struct vm_interference_opts interference;
};

enum {
	SUB_BOOT,
	SUB_EXITS,
	SUB_CPU,
	SUB_MEMORY,
	SUB_SCALE,
	SUB_DENSITY,
	SUB_INTERFERENCE,
	SUB_DISK,
	SUB_NET
};

#define AT(f) CLI_AT(struct vm_cli, f)

#define VM_PLATFORM                                                                                \
	{                                                                                          \
		.name = "platform", .type = CLI_CHOICE, .value = "NAME", AT(platform),             \
		CLI_CHOICES("microvm", "qemu"),                                                    \
		.help = "the built-in monitor, or a Linux guest in QEMU: see 'virtbench vm "       \
			"--platform qemu --help'"                                                  \
	}
#define VM_VCPUS(h)                                                                                \
	{                                                                                          \
		.name = "vcpus", .type = CLI_UINT_LIST, .value = "LIST",                           \
		CLI_LIST_AT(struct vm_cli, vcpus, nvcpus), .min = 1, .max = 256, .help = h         \
	}
#define VM_MEMORY                                                                                  \
	{                                                                                          \
		.name = "memory", .type = CLI_MIB_LIST, .value = "LIST",                           \
		CLI_LIST_AT(struct vm_cli, memory, nmemory), .min = 16, .max = 128 * 1024,         \
		.help = "guest memory per configuration, a multiple of 2 MiB, a plain number in "  \
			"MiB; without it 512 MiB per vCPU"                                         \
	}
#define VM_HUGE(f)                                                                                 \
	{                                                                                          \
		.name = "huge-pages", .type = CLI_CHOICE, .value = "MODE", AT(f),                  \
		CLI_CHOICES("none", "thp", "hugetlb"),                                             \
		.help = "what backs guest memory: thp is madvise, hugetlb needs vm.nr_hugepages"   \
	}
#define VM_TIME(f, lo, h)                                                                          \
	{                                                                                          \
		.name = "time", .type = CLI_SECONDS, .value = "SECONDS", AT(f), .dmin = lo,        \
		.dmax = 3600, .help = h                                                            \
	}
#define VM_PRIME(f)                                                                                \
	{                                                                                          \
		.name = "cpu-max-prime", .type = CLI_UINT, .value = "N", AT(f), .min = 3,          \
		.max = 1000000000, .help = "upper limit of the prime search"                       \
	}

static const struct cli_opt boot_opts[] = {
	VM_PLATFORM, VM_VCPUS("vCPUs per configuration"), VM_MEMORY, VM_HUGE(boot.huge), { 0 },
};

static const struct cli_opt exits_opts[] = {
	VM_PLATFORM,
	{ .name = "kind",
	  .type = CLI_CHOICE_LIST,
	  .value = "LIST",
	  AT(exits.kinds),
	  CLI_CHOICES("pio", "mmio", "inkernel", "hlt", "empty", "mmio_kernel", "all"),
	  .help = "the exits to time, as above" },
	{ .name = "min-time",
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(exits.min_seconds),
	  .dmin = 0.001,
	  .dmax = 60,
	  .help = "shortest run that counts as a sample" },
	{ .name = "force-hlt",
	  .type = CLI_FLAG,
	  AT(exits.force_hlt),
	  .help = "measure HLT even where guest kernel level is emulated" },
	{ 0 },
};

static const struct cli_opt cpu_opts[] = {
	VM_PLATFORM,
	VM_VCPUS("vCPUs (= threads) per configuration"),
	VM_MEMORY,
	VM_TIME(work.seconds, 0.001, "length of each run"),
	VM_PRIME(work.cpu_max_prime),
	VM_HUGE(work.huge),
	{ 0 },
};

static const struct cli_opt memory_opts[] = {
	VM_PLATFORM,
	{ .name = "workload",
	  .type = CLI_CHOICE_LIST,
	  .value = "LIST",
	  AT(workloads),
	  CLI_CHOICES("memory", "memlat", "fault"),
	  .help = "the workloads to run" },
	VM_VCPUS("vCPUs (= threads) per configuration"),
	VM_MEMORY,
	VM_TIME(work.seconds, 0.001, "length of each memory and memlat run"),
	{ .name = "memory-block-size",
	  CLI_ALIASES("block-size"),
	  .type = CLI_BLOCK,
	  .value = "SIZE",
	  AT(work.mem_block_size),
	  .min = 8,
	  .max = 1ull << 30,
	  .help = "block of the memory workload, a power of two" },
	VM_HUGE(work.huge),
	{ 0 },
};

static const struct cli_opt scale_opts[] = {
	VM_PLATFORM,
	{ .name = "max-vcpus",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(scale.max_vcpus),
	  .min = 1,
	  .max = 256,
	  .def = "2 x host CPUs",
	  .help = "largest guest" },
	VM_TIME(scale.seconds, 0.001, "length of each run"),
	VM_PRIME(scale.cpu_max_prime),
	{ 0 },
};

static const struct cli_opt density_opts[] = {
	VM_PLATFORM,
	{ .name = "max-vms",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(density.max_vms),
	  .min = 1,
	  .max = 100000,
	  .help = "largest count" },
	{ .name = "memory",
	  .type = CLI_MIB,
	  .value = "MIB",
	  AT(density.mem_mb),
	  .min = 16,
	  .max = 128 * 1024,
	  .help = "guest memory of every VM, a multiple of 2 MiB" },
	VM_TIME(density.seconds, 0, "in-guest cpu run with all VMs up; 0 skips it"),
	{ 0 },
};

static const struct cli_opt interference_opts[] = {
	VM_PLATFORM,
	{ .name = "guests",
	  .type = CLI_UINT_LIST,
	  .value = "LIST",
	  CLI_LIST_AT(struct vm_cli, interference.guests, interference.nguests),
	  .min = 0,
	  .max = 1024,
	  .help = "numbers of guests beside the native run" },
	{ .name = "state",
	  .type = CLI_CHOICE,
	  .value = "STATE",
	  AT(state),
	  CLI_CHOICES("both", "busy", "idle"),
	  .help = "what the guests do" },
	VM_TIME(interference.seconds, 0.001, "length of each native run"),
	VM_PRIME(interference.cpu_max_prime),
	{ 0 },
};

static const struct cli_opt io_opts[] = { VM_PLATFORM, { 0 } };

/* The lists show the library's default configurations. */
static void lists_of(struct vm_cli *c, const struct vm_config *cfg, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		c->vcpus[i] = cfg[i].vcpus;
		c->memory[i] = cfg[i].mem_mb;
	}
	c->nvcpus = c->nmemory = n;
}

static void vm_init(void *cfg, const struct cli_command *cmd)
{
	struct vm_cli *c = cfg;
	vm_boot_opts__init(&c->boot);
	vm_exits_opts__init(&c->exits);
	vm_scale_opts__init(&c->scale);
	vm_density_opts__init(&c->density);
	vm_interference_opts__init(&c->interference);
	c->workloads = 7; /* memory, memlat, fault */
	vm_work_opts__init(&c->work,
			   cmd->param == SUB_CPU ? 1u << VM_WL_CPU : c->workloads << VM_WL_MEMORY);
	const struct vb_run_opts *runs[] = { &c->boot.run,	   &c->exits.run, &c->work.run,
					     &c->work.run,	   &c->scale.run, &c->density.run,
					     &c->interference.run, &c->work.run,  &c->work.run };
	c->common.run = *runs[cmd->param];
	if (cmd->param == SUB_BOOT)
		lists_of(c, c->boot.configs, c->boot.nconfigs);
	else
		lists_of(c, c->work.configs, c->work.nconfigs);
}

/* Guest memory is mapped in 2 MiB pages. */
static int whole_pages(uint64_t mib, struct vb_err *err)
{
	if (mib % 2)
		return err__usage(err, "--memory: %llu MiB is not a multiple of 2 MiB",
				  (unsigned long long)mib);
	return 0;
}

static int configs(const struct vm_cli *c, const struct cli_call *call, struct vm_config *out,
		   unsigned *nout, struct vb_err *err)
{
	struct cli_vm_config cfg[VM_BENCH_MAX_CONFIGS];
	unsigned n;
	if (cli__vm_configs(call, c->vcpus, c->nvcpus, c->memory, c->nmemory, cfg, &n, err) < 0)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (whole_pages(cfg[i].mib, err) < 0)
			return -1;
		out[i] = (struct vm_config){ cfg[i].vcpus, cfg[i].mib };
	}
	if (n)
		*nout = n;
	return 0;
}

static int vm_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct vm_cli *c = cfg;
	switch (call->cmd->param) {
	case SUB_BOOT: return configs(c, call, c->boot.configs, &c->boot.nconfigs, err);
	case SUB_MEMORY:
		c->work.workloads = c->workloads << VM_WL_MEMORY;
		return configs(c, call, c->work.configs, &c->work.nconfigs, err);
	case SUB_CPU: return configs(c, call, c->work.configs, &c->work.nconfigs, err);
	case SUB_DENSITY: return whole_pages(c->density.mem_mb, err);
	case SUB_INTERFERENCE:
		c->interference.both = c->state == 0;
		c->interference.busy = c->state != 2;
		return 0;
	default: return 0;
	}
}

static int vm_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
		    struct vb_err *err)
{
	struct vm_cli *c = cfg;
	c->boot.run = c->exits.run = c->work.run = c->scale.run = c->density.run =
		c->interference.run = c->common.run;
	int rc;
	switch (call->cmd->param) {
	case SUB_BOOT: rc = vm_bench__boot(&c->boot, s, err); break;
	case SUB_EXITS: rc = vm_bench__exits(&c->exits, s, err); break;
	case SUB_SCALE: rc = vm_bench__scale(&c->scale, s, err); break;
	case SUB_DENSITY: rc = vm_bench__density(&c->density, s, err); break;
	case SUB_INTERFERENCE: rc = vm_bench__interference(&c->interference, s, err); break;
	case SUB_DISK:
	case SUB_NET:
		/* Recorded, so that a set says why these rows are missing. */
		rc = result_set__skip(
			s, call->cmd->param == SUB_DISK ? VB_BENCH_VM_DISK : VB_BENCH_VM_NET,
			VB_PLATFORM_MICROVM,
			"the microVM's guest is freestanding code with no kernel, "
			"no block device and no network stack; use --platform qemu");
		if (rc < 0)
			rc = err__set(err, ENOMEM, "recording the skip");
		break;
	default: rc = vm_bench__workload(&c->work, s, err); break;
	}
	/* The set records the host's KVM kind. */
	if (rc == 0 || err->status != VB_EXIT_USAGE)
		vm_bench__annotate(s);
	return rc;
}

#define VM_SUB(id, p, ...) CLI_BENCH_COMMAND(id, struct vm_cli, vm, p, __VA_ARGS__)

VM_SUB(boot, SUB_BOOT, "boot", "start-up time split into phases, and VMM CPU time", boot_opts,
       "Boots the built-in microVM and splits each start-up into phases, measured by\n"
       "the VMM with CLOCK_MONOTONIC: open /dev/kvm, create the VM, map guest memory,\n"
       "create the vCPUs, load the guest, first guest instruction (the guest's first\n"
       "write to the device, as Firecracker's boot timer), all vCPUs ready, teardown.\n"
       "Also reported: ready_ms (start to all ready), total_ms (with teardown) and\n"
       "vmm_cpu_ms (process CPU time of boot and teardown). Each iteration is one\n"
       "boot per configuration (--vcpus with --memory).\n");

VM_SUB(exits, SUB_EXITS, "exits", "cost of one exit: port I/O, MMIO, CPUID, HLT, empty KVM_RUN",
       exits_opts,
       "Cost of one VM exit in ns, the kvm-unit-tests vmexit way: the guest repeats\n"
       "the exit N times, N doubling until one run lasts --min-time; each sample is\n"
       "one such run. Every figure is timed twice: by the host (VMM timestamps of\n"
       "the guest's START and STOP) and by the guest clock (TSC scaled by KVM's\n"
       "frequency). Exits that reach user space are counted and must match exactly.\n"
       "\n"
       "Kinds (--kind):\n"
       "  pio          port I/O write, handled in the VMM (x86)\n"
       "  mmio         store to an unbacked page, handled in the VMM\n"
       "  inkernel     x86 CPUID, arm64 HVC (SMCCC_VERSION): answered inside KVM\n"
       "               (the note says whether it exits at all on this host)\n"
       "  hlt          HLT at guest kernel level, resumed at once (x86)\n"
       "  empty        KVM_RUN that returns without entering the guest\n"
       "  mmio_kernel  load from the in-kernel GIC distributor, completed inside\n"
       "               KVM (arm64)\n"
       "  all          everything this architecture has\n");

VM_SUB(cpu, SUB_CPU, "cpu", "in-guest cpu workload against native, with the overhead", cpu_opts,
       "Runs the cpu workload (sysbench cpu: primes by trial division) inside the\n"
       "guest on every vCPU, and the same job natively on as many threads, in turn,\n"
       "and reports both throughputs and the guest's overhead_percent with its 95%\n"
       "interval. These are the columns of the seed's hypervisor_overhead.csv, with\n"
       "a true in-guest figure. Each iteration is one native/guest pair.\n"
       "\n"
       "With --adaptive, pairs are added until the overhead's 95% interval is within\n"
       "--target-ci either side (--target-ci 1% stops at +-1 point), at least 10 and\n"
       "at most --max-iterations pairs. On a noisy host +-1 point takes about 40\n"
       "pairs of 1 s.\n");

VM_SUB(memory, SUB_MEMORY, "memory", "in-guest memory, memlat and fault against native",
       memory_opts,
       "Runs memory workloads inside the guest and natively, in turn, and reports\n"
       "both and the guest's overhead with its 95% interval:\n"
       "  memory   sysbench memory: 1 KiB blocks written in order (MiB/s)\n"
       "  memlat   dependent loads over a random cycle (ns per load)\n"
       "  fault    first touch of fresh pages (ns per page; in the guest this is\n"
       "           the second-level fault of guest memory)\n"
       "Each iteration is one native/guest pair. With --adaptive, pairs are added\n"
       "until the overhead's 95% interval is within --target-ci either side.\n");

VM_SUB(scale, SUB_SCALE, "scale", "throughput from 1 vCPU up to 2 x host CPUs", scale_opts,
       "Runs the cpu workload in a guest of 1, 2, 4 ... vCPUs up to --max-vcpus and\n"
       "natively on as many threads, in turn: aggregate throughput, per-vCPU\n"
       "throughput and the guest's overhead, so that oversubscription (more vCPUs\n"
       "than host CPUs) shows. Each iteration is one native/guest pair per size.\n");

VM_SUB(density, SUB_DENSITY, "density",
       "1, 2, 4 ... concurrent VMs: creation rate, readiness, memory", density_opts,
       "Starts 1, 2, 4 ... concurrent 1-vCPU VMs, up to --max-vms or what host memory\n"
       "and the open-file limit allow (the soft limit is raised to the hard one), and\n"
       "reports for each count: creation rate (VMs/s, each VM started as soon as it\n"
       "is made), time until all are ready, VMM memory per VM beyond the guest\n"
       "memory touched (process RSS and PSS) and host memory per VM, and per-VM and\n"
       "aggregate in-guest cpu throughput with all VMs running at once. Each\n"
       "iteration repeats every count.\n");

VM_SUB(interference, SUB_INTERFERENCE, "interference",
       "native throughput while guests run busy or idle beside it", interference_opts,
       "Native cpu throughput on all host CPUs while 1-vCPU guests run beside it:\n"
       "idle (waiting in the VMM) or busy (running the cpu workload). The seed's\n"
       "'hypervisor overhead' measured this; here it has its honest name. Each\n"
       "figure with guests carries the overhead against the run with none. Each\n"
       "iteration is one native run per point.\n");

VM_SUB(disk, SUB_DISK, "disk", "not on the microVM (recorded as skipped): see --platform qemu",
       io_opts,
       "The microVM's guest is freestanding code with no kernel, no block device and\n"
       "no network stack, so there is nothing to measure disk I/O with: the run is\n"
       "recorded as skipped with that reason. 'virtbench vm disk --platform qemu'\n"
       "measures a virtio-blk disk in a Linux guest.\n");

VM_SUB(net, SUB_NET, "net", "not on the microVM (recorded as skipped): see --platform qemu",
       io_opts,
       "The microVM's guest has no network stack: the run is recorded as skipped\n"
       "with that reason. 'virtbench vm net --platform qemu' measures virtio-net in\n"
       "a Linux guest.\n");

static const struct cli_command *const vm_subs[] = {
	&boot,
	&exits,
	&cpu,
	&memory,
	&scale,
	&density,
	&interference,
	&disk,
	&net,
	&cmd__vm_nested,
	&cmd__vm_nested_exec,
	NULL,
};

static const struct cli_variant vm_variants[] = {
	{ "platform", "qemu", &cmd__vm_qemu },
	{ 0 },
};

const struct cli_command cmd__vm = {
	.name = "vm",
	.summary = "virtual machines: boot, exits, cpu, memory, scale, density...",
	.description =
		"Virtual machine benchmarks on the built-in microVM: a minimal monitor over\n"
		"/dev/kvm with its own guest image linked into virtbench (no image download,\n"
		"no QEMU, no network). The guest runs the same workload code as the native\n"
		"runs and measures from the inside with its own clock.\n"
		"\n"
		"Platform:\n"
		"  --platform microvm   the built-in monitor (default)\n"
		"  --platform qemu      boot, cpu and memory on a real Linux guest in QEMU\n"
		"                       ('virtbench vm --platform qemu --help')\n"
		"\n"
		"Guest code runs at user level (x86 CPL3): on kvm_pvm hosts only that level\n"
		"runs natively; each result records whether the guest kernel level is\n"
		"emulated on this host (config kvm_cpl0).\n",
	.exit_status = "Exit status: 0 success, 1 no usable /dev/kvm or a benchmark failure,\n"
		       "2 usage error.\n",
	.subs = vm_subs,
	.variants = vm_variants,
};

int cli__vm_configs(const struct cli_call *c, const uint64_t *vcpus, unsigned nv,
		    const uint64_t *mib, unsigned nm, struct cli_vm_config *out, unsigned *n,
		    struct vb_err *err)
{
	nv = cli__given(c, "vcpus") ? nv : 0;
	nm = cli__given(c, "memory") ? nm : 0;
	*n = nv > nm ? nv : nm;
	if (nv > 1 && nm > 1 && nv != nm)
		return err__usage(err,
				  "--vcpus and --memory: lists of %u and %u values; give lists of "
				  "the same length or one value",
				  nv, nm);
	for (unsigned i = 0; i < *n; i++) {
		out[i].vcpus = nv ? (unsigned)vcpus[nv > 1 ? i : 0] : 1;
		out[i].mib = nm ? mib[nm > 1 ? i : 0] : 512ull * out[i].vcpus;
	}
	return 0;
}
