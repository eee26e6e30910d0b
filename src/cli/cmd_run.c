/* `virtbench run`: every benchmark this host can run, then the report.
 * Parses options and prints; the suite lives in src/report/suite*.c. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/output.h"
#include "core/result.h"
#include "report/suite.h"
#include "report/verdicts.h"

static const char usage[] =
	"Usage: virtbench run [--quick | --full] [-o DIR] [--only LIST] [--skip LIST]\n"
	"\n"
	"Runs every benchmark this host can run: the workloads natively, in the\n"
	"built-in microVM (/dev/kvm), in a QEMU Linux guest, and in every container\n"
	"runtime found (built-in, runc, crun, docker, podman). A benchmark the host\n"
	"cannot run is skipped with its reason. Then writes the report.\n"
	"\n"
	"DIR (default results/<hostname>-<arch>-<timestamp>/) receives:\n"
	"  results.json   the whole run: host block, every result with its samples\n"
	"                 and statistics; rewritten atomically after each benchmark,\n"
	"                 so a Ctrl-C leaves a valid file marked incomplete\n"
	"  *.csv          the seed's vm_boot_times.csv, hypervisor_overhead.csv,\n"
	"                 container_startup_times.csv, container_cpu_performance.csv,\n"
	"                 container_memory_performance.csv (same names and columns),\n"
	"                 and boot_phases.csv, vm_exits.csv, memory_latency.csv,\n"
	"                 overhead.csv, vm_scale.csv, density.csv, results.csv\n"
	"  *.png, *.svg   the charts (gnuplot when installed, else SVG drawn here)\n"
	"  report.html    one self-contained page: verdicts, caveats, host, charts,\n"
	"                 tables\n"
	"\n"
	"Options:\n"
	"  --quick          short runs; the whole suite in about two minutes on a\n"
	"                   2-core machine (default)\n"
	"  --full           the seed's durations and sizes: 10 s runs, 10G memory,\n"
	"                   10 container iterations, 3 QEMU boots per configuration\n"
	"  -o, --output DIR results directory (yours, not / and not writable by others)\n"
	"  --only LIST      run only these (comma list of names such as vm.boot, or\n"
	"                   families: native, microvm (or vm), qemu, container)\n"
	"  --skip LIST      do not run these (same names)\n"
	"  --list           list the benchmarks and exit\n"
	"  --json           print the results as one JSON document on stdout\n"
	"  --no-gnuplot     draw the SVG charts with virtbench even if gnuplot exists\n"
	"  -q, --quiet      no progress and no warnings on stderr\n"
	"  -h, --help       this text\n"
	"\n"
	"Progress goes to stderr, one line per benchmark, when stderr is a terminal.\n"
	"Exit status: 0 done (skips included), 1 interrupted or the directory could\n"
	"not be written, 2 usage error.\n";

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

static void summary(const struct vb_result_set *s, const char *dir)
{
	struct verdict v[FAM_COUNT];
	size_t n = verdicts__build(s, v, FAM_COUNT);
	printf("%zu results%s.\n", s->nresults, s->incomplete ? " (incomplete: interrupted)" : "");
	for (size_t i = 0; i < n; i++)
		printf("  %s: %s\n", family__title(v[i].fam), v[i].text);
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
	printf("\nReport: %s/report.html (results.json, CSVs and charts next to it)\n", dir);
}

int cmd_run(int argc, char **argv)
{
	enum { O_QUICK = 1000, O_FULL, O_ONLY, O_SKIP, O_LIST, O_JSON, O_NOGNUPLOT };
	static const struct option long_opts[] = {
		{ "quick", no_argument, 0, O_QUICK },
		{ "full", no_argument, 0, O_FULL },
		{ "output", required_argument, 0, 'o' },
		{ "only", required_argument, 0, O_ONLY },
		{ "skip", required_argument, 0, O_SKIP },
		{ "list", no_argument, 0, O_LIST },
		{ "json", no_argument, 0, O_JSON },
		{ "no-gnuplot", no_argument, 0, O_NOGNUPLOT },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct suite_opts o = { 0 };
	struct vb_err err = { 0 };
	bool json = false, quick = false, list = false;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		switch (opt) {
		case O_QUICK: quick = true; break;
		case O_FULL: o.full = true; break;
		case 'o': o.outdir = optarg; break;
		case O_ONLY: o.only = optarg; break;
		case O_SKIP: o.skip = optarg; break;
		case O_LIST: list = true; break;
		case O_JSON: json = true; break;
		case O_NOGNUPLOT: o.no_gnuplot = true; break;
		case 'q': o.quiet = true; break;
		case 'h': fputs(usage, stdout); return VB_EXIT_OK;
		case ':':
			err__usage(&err, "%s needs a value", argv[optind - 1]);
			return cli__usage_error("run", &err);
		default:
			err__usage(&err, "unknown option '%s'", argv[optind - 1]);
			return cli__usage_error("run", &err);
		}
	}
	if (optind < argc) {
		err__usage(&err, "unexpected argument '%s'", argv[optind]);
		return cli__usage_error("run", &err);
	}
	if (quick && o.full) {
		err__usage(&err, "--quick and --full exclude each other; choose one");
		return cli__usage_error("run", &err);
	}
	bool sel[64];
	if (suite__select(o.only, o.skip, sel, &err) < 0)
		return cli__usage_error("run", &err);
	if (list) {
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
	cli__sweep(o.quiet);
	struct vb_result_set s;
	int rc = suite__run(&o, dir, &s, &err);
	int status = rc < 0 ? err__report(&err) : VB_EXIT_OK;
	if (rc == 0 || s.nresults) {
		if (json) {
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
