/* `virtbench vm boot|cpu|memory --platform qemu`: real Linux guests through
 * QEMU. A thin front end over src/qemu/qemu_bench.h. */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_vm.h"
#include "cli/table.h"
#include "cli/opts.h"
#include "core/output.h"
#include "host/host.h"
#include "qemu/qemu_bench.h"

static const char help_text[] =
	"Usage: virtbench vm boot|cpu|memory --platform qemu [options]\n"
	"\n"
	"Boots real Linux guests with QEMU and measures them.\n"
	"\n"
	"  boot    time from QEMU's spawn until the guest is ready, with its phases:\n"
	"          total_ms              spawn -> the guest's ready marker (init reached)\n"
	"          phase.qemu_ready_ms   spawn -> QMP answers qmp_capabilities\n"
	"          phase.kernel_entry_ms spawn -> guest kernel entry (from its printk\n"
	"                                stamps on the serial console)\n"
	"          phase.kernel_done_ms  spawn -> the kernel hands over to /init\n"
	"          phase.shutdown_ms     power-off request -> QEMU has exited\n"
	"  cpu     the cpu workload (sysbench's primes) with one thread per vCPU inside\n"
	"          the guest and natively, alternating, with the guest's overhead\n"
	"  memory  the memory workload (sysbench's blocks) the same way\n"
	"\n"
	"The default guest needs no download: the host's own kernel (/boot/vmlinuz-*)\n"
	"and an initramfs virtbench writes, whose /init is the static virtbench-worker.\n"
	"It reports on a second serial port. With --image a cloud image boots instead\n"
	"(vm boot only), through a throw-away qcow2 overlay, with a NoCloud seed whose\n"
	"runcmd prints the ready marker; the image itself is never written.\n"
	"\n"
	"Options:\n"
	"  --platform qemu        this front end (required by 'virtbench vm')\n"
	"  --vcpus LIST           vCPUs per configuration, 1 to 64, e.g. 1,2,4\n"
	"  --memory LIST          memory per configuration, 64M to 1T, plain numbers in\n"
	"                         MiB, e.g. 512,1G,2G. One value applies to every --vcpus\n"
	"                         value; otherwise give one per --vcpus value. Default:\n"
	"                         the seed's 1/512, 2/1024 and 4/2048\n"
	"  --accel auto|kvm|tcg   accelerator (default auto: KVM when a test boot reaches\n"
	"                         the ready marker within 5 s, else TCG). TCG figures are\n"
	"                         marked as emulated in every output\n"
	"  --qemu PATH            QEMU binary (default qemu-system-<arch> on PATH)\n"
	"  --kernel PATH          guest kernel (default /boot/vmlinuz-$(uname -r), else\n"
	"                         the newest /boot/vmlinuz-*)\n"
	"  --image FILE           boot this qcow2 or raw cloud image instead (vm boot)\n"
	"  --worker PATH          the static worker to use as /init (default\n"
	"                         virtbench-worker next to virtbench, or $VB_WORKER)\n"
	"  --append ARGS          extra guest kernel command-line arguments\n"
	"  --timeout SEC          give up on a guest that is not ready after SEC\n"
	"                         seconds, 1 to 86400 (default 30 with KVM, 120 with\n"
	"                         TCG, ten times that for --image)\n"
	"  --keep                 keep the work directory (initramfs, overlays, seed)\n"
	"  --time MS              cpu/memory: length of each run, 10 to 600000 ms\n"
	"                         (default 1000)\n"
	"  --cpu-max-prime N      cpu: primes up to N per event, 3 to 10000000\n"
	"                         (default 10000)\n"
	"  --block-size SIZE      memory: block size, a power of two from 1K to 1G\n"
	"                         (default 1K)\n"
	"  --total-size SIZE      memory: stop a thread after SIZE (default: time only)\n"
	"  --oper read|write|none memory: operation (default write)\n"
	"  --access seq|rnd       memory: access pattern (default seq)\n"
	"\n"
	"%s"
	"\n"
	"Default iterations: 3 (the seed's). When a guest fails, its QEMU log is saved\n"
	"next to the -o file, or its last lines are shown in the error. QEMU's process\n"
	"group is always killed; the work directory is removed unless --keep.\n"
	"\n"
	"Examples:\n"
	"  virtbench vm boot --platform qemu\n"
	"  virtbench vm boot --platform qemu --vcpus 1 --memory 512 --accel tcg --json\n"
	"  virtbench vm cpu --platform qemu --vcpus 2 --memory 1G -o qemu-cpu.json\n"
	"  virtbench vm boot --platform qemu --image ubuntu-20.04-minimal.img\n";

