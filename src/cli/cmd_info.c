/* `virtbench info`: the host as a reader of a result needs to know it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "host/host.h"

struct info_opts {
	bool json, no_tools;
	const char *output, *root;
};

#define AT(f) CLI_AT(struct info_opts, f)

static const struct cli_opt info_opts[] = {
	{ .name = "json",
	  .type = CLI_FLAG,
	  AT(json),
	  .help = "print the host block as one JSON document on stdout" },
	{ .name = "no-tools",
	  .type = CLI_FLAG,
	  AT(no_tools),
	  .help = "skip the tool probe (no child processes; a few ms)" },
	{ .name = "output",
	  .letter = 'o',
	  .type = CLI_OUTPUT,
	  .value = "FILE",
	  AT(output),
	  .help = "also write the JSON block to FILE (atomically)" },
	{ .name = "root",
	  .type = CLI_PATH,
	  .value = "DIR",
	  AT(root),
	  .expected = "a directory with a captured host in it",
	  .help = "describe the host captured under DIR (DIR/proc/cpuinfo, DIR/sys/..., "
		  "DIR/cpuid.txt, DIR/dmesg.txt) instead of this one; nothing is executed and "
		  "no ioctl is made" },
	{ 0 },
};

static int info_run(void *cfg, const struct cli_call *call)
{
	const struct info_opts o = *(const struct info_opts *)cfg;
	struct vb_err err = { 0 };
	json_t *host;
	if (o.root) {
		host = host__inspect_root(o.root, &err);
		if (!host && err.status == VB_EXIT_USAGE) {
			err__wrap(&err, "--root");
			return cli__usage_error("info", &err);
		}
	} else {
		struct host_inspect_opts io = { .tools = !o.no_tools, .kvm_ioctls = true };
		host = host__inspect_with(&io, &err);
	}
	if (!host)
		return err__report(&err);
	if (interrupt__pending()) {
		json_decref(host);
		err__set(&err, 0, "info: interrupted");
		return err__report(&err);
	}

	int status = VB_EXIT_OK;
	if (o.output) {
		char *text = json_dumps(host, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text && !strcmp(o.output, "-"))
			puts(text); /* as for the benchmark commands */
		else if (!text || file__write_atomic(o.output, text, strlen(text), &err) < 0) {
			if (!text)
				err__set(&err, 0, "%s: encoding JSON failed", o.output);
			status = err__report(&err);
		}
		free(text);
	}
	if (o.json) {
		if (json_dumpf(host, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
			status = VB_EXIT_FAILURE;
		fputc('\n', stdout);
	} else {
		host__print(host, stdout);
	}
	json_decref(host);
	return status;
}

const struct cli_command cmd__info = {
	.name = "info",
	.summary = "show the host: CPU, memory, virtualization support, tools",
	.description =
		"Describes this host: everything a reader of a benchmark result needs to\n"
		"trust it. The same block is stored as \"host\" in every results.json.\n"
		"\n"
		"  Host            hostname, architecture (\"Intel/AMD (x86_64)\",\n"
		"                  \"Arm (aarch64)\"), kernel, cgroup layout (v1, v2, hybrid)\n"
		"  CPU             vendor and model (x86: CPUID brand string; Arm: MIDR decoded\n"
		"                  to names such as Neoverse-N1), sockets/cores/threads, SMT,\n"
		"                  NUMA nodes, frequency governor, idle driver, key features\n"
		"  Memory          total, available, transparent huge pages\n"
		"  Virtualization  vmx/svm or the Arm EL2 mode (VHE, nVHE, protected), SVE, GIC;\n"
		"                  /dev/kvm, KVM API version and capabilities, the KVM flavour\n"
		"                  (kvm_intel, kvm_amd, kvm_pvm, kvm-arm) and its nested setting;\n"
		"                  whether this host is itself a guest and of what, and a\n"
		"                  plain-words verdict\n"
		"  Tools           qemu-system-*, runc, crun, docker (and its daemon), podman,\n"
		"                  sysbench, stress-ng, gnuplot, with versions\n"
		"\n"
		"Everything is read from /proc, /sys, CPUID and KVM ioctls; tools are asked\n"
		"for --version with short timeouts. The kernel log (for the KVM and EL2\n"
		"messages) needs root or kernel.dmesg_restrict=0; without it those fields\n"
		"are left out.\n",
	.exit_status =
		"Exit status: 0 success, 1 the host could not be inspected, 2 usage error.\n",
	.opts = info_opts,
	.cfg_size = sizeof(struct info_opts),
	.run = info_run,
};
