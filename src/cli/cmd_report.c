/* `virtbench report DIR`: rebuilds the CSVs, the charts and report.html of a
 * results directory from its results.json alone, so results copied from
 * another machine can be rendered here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/output.h"
#include "core/result.h"
#include "fleet/fleet.h"
#include "report/check.h"
#include "report/family.h"
#include "report/report.h"

#define AT(f) CLI_AT(struct report_opts, f)

static const struct cli_opt report_opts[] = {
	CLI_OPT_NO_GNUPLOT(AT(no_gnuplot)),
	{ .name = "quiet",
	  .letter = 'q',
	  .type = CLI_FLAG,
	  AT(quiet),
	  .help = "no warnings on stderr" },
	{ 0 },
};

static int check_host_dir(const char *dir, struct vb_err *err)
{
	return cli__check_results_dir(NULL, dir, err);
}

/* The directory of `virtbench fleet run` (checked as a results directory
 * already): every host and the comparison. */
static int report_fleet(const char *dir, const struct report_opts *ro)
{
	struct vb_err err = { 0 };
	if (fleet__report_dir(dir, ro, check_host_dir, &err) < 0)
		return err__report(&err);
	return VB_EXIT_OK;
}

static int report_run(void *cfg, const struct cli_call *call)
{
	const struct report_opts *ro = cfg;
	struct vb_err err = { 0 };
	if (call->noperands != 1) {
		err__usage(&err,
			   call->noperands == 0 ? "report needs a results directory (DIR)"
						: "report takes one results directory, got %d",
			   call->noperands);
		return cli__usage_error("report", &err);
	}
	const char *arg = call->operands[0];
	char dir[4096], path[4200];
	struct stat st;
	if (!*arg) {
		err__usage(&err, "DIR is an empty string; expected a results directory written by "
				 "'virtbench run', or its results.json");
		return cli__usage_error("report", &err);
	}
	if (stat(arg, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			err__set(&err, errno, "%s", arg);
			return err__report(&err);
		}
		err__usage(&err,
			   "'%s' does not exist; expected a results directory written by "
			   "'virtbench run', or its results.json",
			   arg);
		return cli__usage_error("report", &err);
	}
	/* Whose directory it is, and who else may write there, first. */
	if (S_ISDIR(st.st_mode) && cli__check_results_dir(NULL, arg, &err) < 0)
		return cli__usage_error("report", &err);
	if (S_ISDIR(st.st_mode) && fleet__is_results_dir(arg))
		return report_fleet(arg, ro);
	if (S_ISDIR(st.st_mode)) {
		snprintf(path, sizeof(path), "%s/results.json", arg);
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			err__usage(&err,
				   "'%s' holds no results.json and no hosts of a fleet run "
				   "(DIR/<host>/results.json); expected a results directory "
				   "written by 'virtbench run' or 'virtbench fleet run'",
				   arg);
			return cli__usage_error("report", &err);
		}
		snprintf(dir, sizeof(dir), "%s", arg);
		snprintf(path, sizeof(path), "%s/results.json", arg);
	} else {
		snprintf(path, sizeof(path), "%s", arg);
		snprintf(dir, sizeof(dir), "%s", arg);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(dir, sizeof(dir), ".");
	}
	if (cli__check_results_dir(NULL, dir, &err) < 0)
		return cli__usage_error("report", &err);
	struct vb_result_set s;
	if (result_set__load(path, &s, &err) < 0)
		return err__report(&err);
	int rc = check__set(&s, path, true, &err);
	if (rc == 0 && family__link(&s) < 0)
		rc = err__set(&err, ENOMEM, "%s", path);
	if (rc == 0 && !ro->quiet)
		check__print_warnings(&s, path, stderr, 10);
	if (rc == 0)
		rc = report__write_all(&s, dir, ro, &err);
	result_set__free(&s);
	if (rc < 0)
		return err__report(&err);
	if (!ro->quiet)
		fprintf(stderr, "virtbench: wrote %s/report.html\n", dir);
	return VB_EXIT_OK;
}

const struct cli_command cmd__report = {
	.name = "report",
	.summary = "rebuild plots and report.html from a results directory",
	.operands = "DIR",
	.description =
		"Rebuilds everything a run writes next to its results.json from that file\n"
		"alone: the seed's CSV files (vm_boot_times.csv, hypervisor_overhead.csv,\n"
		"container_startup_times.csv, container_cpu_performance.csv,\n"
		"container_memory_performance.csv), each holding one platform (the VM files\n"
		"QEMU with KVM, else the microVM, else QEMU under TCG; the container files\n"
		"docker, else podman, runc, crun, the built-in runtime) with a copy per\n"
		"platform beside it (vm_boot_times.microvm.csv ...), the CSVs of the other\n"
		"families, the charts (PNG and SVG through gnuplot when it is installed,\n"
		"else SVG drawn by virtbench) and report.html, a self-contained page that\n"
		"says which platform each seed file holds, answers the seed's three\n"
		"knowledge-check questions from the figures and sets every disk and\n"
		"network workload natively beside each platform and mode (after Felter et\n"
		"al., 2014). DIR may also name the results.json file itself; the files are\n"
		"written next to it.\n"
		"\n"
		"io_disk.csv and io_net.csv hold one row per disk or network result:\n"
		"  benchmark, platform, mode     what ran, and how (host, overlay, volume,\n"
		"                                loopback, veth, a QEMU device ...)\n"
		"  test, depth                   seq_read ... tcp_crr; requests in flight\n"
		"  block_size / message_size     bytes per request\n"
		"  metric, unit                  mib_per_sec, iops, p50_us, p99_us,\n"
		"                                gbit_per_sec, transactions_per_sec\n"
		"  median, ci_low, ci_high, n    the median, its 95% interval, samples\n"
		"  native_median                 the native figure it is measured against\n"
		"  overhead_percent, overhead_ci_low, overhead_ci_high\n"
		"                                against native, positive worse (slower,\n"
		"                                or longer latency); empty for native\n"
		"  emulated                      true under QEMU's TCG (not hardware speed)\n"
		"\n"
		"DIR may also be the results directory of 'virtbench fleet run' (a\n"
		"directory per host and compare/): then each host's files are rebuilt from\n"
		"its results.json, the comparison of the hosts with results (in fleet.json's\n"
		"order, else by name; the first is the baseline) is written again into\n"
		"DIR/compare/, and DIR/index.html links them all.\n"
		"\n"
		"The file is read as untrusted input: a malformed or implausible file is\n"
		"refused with the field at fault, and nothing is written. DIR must be yours,\n"
		"not / and not writable by others; only regular files are replaced there.\n",
	.exit_status = "Exit status: 0 written, 1 the file could not be read or the files not\n"
		       "written, 2 usage error.\n",
	.opts = report_opts,
	.cfg_size = sizeof(struct report_opts),
	.run = report_run,
};
