/* io_disk.csv and io_net.csv: every disk and network result, one row each,
 * with what a spreadsheet filters on as columns of their own (platform,
 * mode, test, depth, size) and the overhead against native beside the
 * median, so that no column has to be parsed out of a configuration. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/family.h"
#include "report/io.h"
#include "report/report.h"
#include "report/text.h"

const struct report_io_csv report__io_csvs[2] = {
	{ "io_disk.csv", FAM_DISK,
	  "benchmark,platform,mode,test,depth,block_size,metric,unit,median,ci_low,ci_high,n,"
	  "native_median,overhead_percent,overhead_ci_low,overhead_ci_high,emulated" },
	{ "io_net.csv", FAM_NET,
	  "benchmark,platform,mode,test,depth,message_size,metric,unit,median,ci_low,ci_high,n,"
	  "native_median,overhead_percent,overhead_ci_low,overhead_ci_high,emulated" },
};

static int io_rows(const struct vb_result_set *s, const struct report_io_csv *c, struct vb_buf *b)
{
	if (buf__printf(b, "%s\n", c->header) < 0)
		return -1;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != c->fam)
			continue;
		char num[9][32];
		text__csvnum(num[0], sizeof(num[0]), io__depth(r));
		text__csvnum(num[1], sizeof(num[1]), io__size(r));
		text__csvnum(num[2], sizeof(num[2]), r->stats.median);
		text__csvnum(num[3], sizeof(num[3]), r->stats.ci_low);
		text__csvnum(num[4], sizeof(num[4]), r->stats.ci_high);
		snprintf(num[5], sizeof(num[5]), "%zu", r->stats.n);
		struct vb_overhead o = { NAN, NAN, NAN };
		const struct vb_result *base = r->view.baseline;
		if (r->view.kind == VB_PK_NATIVE || !family__overhead(r, &o))
			o = (struct vb_overhead){ NAN, NAN, NAN };
		text__csvnum(num[6], sizeof(num[6]),
			     r->view.kind != VB_PK_NATIVE && base ? base->stats.median : NAN);
		text__csvnum(num[7], sizeof(num[7]), o.percent);
		char lo[32], hi[32];
		text__csvnum(lo, sizeof(lo), o.ci_low);
		text__csvnum(hi, sizeof(hi), o.ci_high);
		const char *f[] = { r->benchmark,
				    r->platform,
				    io__mode(r),
				    io__test(r),
				    num[0],
				    num[1],
				    r->metric,
				    r->unit,
				    num[2],
				    num[3],
				    num[4],
				    num[5],
				    num[6],
				    num[7],
				    lo,
				    hi,
				    r->view.emulated ? "true" : "false" };
		if (csv__row(b, f, sizeof(f) / sizeof(f[0])) < 0)
			return -1;
	}
	return 0;
}

int report__write_io_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err)
{
	if (family__require_linked(s, err) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(report__io_csvs) / sizeof(report__io_csvs[0]); k++) {
		struct vb_buf b = { 0 };
		int rc = io_rows(s, &report__io_csvs[k], &b);
		if (rc == 0)
			rc = report__save(dir, report__io_csvs[k].name, &b, err);
		else
			err__set(err, ENOMEM, "%s: out of memory", report__io_csvs[k].name);
		buf__free(&b);
		if (rc < 0)
			return -1;
	}
	return 0;
}
