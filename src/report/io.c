/* The disk and network results as the report reads them (io.h). */
#include "report/io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/family.h"
#include "report/text.h"

bool io__is(const struct vb_result *r)
{
	return r->view.family == FAM_DISK || r->view.family == FAM_NET;
}

static const char *cfg_or_empty(const struct vb_result *r, const char *key)
{
	const char *v = result__config(r, key);
	return v ? v : "";
}

const char *io__mode(const struct vb_result *r)
{
	return cfg_or_empty(r, VB_CFG_MODE);
}

const char *io__test(const struct vb_result *r)
{
	return cfg_or_empty(r, VB_CFG_TEST);
}

double io__depth(const struct vb_result *r)
{
	return family__config_num(r, VB_CFG_DEPTH);
}

double io__size(const struct vb_result *r)
{
	double b = family__config_num(r, VB_CFG_BLOCK_SIZE);
	return isfinite(b) ? b : family__config_num(r, VB_CFG_MESSAGE_SIZE);
}

bool io__higher_is_better(const char *metric, bool otherwise)
{
	static const char *const higher[] = { VB_METRIC_MIB_PER_SEC, VB_METRIC_IOPS,
					      VB_METRIC_GBIT_PER_SEC,
					      VB_METRIC_TRANSACTIONS_PER_SEC };
	static const char *const lower[] = { VB_METRIC_P50_US, VB_METRIC_P99_US };
	for (size_t i = 0; i < sizeof(higher) / sizeof(higher[0]); i++)
		if (!strcmp(metric, higher[i]))
			return true;
	for (size_t i = 0; i < sizeof(lower) / sizeof(lower[0]); i++)
		if (!strcmp(metric, lower[i]))
			return false;
	return otherwise;
}

void io__workload(const struct vb_result *r, char *out, size_t size)
{
	double d = io__depth(r), b = io__size(r);
	const char *test = io__test(r);
	struct text_out o = { out, size, 0 };
	out[0] = '\0';
	text__put(&o, "%.32s", *test ? test : r->metric);
	bool random = !strcmp(test, VB_IO_RAND_READ) || !strcmp(test, VB_IO_RAND_WRITE);
	if (random && isfinite(d))
		text__put(&o, " QD%g", d);
	if (isfinite(b) && (random || !strcmp(test, VB_IO_TCP_RR))) {
		char bytes[24];
		text__bytes(bytes, sizeof(bytes), b);
		text__put(&o, " %s", bytes);
	}
}

bool io__baseline_key(const struct vb_result *r, bool same_benchmark, char *out, size_t size)
{
	if (!io__is(r))
		return false;
	char d[32], b[32];
	snprintf(d, sizeof(d), "%a", io__depth(r));
	snprintf(b, sizeof(b), "%a", io__size(r));
	snprintf(out, size, "%c\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", same_benchmark ? 'j' : 'i',
		 r->metric, same_benchmark ? r->benchmark : names__kind(r->benchmark), io__test(r),
		 d, b);
	return true;
}

bool io__plain_native(const struct vb_result *r)
{
	return r->view.kind == VB_PK_NATIVE &&
	       (!strchr(r->benchmark, '.') ||
		!strncmp(r->benchmark, VB_AREA_NATIVE, strlen(VB_AREA_NATIVE)));
}

static enum family skip_family(const struct vb_skip *k)
{
	return names__family(k->benchmark);
}

bool io__skip_mode(const struct vb_skip *k, char *mode, size_t size)
{
	enum family f = skip_family(k);
	if (f != FAM_DISK && f != FAM_NET)
		return false;
	mode[0] = '\0';
	/* "<mode> mode: why": one word before " mode:" at the very start. */
	const char *sp = strchr(k->reason, ' ');
	if (sp && sp > k->reason && !strncmp(sp, " mode:", 6) && (size_t)(sp - k->reason) < size)
		snprintf(mode, size, "%.*s", (int)(sp - k->reason), k->reason);
	return true;
}

