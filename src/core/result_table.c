/* The result table a benchmark command prints. It is read on a terminal, so
 * what every row shares is said once: configuration keys with the same value
 * in every result go on a line above the table, and notes are numbered and
 * printed once under it. The overhead against native, the figure most rows
 * of a comparison exist for, has its own column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/output.h"

/* The configuration pairs every result has, as a mask over the pairs of the
 * first result: computed once, so the table costs O(results x keys^2). */
struct shared_config {
	const struct vb_result *first;
	bool is_shared[VB_MAX_CONFIG];
	bool any;
};

static bool result__has_pair(const struct vb_result *r, const struct vb_kv *kv)
{
	for (size_t k = 0; k < r->nconfig; k++)
		if (!strcmp(r->config[k].key, kv->key) && !strcmp(r->config[k].value, kv->value))
			return true;
	return false;
}

static void shared__find(const struct vb_result_set *s, struct shared_config *sc)
{
	memset(sc, 0, sizeof(*sc));
	if (s->nresults < 2)
		return; /* one result: nothing to hoist */
	sc->first = s->results[0];
	for (size_t k = 0; k < sc->first->nconfig; k++) {
		bool all = true;
		for (size_t i = 1; i < s->nresults && all; i++)
			all = result__has_pair(s->results[i], &sc->first->config[k]);
		sc->is_shared[k] = all;
		sc->any |= all;
	}
}

static bool shared__has(const struct shared_config *sc, const struct vb_kv *kv)
{
	if (!sc->first)
		return false;
	for (size_t k = 0; k < sc->first->nconfig; k++)
		if (sc->is_shared[k] && !strcmp(sc->first->config[k].key, kv->key) &&
		    !strcmp(sc->first->config[k].value, kv->value))
			return true;
	return false;
}

/* Config of r without the shared pairs; "-" when nothing is left. */
static void config__own(const struct shared_config *sc, const struct vb_result *r, char *out,
			size_t size)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t k = 0; k < r->nconfig && used < size; k++) {
		if (shared__has(sc, &r->config[k]))
			continue;
		int n = snprintf(out + used, size - used, "%s%s=%s", used ? " " : "",
				 r->config[k].key, r->config[k].value);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (!out[0])
		snprintf(out, size, "-");
}

static void shared__print(const struct shared_config *sc, FILE *f)
{
	if (!sc->any)
		return;
	fputs("every row:", f);
	for (size_t k = 0; k < sc->first->nconfig; k++)
		if (sc->is_shared[k])
			fprintf(f, " %s=%s", sc->first->config[k].key, sc->first->config[k].value);
	fputs("\n\n", f);
}

/* Distinct note texts in order of first use; room for one per result. */
struct notes {
	const char **text;
	size_t n;
};

/* Number of note `text` (1-based), adding it; 0 when there is none or no
 * room could be had (the caller then shows the text in the row). */
static size_t notes__ref(struct notes *ns, const char *text)
{
	if (!text[0] || !ns->text)
		return 0;
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->text[i], text))
			return i + 1;
	ns->text[ns->n++] = text;
	return ns->n;
}

static bool set__has_overhead(const struct vb_result_set *s)
{
	for (size_t i = 0; i < s->nresults; i++)
		if (s->results[i]->has_overhead && !isnan(s->results[i]->overhead.percent))
			return true;
	return false;
}

static void cell__median(const struct vb_stats *st, char *out, size_t size)
{
	char a[32], b[32], c[32];
	fmt__sig(a, sizeof(a), st->median);
	fmt__sig(b, sizeof(b), st->ci_low);
	fmt__sig(c, sizeof(c), st->ci_high);
	if (st->n == 0)
		snprintf(out, size, "-");
	else if (st->n == 1)
		snprintf(out, size, "%s", a); /* one sample: no interval */
	else if (st->ci_level < 0.95 - 1e-9)
		snprintf(out, size, "%s [%s, %s] (%.0f%%)", a, b, c, st->ci_level * 100);
	else
		snprintf(out, size, "%s [%s, %s]", a, b, c);
}

