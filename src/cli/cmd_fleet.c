/* `virtbench fleet run HOST... [-- RUN OPTIONS]`: the suite on many hosts
 * over OpenSSH, gathered and compared here (src/fleet/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "fleet/fleet.h"

struct fleet_cli {
	const char *outdir, *inventory, *dist, *ssh_config;
	bool serial, quiet, no_gnuplot;
	double connect_timeout_s, run_timeout_s;
};

#define AT(f) CLI_AT(struct fleet_cli, f)

static const struct cli_opt fleet_run_opts[] = {
	{ .name = "output",
	  .letter = 'o',
	  .type = CLI_RESULTS_DIR,
	  .value = "DIR",
	  AT(outdir),
	  .def = "results/fleet-<timestamp>",
	  .help = "where DIR/<host>/ (each host's results), DIR/compare/ and DIR/fleet.json go; "
		  "yours, not / and not writable by others" },
	{ .name = "inventory",
	  .letter = 'i',
	  .type = CLI_PATH,
	  .value = "FILE",
	  AT(inventory),
	  .expected = "an inventory file",
	  .help = "hosts one a line ([user@]host[:port], or a name and ansible_host=, "
		  "ansible_port=, ansible_user=), or an Ansible INI inventory; HOST may then "
		  "be a name or a group there, and no HOST means every host" },
	{ .name = "serial",
	  .type = CLI_FLAG,
	  AT(serial),
	  .help = "one host at a time (the default runs every host at once)" },
	{ .name = "dist",
	  .type = CLI_PATH,
	  .value = "DIR",
	  AT(dist),
	  .expected = "the directory 'make dist' writes",
	  .def = "$VIRTBENCH_DIST, else dist/ next to virtbench or ../lib/virtbench/dist",
	  .help = "where <arch>/virtbench and <arch>/virtbench-worker are (make dist)" },
	{ .name = "ssh-config",
	  .letter = 'F',
	  .type = CLI_PATH,
	  .value = "FILE",
	  AT(ssh_config),
	  .expected = "an ssh configuration file",
	  .def = "the user's own (~/.ssh/config)",
	  .help = "ssh and scp read this configuration instead (ssh -F)" },
	{ .name = "connect-timeout",
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(connect_timeout_s),
	  .dmin = 1,
	  .dmax = 600,
	  .help = "how long to wait for each host's connection" },
	{ .name = "run-timeout",
	  .type = CLI_SECONDS,
	  .value = "SECONDS",
	  AT(run_timeout_s),
	  .dmin = 0,
	  .dmax = 604800,
	  .help = "stop a host's run after this long, that host then a skip (0: no limit)" },
	CLI_OPT_NO_GNUPLOT(AT(no_gnuplot)),
	{ .name = "quiet",
	  .letter = 'q',
	  .type = CLI_FLAG,
	  AT(quiet),
	  .help = "no per-host progress on stderr" },
	{ 0 },
};

static void fleet_run_init(void *cfg, const struct cli_command *cmd)
{
	struct fleet_cli *c = cfg;
	c->connect_timeout_s = 10;
}

/* The options for `virtbench run` are checked here, by run's own table,
 * before any host is touched; those that say where results go are
 * fleet's. */
static int check_run_args(char **args, int n, struct vb_err *err)
{
	struct cli_call call;
	const struct cli_command *run = cli__find("run", &call);
	void *cfg = run ? cli__defaults(run) : NULL;
	if (!cfg)
		return err__set(err, 0, "the run command is missing");
	char **argv = calloc((size_t)n + 2, sizeof(char *));
	if (!argv) {
		free(cfg);
		return err__set(err, 12, "run options");
	}
	argv[0] = "run";
	for (int i = 0; i < n; i++)
		argv[i + 1] = args[i];
	int rc = cli__parse(cfg, n + 1, argv, &call, err);
	if (rc > 0) /* --help: fleet's own */
		rc = 1;
	const char *own[] = { "output", "json", "list" };
	for (size_t i = 0; rc == 0 && i < sizeof(own) / sizeof(own[0]); i++)
		if (cli__given(&call, own[i]))
			rc = err__usage(err,
					"--%s after '--' is fleet's to decide: results go to "
					"DIR/<host>/ (fleet run -o DIR)",
					own[i]);
	if (rc < 0)
		err__wrap(err, "run options after '--'");
	cli__call_free(&call);
	free(argv);
	free(cfg);
	return rc;
}