/* ---- the Felter table ---- */

const struct io_row io__rows[] = {
	{ "Sequential read (MiB/s)", FAM_DISK, VB_IO_SEQ_READ, 0, 0, VB_METRIC_MIB_PER_SEC },
	{ "Sequential write (MiB/s)", FAM_DISK, VB_IO_SEQ_WRITE, 0, 0, VB_METRIC_MIB_PER_SEC },
	{ "Random read 4K QD1 (IOPS)", FAM_DISK, VB_IO_RAND_READ, 1, 4096, VB_METRIC_IOPS },
	{ "Random read 4K QD32 (IOPS)", FAM_DISK, VB_IO_RAND_READ, 32, 4096, VB_METRIC_IOPS },
	{ "Random write 4K QD1 (IOPS)", FAM_DISK, VB_IO_RAND_WRITE, 1, 4096, VB_METRIC_IOPS },
	{ "Random write 4K QD32 (IOPS)", FAM_DISK, VB_IO_RAND_WRITE, 32, 4096, VB_METRIC_IOPS },
	{ "fsync latency p50", FAM_DISK, VB_IO_FSYNC, 0, 0, VB_METRIC_P50_US },
	{ "TCP stream, send (Gbit/s)", FAM_NET, VB_IO_TCP_STREAM, 0, 0, VB_METRIC_GBIT_PER_SEC },
	{ "TCP stream, receive (Gbit/s)", FAM_NET, VB_IO_TCP_STREAM_RX, 0, 0,
	  VB_METRIC_GBIT_PER_SEC },
	{ "TCP_RR 1 B latency p50", FAM_NET, VB_IO_TCP_RR, 0, 1, VB_METRIC_P50_US },
	{ "TCP_RR 64 B latency p50", FAM_NET, VB_IO_TCP_RR, 0, 64, VB_METRIC_P50_US },
	{ "TCP_CRR (connections/s)", FAM_NET, VB_IO_TCP_CRR, 0, 0, VB_METRIC_TRANSACTIONS_PER_SEC },
};
const size_t io__nrows = sizeof(io__rows) / sizeof(io__rows[0]);

static bool row_match(const struct io_row *w, const struct vb_result *r)
{
	if (r->view.family != w->fam || strcmp(r->metric, w->metric) ||
	    strcmp(io__test(r), w->test))
		return false;
	return (!w->depth || io__depth(r) == w->depth) && (!w->size || io__size(r) == w->size);
}

static bool col_match(const struct io_col *c, const struct vb_result *r)
{
	if (c->native)
		return r->view.kind == VB_PK_NATIVE;
	return r->view.kind != VB_PK_NATIVE && !strcmp(r->platform, c->platform) &&
	       !strcmp(io__mode(r), c->mode);
}

static struct io_col *col_add(struct io_table *t, const char *platform, const char *mode)
{
	for (size_t i = 1; i < t->ncols; i++)
		if (!strcmp(t->col[i].platform, platform) && !strcmp(t->col[i].mode, mode))
			return &t->col[i];
	if (t->ncols == IO_MAX_COLS) {
		t->truncated = true;
		return NULL;
	}
	struct io_col *c = &t->col[t->ncols++];
	*c = (struct io_col){ 0 };
	snprintf(c->platform, sizeof(c->platform), "%s", platform);
	snprintf(c->mode, sizeof(c->mode), "%s", mode);
	return c;
}

static bool has_platform(const struct io_table *t, const char *platform)
{
	for (size_t i = 1; i < t->ncols; i++)
		if (!strcmp(t->col[i].platform, platform))
			return true;
	return false;
}

