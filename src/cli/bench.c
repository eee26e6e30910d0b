/* What every benchmark command shares: the common options, and the way a
 * benchmark is run from its parsed configuration (options checked, the
 * result set started, filled, printed and saved). */
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/table.h"
#include "core/output.h"
#include "core/result_run.h"
#include "host/host.h"

/* --target-ci 0.02, or as a percentage: 2%. */
static int parse_target(const struct cli_opt *o, const char *name, const char *val, void *target,
			struct vb_err *err)
{
	size_t len = val ? strlen(val) : 0;
	if (len > 1 && len < 32 && val[len - 1] == '%') {
		char num[32];
		memcpy(num, val, len - 1);
		num[len - 1] = 0;
		double pct;
		if (opt__double(name, num, o->dmin * 100, o->dmax * 100, &pct, err) < 0)
			return err__usage(err,
					  "%s: '%s' is out of range; expected a number from %g to "
					  "%g or a percentage from %g%% to %g%%",
					  name, val, o->dmin, o->dmax, o->dmin * 100,
					  o->dmax * 100);
		*(double *)target = pct / 100;
		return 0;
	}
	return opt__double(name, val, o->dmin, o->dmax, target, err);
}

#define AT(f) CLI_AT(struct cli_common, f)

const struct cli_opt cli__common_opts[] = {
	{ .name = "json",
	  .type = CLI_FLAG,
	  AT(json),
	  .help = "print the results as one JSON document on stdout (schema virtbench/1) "
		  "instead of the table" },
	{ .name = "output",
	  .letter = 'o',
	  .type = CLI_OUTPUT,
	  .value = "FILE",
	  AT(output),
	  .help = "also save the JSON results to FILE, a new or regular file (written to a "
		  "temporary file, renamed into place)" },
	{ .name = "iterations",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(run.iterations),
	  .min = 1,
	  .max = 100000,
	  .help = "measured iterations; with --adaptive the minimum" },
	{ .name = "warmup",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(run.warmup),
	  .min = 0,
	  .max = 10000,
	  .help = "unmeasured warm-up iterations first" },
	{ .name = "adaptive",
	  .type = CLI_FLAG,
	  AT(run.adaptive),
	  .help = "repeat until the 95% interval of the median is within --target-ci of the "
		  "median, or --max-iterations is hit" },
	{ .name = "target-ci",
	  .type = CLI_DOUBLE,
	  .value = "X",
	  AT(run.target_rel_ci),
	  .dmin = 0.001,
	  .dmax = 0.5,
	  .parse = parse_target,
	  .help = "relative half-width for --adaptive, or a percentage such as 2%" },
	{ .name = "max-iterations",
	  .type = CLI_UINT,
	  .value = "N",
	  AT(run.max_iterations),
	  .min = 1,
	  .max = 1000000,
	  .def = "10 x --iterations",
	  .help = "cap for --adaptive" },
	{ .name = "quiet",
	  .letter = 'q',
	  .type = CLI_FLAG,
	  AT(quiet),
	  .help = "no progress line on stderr" },
	{ 0 },
};

int cli__bench_main(void *cfg, const struct cli_call *c)
{
	struct cli_common *com = cfg;
	struct vb_err err = { 0 };
	com->run.label = com->quiet ? NULL : c->path;
	if (com->quiet)
		progress__set_enabled(false);
	if (c->cmd->prepare && c->cmd->prepare(cfg, c, &err) < 0)
		return err.status == VB_EXIT_USAGE ? cli__usage_error(c->path, &err)
						   : err__report(&err);
	struct vb_result_set s;
	result_set__start(&s, host__inspect, com->quiet);
	int rc = c->cmd->bench(cfg, c, &s, &err);
	int status;
	if (rc < 0 && err.status == VB_EXIT_USAGE) {
		status = cli__usage_error(c->path, &err);
	} else {
		struct vb_set_sink sink = { .json = com->json, .path = com->output };
		status = result_set__finish(&s, &sink, rc, &err);
	}
	result_set__free(&s);
	return status;
}