enum {
	O_PLATFORM = 1,
	O_VCPUS,
	O_MEMORY,
	O_ACCEL,
	O_QEMU,
	O_KERNEL,
	O_IMAGE,
	O_WORKER,
	O_APPEND,
	O_TIMEOUT,
	O_KEEP,
	O_TIME,
	O_PRIME,
	O_BLOCK,
	O_TOTAL,
	O_OPER,
	O_ACCESS,
};

static const struct option long_opts[] = {
	{ "platform", required_argument, 0, O_PLATFORM },
	{ "vcpus", required_argument, 0, O_VCPUS },
	{ "memory", required_argument, 0, O_MEMORY },
	{ "accel", required_argument, 0, O_ACCEL },
	{ "qemu", required_argument, 0, O_QEMU },
	{ "kernel", required_argument, 0, O_KERNEL },
	{ "image", required_argument, 0, O_IMAGE },
	{ "worker", required_argument, 0, O_WORKER },
	{ "append", required_argument, 0, O_APPEND },
	{ "timeout", required_argument, 0, O_TIMEOUT },
	{ "keep", no_argument, 0, O_KEEP },
	{ "time", required_argument, 0, O_TIME },
	{ "cpu-max-prime", required_argument, 0, O_PRIME },
	{ "block-size", required_argument, 0, O_BLOCK },
	{ "total-size", required_argument, 0, O_TOTAL },
	{ "oper", required_argument, 0, O_OPER },
	{ "access", required_argument, 0, O_ACCESS },
	COMMON_LONG_OPTS,
	{ 0, 0, 0, 0 },
};

struct parsed {
	struct cli_common common;
	struct qemu_bench_opts q;
	uint64_t vcpus[QEMU_MAX_CONFIGS], memory[QEMU_MAX_CONFIGS];
	unsigned nvcpus, nmemory;
	bool platform_seen, help;
};

