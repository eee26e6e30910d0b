/* `virtbench run`: every benchmark this host can run, then the report.
 * Parses options and prints; the suite lives in src/suite/. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/output.h"
#include "core/result.h"
#include "report/io.h"
#include "report/verdicts.h"
#include "suite/suite.h"

static void list_entries(void)
{
	const char *hdr[] = { "benchmark", "family", "what", "quick (s)", "full (s)" };
	struct vb_table t;
	if (table__init(&t, hdr, 5) < 0)
		return;
	for (size_t i = 0; i < suite__nentries; i++) {
		const struct suite_entry *e = &suite__entries[i];
		char q[32], f[32];
		snprintf(q, sizeof(q), "%.0f", e->quick_s);
		snprintf(f, sizeof(f), "%.0f", e->full_s);
		const char *row[] = { e->name, e->family, e->what, q, f };
		table__add_row(&t, row);
	}
	table__print(&t, stdout);
	table__free(&t);
}

/* Where the time went: each benchmark's wall time (results.json keeps
 * them too, under extra.seconds) and their sum. */
static void print_seconds(const struct vb_result_set *s)
{
	json_t *d = s->extra ? json_object_get(s->extra, "seconds") : NULL;
	if (!json_object_size(d))
		return;
	const char *name;
	json_t *v;
	double sum = 0;
	printf("\nSeconds per benchmark:");
	json_object_foreach (d, name, v) {
		printf(" %s %.1f,", name, json_number_value(v));
		sum += json_number_value(v);
	}
	printf(" total %.1f\n", sum);
}

static void summary(const struct vb_result_set *s, const char *dir)
{
	struct verdict v[FAM_COUNT];
	size_t n = verdicts__build(s, v, FAM_COUNT);
	printf("%zu results%s.\n", s->nresults, s->incomplete ? " (incomplete: interrupted)" : "");
	for (size_t i = 0; i < n; i++)
		printf("  %s: %s\n", family__title(v[i].fam), v[i].text);
	if (io__any(s, FAM_DISK) || io__any(s, FAM_NET)) {
		printf("\nI/O against native (median; overhead [95%% interval], positive: "
		       "worse):\n");
		io__print(s, stdout);
	}
	if (s->nskips) {
		printf("\nSkipped:\n");
		const char *hdr[] = { "benchmark", "platform", "reason" };
		struct vb_table t;
		if (table__init(&t, hdr, 3) == 0) {
			for (size_t i = 0; i < s->nskips; i++) {
				const char *row[] = { s->skips[i].benchmark, s->skips[i].platform,
						      s->skips[i].reason };
				table__add_row(&t, row);
			}
			table__print(&t, stdout);
			table__free(&t);
		}
	}
	print_seconds(s);
	printf("\nReport: %s/report.html (results.json, CSVs and charts next to it)\n", dir);
}

struct run_cli {
	struct suite_opts o;
	bool quick, list, json;
};

#define AT(f) CLI_AT(struct run_cli, f)

static const struct cli_opt run_opts[] = {
	{ .name = "quick",
	  .type = CLI_FLAG,
	  AT(quick),
	  .help = "short runs, the default: the whole suite in about two minutes on a 2-core "
		  "machine" },
	{ .name = "full",
	  .type = CLI_FLAG,
	  AT(o.full),
	  .help = "the seed's durations and sizes: 10 s runs, 10G memory, 10 container "
		  "iterations, 6 QEMU boots per configuration" },
	{ .name = "iterations",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(o.iterations),
	  .min = 1,
	  .max = 100000,
	  .def = "each benchmark's own for --quick or --full",
	  .help = "measured iterations of every benchmark (6 or more give each median a 95% "
		  "interval)" },
	{ .name = "output",
	  .letter = 'o',
	  .type = CLI_RESULTS_DIR,
	  .value = "DIR",
	  AT(o.outdir),
	  .def = "results/<hostname>-<arch>-<timestamp>",
	  .help = "results directory: yours, not / and not writable by others" },
	{ .name = "only",
	  .type = CLI_TEXT,
	  .value = "LIST",
	  AT(o.only),
	  .help = "run only these: a comma list of names such as vm.boot, or families: "
		  "native, microvm (or vm), qemu, container" },
	{ .name = "skip",
	  .type = CLI_TEXT,
	  .value = "LIST",
	  AT(o.skip),
	  .help = "do not run these (the same names)" },
	CLI_IMAGE_LIST(struct run_cli, o.images, o.nimages),
	{ .name = "list", .type = CLI_FLAG, AT(list), .help = "list the benchmarks and exit" },
	{ .name = "json",
	  .type = CLI_FLAG,
	  AT(json),
	  .help = "print the results as one JSON document on stdout" },
	CLI_OPT_NO_GNUPLOT(AT(o.no_gnuplot)),
	{ .name = "quiet",
	  .letter = 'q',
	  .type = CLI_FLAG,
	  AT(o.quiet),
	  .help = "no progress and no warnings on stderr" },
	{ 0 },
};