static int fleet_run_main(void *cfg, const struct cli_call *call)
{
	struct fleet_cli *c = cfg;
	struct vb_err err = { 0 };
	struct fleet_target *targets = calloc(FLEET_MAX_HOSTS, sizeof(*targets));
	int n = 0, rc = 0;
	if (!targets) {
		err__set(&err, 12, "fleet");
		return err__report(&err);
	}
	int nhosts = call->dashdash;
	rc = check_run_args(call->operands + nhosts, call->noperands - nhosts, &err);
	if (rc > 0) {
		cli__help(call, stdout);
		free(targets);
		return VB_EXIT_OK;
	}
	if (rc < 0)
		;
	else if (c->inventory)
		rc = fleet__inventory(c->inventory, call->operands, nhosts, targets,
				      FLEET_MAX_HOSTS, &n, &err);
	else if (nhosts == 0)
		rc = err__usage(&err, "fleet run needs hosts: HOST... or --inventory FILE");
	for (int i = 0; !c->inventory && i < nhosts && rc == 0; i++) {
		if (n == FLEET_MAX_HOSTS) {
			rc = err__usage(&err, "more than %d hosts", FLEET_MAX_HOSTS);
			break;
		}
		rc = fleet__parse_target(call->operands[i], &targets[n], &err);
		for (int j = 0; rc == 0 && j < n; j++)
			if (!strcmp(targets[j].name, targets[n].name))
				rc = err__usage(&err, "host '%s' is named twice", targets[n].name);
		if (rc == 0)
			n++;
	}
	if (rc == 0 && n == 0)
		rc = err__usage(&err, "the inventory names no host");
	struct fleet_opts o = {
		.ssh_config = c->ssh_config,
		.run_args = call->operands + call->dashdash,
		.nrun_args = call->noperands - call->dashdash,
		.serial = c->serial,
		.quiet = c->quiet,
		.no_gnuplot = c->no_gnuplot,
		.connect_timeout_s = c->connect_timeout_s,
		.run_timeout_s = c->run_timeout_s,
	};
	if (rc == 0)
		cli__sweep(c->quiet);
	char dist[4096], outdir[256];
	if (rc == 0 && c->dist)
		snprintf(dist, sizeof(dist), "%s", c->dist);
	else if (rc == 0)
		rc = fleet__find_dist(dist, sizeof(dist), &err);
	o.dist = dist;
	if (rc == 0 && !c->outdir) {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(outdir, sizeof(outdir), "results/fleet-%Y%m%dT%H%M%SZ", &tm);
		rc = cli__check_results_dir("-o", outdir, &err);
	}
	o.outdir = c->outdir ? c->outdir : outdir;
	if (rc < 0) {
		free(targets);
		return err.status == VB_EXIT_USAGE ? cli__usage_error("fleet run", &err)
						   : err__report(&err);
	}
	int status = fleet__run(targets, n, &o);
	free(targets);
	return status;
}

static const struct cli_command fleet_run = {
	.name = "run",
	.summary = "run the suite on many hosts over ssh and compare them",
	.operands = "HOST... [-- RUN OPTIONS]",
	.description =
		"Runs 'virtbench run' on every HOST ([user@]host[:port], or a name or group of\n"
		"--inventory) over OpenSSH, at the same time unless --serial, then compares\n"
		"them here, the first host as baseline. For each host, through ssh and scp in\n"
		"batch mode (no password prompt; keys, known hosts and the rest as the user's\n"
		"ssh configuration says) and one connection (a ControlMaster whose socket is\n"
		"in a private local temp dir):\n"
		"\n"
		"  1. its architecture (uname -m) and a private temp dir there (mktemp -d);\n"
		"  2. the static virtbench and virtbench-worker of that architecture ('make\n"
		"     dist') copied into it;\n"
		"  3. 'virtbench run' with the RUN OPTIONS given after '--';\n"
		"  4. its results.json fetched (at most 16 MiB) and read as untrusted input;\n"
		"     DIR/<host>/ gets it, with the CSVs, charts and report.html made here;\n"
		"  5. the remote temp dir removed.\n"
		"\n"
		"A host that cannot be reached, whose run fails or whose results are refused\n"
		"is a skip with its reason (in the table at the end and DIR/fleet.json); the\n"
		"others go on. Then 'compare' of every host that gave results into\n"
		"DIR/compare/. Ctrl-C stops every remote run and removes every remote temp\n"
		"dir.\n",
	.examples = "virtbench fleet run x86.example.org admin@arm.example.org:2222 -- --quick\n"
		    "virtbench fleet run --inventory hosts.ini servers -o fleet -- --only native\n",
	.exit_status = "Exit status: 0 every host gave results and they were compared, 1 a host\n"
		       "was skipped or nothing could be compared (the rest is kept), 2 usage "
		       "error.\n",
	.opts = fleet_run_opts,
	.cfg_size = sizeof(struct fleet_cli),
	.init = fleet_run_init,
	.run = fleet_run_main,
};

static const struct cli_command *const fleet_subs[] = { &fleet_run, NULL };

const struct cli_command cmd__fleet = {
	.name = "fleet",
	.summary = "many hosts over ssh: run the suite on each, gather, compare",
	.description = "Runs the suite on many hosts over OpenSSH and compares them here.\n",
	.subs = fleet_subs,
};
