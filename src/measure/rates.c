#include "measure/rates.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *rates__error_str(uint32_t error)
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

/* Totals over the threads, kept apart from the rates derived from them. */
struct totals {
	uint64_t max_ns, sum_ns, lat_sum, lat_min, lat_max;
};

static int rates__sum(const struct wl_report *reports, unsigned n, struct rates *out,
		      struct totals *t, struct vb_err *err)
{
	*t = (struct totals){ .lat_min = UINT64_MAX };
	for (unsigned i = 0; i < n; i++) {
		const struct wl_report *r = &reports[i];
		if (r->error)
			return err__set(err, 0, "thread %u: %s", i, rates__error_str(r->error));
		out->events += r->events;
		out->bytes += r->bytes;
		out->loads += r->loads;
		out->clock_reads += r->clock_reads;
		t->sum_ns += r->elapsed_ns;
		if (r->elapsed_ns > t->max_ns)
			t->max_ns = r->elapsed_ns;
		t->lat_sum += r->lat_sum_ns;
		if (r->events && r->lat_min_ns < t->lat_min)
			t->lat_min = r->lat_min_ns;
		if (r->lat_max_ns > t->lat_max)
			t->lat_max = r->lat_max_ns;
	}
	return 0;
}

/* A cpu event counts the primes below a bound, so every thread that did
 * one holds the same count: a different one is a wrong result, on any
 * platform. Other kinds' checksums depend on the thread (memlat's seed) or
 * on how far it got (fault). */
static int rates__check_sums(uint32_t kind, const struct wl_report *reports, unsigned n,
			     struct vb_err *err)
{
	if (kind != WL_CPU)
		return 0;
	const struct wl_report *first = NULL;
	unsigned fi = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!reports[i].events)
			continue;
		if (!first) {
			first = &reports[i];
			fi = i;
		} else if (reports[i].checksum != first->checksum) {
			return err__set(err, 0,
					"thread %u's checksum %llu differs from thread %u's %llu",
					i, (unsigned long long)reports[i].checksum, fi,
					(unsigned long long)first->checksum);
		}
	}
	return 0;
}

static void rates__derive(uint32_t kind, const struct totals *t, unsigned n, struct rates *out)
{
	out->threads = n;
	out->seconds = (double)t->max_ns / 1e9;
	out->events_per_sec = (double)out->events / out->seconds;
	out->events_per_sec_thread = out->events_per_sec / n;
	out->ops_per_sec = out->events_per_sec;
	out->mib_per_sec = (double)out->bytes / (1024.0 * 1024.0) / out->seconds;
	out->gib_per_sec = (double)out->bytes / (1024.0 * 1024.0 * 1024.0) / out->seconds;
	out->gb_per_sec = (double)out->bytes / 1e9 / out->seconds;
	out->ns_per_load = per((double)t->sum_ns, (double)out->loads);
	if (kind == WL_FAULT)
		out->ns_per_page = per((double)t->sum_ns, (double)out->events);
	if (kind == WL_CLOCK)
		out->clock_read_ns = per((double)t->sum_ns, (double)out->clock_reads);
	out->lat_avg_ms = per((double)t->lat_sum, (double)out->events) / 1e6;
	out->lat_min_ms = t->lat_min == UINT64_MAX ? 0 : (double)t->lat_min / 1e6;
	out->lat_max_ms = (double)t->lat_max / 1e6;
}

int rates__from_reports(uint32_t kind, const struct wl_report *reports, unsigned n,
			struct rates *out, struct vb_err *err)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return err__set(err, 0, "no thread reports");
	struct totals t;
	if (rates__sum(reports, n, out, &t, err) < 0 ||
	    rates__check_sums(kind, reports, n, err) < 0)
		return -1;
	/* memlat cut short by Ctrl-C inside its one event still measured
	 * its loads. */
	if (kind == WL_MEMLAT ? out->loads == 0 : out->events == 0)
		return err__set(err, 0, "the workload did no work (no events)");
	if (t.max_ns == 0)
		return err__set(err, 0, "the workload took no measurable time");
	out->checksum = reports[0].checksum;
	rates__derive(kind, &t, n, out);
	return 0;
}

int rates_batch__init(struct rates_batch *b, uint32_t kind, unsigned threads, struct vb_err *err)
{
	memset(b, 0, sizeof(*b));
	if (threads == 0)
		return err__set(err, EINVAL, "a run of no threads");
	b->kind = kind;
	b->threads = threads;
	b->run = 1;
	b->reps = calloc(threads, sizeof(*b->reps));
	b->from = calloc(threads, sizeof(*b->from));
	if (!b->reps || !b->from) {
		rates_batch__free(b);
		return err__set(err, ENOMEM, "reports of %u threads", threads);
	}
	return 0;
}

void rates_batch__free(struct rates_batch *b)
{
	free(b->reps);
	free(b->from);
	b->reps = NULL;
	b->from = NULL;
}

void rates_batch__begin(struct rates_batch *b)
{
	b->run++;
}

int rates_batch__add(struct rates_batch *b, uint32_t thread, const struct wl_report *rep,
		     struct vb_err *err)
{
	if (thread >= b->threads)
		return err__set(err, 0, "a report from thread %u of a run on %u thread%s", thread,
				b->threads, b->threads == 1 ? "" : "s");
	if (b->from[thread] == b->run)
		return err__set(err, 0, "thread %u reported twice", thread);
	b->reps[thread] = *rep;
	b->from[thread] = b->run;
	return 0;
}

int rates__from_batch(const struct rates_batch *b, struct rates *out, struct vb_err *err)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < b->threads; i++) {
		if (b->from[i] == b->run)
			continue;
		if (b->from[i])
			return err__set(err, 0,
					"thread %u did not report in this run (its last report is "
					"from an earlier one)",
					i);
		return err__set(err, 0, "thread %u did not report", i);
	}
	return rates__from_reports(b->kind, b->reps, b->threads, out, err);
}