static int run_run(void *cfg, const struct cli_call *call)
{
	struct run_cli *c = cfg;
	struct suite_opts o = c->o;
	struct vb_err err = { 0 };
	if (c->quick && o.full) {
		err__usage(&err, "--quick and --full exclude each other; choose one");
		return cli__usage_error("run", &err);
	}
	bool sel[64];
	if (suite__select(o.only, o.skip, sel, &err) < 0)
		return cli__usage_error("run", &err);
	if (c->list) {
		list_entries();
		return VB_EXIT_OK;
	}
	char dir[4096];
	if (o.outdir)
		snprintf(dir, sizeof(dir), "%s", o.outdir);
	else
		suite__default_dir(dir, sizeof(dir));
	if (cli__check_results_dir("--output", dir, &err) < 0)
		return cli__usage_error("run", &err);

	/* The suite talks to many children over pipes; one that dies early
	 * must fail its own benchmark (EPIPE), not end the whole run. */
	signal(SIGPIPE, SIG_IGN);
	cli__sweep_run(dir, o.quiet);
	struct vb_result_set s;
	int rc = suite__run(&o, dir, &s, &err);
	int status = rc < 0 ? err__report(&err) : VB_EXIT_OK;
	if (rc == 0 || s.nresults) {
		if (c->json) {
			struct vb_err jerr = { 0 };
			if (output__json_stdout(&s, &jerr) < 0)
				status = err__report(&jerr);
		} else {
			summary(&s, dir);
		}
	}
	result_set__free(&s);
	return status;
}

const struct cli_command cmd__run = {
	.name = "run",
	.summary = "run every benchmark this host can run and write a report",
	.description =
		"Runs every benchmark this host can run: the workloads natively, in the\n"
		"built-in microVM (/dev/kvm), in a QEMU Linux guest, and in every container\n"
		"runtime found (built-in, runc, crun, docker, podman). A benchmark the host\n"
		"cannot run is skipped with its reason. Then writes the report.\n"
		"\n"
		"DIR receives:\n"
		"  results.json   the whole run: host block, every result with its samples\n"
		"                 and statistics; rewritten atomically after each benchmark,\n"
		"                 so a Ctrl-C leaves a valid file marked incomplete\n"
		"  *.csv          the seed's vm_boot_times.csv, hypervisor_overhead.csv,\n"
		"                 container_startup_times.csv, container_cpu_performance.csv,\n"
		"                 container_memory_performance.csv (same names and columns),\n"
		"                 each holding one platform (the VM files QEMU with KVM, else\n"
		"                 the microVM, else QEMU under TCG; the container files docker,\n"
		"                 else podman, runc, crun, the built-in runtime); and\n"
		"                 boot_phases.csv, vm_exits.csv, memory_latency.csv,\n"
		"                 overhead.csv, vm_scale.csv, density.csv,\n"
		"                 container_startup_phases.csv, memory_faults_bandwidth.csv,\n"
		"                 results.csv, io_disk.csv and io_net.csv (columns: virtbench\n"
		"                 report --help)\n"
		"  *.PLATFORM.csv a copy of each seed file per platform it has rows of, e.g.\n"
		"                 vm_boot_times.microvm.csv, vm_boot_times.qemu.csv,\n"
		"                 container_startup_times.docker.csv (docker's seed-method\n"
		"                 rows included), container_cpu_performance.podman.csv\n"
		"  *.png, *.svg   the charts (gnuplot when installed, else SVG drawn here)\n"
		"  report.html    one self-contained page: verdicts, caveats, host, charts,\n"
		"                 the I/O workloads against native, tables\n"
		"\n"
		"Progress goes to stderr, one line per benchmark with the seconds it took,\n"
		"when stderr is a terminal; the summary on stdout lists every benchmark's\n"
		"seconds and their total (results.json: extra.seconds). What runs killed\n"
		"with SIGKILL left is removed first, the disk tests' directories\n"
		"(virtbench-io.*) in DIR among them.\n",
	.exit_status = "Exit status: 0 done (skips included), 1 interrupted or the directory\n"
		       "could not be written, 2 usage error.\n",
	.opts = run_opts,
	.cfg_size = sizeof(struct run_cli),
	.run = run_run,
};
