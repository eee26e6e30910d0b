/* `virtbench vm boot|cpu|memory --platform qemu`: real Linux guests through
 * QEMU. A thin front end over src/qemu/qemu_bench.h. */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_vm.h"
#include "cli/io_opts.h"
#include "cli/table.h"
#include "qemu/qemu_bench.h"

enum { Q_BOOT, Q_CPU, Q_MEMORY, Q_DISK, Q_NET };

#define AT(f) CLI_AT(struct qemu_cli, f)

#define Q_GUEST                                                                                       \
	{ .name = "platform",                                                                         \
	  .type = CLI_CHOICE,                                                                         \
	  .value = "NAME",                                                                            \
	  AT(platform),                                                                               \
	  CLI_CHOICES("qemu"),                                                                        \
	  .help = "this front end, which 'virtbench vm' needs" },                                     \
		{ .name = "vcpus",                                                                    \
		  .type = CLI_UINT_LIST,                                                              \
		  .value = "LIST",                                                                    \
		  CLI_LIST_AT(struct qemu_cli, vcpus, nvcpus),                                        \
		  .min = 1,                                                                           \
		  .max = 64,                                                                          \
		  .help = "vCPUs per configuration" },                                                \
		{ .name = "memory",                                                                   \
		  .type = CLI_MIB_LIST,                                                               \
		  .value = "LIST",                                                                    \
		  CLI_LIST_AT(struct qemu_cli, memory, nmemory),                                      \
		  .min = 64,                                                                          \
		  .max = 1024 * 1024,                                                                 \
		  .help = "memory per configuration, a plain number in MiB as QEMU's -m reads it; "   \
			  "without it 512 MiB per vCPU" },                                            \
		{ .name = "accel",                                                                    \
		  .type = CLI_CHOICE,                                                                 \
		  .value = "NAME",                                                                    \
		  AT(q.accel),                                                                        \
		  CLI_CHOICES("auto", "kvm", "tcg"),                                                  \
		  .help = "accelerator; auto is KVM when a test boot of the guest reaches its ready " \
			  "marker (5 s; 90 s for --image), else TCG (marked as emulated)" },          \
		{ .name = "qemu",                                                                     \
		  .type = CLI_PATH,                                                                   \
		  .value = "PATH",                                                                    \
		  AT(q.qemu),                                                                         \
		  .expected = "a QEMU binary",                                                        \
		  .def = "qemu-system-<arch> on PATH",                                                \
		  .help = "QEMU binary" },                                                            \
		{ .name = "kernel",                                                                   \
		  .type = CLI_PATH,                                                                   \
		  .value = "PATH",                                                                    \
		  AT(q.kernel),                                                                       \
		  .expected = "a kernel image file",                                                  \
		  .def = "/boot/vmlinuz-$(uname -r), else the newest /boot/vmlinuz-*",                \
		  .help = "guest kernel" },                                                           \
		{ .name = "worker",                                                                   \
		  .type = CLI_PATH,                                                                   \
		  .value = "PATH",                                                                    \
		  AT(q.worker),                                                                       \
		  .expected = "the static virtbench-worker binary",                                   \
		  .def = "$VIRTBENCH_WORKER, else virtbench-worker next to virtbench or in "          \
			 "../lib/virtbench from it",                                                  \
		  .help = "the static worker to use as /init" },                                      \
		{ .name = "append",                                                                   \
		  .type = CLI_TEXT,                                                                   \
		  .value = "ARGS",                                                                    \
		  AT(q.append),                                                                       \
		  .help = "extra guest kernel command-line arguments" },                              \
		{ .name = "timeout",                                                                  \
		  .type = CLI_UINT,                                                                   \
		  .value = "SECONDS",                                                                 \
		  AT(q.timeout_s),                                                                    \
		  .min = 1,                                                                           \
		  .max = 86400,                                                                       \
		  .def = "30 with KVM, 120 with TCG, ten times that for --image",                     \
		  .help = "give up on a guest that is not ready after this long" },                   \
	{                                                                                             \
		.name = "keep", .type = CLI_FLAG, AT(q.keep),                                         \
		.help = "keep the work directory (initramfs, overlays, seed)"                         \
	}

