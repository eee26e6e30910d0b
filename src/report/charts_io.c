/* The disk and network charts: the overhead of each platform and mode
 * against native for the headline metric of every test (throughput, IOPS,
 * rates; fsync's median latency), and the latency percentiles (p50, p99) of
 * the tests that are about latency (random reads at queue depth 1, fsync,
 * TCP_RR), natively and on each platform and mode. Series are named from
 * the results, so a new runtime or mode is one more series. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/family.h"
#include "report/io.h"
#include "report/report.h"

/* Within a chart's 64-byte series name: QEMU's modes
 * ("virtio-blk,cache=none,aio=io_uring") must stay apart. */
static void series_name(const struct vb_result *r, char *out, size_t size)
{
	const char *mode = io__mode(r);
	if (r->view.kind == VB_PK_NATIVE)
		snprintf(out, size, "native");
	else
		snprintf(out, size, "%.17s%s%.39s%s", r->platform, *mode ? " " : "", mode,
			 r->view.emulated ? " (TCG)" : "");
}

/* The headline figure of a test: its throughput or rate, or for fsync
 * (latency only) its median. */
static bool headline(const struct vb_result *r)
{
	if (io__higher_is_better(r->metric, false))
		return true;
	return !strcmp(io__test(r), VB_IO_FSYNC) && !strcmp(r->metric, VB_METRIC_P50_US);
}

/* "MiB/s", "IOPS"; latencies by their percentile ("p50"). */
static void metric_short(const struct vb_result *r, char *out, size_t size)
{
	if (!strcmp(r->metric, VB_METRIC_P50_US) || !strcmp(r->metric, VB_METRIC_P99_US))
		snprintf(out, size, "%.3s", r->metric);
	else
		snprintf(out, size, "%.15s", r->unit[0] ? r->unit : r->metric);
}

static struct chart *overhead(const struct vb_result_set *s, enum family fam)
{
	bool disk = fam == FAM_DISK;
	struct chart *c = chart__new(disk ? "io_disk_overhead" : "io_net_overhead",
				     disk ? "Disk I/O: overhead against native"
					  : "Network I/O: overhead against native",
				     "workload", "overhead (%)", CHART_BARS);
	if (!c)
		return NULL;
	snprintf(c->note, sizeof(c->note),
		 "positive: worse than native (slower, or longer latency); error bars: 95%% "
		 "interval");
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		struct vb_overhead o;
		if (r->view.family != fam || r->view.kind == VB_PK_NATIVE || !headline(r) ||
		    !family__overhead(r, &o))
			continue;
		char w[64], m[16], cat[96], ser[64];
		io__workload(r, w, sizeof(w));
		metric_short(r, m, sizeof(m));
		snprintf(cat, sizeof(cat), "%s %s", w, m);
		series_name(r, ser, sizeof(ser));
		chart__put(c, ser, cat, 0, o.percent, o.ci_low, o.ci_high);
	}
	return c;
}

static bool latency_test(const struct vb_result *r)
{
	const char *t = io__test(r);
	if (strcmp(r->metric, VB_METRIC_P50_US) && strcmp(r->metric, VB_METRIC_P99_US))
		return false;
	return (!strcmp(t, VB_IO_RAND_READ) && io__depth(r) == 1) || !strcmp(t, VB_IO_FSYNC) ||
	       !strcmp(t, VB_IO_TCP_RR);
}

static struct chart *latency(const struct vb_result_set *s)
{
	struct chart *c = chart__new("io_latency", "I/O latency percentiles", "test",
				     "latency (µs, log scale)", CHART_BARS);
	if (!c)
		return NULL;
	c->logy = true;
	snprintf(c->note, sizeof(c->note),
		 "random read QD1, fsync, TCP_RR; bars: median of the percentile; error bars: "
		 "95%% interval");
	bool own_native = false;
	for (size_t i = 0; i < s->nresults; i++)
		own_native |= io__is(s->results[i]) && io__plain_native(s->results[i]);
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!io__is(r) || !latency_test(r))
			continue;
		/* One native series: the native run of its own when there is one. */
		if (r->view.kind == VB_PK_NATIVE && own_native && !io__plain_native(r))
			continue;
		char w[64], cat[96], ser[64];
		io__workload(r, w, sizeof(w));
		char m[16];
		metric_short(r, m, sizeof(m));
		snprintf(cat, sizeof(cat), "%s %s", w, m);
		series_name(r, ser, sizeof(ser));
		chart__put(c, ser, cat, 0, r->stats.median, r->stats.ci_low, r->stats.ci_high);
	}
	return c;
}

int report__io_charts(const struct vb_result_set *s, struct chart_list *l)
{
	if (chart_list__add(l, overhead(s, FAM_DISK)) < 0 ||
	    chart_list__add(l, overhead(s, FAM_NET)) < 0 || chart_list__add(l, latency(s)) < 0)
		return -1;
	return 0;
}
