/* Option values. Every error is one line that names the option, repeats the
 * value as typed and says what is accepted, e.g.
 * "--iterations: '0' is out of range; expected an integer from 1 to 100000". */
#include "cli/opts.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/output.h"

/* Callers may name the option with or without its dashes. */
static void opt_name(char *out, size_t size, const char *opt)
{
	if (!opt)
		opt = "option";
	if (opt[0] == '-')
		snprintf(out, size, "%s", opt);
	else if (opt[1] == 0)
		snprintf(out, size, "-%s", opt);
	else
		snprintf(out, size, "--%s", opt);
}

/* Parses [+-]digits exactly. Returns 1 ok, 0 not a number, -1 out of the
 * uint64 range (negative or too large). */
static int parse_u64(const char *s, uint64_t *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return 0;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return 0;
	errno = 0;
	uint64_t v = strtoull(p, NULL, 10);
	if (errno == ERANGE)
		return -1;
	if (neg && v != 0)
		return -1;
	*out = v;
	return 1;
}

int opt__uint(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	uint64_t v = 0;
	int rc = parse_u64(val, &v);
	if (rc == 0)
		return err__usage(err, "%s: '%.64s' is not a number; expected an integer from %" PRIu64
				       " to %" PRIu64,
				  name, val, min, max);
	if (rc < 0 || v < min || v > max)
		return err__usage(err, "%s: '%.64s' is out of range; expected an integer from %" PRIu64
				       " to %" PRIu64,
				  name, val, min, max);
	*out = v;
	return 0;
}

int opt__double(const char *opt, const char *val, double min, double max, double *out,
		struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	char *end = NULL;
	errno = 0;
	double v = strtod(val, &end);
	if (end == val || *end || isspace((unsigned char)val[0]) || isnan(v))
		return err__usage(err, "%s: '%.64s' is not a number; expected a number from %g to %g",
				  name, val, min, max);
	if (!isfinite(v) || v < min || v > max)
		return err__usage(err, "%s: '%.64s' is out of range; expected a number from %g to %g",
				  name, val, min, max);
	*out = v;
	return 0;
}

static void size_text(char *out, size_t size, uint64_t v)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(out, size, "%" PRIu64, v);
	else
		snprintf(out, size, "%" PRIu64 "%c", v, units[u]);
}

int opt__size(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err)
{
	char name[64], lo[32], hi[32];
	opt_name(name, sizeof(name), opt);
	size_text(lo, sizeof(lo), min);
	size_text(hi, sizeof(hi), max);
	if (!val)
		val = "";
	/* Split digits from the unit: "512M", "2GiB", "4096", "1k". */
	size_t nd = 0;
	if (val[0] == '-' || val[0] == '+')
		nd = 1;
	while (isdigit((unsigned char)val[nd]))
		nd++;
	char digits[32];
	int shift = 0;
	const char *unit = val + nd;
	bool ok = nd > 0 && nd < sizeof(digits);
	if (ok && *unit) {
		switch (toupper((unsigned char)*unit)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		case 'T': shift = 40; break;
		case 'B': shift = 0; unit--; break;
		default: ok = false;
		}
		if (ok) {
			const char *rest = unit + 1;
			ok = !*rest || !strcasecmp(rest, "B") || !strcasecmp(rest, "iB");
		}
	}
	uint64_t v = 0;
	int rc = 0;
	if (ok) {
		memcpy(digits, val, nd);
		digits[nd] = 0;
		rc = parse_u64(digits, &v);
		ok = rc != 0;
	}
	if (!ok)
		return err__usage(err, "%s: '%.64s' is not a size; expected bytes or a number with "
				       "K, M, G or T (1K = 1024) from %s to %s",
				  name, val, lo, hi);
	if (rc < 0 || (shift && v > (UINT64_MAX >> shift)) || (v << shift) < min ||
	    (v << shift) > max)
		return err__usage(err, "%s: '%.64s' is out of range; expected a size from %s to %s",
				  name, val, lo, hi);
	*out = v << shift;
	return 0;
}

