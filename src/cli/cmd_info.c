/* `virtbench info`: the host as a reader of a result needs to know it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "host/host.h"

static const char usage[] =
	"Usage: virtbench info [--json] [--no-tools] [-o FILE] [--root DIR]\n"
	"\n"
	"Describes this host: everything a reader of a benchmark result needs to\n"
	"trust it. The same block is stored as \"host\" in every results.json.\n"
	"\n"
	"  Host            hostname, architecture (\"Intel/AMD (x86_64)\", \"Arm (aarch64)\"),\n"
	"                  kernel, cgroup layout (v1, v2, hybrid)\n"
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
	"are left out.\n"
	"\n"
	"Options:\n"
	"  --json          print the host block as one JSON document on stdout\n"
	"  --no-tools      skip the tool probe (no child processes; a few ms)\n"
	"  -o, --output FILE  also write the JSON block to FILE (atomically)\n"
	"  --root DIR      describe the host captured under DIR (DIR/proc/cpuinfo,\n"
	"                  DIR/sys/..., DIR/cpuid.txt, DIR/dmesg.txt) instead of this\n"
	"                  one; nothing is executed and no ioctl is made\n"
	"  -h, --help      this text\n"
	"\n"
	"Exit status: 0 success, 1 the host could not be inspected, 2 usage error.\n";

struct info_opts {
	bool json, no_tools;
	const char *output, *root;
};

enum { OPT_JSON = 1000, OPT_NO_TOOLS, OPT_ROOT };

/* Returns 1 when --help was asked, 0 to go on, -1 on a usage error. */
static int parse(int argc, char **argv, struct info_opts *o, struct vb_err *err)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, 0, OPT_JSON },
		{ "no-tools", no_argument, 0, OPT_NO_TOOLS },
		{ "output", required_argument, 0, 'o' },
		{ "root", required_argument, 0, OPT_ROOT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int opt, idx;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:h", long_opts, &idx)) != -1) {
		switch (opt) {
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_NO_TOOLS:
			o->no_tools = true;
			break;
		case 'o':
			if (cli__check_output(optarg, err) < 0)
				return -1;
			o->output = optarg;
			break;
		case OPT_ROOT:
			if (opt__text("--root", optarg, "a directory with a captured host in it", err) < 0)
				return -1;
			o->root = optarg;
			break;
		case 'h':
			return 1;
		case ':':
			return err__usage(err, "%s needs a value", argv[optind - 1]);
		case '?':
			if (optopt == OPT_JSON || optopt == OPT_NO_TOOLS || optopt == 'h')
				return err__usage(err, "%s takes no value", argv[optind - 1]);
			return err__usage(err, "unknown option '%s'", argv[optind - 1]);
		default:
			return err__usage(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return err__usage(err, "unexpected argument '%s'; 'info' takes options only",
				  argv[optind]);
	return 0;
}

int cmd_info(int argc, char **argv)
{
	struct info_opts o = { 0 };
	struct vb_err err = { 0 };
	int rc = parse(argc, argv, &o, &err);
	if (rc < 0)
		return cli__usage_error("info", &err);
	if (rc > 0) {
		fputs(usage, stdout);
		return VB_EXIT_OK;
	}

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