static int parse(int argc, char **argv, struct parsed *p, struct vb_err *err)
{
	static const char *const accels[] = { "auto", "kvm", "tcg", NULL };
	static const char *const opers[] = { "none", "read", "write", NULL };
	static const char *const access[] = { "seq", "rnd", NULL };
	static const char *const platforms[] = { "qemu", NULL };
	uint64_t v;
	int opt, idx;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:qh", long_opts, &idx)) != -1) {
		int c = common_opts__getopt(&p->common, opt, optarg, err);
		if (c < 0)
			return -1;
		if (c > 0)
			continue;
		switch (opt) {
		case O_PLATFORM:
			if (opt__choice("--platform", optarg, platforms, err) < 0)
				return -1;
			p->platform_seen = true;
			break;
		case O_VCPUS:
			if (opt__uint_list("--vcpus", optarg, 1, 64, p->vcpus, QEMU_MAX_CONFIGS,
					   &p->nvcpus, err) < 0)
				return -1;
			break;
		case O_MEMORY:
			/* As QEMU's -m reads them: a plain number is MiB. */
			if (opt__mib_list("--memory", optarg, 64, 1024 * 1024, p->memory,
					  QEMU_MAX_CONFIGS, &p->nmemory, err) < 0)
				return -1;
			break;
		case O_ACCEL: {
			int i = opt__choice("--accel", optarg, accels, err);
			if (i < 0)
				return -1;
			p->q.accel = i == 1 ? QEMU_ACCEL_KVM : i == 2 ? QEMU_ACCEL_TCG : QEMU_ACCEL_AUTO;
			break;
		}
		case O_QEMU:
			if (opt__text("--qemu", optarg, "a QEMU binary", err) < 0)
				return -1;
			p->q.qemu = optarg;
			break;
		case O_KERNEL:
			if (opt__text("--kernel", optarg, "a kernel image file", err) < 0)
				return -1;
			p->q.kernel = optarg;
			break;
		case O_IMAGE:
			if (opt__text("--image", optarg, "a qcow2 or raw disk image file", err) < 0)
				return -1;
			p->q.image = optarg;
			break;
		case O_WORKER:
			if (opt__text("--worker", optarg, "the static virtbench-worker binary", err) < 0)
				return -1;
			p->q.worker = optarg;
			break;
		case O_APPEND:
			p->q.append = optarg;
			break;
		case O_TIMEOUT:
			if (opt__uint("--timeout", optarg, 1, 86400, &v, err) < 0)
				return -1;
			p->q.timeout_s = (unsigned)v;
			break;
		case O_KEEP:
			p->q.keep = true;
			break;
		case O_TIME:
			if (opt__uint("--time", optarg, 10, 600000, &v, err) < 0)
				return -1;
			p->q.work_ms = (unsigned)v;
			break;
		case O_PRIME:
			if (opt__uint("--cpu-max-prime", optarg, 3, 10000000, &v, err) < 0)
				return -1;
			p->q.cpu_max_prime = (unsigned)v;
			break;
		case O_BLOCK:
			if (opt__block_size("--block-size", optarg, 1024, 1ull << 30,
					    &p->q.mem_block_size, err) < 0)
				return -1;
			break;
		case O_TOTAL:
			if (opt__size("--total-size", optarg, 1024, 1ull << 50, &p->q.mem_total_size,
				      err) < 0)
				return -1;
			break;
		case O_OPER: {
			int i = opt__choice("--oper", optarg, opers, err);
			if (i < 0)
				return -1;
			p->q.mem_oper = (unsigned)i;
			break;
		}
		case O_ACCESS: {
			int i = opt__choice("--access", optarg, access, err);
			if (i < 0)
				return -1;
			p->q.mem_rnd = i == 1;
			break;
		}
		case 'h':
			p->help = true;
			break;
		case ':':
			return err__usage(err, "%s needs a value", argv[optind - 1]);
		default:
			return err__usage(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return err__usage(err, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Pairs --vcpus with --memory into configurations. */
static int make_configs(struct parsed *p, struct vb_err *err)
{
	if (!p->nvcpus && !p->nmemory)
		return 0; /* the seed's three */
	unsigned n = p->nvcpus > p->nmemory ? p->nvcpus : p->nmemory;
	if (p->nvcpus > 1 && p->nmemory > 1 && p->nvcpus != p->nmemory)
		return err__usage(err,
				  "--vcpus has %u values but --memory has %u: give one --memory "
				  "value, or one per --vcpus value",
				  p->nvcpus, p->nmemory);
	for (unsigned i = 0; i < n; i++) {
		unsigned vc = p->nvcpus ? (unsigned)p->vcpus[p->nvcpus > 1 ? i : 0] : 1;
		/* Without --memory, the seed's ratio: 512 MiB per vCPU. */
		unsigned mem = p->nmemory ? (unsigned)p->memory[p->nmemory > 1 ? i : 0] : 512 * vc;
		p->q.configs[i] = (struct qemu_vm_config){ vc, mem };
	}
	p->q.nconfigs = n;
	return 0;
}

/* Where the subcommand is: the first word that is neither an option nor
 * the value of one ("vm --platform qemu boot" works as well as "vm boot
 * --platform qemu"). 0 when there is none. */
static int find_subcommand(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			return i;
		if (!strcmp(a, "-o"))
			i++;
		else if (a[1] == '-' && !strchr(a, '='))
			for (const struct option *lo = long_opts; lo->name; lo++)
				if (lo->has_arg == required_argument && !strcmp(a + 2, lo->name))
					i++;
	}
	return 0;
}

int cmd_vm_qemu(int argc, char **argv)
{
	int si = find_subcommand(argc, argv);
	if (!si) {
		for (int i = 1; i < argc; i++)
			if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
				printf(help_text, common_opts__help);
				return VB_EXIT_OK;
			}
		struct vb_err e = { 0 };
		err__usage(&e, "vm --platform qemu needs a subcommand: boot, cpu or memory");
		return cli__usage_error("vm boot --platform qemu", &e);
	}
	const char *sub = argv[si];
	int which = !strcmp(sub, "boot") ? 0 : !strcmp(sub, "cpu") ? 1 : !strcmp(sub, "memory") ? 2 : -1;
	/* getopt wants the subcommand first: [sub, every other argument]. */
	char *args[argc > 0 ? argc : 1];
	int nargs = 0;
	args[nargs++] = argv[si];
	for (int i = 1; i < argc; i++)
		if (i != si)
			args[nargs++] = argv[i];

	struct parsed *p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "virtbench: out of memory\n");
		return VB_EXIT_FAILURE;
	}
	qemu_bench__defaults(&p->q);
	common_opts__init(&p->common, 3);
	struct vb_err err = { 0 };
	int rc;
	char cmdname[64];
	snprintf(cmdname, sizeof(cmdname), "vm %s --platform qemu", which < 0 ? "boot" : sub);
	if (parse(nargs, args, p, &err) < 0) {
		rc = cli__usage_error(cmdname, &err);
		goto out;
	}
	if (p->help) {
		printf(help_text, common_opts__help);
		rc = VB_EXIT_OK;
		goto out;
	}
	if (which < 0) {
		err__usage(&err, "the qemu platform has no '%s'; expected boot, cpu or memory", sub);
		rc = cli__usage_error(cmdname, &err);
		goto out;
	}
	if (make_configs(p, &err) < 0) {
		rc = cli__usage_error(cmdname, &err);
		goto out;
	}
	p->q.run = p->common.run;
	if (!p->common.quiet)
		p->q.run.label = "qemu";
	char logdir[4096] = "";
	if (p->common.output) {
		snprintf(logdir, sizeof(logdir), "%s", p->common.output);
		p->q.log_dir = dirname(logdir);
	}

	struct vb_result_set set;
	result_set__init(&set);
	struct vb_err herr = { 0 };
	set.host = host__inspect(&herr);
	if (!set.host)
		warn__("host inspection failed: %s", herr.msg);
	int r = which == 0   ? qemu_bench__boot(&p->q, &set, &err)
		: which == 1 ? qemu_bench__cpu(&p->q, &set, &err)
			     : qemu_bench__memory(&p->q, &set, &err);
	if (r < 0) {
		if (err.status == VB_EXIT_USAGE) {
			rc = cli__usage_error(cmdname, &err);
		} else {
			/* What was measured before the failure is still shown. */
			if (set.nresults) {
				set.incomplete = true;
				common_opts__emit(&p->common, &set);
			}
			rc = err__report(&err);
		}
	} else {
		rc = common_opts__emit(&p->common, &set);
	}
	json_t *q = set.extra ? json_object_get(set.extra, "qemu") : NULL;
	const char *kept = q ? json_string_value(json_object_get(q, "workdir")) : NULL;
	if (kept)
		fprintf(stderr, "virtbench: kept the work directory %s (--keep)\n", kept);
	result_set__free(&set);
out:
	free(p);
	return rc;
}

/* Until the front end has tables, it reads its own arguments. */
const struct cli_command cmd__vm_qemu = {
	.name = "vm",
	.summary = "boot, cpu and memory on real Linux guests in QEMU",
	.description = "Boots real Linux guests with QEMU and measures them.\n",
	.raw = cmd_vm_qemu,
};