void io__table(const struct vb_result_set *s, enum family fam, struct io_table *t)
{
	*t = (struct io_table){ .fam = fam, .ncols = 1 };
	snprintf(t->col[0].platform, sizeof(t->col[0].platform), "%s", VB_PLATFORM_NATIVE);
	t->col[0].native = true;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.family != fam)
			continue;
		struct io_col *c = r->view.kind == VB_PK_NATIVE
					   ? &t->col[0]
					   : col_add(t, r->platform, io__mode(r));
		if (c && r->view.emulated)
			c->emulated = true;
	}
	/* What only a skip names: a mode of a platform that ran others, or a
	 * platform that ran nothing at all. */
	for (size_t i = 0; i < s->nskips; i++) {
		const struct vb_skip *k = &s->skips[i];
		char mode[128];
		if (!io__skip_mode(k, mode, sizeof(mode)) || skip_family(k) != fam ||
		    !strcmp(k->platform, VB_PLATFORM_NATIVE))
			continue;
		if (!mode[0] && has_platform(t, k->platform))
			continue;
		size_t before = t->ncols;
		struct io_col *c = col_add(t, k->platform, mode);
		if (c && t->ncols > before)
			c->skipped = k->reason;
	}
}

bool io__any(const struct vb_result_set *s, enum family fam)
{
	for (size_t i = 0; i < s->nresults; i++)
		if (s->results[i]->view.family == fam)
			return true;
	for (size_t i = 0; i < s->nskips; i++)
		if (skip_family(&s->skips[i]) == fam)
			return true;
	return false;
}

const struct vb_result *io__cell(const struct vb_result_set *s, const struct io_row *w,
				 const struct io_col *c)
{
	const struct vb_result *first = NULL;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!row_match(w, r) || !col_match(c, r))
			continue;
		/* Natively: the native benchmark's own figure before the native
		 * runs interleaved with a platform's. */
		if (!c->native || io__plain_native(r))
			return r;
		if (!first)
			first = r;
	}
	return first;
}

const struct vb_result *io__table_cell(const struct vb_result_set *s, const struct io_row *w,
				       const struct io_table *t, size_t c)
{
	if (!t->col[c].native)
		return io__cell(s, w, &t->col[c]);
	const struct vb_result *shared = NULL;
	for (size_t k = 1; k < t->ncols; k++) {
		const struct vb_result *r = io__cell(s, w, &t->col[k]);
		const struct vb_result *b = r ? r->view.baseline : NULL;
		if (!b)
			continue;
		if (shared && shared != b)
			return io__cell(s, w, &t->col[c]);
		shared = b;
	}
	return shared ? shared : io__cell(s, w, &t->col[c]);
}

const char *io__why_missing(const struct vb_result_set *s, const struct io_row *w,
			    const struct io_col *c)
{
	if (c->skipped)
		return c->skipped;
	for (size_t i = 0; i < s->nskips; i++) {
		const struct vb_skip *k = &s->skips[i];
		char mode[128];
		if (!io__skip_mode(k, mode, sizeof(mode)) || skip_family(k) != w->fam ||
		    strcmp(k->platform, c->platform))
			continue;
		if (!mode[0] || !strcmp(mode, c->mode))
			return k->reason;
	}
	return NULL;
}

void io__value(const struct vb_result *r, char *out, size_t size)
{
	text__qty(out, size, r->stats.median, r->unit);
}

void io__overhead(const struct vb_result *r, char *out, size_t size)
{
	struct vb_overhead o;
	out[0] = '\0';
	if (r->view.kind == VB_PK_NATIVE || !family__overhead(r, &o))
		return;
	if (isfinite(o.ci_low) && isfinite(o.ci_high))
		snprintf(out, size, "%+.1f%% [%+.1f, %+.1f]", o.percent, o.ci_low, o.ci_high);
	else
		snprintf(out, size, "%+.1f%%", o.percent);
}

void io__col_title(const struct io_col *c, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s", c->platform, c->mode[0] ? " " : "", c->mode,
		 c->emulated ? " (emulated)" : "");
}
