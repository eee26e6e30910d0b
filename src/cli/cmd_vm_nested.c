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
	/* vm nested-exec */
	struct nested_exec_opts x;
	char add[NESTED_MAX_EXTRA][512]; /* --add SRC:DEST, read into x.extra */
	unsigned nadd;
};

#define AT(f) CLI_AT(struct nested_cli, f)

/* The options of the L1 guest, the same for both commands. */
#define NESTED_ARCH_OPTS                                                                           \
	{ .name = "arch",                                                                          \
	  .type = CLI_CHOICE,                                                                      \
	  .value = "NAME",                                                                         \
	  AT(arch),                                                                                \
	  CLI_CHOICES("host", "x86_64", "aarch64"),                                                \
	  .help = "the L1 guest's architecture; another than the host's runs under TCG and "       \
		  "needs --kernel, --busybox and --virtbench of that architecture" },              \
	{                                                                                          \
		.name = "accel", .type = CLI_CHOICE, .value = "NAME", AT(n.accel),                 \
		CLI_CHOICES("auto", "kvm", "tcg"),                                                 \
		.help = "how the L1 guest runs: kvm needs nested KVM on this host (virtbench "     \
			"info says whether), tcg emulates it (correctness, not speed), auto is "   \
			"kvm where possible"                                                       \
	}
#define NESTED_TOOL_OPTS                                                                           \
	{ .name = "kernel",                                                                        \
	  .type = CLI_PATH,                                                                        \
	  .value = "PATH",                                                                         \
	  AT(n.kernel),                                                                            \
	  .expected = "a kernel image file",                                                       \
	  .def = "/boot/vmlinuz-$(uname -r), else the newest /boot/vmlinuz-*",                     \
	  .help = "the L1 guest's kernel; x86_64 needs its KVM modules in /lib/modules" },         \
		{ .name = "qemu",                                                                  \
		  .type = CLI_PATH,                                                                \
		  .value = "PATH",                                                                 \
		  AT(n.qemu),                                                                      \
		  .expected = "a QEMU binary",                                                     \
		  .def = "qemu-system-<arch> on PATH",                                             \
		  .help = "QEMU binary" },                                                         \
		{ .name = "busybox",                                                               \
		  .type = CLI_PATH,                                                                \
		  .value = "PATH",                                                                 \
		  AT(n.busybox),                                                                   \
		  .expected = "a static busybox",                                                  \
		  .def = "/bin/busybox (Debian package busybox-static)",                           \
		  .help = "the L1 guest's shell and tools" },                                      \
		{ .name = "virtbench",                                                             \
		  .type = CLI_PATH,                                                                \
		  .value = "PATH",                                                                 \
		  AT(n.virtbench),                                                                 \
		  .expected = "a static virtbench binary",                                         \
		  .def = "this binary if static, else virtbench-static beside it or in "           \
			 "../lib/virtbench",                                                       \
		  .help = "the virtbench that runs inside the L1 guest" },                         \
	{                                                                                          \
		.name = "timeout", .type = CLI_UINT, .value = "SECONDS", AT(n.timeout_s),          \
		.min = 10, .max = 86400,                                                           \
		.help = "give up on an L1 guest that has not finished after this long"             \
	}

static const struct cli_opt nested_opts[] = {
	NESTED_ARCH_OPTS,
	{ .name = "only",
	  .type = CLI_TEXT,
	  .value = "LIST",
	  AT(only),
	  .def = "boot,exits,cpu,memory",
	  .help = "the microVM benchmarks to run at both levels: a comma list of boot, exits, "
		  "cpu, memory" },
	NESTED_TOOL_OPTS,
	{ 0 },
};

/* SRC:DEST, DEST a path inside the initramfs without "..". */
static int add_check(const char *item, char *why, size_t size)
{
	const char *colon = strrchr(item, ':');
	const char *dest = colon ? colon + 1 : "";
	if (!colon || colon == item || !dest[0])
		snprintf(why, size, "is not SRC:DEST");
	else if (strstr(dest, "..") || !strcmp(dest, "/"))
		snprintf(why, size, "has a DEST outside the initramfs");
	return why[0] ? -1 : 0;
}