int opt__uint_list(const char *opt, const char *val, uint64_t min, uint64_t max,
		   uint64_t *out, unsigned cap, unsigned *n, struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	*n = 0;
	if (!val)
		val = "";
	const char *p = val;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[32];
		uint64_t v = 0;
		int rc = 0;
		if (len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = 0;
			rc = parse_u64(item, &v);
		} else {
			snprintf(item, sizeof(item), "%.*s...", 24, p);
			bool digits = true;
			for (size_t i = 0; i < len; i++)
				digits = digits && isdigit((unsigned char)p[i]);
			rc = digits ? -1 : 0;
		}
		if (rc == 0)
			return err__usage(err, "%s: '%s' in '%.64s' is not a number; expected a comma "
					       "list of integers from %" PRIu64 " to %" PRIu64,
					  name, item, val, min, max);
		if (rc < 0 || v < min || v > max)
			return err__usage(err, "%s: '%s' in '%.64s' is out of range; expected a comma "
					       "list of integers from %" PRIu64 " to %" PRIu64,
					  name, item, val, min, max);
		if (*n >= cap)
			return err__usage(err, "%s: '%.64s' has more than %u values", name, val, cap);
		out[(*n)++] = v;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

int opt__choice(const char *opt, const char *val, const char *const *choices, struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	for (int i = 0; choices[i]; i++)
		if (!strcmp(val, choices[i]))
			return i;
	char list[512] = "";
	size_t used = 0;
	for (int i = 0; choices[i] && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", choices[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return err__usage(err, "%s: '%.64s' is not accepted; expected one of: %s", name, val, list);
}

/* ---- common options ---- */

const char common_opts__help[] =
	"Common options:\n"
	"  --json                 print the results as one JSON document on stdout\n"
	"                         (schema virtbench/1) instead of the table\n"
	"  -o, --output FILE      also save the JSON results to FILE, a new or regular\n"
	"                         file (written to a temporary file, renamed into place)\n"
	"  --iterations N         measured iterations, 1 to 100000; with --adaptive\n"
	"                         the minimum\n"
	"  --warmup N             unmeasured warm-up iterations first, 0 to 10000\n"
	"                         (default 1)\n"
	"  --adaptive             repeat until the 95% interval of the median is within\n"
	"                         --target-ci of the median, or --max-iterations is hit\n"
	"  --target-ci X          relative half-width to reach, 0.001 to 0.5, or as a\n"
	"                         percentage such as 2% (default 0.02)\n"
	"  --max-iterations N     cap for --adaptive, 1 to 1000000 (default 10 x\n"
	"                         --iterations)\n"
	"  -q, --quiet            no progress line on stderr\n"
	"  -h, --help             show this help\n";

void common_opts__init(struct vb_common_opts *c, unsigned default_iterations)
{
	memset(c, 0, sizeof(*c));
	runner__defaults(&c->run);
	if (default_iterations)
		c->run.iterations = default_iterations;
}

static int parse_target(const char *val, double *out, struct vb_err *err)
{
	size_t len = val ? strlen(val) : 0;
	if (len > 1 && len < 32 && val[len - 1] == '%') {
		char num[32];
		memcpy(num, val, len - 1);
		num[len - 1] = 0;
		double pct;
		if (opt__double("--target-ci", num, 0.1, 50, &pct, err) < 0)
			return err__usage(err, "--target-ci: '%s' is out of range; expected a number "
					       "from 0.001 to 0.5 or a percentage from 0.1%% to 50%%",
					  val);
		*out = pct / 100;
		return 0;
	}
	return opt__double("--target-ci", val, 0.001, 0.5, out, err);
}

int common_opts__parse(struct vb_common_opts *c, const char *name, const char *val,
		       struct vb_err *err)
{
	uint64_t v;
	if (!strcmp(name, "json")) {
		c->json = true;
	} else if (!strcmp(name, "output") || !strcmp(name, "o")) {
		if (cli__check_output(val, err) < 0)
			return -1;
		c->output = val;
	} else if (!strcmp(name, "iterations")) {
		if (opt__uint("--iterations", val, 1, 100000, &v, err) < 0)
			return -1;
		c->run.iterations = (unsigned)v;
	} else if (!strcmp(name, "warmup")) {
		if (opt__uint("--warmup", val, 0, 10000, &v, err) < 0)
			return -1;
		c->run.warmup = (unsigned)v;
	} else if (!strcmp(name, "adaptive")) {
		c->run.adaptive = true;
	} else if (!strcmp(name, "target-ci")) {
		if (parse_target(val, &c->run.target_rel_ci, err) < 0)
			return -1;
	} else if (!strcmp(name, "max-iterations")) {
		if (opt__uint("--max-iterations", val, 1, 1000000, &v, err) < 0)
			return -1;
		c->run.max_iterations = (unsigned)v;
	} else if (!strcmp(name, "quiet") || !strcmp(name, "q")) {
		c->quiet = true;
		progress__set_enabled(false);
	} else {
		return 0;
	}
	return 1;
}

int common_opts__getopt(struct vb_common_opts *c, int opt, const char *arg, struct vb_err *err)
{
	static const char *const names[] = { "json",	  "iterations",	    "warmup",
					      "adaptive", "target-ci",	    "max-iterations" };
	if (opt >= COMMON_OPT_BASE && opt < COMMON_OPT_BASE + 6)
		return common_opts__parse(c, names[opt - COMMON_OPT_BASE], arg, err);
	if (opt == 'o')
		return common_opts__parse(c, "output", arg, err);
	if (opt == 'q')
		return common_opts__parse(c, "quiet", arg, err);
	return 0;
}

static void utc_now(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int common_opts__emit(const struct vb_common_opts *c, struct vb_result_set *s)
{
	struct vb_err err = { 0 };
	if (!s->finished[0])
		utc_now(s->finished, sizeof(s->finished));
	if (c->json) {
		if (output__json_stdout(s, &err) < 0)
			return err__report(&err);
	} else {
		output__table(s, stdout);
		fflush(stdout);
	}
	if (c->output && result_set__save(s, c->output, &err) < 0)
		return err__report(&err);
	return VB_EXIT_OK;
}
