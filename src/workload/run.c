/* The one entry point every platform calls. */
#include "workload/loop.h"

void wl__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	wl__report_clear(out);
	switch (job->kind) {
	case WL_NOOP: break;
	case WL_CPU: wl_cpu__run(job, clk, out); break;
	case WL_MEMORY: wl_memory__run(job, clk, out); break;
	case WL_MEMLAT: wl_memlat__run(job, clk, out); break;
	case WL_FAULT: wl_fault__run(job, clk, out); break;
	case WL_STREAM: wl_stream__run(job, clk, out); break;
	case WL_CLOCK: wl_clock__run(job, clk, out); break;
	default: out->error = WL_EKIND; break;
	}
}