#define Q_TIME                                                                                     \
	{                                                                                          \
		.name = "time", .type = CLI_SECONDS, .value = "SECONDS", AT(time_s), .dmin = 0.01, \
		.dmax = 600, .help = "length of each run"                                          \
	}

static const struct cli_opt boot_opts[] = {
	Q_GUEST,
	{ .name = "image",
	  .type = CLI_PATH,
	  .value = "FILE",
	  AT(q.image),
	  .expected = "a qcow2 or raw disk image file",
	  .help = "boot this qcow2 or raw cloud image instead of the embedded guest" },
	{ 0 },
};

static const struct cli_opt cpu_opts[] = {
	Q_GUEST,
	Q_TIME,
	{ .name = "cpu-max-prime",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(q.cpu_max_prime),
	  .min = 3,
	  .max = 10000000,
	  .help = "upper limit of the prime search" },
	{ 0 },
};

static const struct cli_opt memory_opts[] = {
	Q_GUEST,
	Q_TIME,
	{ .name = "memory-block-size",
	  CLI_ALIASES("block-size"),
	  .type = CLI_BLOCK,
	  .value = "SIZE",
	  AT(q.mem_block_size),
	  .min = 1024,
	  .max = 1ull << 30,
	  .help = "block, a power of two" },
	{ .name = "memory-total-size",
	  CLI_ALIASES("total-size"),
	  .type = CLI_SIZE,
	  .value = "SIZE",
	  AT(q.mem_total_size),
	  .min = 1024,
	  .max = 1ull << 50,
	  .def = "none: --time only",
	  .help = "bytes over all threads, then a run stops" },
	{ .name = "memory-oper",
	  CLI_ALIASES("oper"),
	  .type = CLI_CHOICE,
	  .value = "OP",
	  AT(q.mem_oper),
	  CLI_CHOICES("none", "read", "write"),
	  .help = "what each event does" },
	{ .name = "memory-access-mode",
	  CLI_ALIASES("access-mode", "access"),
	  .type = CLI_CHOICE,
	  .value = "MODE",
	  AT(q.mem_rnd),
	  CLI_CHOICES("seq", "rnd"),
	  .help = "order of the blocks" },
	{ 0 },
};

static const struct cli_opt disk_opts[] = {
	Q_GUEST,
	CLI_IO_DISK_OPTS(struct qemu_cli),
	CLI_IO_DEVICE(struct qemu_cli),
	{ 0 },
};

static const struct cli_opt net_opts[] = {
	Q_GUEST,
	CLI_IO_NET_OPTS(struct qemu_cli),
	{ 0 },
};

static void qemu_init(void *cfg, const struct cli_command *cmd)
{
	struct qemu_cli *c = cfg;
	qemu_bench__defaults(&c->q);
	c->q.run.iterations = 3; /* the seed's */
	c->common.run = c->q.run;
	c->time_s = c->q.work_ms / 1000.0;
	const struct vb_guest_config *cfgs;
	unsigned n = qemu_bench__configs(&c->q, &cfgs);
	for (unsigned i = 0; i < n && i < QEMU_MAX_CONFIGS; i++) {
		c->vcpus[i] = cfgs[i].vcpus;
		c->memory[i] = cfgs[i].memory_mb;
	}
	c->nvcpus = c->nmemory = n;
	if (cmd->param == Q_DISK || cmd->param == Q_NET) {
		/* One guest of 1 vCPU and 512 MiB: I/O hardly depends on its size. */
		iobench_opts__init(&c->io, cmd->param == Q_NET);
		c->vcpus[0] = 1;
		c->memory[0] = 512;
		c->nvcpus = c->nmemory = 1;
	}
}

/* Each thread moves its share of --memory-total-size (sysbench's way): less
 * than one block would be a run that does nothing. */
static int enough_per_thread(const struct qemu_bench_opts *q, struct vb_err *err)
{
	const struct vb_guest_config *cfgs;
	unsigned n = qemu_bench__configs(q, &cfgs);
	for (unsigned i = 0; q->mem_total_size && i < n; i++)
		if (q->mem_total_size / cfgs[i].vcpus < q->mem_block_size)
			return err__usage(err,
					  "--memory-total-size: %llu bytes over %u vCPUs is less "
					  "than one --memory-block-size block per thread",
					  (unsigned long long)q->mem_total_size, cfgs[i].vcpus);
	return 0;
}

