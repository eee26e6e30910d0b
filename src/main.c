/* virtbench: measures what virtual machines and containers cost a workload. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/interrupt.h"

static const struct vb_command commands[] = {
	{ "info", "show the host: CPU, memory, virtualization support, tools", cmd_info },
	{ "native", "run a workload natively (cpu, memory, memlat, fault)", cmd_native },
	{ "vm", "virtual machine benchmarks (boot, exits, cpu, memory, scale, density)", cmd_vm },
	{ "container", "container benchmarks (startup, cpu, memory, density)", cmd_container },
	{ "run", "run every benchmark this host can run and write a report", cmd_run },
	{ "compare", "compare result sets from several hosts side by side", cmd_compare },
	{ "report", "rebuild plots and report.html from a results directory", cmd_report },
	{ NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: virtbench <command> [subcommand] [options]\n"
	"\n"
	"Measures how fast virtual machines and containers start and what they cost a\n"
	"workload in CPU, memory and I/O compared with running natively, measured\n"
	"inside the guest and the container with the same workload code everywhere.\n"
	"\n"
	"Commands:\n"
	"%s"
	"\n"
	"Every command takes --help. Benchmark commands take --json (one JSON document\n"
	"on stdout), -o FILE (save the JSON results atomically), --iterations N,\n"
	"--warmup N and --adaptive (repeat until the 95%% interval is narrow).\n"
	"Exit status: 0 success, 1 benchmark or environment failure, 2 usage error.\n";

static void print_usage(FILE *f)
{
	char list[2048] = "";
	size_t used = 0;
	for (const struct vb_command *c = commands; c->name; c++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "  %-10s %s\n", c->name,
					 c->summary);
	fprintf(f, usage, list);
}

int main(int argc, char **argv)
{
	interrupt__install();
	if (argc < 2) {
		print_usage(stderr);
		return VB_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		print_usage(stdout);
		return VB_EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("virtbench %s\n", VB_VERSION);
		return VB_EXIT_OK;
	}
	for (const struct vb_command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "virtbench: unknown command '%s'; run 'virtbench --help' for the list\n",
		name);
	return VB_EXIT_USAGE;
}