static void cell__pair(double x, double y, const char *sep, size_t n, char *out, size_t size)
{
	char a[32], b[32];
	fmt__sig(a, sizeof(a), x);
	fmt__sig(b, sizeof(b), y);
	if (n)
		snprintf(out, size, "%s%s%s", a, sep, b);
	else
		snprintf(out, size, "-");
}

enum col {
	C_BENCH,
	C_PLAT,
	C_CONFIG,
	C_METRIC,
	C_MEDIAN,
	C_OVERHEAD,
	C_MEAN,
	C_RANGE,
	C_N,
	C_OUTL,
	C_NOTE,
	C_COUNT
};

void output__table(const struct vb_result_set *s, FILE *f)
{
	static const char *const hdr[C_COUNT] = { "benchmark",
						  "platform",
						  "config",
						  "metric",
						  "median [95% CI]",
						  "overhead [95% CI]",
						  "mean ± sd",
						  "min…max",
						  "n",
						  "outliers",
						  "note" };
	bool overhead = set__has_overhead(s);
	struct shared_config sc;
	shared__find(s, &sc);
	struct notes ns = { .text = s->nresults ? calloc(s->nresults, sizeof(*ns.text)) : NULL };
	struct vb_table t;
	const char *h[C_COUNT];
	size_t nh = 0;
	for (size_t c = 0; c < C_COUNT; c++)
		if (c != C_OVERHEAD || overhead)
			h[nh++] = hdr[c];
	if (table__init(&t, h, nh) < 0) {
		free(ns.text);
		return;
	}
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		const struct vb_stats *st = &r->stats;
		char cfg[512], metric[80], med[160], ovh[96], mean[96], range[96], n[24], outl[24],
			ref_text[24];
		config__own(&sc, r, cfg, sizeof(cfg));
		snprintf(metric, sizeof(metric), "%s (%s)", r->metric, r->unit);
		cell__median(st, med, sizeof(med));
		if (r->has_overhead && !isnan(r->overhead.percent))
			snprintf(ovh, sizeof(ovh), "%+.1f%% [%+.1f, %+.1f]", r->overhead.percent,
				 r->overhead.ci_low, r->overhead.ci_high);
		else
			snprintf(ovh, sizeof(ovh), "-");
		cell__pair(st->mean, st->stdev, " ± ", st->n, mean, sizeof(mean));
		cell__pair(st->min, st->max, "…", st->n, range, sizeof(range));
		snprintf(n, sizeof(n), "%zu", st->n);
		snprintf(outl, sizeof(outl), "%zu", st->outliers);
		size_t ref = notes__ref(&ns, r->note);
		snprintf(ref_text, sizeof(ref_text), "[%zu]", ref);
		const char *note = ref ? ref_text : r->note;
		const char *all[C_COUNT] = { r->benchmark, r->platform, cfg, metric, med, ovh,
					     mean,	   range,	n,   outl,   note };
		const char *row[C_COUNT];
		size_t nr = 0;
		for (size_t c = 0; c < C_COUNT; c++)
			if (c != C_OVERHEAD || overhead)
				row[nr++] = all[c];
		table__add_row(&t, row);
	}
	/* The figure columns are right-aligned, text columns left-aligned even
	 * where a value looks like a number. */
	for (size_t c = 0; c < t.ncols; c++) {
		size_t logical = c + (!overhead && c >= C_OVERHEAD);
		t.right[c] = logical >= C_MEDIAN && logical <= C_OUTL;
	}
	if (s->nresults) {
		shared__print(&sc, f);
		table__print(&t, f);
	}
	table__free(&t);
	for (size_t i = 0; i < ns.n; i++)
		fprintf(f, "%s[%zu] %s\n", i ? "" : "\n", i + 1, ns.text[i]);
	free(ns.text);
	if (s->nskips) {
		fprintf(f, "%sskipped:\n", s->nresults ? "\n" : "");
		for (size_t i = 0; i < s->nskips; i++)
			fprintf(f, "  %s (%s): %s\n", s->skips[i].benchmark, s->skips[i].platform,
				s->skips[i].reason);
	}
	if (s->incomplete)
		fprintf(f, "\nincomplete: interrupted before every benchmark finished\n");
}