static int qemu_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct qemu_cli *c = cfg;
	struct cli_vm_config v[QEMU_MAX_CONFIGS];
	unsigned n;
	if (cli__vm_configs(call, c->vcpus, c->nvcpus, c->memory, c->nmemory, v, &n, err) < 0)
		return -1;
	for (unsigned i = 0; i < n; i++)
		c->q.configs[i] = (struct vb_guest_config){ v[i].vcpus, (unsigned)v[i].mib };
	if (n)
		c->q.nconfigs = n;
	c->q.work_ms = (unsigned)llround(c->time_s * 1000);
	if (c->common.output && strcmp(c->common.output, "-")) {
		snprintf(c->logdir, sizeof(c->logdir), "%s", c->common.output);
		c->q.log_dir = dirname(c->logdir);
	}
	if (call->cmd->param == Q_DISK || call->cmd->param == Q_NET) {
		if (n > 1)
			return err__usage(err,
					  "--vcpus, --memory: vm %s boots one guest; give one "
					  "value each",
					  call->cmd->name);
		return cli_io__prepare(&c->common, &c->io, 1, c->dir, sizeof(c->dir), err);
	}
	return call->cmd->param == Q_MEMORY ? enough_per_thread(&c->q, err) : 0;
}

static int qemu_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
		      struct vb_err *err)
{
	struct qemu_cli *c = cfg;
	c->q.run = c->common.run;
	cli__sweep(c->common.quiet);
	int p = call->cmd->param, rc;
	if (p == Q_DISK && !c->io.device)
		cli__sweep_io(c->io.dir, c->common.quiet);
	if (p == Q_DISK || p == Q_NET)
		rc = qemu_bench__io(&c->q, &c->io, s, err);
	else
		rc = p == Q_BOOT  ? qemu_bench__boot(&c->q, s, err)
		     : p == Q_CPU ? qemu_bench__cpu(&c->q, s, err)
				  : qemu_bench__memory(&c->q, s, err);
	json_t *q = s->extra ? json_object_get(s->extra, "qemu") : NULL;
	const char *kept = q ? json_string_value(json_object_get(q, "workdir")) : NULL;
	if (kept)
		fprintf(stderr, "virtbench: kept the work directory %s (--keep)\n", kept);
	return rc;
}

#define QEMU_SUB(id, p, ...) CLI_BENCH_COMMAND(id, struct qemu_cli, qemu, p, __VA_ARGS__)

QEMU_SUB(boot, Q_BOOT, "boot", "time from QEMU's spawn until the guest is ready, with phases",
	 boot_opts,
	 "Boots real Linux guests with QEMU and times each boot from QEMU's spawn:\n"
	 "  total_ms              spawn -> the guest's ready marker (init reached)\n"
	 "  phase.qemu_ready_ms   spawn -> QMP answers qmp_capabilities\n"
	 "  phase.kernel_entry_ms spawn -> guest kernel entry (from its printk stamps\n"
	 "                        on the serial console)\n"
	 "  phase.kernel_done_ms  spawn -> the kernel hands over to /init\n"
	 "  phase.shutdown_ms     power-off request -> QEMU has exited\n"
	 "\n"
	 "The default guest needs no download: the host's own kernel (/boot/vmlinuz-*)\n"
	 "and an initramfs virtbench writes, whose /init is the static virtbench-worker.\n"
	 "It reports on a second serial port. With --image a cloud image boots instead,\n"
	 "to \"cloud-init finished\", through a throw-away qcow2 overlay per boot, with a\n"
	 "NoCloud seed that reports the boot on the guest kernel's clock and prints the\n"
	 "ready marker once cloud-init is done; the image itself is never written. An\n"
	 "image boot adds:\n"
	 "  phase.loader_ms       spawn -> the boot loader's first output on the serial\n"
	 "                        console (kernel entry when it is silent)\n"
	 "  phase.cloud_init_ms   spawn -> cloud-init's final stage is done\n"
	 "and total_ms is then spawn -> the marker after cloud-init.\n");

QEMU_SUB(cpu, Q_CPU, "cpu", "the cpu workload in the guest and natively, with the overhead",
	 cpu_opts,
	 "Runs the cpu workload (sysbench's primes) with one thread per vCPU inside the\n"
	 "guest and natively, alternating, and reports both and the guest's overhead.\n");

