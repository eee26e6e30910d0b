/* `virtbench vm nested`: the microVM benchmarks inside an L1 guest against
 * the same on this host. A thin front end over src/nested/nested.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_vm.h"
#include "cli/table.h"
#include "measure/runner.h"
#include "nested/nested.h"

struct nested_cli {
	struct cli_common common;
	struct nested_opts n;
	int arch;	  /* --arch: host, x86_64, aarch64 */
	const char *only; /* --only, read into n.only */
};

#define AT(f) CLI_AT(struct nested_cli, f)

static const struct cli_opt nested_opts[] = {
	{ .name = "arch",
	  .type = CLI_CHOICE,
	  .value = "NAME",
	  AT(arch),
	  CLI_CHOICES("host", "x86_64", "aarch64"),
	  .help = "the L1 guest's architecture; another than the host's runs under TCG and needs "
		  "--kernel, --busybox and --virtbench of that architecture" },
	{ .name = "accel",
	  .type = CLI_CHOICE,
	  .value = "NAME",
	  AT(n.accel),
	  CLI_CHOICES("auto", "kvm", "tcg"),
	  .help = "how the L1 guest runs: kvm needs nested KVM on this host (virtbench info "
		  "says whether), tcg emulates it (correctness, not speed), auto is kvm where "
		  "possible" },
	{ .name = "only",
	  .type = CLI_TEXT,
	  .value = "LIST",
	  AT(only),
	  .def = "boot,exits,cpu,memory",
	  .help = "the microVM benchmarks to run at both levels: a comma list of boot, exits, "
		  "cpu, memory" },
	{ .name = "kernel",
	  .type = CLI_PATH,
	  .value = "PATH",
	  AT(n.kernel),
	  .expected = "a kernel image file",
	  .def = "/boot/vmlinuz-$(uname -r), else the newest /boot/vmlinuz-*",
	  .help = "the L1 guest's kernel; x86_64 needs its KVM modules in /lib/modules" },
	{ .name = "qemu",
	  .type = CLI_PATH,
	  .value = "PATH",
	  AT(n.qemu),
	  .expected = "a QEMU binary",
	  .def = "qemu-system-<arch> on PATH",
	  .help = "QEMU binary" },
	{ .name = "busybox",
	  .type = CLI_PATH,
	  .value = "PATH",
	  AT(n.busybox),
	  .expected = "a static busybox",
	  .def = "/bin/busybox (Debian package busybox-static)",
	  .help = "the L1 guest's shell and tools" },
	{ .name = "virtbench",
	  .type = CLI_PATH,
	  .value = "PATH",
	  AT(n.virtbench),
	  .expected = "a static virtbench binary",
	  .def = "this binary if static, else virtbench-static beside it or in ../lib/virtbench",
	  .help = "the virtbench that runs inside the L1 guest" },
	{ .name = "timeout",
	  .type = CLI_UINT,
	  .value = "SECONDS",
	  AT(n.timeout_s),
	  .min = 10,
	  .max = 86400,
	  .help = "give up on an L1 guest that has not finished after this long" },
	{ 0 },
};

static void nested_init(void *cfg, const struct cli_command *cmd)
{
	struct nested_cli *c = cfg;
	nested_opts__init(&c->n);
	runner__defaults(&c->common.run);
	c->common.run.iterations = c->n.iterations;
	c->common.run.warmup = 0;
}

static int nested_prepare(void *cfg, const struct cli_call *call, struct vb_err *err)
{
	struct nested_cli *c = cfg;
	static const char *const arches[] = { NULL, "x86_64", "aarch64" };
	c->n.arch = arches[c->arch];
	if (!c->only)
		return 0;
	static const char *const names[NESTED_NBENCH] = { "boot", "exits", "cpu", "memory" };
	c->n.only = 0;
	for (const char *p = c->only;;) {
		size_t n = strcspn(p, ",");
		unsigned b = 0;
		while (b < NESTED_NBENCH && (strlen(names[b]) != n || strncmp(p, names[b], n)))
			b++;
		if (b == NESTED_NBENCH)
			return err__usage(
				err,
				"--only: '%.*s' is not one of boot, exits, cpu, memory (a "
				"comma list, no empty items)",
				(int)n, p);
		c->n.only |= 1u << b;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int nested_bench(void *cfg, const struct cli_call *call, struct vb_result_set *s,
			struct vb_err *err)
{
	struct nested_cli *c = cfg;
	c->n.iterations = c->common.run.iterations;
	c->n.quiet = c->common.quiet;
	return nested__run(&c->n, s, err);
}

const struct cli_command cmd__vm_nested = {
	.name = "nested",
	.summary = "the microVM benchmarks one level down: L2 in an L1 guest",
	.opts = nested_opts,
	.common = true,
	.cfg_size = sizeof(struct nested_cli),
	.init = nested_init,
	.prepare = nested_prepare,
	.bench = nested_bench,
	.description =
		"Boots an L1 Linux guest in QEMU with virtualization passed through (x86:\n"
		"-cpu host with VMX/SVM and the host's nested parameter on; arm64: the virt\n"
		"machine with EL2), runs virtbench's microVM benchmarks inside it against its\n"
		"own /dev/kvm (the microVMs are then L2 guests), runs the same commands on this\n"
		"host (L1), and pairs every L2 figure with its L1 figure: each L2 result\n"
		"carries its overhead against L1 with a 95% interval. Results carry\n"
		"level=l1 or level=l2.\n"
		"\n"
		"Where nested KVM is not possible (virtbench info says why and how to enable\n"
		"it), --accel tcg runs the same with the L1 guest emulated: every figure is\n"
		"marked emulated, a check of correctness and not of speed, and there are no L1\n"
		"figures on a host without KVM.\n",
};
