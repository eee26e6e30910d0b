#include "core/result.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies with truncation; the fixed-size fields bound what a result holds. */
static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

struct vb_result *result__new(const char *benchmark, const char *platform, const char *metric,
			      const char *unit, bool higher_is_better)
{
	struct vb_result *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	copy_str(r->benchmark, sizeof(r->benchmark), benchmark);
	copy_str(r->platform, sizeof(r->platform), platform);
	copy_str(r->metric, sizeof(r->metric), metric);
	copy_str(r->unit, sizeof(r->unit), unit);
	r->higher_is_better = higher_is_better;
	stats__compute(NULL, 0, &r->stats);
	return r;
}

void result__free(struct vb_result *r)
{
	if (!r)
		return;
	free(r->samples);
	free(r);
}

int result__set_config(struct vb_result *r, const char *key, const char *fmt, ...)
{
	struct vb_kv *kv = NULL;
	for (size_t i = 0; i < r->nconfig; i++)
		if (!strcmp(r->config[i].key, key))
			kv = &r->config[i];
	if (!kv) {
		if (r->nconfig >= VB_MAX_CONFIG)
			return -1;
		kv = &r->config[r->nconfig++];
		copy_str(kv->key, sizeof(kv->key), key);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(kv->value, sizeof(kv->value), fmt, ap);
	va_end(ap);
	return 0;
}

const char *result__config(const struct vb_result *r, const char *key)
{
	for (size_t i = 0; i < r->nconfig; i++)
		if (!strcmp(r->config[i].key, key))
			return r->config[i].value;
	return NULL;
}

static bool skipped_key(const char *key, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (!strcmp(key, *skip))
			return true;
	return false;
}

bool result__twin(const struct vb_result *a, const struct vb_result *b, const char *const *skip)
{
	if (strcmp(a->benchmark, b->benchmark) || strcmp(a->platform, b->platform) ||
	    strcmp(a->metric, b->metric))
		return false;
	for (size_t i = 0; i < a->nconfig; i++) {
		if (skipped_key(a->config[i].key, skip))
			continue;
		const char *v = result__config(b, a->config[i].key);
		if (!v || strcmp(v, a->config[i].value))
			return false;
	}
	return true;
}

/* Only finite values: JSON has no NaN or infinity, and a saved set must load. */
int result__add_sample(struct vb_result *r, double v)
{
	if (!isfinite(v)) {
		errno = EINVAL;
		return -1;
	}
	if (r->nsamples == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		double *p = realloc(r->samples, cap * sizeof(*p));
		if (!p)
			return -1;
		r->samples = p;
		r->cap = cap;
	}
	r->samples[r->nsamples++] = v;
	return 0;
}

void result__warn(struct vb_result *r, const char *fmt, ...)
{
	size_t used = strlen(r->warning);
	if (used && used + 2 < sizeof(r->warning)) {
		memcpy(r->warning + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(r->warning))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->warning + used, sizeof(r->warning) - used, fmt, ap);
	va_end(ap);
}

void result__finish(struct vb_result *r)
{
	stats__compute(r->samples, r->nsamples, &r->stats);
}

void result__set_overhead(struct vb_result *r, const struct vb_result *base,
			  const struct vb_result *virt)
{
	stats__overhead(base->samples, base->nsamples, virt->samples, virt->nsamples,
			virt->higher_is_better, &r->overhead);
	r->has_overhead = true;
}

void result_set__init(struct vb_result_set *s)
{
	memset(s, 0, sizeof(*s));
}

void result_set__free(struct vb_result_set *s)
{
	if (!s)
		return;
	json_decref(s->host);
	json_decref(s->extra);
	for (size_t i = 0; i < s->nresults; i++)
		result__free(s->results[i]);
	free(s->results);
	free(s->skips);
	memset(s, 0, sizeof(*s));
}

int result_set__add(struct vb_result_set *s, struct vb_result *r)
{
	if (!r)
		return -1;
	if (s->nresults == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct vb_result **p = realloc(s->results, cap * sizeof(*p));
		if (!p) {
			result__free(r);
			return -1;
		}
		s->results = p;
		s->cap = cap;
	}
	s->results[s->nresults++] = r;
	s->linked = false;
	return 0;
}

int result_set__skip(struct vb_result_set *s, const char *benchmark, const char *platform,
		     const char *fmt, ...)
{
	if (s->nskips == s->skipcap) {
		size_t cap = s->skipcap ? s->skipcap * 2 : 8;
		struct vb_skip *p = realloc(s->skips, cap * sizeof(*p));
		if (!p)
			return -1;
		s->skips = p;
		s->skipcap = cap;
	}
	struct vb_skip *k = &s->skips[s->nskips++];
	memset(k, 0, sizeof(*k));
	copy_str(k->benchmark, sizeof(k->benchmark), benchmark);
	copy_str(k->platform, sizeof(k->platform), platform);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->reason, sizeof(k->reason), fmt, ap);
	va_end(ap);
	return 0;
}

struct vb_result *result_set__find(const struct vb_result_set *s, const char *benchmark,
				   const char *platform, const char *metric)
{
	for (size_t i = 0; i < s->nresults; i++) {
		struct vb_result *r = s->results[i];
		if ((!benchmark || !strcmp(r->benchmark, benchmark)) &&
		    (!platform || !strcmp(r->platform, platform)) &&
		    (!metric || !strcmp(r->metric, metric)))
			return r;
	}
	return NULL;
}

int result_set__merge(struct vb_result_set *dst, struct vb_result_set *src)
{
	/* Grow both arrays first so a failure leaves both sets unchanged. */
	size_t need = dst->nresults + src->nresults;
	if (need > dst->cap) {
		struct vb_result **p = realloc(dst->results, need * sizeof(*p));
		if (!p)
			return -1;
		dst->results = p;
		dst->cap = need;
	}
	size_t kneed = dst->nskips + src->nskips;
	if (kneed > dst->skipcap) {
		struct vb_skip *p = realloc(dst->skips, kneed * sizeof(*p));
		if (!p)
			return -1;
		dst->skips = p;
		dst->skipcap = kneed;
	}
	if (src->nresults)
		memcpy(dst->results + dst->nresults, src->results,
		       src->nresults * sizeof(*src->results));
	dst->nresults = need;
	if (src->nskips)
		memcpy(dst->skips + dst->nskips, src->skips, src->nskips * sizeof(*src->skips));
	dst->nskips = kneed;
	dst->linked = false;
	if (src->incomplete)
		dst->incomplete = true;
	src->nresults = 0;
	src->nskips = 0;
	return 0;
}
