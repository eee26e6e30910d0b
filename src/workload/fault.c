/* First touch: one store per page of a region the platform has just mapped
 * and never touched, so every store takes a page fault (or, with 2 MiB pages,
 * one fault per 2 MiB). In a guest this is where nested or shadow paging
 * shows. One event is one page. */
#include "workload/loop.h"

void wl_fault__run(const struct wl_job *job, const struct wl_clock *clk, struct wl_report *out)
{
	uint64_t stride = job->page_size ? job->page_size : 4096;
	if (!job->buf || job->buf_size < stride) {
		out->error = WL_EBUF;
		return;
	}
	if (stride & (stride - 1)) {
		out->error = WL_EARG;
		return;
	}
	volatile unsigned char *p = job->buf;
	uint64_t pages = job->buf_size / stride, done = 0;
	if (job->max_events && job->max_events < pages)
		pages = job->max_events;
	/* The stop flag every 2 MiB touched (512 small pages, or each 2 MiB
	 * page, whose fault zeroes it all): a load, not a clock read. */
	uint64_t mask = stride >= (2u << 20) ? 0 : (2u << 20) / stride - 1;
	uint64_t start = wl__now(clk);
	for (; done < pages; done++) {
		if ((done & mask) == 0 && wl__stopped(job))
			break;
		p[done * stride] = 1;
	}
	uint64_t now = wl__now(clk);
	out->events = done;
	out->bytes = done * stride;
	out->elapsed_ns = now - start;
	out->checksum = done;
	out->clock_reads = 2;
}
