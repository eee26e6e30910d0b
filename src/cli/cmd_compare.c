/* `virtbench compare A B [C ...]`: result sets of several hosts side by
 * side. Loads and checks each (they come from other machines), aligns,
 * prints the table and the summary, and writes compare.csv, the charts and
 * compare.html. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/output.h"
#include "report/compare.h"
#include "report/compare_nway.h"
#include "report/compare_out.h"

struct compare_cli {
	struct report_opts ro;
	const char *outdir;
	bool json;
};

#define AT(f) CLI_AT(struct compare_cli, f)

static const struct cli_opt compare_opts[] = {
	{ .name = "output",
	  .letter = 'o',
	  .type = CLI_RESULTS_DIR,
	  .value = "DIR",
	  AT(outdir),
	  .help = "also write compare.csv, compare.html (one self-contained page) and the "
		  "side-by-side charts (PNG and SVG) there; DIR must be yours, not / and not "
		  "writable by others" },
	{ .name = "json",
	  .type = CLI_FLAG,
	  AT(json),
	  .help = "print one JSON document on stdout instead of the table" },
	CLI_OPT_NO_GNUPLOT(AT(ro.no_gnuplot)),
	{ .name = "quiet",
	  .letter = 'q',
	  .type = CLI_FLAG,
	  AT(ro.quiet),
	  .help = "no progress or warnings on stderr" },
	{ 0 },
};

static int compare_run(void *cfg, const struct cli_call *call)
{
	struct compare_cli *c = cfg;
	struct vb_err err = { 0 };
	int n = call->noperands;
	if (n < 2 || n > COMPARE_MAX_INPUTS) {
		err__usage(&err, "compare takes 2 to %d result sets, got %d", COMPARE_MAX_INPUTS,
			   n);
		return cli__usage_error("compare", &err);
	}
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	if (!rep) {
		err__set(&err, 12, "compare");
		return err__report(&err);
	}
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct cmp_input *in = &rep->inputs[i];
		in->letter = (char)('A' + i);
		rc = compare__load(call->operands[i], in, &err);
		if (rc == 0)
			rep->ninputs++;
	}
	if (rc == 0)
		rc = compare__build(rep, &err);
	char dir[4096] = "";
	if (rc == 0 && c->outdir) {
		snprintf(dir, sizeof(dir), "%s", c->outdir);
		rc = compare__write(rep, dir, &c->ro, &err);
	}
	if (rc == 0) {
		if (c->json) {
			json_t *doc = compare__json(rep);
			char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10))
					 : NULL;
			json_decref(doc);
			if (!text)
				rc = err__set(&err, 12, "compare: building JSON");
			else
				printf("%s\n", text);
			free(text);
		} else {
			compare__print(rep, stdout);
			compare__print_nway(rep, stdout);
			if (dir[0])
				printf("\nWrote %s/compare.html, compare.csv and the charts.\n",
				       dir);
			else if (!c->ro.quiet)
				fprintf(stderr,
					"virtbench: -o DIR also writes compare.html, compare.csv "
					"and the charts\n");
		}
	}
	compare__free(rep);
	free(rep);
	return rc < 0 ? err__report(&err) : VB_EXIT_OK;
}

const struct cli_command cmd__compare = {
	.name = "compare",
	.summary = "compare result sets from several hosts side by side",
	.operands = "A B [C ...]",
	.description =
		"Compares result sets, typically of an x86_64 and an aarch64 host. Each of\n"
		"A, B, ... is a results directory written by 'virtbench run' or a\n"
		"results.json file. Results are aligned by benchmark, platform, metric and\n"
		"configuration (keys that only record provenance, such as the compiler or\n"
		"the KVM module, are ignored). Every other set is compared with A:\n"
		"\n"
		"  A, B        the medians\n"
		"  B/A         the ratio of the medians\n"
		"  diff        (B - A) / A in percent, with a 95% bootstrap interval\n"
		"  p           two-sided Mann-Whitney test on the samples\n"
		"  verdict     'B lower by 12% ± 3% (better)' or 'B higher by ... (worse)'\n"
		"              when p < 0.01 and the difference is at least 5% (the thresholds\n"
		"              of Firecracker's A/B tests), better or worse by the metric's\n"
		"              direction; 'no significant difference' otherwise;\n"
		"              'inconclusive: too few samples' when p < 0.01 cannot be reached\n"
		"              with so few samples, with the count a verdict needs;\n"
		"              'not compared: ...' when the two sides measured different\n"
		"              things: the platform the seed's VM files hold (microVM or\n"
		"              QEMU), the accelerator (kvm or tcg) or an emulated host\n"
		"              (virtbench.emulated on its kernel command line)\n"
		"\n"
		"Where both sets hold 'vm nested' figures at both levels (level=l1 and l2), a\n"
		"nesting section puts each host's L2/L1 cost side by side (the overhead of one\n"
		"level down with its 95% interval), their ratio and a verdict, and the summary\n"
		"says whose nesting costs more.\n"
		"\n"
		"Results found in one set only are listed as such. The summary answers the\n"
		"seed's five questions (VM boot time, hypervisor overhead, container\n"
		"startup, container overhead and scaling) and its three knowledge checks\n"
		"(VM boot against container start-up per architecture, memory\n"
		"virtualization overhead, overhead against the number of running VMs),\n"
		"then disk and network I/O per platform and mode (a mode is never pooled\n"
		"with another; better or worse by each metric's direction: higher MiB/s,\n"
		"IOPS, Gbit/s and transactions/s, lower latency), and counts the rows it\n"
		"flagged.\n"
		"\n"
		"Files are read as untrusted input: a malformed file, a wrong schema, a\n"
		"missing field or an implausible number is refused with the file and the\n"
		"field named.\n",
	.exit_status = "Exit status: 0 compared, 1 a file could not be read or is not valid,\n"
		       "2 usage error.\n",
	.opts = compare_opts,
	.cfg_size = sizeof(struct compare_cli),
	.run = compare_run,
};