QEMU_SUB(memory, Q_MEMORY, "memory", "the memory workload in the guest and natively", memory_opts,
	 "Runs the memory workload (sysbench's blocks) with one thread per vCPU inside\n"
	 "the guest and natively, alternating, and reports both and the guest's\n"
	 "overhead.\n");

QEMU_SUB(disk, Q_DISK, "disk", "disk jobs on a virtio-blk disk in the guest and natively",
	 disk_opts,
	 "Runs the disk jobs inside the guest on a virtio-blk disk and natively on the\n"
	 "same raw file, in turn, and reports both and the guest's overhead. The raw\n"
	 "file of --size bytes goes into a directory of its own under --dir (removed\n"
	 "afterwards) and is attached in two modes, a guest each, up together:\n"
	 "  virtio-blk,cache=none,aio=io_uring\n"
	 "  virtio-blk,cache=none,aio=threads\n"
	 "With --device DEV the guests get that raw block device instead, and the\n"
	 "native run uses it too: its contents are overwritten, and one that is\n"
	 "mounted, has a mounted partition, is swap or is held is refused.\n"
	 "The guest has no file system on the disk: its worker finds the block device\n"
	 "by its serial and runs the jobs on it with O_DIRECT. The guest kernel's\n"
	 "virtio modules go into its initramfs. One guest size (--vcpus, --memory:\n"
	 "one value each, 1 and 512 without them).\n" CLI_IO_DISK_TESTS);

QEMU_SUB(net, Q_NET, "net", "TCP between the guest (virtio-net) and the host, and natively",
	 net_opts,
	 "Runs the network jobs between the guest and virtbench on the host, and\n"
	 "natively over loopback, in turn, and reports both and the guest's overhead.\n"
	 "The guest has a virtio-net NIC on QEMU's user-mode network with restrict=on\n"
	 "(the guest reaches nothing outside the VM) and one port forwarded into it\n"
	 "from 127.0.0.1 only. The guest's worker serves as the peer and virtbench\n"
	 "connects from the host: tcp_stream is the guest sending, tcp_stream_rx the\n"
	 "guest receiving, and tcp_crr's connections are opened by the host.\n"
	 "As root, a second guest has a tap device that lives in a network namespace\n"
	 "of virtbench's own (QEMU gets its descriptor), with 10.253.253.1/30 on the\n"
	 "tap and .2 in the guest; the peer runs in that namespace and the guest's\n"
	 "worker connects to it, so nothing touches the host's namespace. vhost-net\n"
	 "is used where /dev/vhost-net opens; otherwise the note says why not.\n"
	 "Without root that mode is a recorded skip. Modes:\n"
	 "  virtio-net,user\n"
	 "  virtio-net,tap,vhost   (or virtio-net,tap without vhost-net)\n" CLI_IO_NET_TESTS);

static const struct cli_command *const qemu_subs[] = { &boot, &cpu, &memory, &disk, &net, NULL };

const struct cli_command cmd__vm_qemu = {
	.name = "vm",
	.summary = "boot, cpu, memory, disk and net on real Linux guests in QEMU",
	.description =
		"Boots real Linux guests with QEMU and measures them, by default in the seed's\n"
		"configurations 1/512, 2/1024 and 4/2048 (vCPUs/MiB), 3 iterations each.\n"
		"When a guest fails, its QEMU log is saved next to the -o file, or its last\n"
		"lines are shown in the error. QEMU's process group is always killed; the\n"
		"work directory is removed unless --keep.\n",
	.examples =
		"virtbench vm boot --platform qemu\n"
		"virtbench vm boot --platform qemu --vcpus 1 --memory 512 --accel tcg --json\n"
		"virtbench vm cpu --platform qemu --vcpus 2 --memory 1G --time 0.5 -o cpu.json\n"
		"virtbench vm boot --platform qemu --image ubuntu-20.04-minimal.img\n"
		"virtbench vm disk --platform qemu --size 64M --time 2 -o disk.json\n"
		"virtbench vm net --platform qemu --tests tcp_stream,tcp_rr --time 2\n",
	.subs = qemu_subs,
};
