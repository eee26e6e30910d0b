/* `virtbench compare A B [C ...]`: result sets of several hosts side by
 * side. Loads and checks each (they come from other machines), aligns,
 * prints the table and the summary, and writes compare.csv, the charts and
 * compare.html. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/output.h"
#include "report/compare.h"
#include "report/compare_out.h"

static const char usage[] =
	"Usage: virtbench compare [options] A B [C ...]\n"
	"\n"
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
	"  verdict     'B lower by 12% ± 3%' or 'B higher by ...' when p < 0.01 and\n"
	"              the difference is at least 5% (the thresholds of Firecracker's\n"
	"              A/B tests); 'no significant difference' otherwise;\n"
	"              'inconclusive: too few samples' when p < 0.01 cannot be reached\n"
	"              with so few samples\n"
	"\n"
	"Results found in one set only are listed as such. The summary answers the\n"
	"seed's five questions: VM boot time, hypervisor overhead, container\n"
	"startup, container overhead and scaling.\n"
	"\n"
	"Files are read as untrusted input: a malformed file, a wrong schema, a\n"
	"missing field or an implausible number is refused with the file and the\n"
	"field named.\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR  also write compare.csv, compare.html (one self-contained\n"
	"                    page) and the side-by-side charts (PNG and SVG) there;\n"
	"                    without it only the table is printed; DIR must be yours,\n"
	"                    not / and not writable by others\n"
	"  --json            print one JSON document on stdout instead of the table\n"
	"  --no-gnuplot      draw the SVG charts with virtbench even if gnuplot exists\n"
	"  -q, --quiet       no progress or warnings on stderr\n"
	"  -h, --help        this text\n"
	"\n"
	"Exit status: 0 compared, 1 a file could not be read or is not valid,\n"
	"2 usage error.\n";

int cmd_compare(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "output", required_argument, 0, 'o' },
		{ "json", no_argument, 0, 'J' },
		{ "no-gnuplot", no_argument, 0, 'G' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct report_opts ro = { 0 };
	struct vb_err err = { 0 };
	const char *outdir = NULL;
	bool json = false;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'o': outdir = optarg; break;
		case 'J': json = true; break;
		case 'G': ro.no_gnuplot = true; break;
		case 'q': ro.quiet = true; break;
		case 'h': fputs(usage, stdout); return VB_EXIT_OK;
		case ':':
			err__usage(&err, "%s needs a value", argv[optind - 1]);
			return cli__usage_error("compare", &err);
		default:
			err__usage(&err, "unknown option '%s'", argv[optind - 1]);
			return cli__usage_error("compare", &err);
		}
	}
	int n = argc - optind;
	if (n < 2 || n > COMPARE_MAX_INPUTS) {
		err__usage(&err, "compare takes 2 to %d result sets, got %d", COMPARE_MAX_INPUTS, n);
		return cli__usage_error("compare", &err);
	}
	if (outdir && cli__check_results_dir("--output", outdir, &err) < 0)
		return cli__usage_error("compare", &err);
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	if (!rep) {
		err__set(&err, 12, "compare");
		return err__report(&err);
	}
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct cmp_input *in = &rep->inputs[i];
		in->letter = (char)('A' + i);
		rc = compare__load(argv[optind + i], in, &err);
		if (rc == 0)
			rep->ninputs++;
	}
	if (rc == 0)
		rc = compare__build(rep, &err);
	char dir[4096] = "";
	if (rc == 0 && outdir) {
		snprintf(dir, sizeof(dir), "%s", outdir);
		rc = compare__write(rep, dir, &ro, &err);
	}
	if (rc == 0) {
		if (json) {
			json_t *doc = compare__json(rep);
			char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
			json_decref(doc);
			if (!text)
				rc = err__set(&err, 12, "compare: building JSON");
			else
				printf("%s\n", text);
			free(text);
		} else {
			compare__print(rep, stdout);
			if (dir[0])
				printf("\nWrote %s/compare.html, compare.csv and the charts.\n", dir);
			else if (!ro.quiet)
				fprintf(stderr, "virtbench: -o DIR also writes compare.html, compare.csv "
						"and the charts\n");
		}
	}
	compare__free(rep);
	free(rep);
	return rc < 0 ? err__report(&err) : VB_EXIT_OK;
}
