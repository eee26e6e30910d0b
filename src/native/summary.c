#include "native/summary.h"

#include <string.h>

const char *wl_error__str(uint32_t error)
{
	switch (error) {
	case WL_OK: return "no error";
	case WL_EKIND: return "unknown workload kind";
	case WL_EARG: return "a workload parameter is out of range";
	case WL_EBUF: return "the workload buffer is missing or too small";
	default: return "unknown workload error";
	}
}

static double per(double num, double den)
{
	return den > 0 ? num / den : 0;
}

int wl_summary__from_reports(uint32_t kind, const struct wl_report *reports, unsigned n,
			     struct wl_summary *out, struct vb_err *err)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return err__set(err, 0, "no thread reports");
	uint64_t max_ns = 0, sum_ns = 0, lat_sum = 0, lat_min = UINT64_MAX, lat_max = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct wl_report *r = &reports[i];
		if (r->error)
			return err__set(err, 0, "thread %u: %s", i, wl_error__str(r->error));
		out->events += r->events;
		out->bytes += r->bytes;
		out->loads += r->loads;
		out->clock_reads += r->clock_reads;
		sum_ns += r->elapsed_ns;
		if (r->elapsed_ns > max_ns)
			max_ns = r->elapsed_ns;
		lat_sum += r->lat_sum_ns;
		if (r->events && r->lat_min_ns < lat_min)
			lat_min = r->lat_min_ns;
		if (r->lat_max_ns > lat_max)
			lat_max = r->lat_max_ns;
	}
	/* memlat cut short by Ctrl-C inside its one event still measured
	 * its loads. */
	if (kind == WL_MEMLAT ? out->loads == 0 : out->events == 0)
		return err__set(err, 0, "the workload did no work (no events)");
	if (max_ns == 0)
		return err__set(err, 0, "the workload took no measurable time");
	out->threads = n;
	out->seconds = (double)max_ns / 1e9;
	out->events_per_sec = (double)out->events / out->seconds;
	out->events_per_sec_thread = out->events_per_sec / n;
	out->ops_per_sec = out->events_per_sec;
	out->mib_per_sec = (double)out->bytes / (1024.0 * 1024.0) / out->seconds;
	out->gib_per_sec = (double)out->bytes / (1024.0 * 1024.0 * 1024.0) / out->seconds;
	out->gb_per_sec = (double)out->bytes / 1e9 / out->seconds;
	out->ns_per_load = per((double)sum_ns, (double)out->loads);
	if (kind == WL_FAULT)
		out->ns_per_page = per((double)sum_ns, (double)out->events);
	if (kind == WL_CLOCK)
		out->clock_read_ns = per((double)sum_ns, (double)out->clock_reads);
	out->lat_avg_ms = per((double)lat_sum, (double)out->events) / 1e6;
	out->lat_min_ms = lat_min == UINT64_MAX ? 0 : (double)lat_min / 1e6;
	out->lat_max_ms = (double)lat_max / 1e6;
	return 0;
}