static const struct cli_opt exec_opts[] = {
	NESTED_ARCH_OPTS,
	{ .name = "exec",
	  .type = CLI_PATH,
	  .value = "SCRIPT",
	  AT(x.script),
	  .expected = "a busybox sh script",
	  .help = "what the guest's /init sources instead of the benchmark list (required); it "
		  "may call 'run NAME ARGS...' (virtbench ARGS, stdout kept as NAME) and 'limit "
		  "SECONDS PROG ARGS...', and every file it leaves in /out comes back" },
	{ .name = "out",
	  .type = CLI_RESULTS_DIR,
	  .value = "DIR",
	  AT(x.out),
	  .help = "where the files from /out and the console log (console.log) go (required)" },
	{ .name = "add",
	  .type = CLI_NAME_LIST,
	  .value = "ENTRY",
	  CLI_LIST_AT(struct nested_cli, add, nadd),
	  .check = add_check,
	  .expected = "SRC:DEST, a file or directory of this host and its path in the guest",
	  .def = "none",
	  .help = "SRC:DEST, a file or directory of this host put into the initramfs at DEST: "
		  "test binaries, their "
		  "libraries, fixtures" },
	{ .name = "append",
	  .type = CLI_TEXT,
	  .value = "ARGS",
	  AT(x.append),
	  .expected = "kernel arguments",
	  .help = "more arguments for the guest's kernel command line" },
	{ .name = "expect-log",
	  .type = CLI_TEXT,
	  .value = "TEXT",
	  AT(x.expect_log),
	  .expected = "a text the console must show",
	  .help = "fail unless the console shows this text (KVM's message for the mode wanted)" },
	{ .name = "smp",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(x.smp),
	  .min = 1,
	  .max = 64,
	  .def = "1 for x86_64, 2 for aarch64 under TCG; 2 under KVM",
	  .help = "the guest's vCPUs" },
	NESTED_TOOL_OPTS,
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

static int exec_run(void *cfg, const struct cli_call *call)
{
	struct nested_cli *c = cfg;
	struct vb_err err = { 0 };
	if (nested_prepare(cfg, call, &err) < 0)
		return cli__usage_error(call->path, &err);
	if (!c->x.script || !c->x.out) {
		err__usage(&err, "give the script with --exec SCRIPT and the results directory "
				 "with --out DIR");
		return cli__usage_error(call->path, &err);
	}
	c->x.n = c->n;
	for (unsigned i = 0; i < c->nadd; i++) {
		char *colon = strrchr(c->add[i], ':');
		*colon = '\0';
		c->x.extra[i] = (struct nested_extra){ c->add[i], colon + 1 };
	}
	c->x.nextra = c->nadd;
	if (nested__exec(&c->x, &err) < 0)
		return err.status == VB_EXIT_USAGE ? cli__usage_error(call->path, &err)
						   : err__report(&err);
	return VB_EXIT_OK;
}

const struct cli_command cmd__vm_nested_exec = {
	.name = "nested-exec",
	.summary = "for tests: the L1 guest of vm nested running a script",
	.opts = exec_opts,
	.cfg_size = sizeof(struct nested_cli),
	.init = nested_init,
	.run = exec_run,
	.description =
		"A tool for virtbench's own tests (tests/emulated/run-host.sh): boots the same\n"
		"L1 guest as 'virtbench vm nested' (the same initramfs, /init, kernel, QEMU\n"
		"and console parser), with extra files from --add, and sources the --exec\n"
		"script instead of the benchmark list. Every file the script leaves in /out\n"
		"comes back over the console, is read as untrusted input and is written into\n"
		"--out DIR with the console log (console.log). One line per command the\n"
		"script ran ('run' or a VB-RUN/VB-RC pair) goes to stderr.\n",
	.examples =
		"virtbench vm nested-exec --accel tcg --exec cmds.sh --out res\n"
		"virtbench vm nested-exec --exec t.sh --out res --add t/test_vm_core:/tests/t\n",
	.exit_status = "Exit status: 0 the guest finished, said --expect-log and every command "
		       "exited 0\nwith its JSON file copied out; 1 otherwise; 2 usage error.\n",
};

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
