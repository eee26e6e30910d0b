#include "report/compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/stats.h"
#include "report/check.h"
#include "report/family.h"
#include "report/hostview.h"
#include "report/io.h"
#include "report/report.h"

int compare__load(const char *arg, struct cmp_input *in, struct vb_err *err)
{
	struct stat st;
	if (stat(arg, &st) < 0)
		return err__set(err, errno, "%s", arg);
	if (S_ISDIR(st.st_mode))
		snprintf(in->path, sizeof(in->path), "%s/results.json", arg);
	else
		snprintf(in->path, sizeof(in->path), "%s", arg);
	if (result_set__load(in->path, &in->set, err) < 0)
		return -1; /* the reader already named the file and the field */
	if (check__set(&in->set, in->path, false, err) < 0) {
		result_set__free(&in->set);
		return -1;
	}
	if (family__link(&in->set) < 0) {
		result_set__free(&in->set);
		return err__set(err, ENOMEM, "%s", in->path);
	}
	hostview__label(in->set.host, in->label, sizeof(in->label));
	if (!in->label[0]) {
		/* No host block: the directory name is the next best label. */
		char tmp[1024];
		snprintf(tmp, sizeof(tmp), "%s", S_ISDIR(st.st_mode) ? arg : in->path);
		size_t n = strlen(tmp);
		while (n > 1 && tmp[n - 1] == '/')
			tmp[--n] = '\0';
		if (!S_ISDIR(st.st_mode)) {
			char *slash = strrchr(tmp, '/');
			if (slash)
				*slash = '\0';
			else
				snprintf(tmp, sizeof(tmp), ".");
		}
		const char *base = strrchr(tmp, '/');
		snprintf(in->label, sizeof(in->label), "%.95s", base ? base + 1 : tmp);
	}
	return 0;
}

/* The smallest p-value the test can give at these sample sizes: that of
 * two completely separated groups. When even it is >= alpha, no verdict
 * other than "inconclusive" is honest. */
static double min_attainable_p(size_t na, size_t nb)
{
	double a[64], b[64];
	if (na > 64 || nb > 64)
		return 0;
	for (size_t i = 0; i < na; i++)
		a[i] = (double)i;
	for (size_t i = 0; i < nb; i++)
		b[i] = (double)(na + i);
	return stats__mann_whitney_p(a, na, b, nb);
}

static void fmt_pct(char *out, size_t size, double v)
{
	v = fabs(v);
	if (v >= 10)
		snprintf(out, size, "%.0f%%", v);
	else
		snprintf(out, size, "%.1f%%", v);
}

size_t compare__needed_samples(size_t na, size_t nb)
{
	if (min_attainable_p(na, nb) < COMPARE_ALPHA)
		return 0;
	for (size_t n = 2; n <= 64; n++)
		if (min_attainable_p(na > n ? na : n, nb > n ? nb : n) < COMPARE_ALPHA)
			return n;
	return 0;
}

void compare__stats(struct cmp_row *row, char bletter)
{
	const struct vb_result *a = row->a, *b = row->b;
	row->ratio = row->diff = row->diff_lo = row->diff_hi = row->p = NAN;
	double ma = a->stats.median, mb = b->stats.median;
	if (ma != 0 && isfinite(ma) && isfinite(mb))
		row->ratio = mb / ma;
	/* The difference of B against A is the "time overhead" of B with A as
	 * the base: (B - A) / A, with the same deterministic bootstrap. */
	struct vb_overhead d;
	stats__overhead(a->samples, a->nsamples, b->samples, b->nsamples, false, &d);
	row->diff = d.percent;
	row->diff_lo = d.ci_low;
	row->diff_hi = d.ci_high;
	row->p = stats__mann_whitney_p(a->samples, a->nsamples, b->samples, b->nsamples);

	bool significant = row->p < COMPARE_ALPHA;
	bool big = isfinite(row->diff) ? fabs(row->diff) >= COMPARE_NOISE_PCT : mb != ma;
	if (significant && big) {
		row->verdict = mb < ma ? CMP_LOWER : CMP_HIGHER;
		/* An I/O metric's direction is its name's, whatever the file says. */
		bool hib = io__is(a) ? io__higher_is_better(a->metric, a->higher_is_better)
				     : a->higher_is_better;
		row->b_better = (row->verdict == CMP_HIGHER) == hib;
		if (isfinite(row->diff)) {
			char pct[32], pm[32];
			fmt_pct(pct, sizeof(pct), row->diff);
			double half = (row->diff_hi - row->diff_lo) / 2;
			fmt_pct(pm, sizeof(pm), isfinite(half) ? half : 0);
			snprintf(row->text, sizeof(row->text), "%c %s by %s ± %s (%s)", bletter,
				 row->verdict == CMP_LOWER ? "lower" : "higher", pct, pm,
				 row->b_better ? "better" : "worse");
		} else {
			snprintf(row->text, sizeof(row->text), "%c %s (A is 0; %s)", bletter,
				 row->verdict == CMP_LOWER ? "lower" : "higher",
				 row->b_better ? "better" : "worse");
		}
	} else if (!significant && min_attainable_p(a->nsamples, b->nsamples) >= COMPARE_ALPHA) {
		row->verdict = CMP_INCONCLUSIVE;
		row->needed = compare__needed_samples(a->nsamples, b->nsamples);
		if (row->needed)
			snprintf(row->text, sizeof(row->text),
				 "inconclusive: too few samples (n=%zu, %zu); a verdict needs "
				 "n >= %zu a side",
				 a->nsamples, b->nsamples, row->needed);
		else
			snprintf(row->text, sizeof(row->text),
				 "inconclusive: too few samples (n=%zu, %zu)", a->nsamples,
				 b->nsamples);
	} else {
		row->verdict = CMP_SAME;
		snprintf(row->text, sizeof(row->text), "no significant difference");
	}
}

struct keyed {
	char *key;
	size_t idx;
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Sorted keys of a set, for lookups in O(log n): a file may hold up to
 * 100000 results, and a quadratic alignment would hang on it. */
static void free_index(struct keyed *k, size_t n)
{
	for (size_t i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
}

static struct keyed *index_set(const struct vb_result_set *s, size_t *dups)
{
	struct keyed *k = calloc(s->nresults ? s->nresults : 1, sizeof(*k));
	if (!k)
		return NULL;
	char key[COMPARE_KEY_SIZE];
	for (size_t i = 0; i < s->nresults; i++) {
		compare__key(s->results[i], key, sizeof(key));
		k[i].key = strdup(key);
		k[i].idx = i;
		if (!k[i].key) {
			free_index(k, i);
			return NULL;
		}
	}
	qsort(k, s->nresults, sizeof(*k), cmp_keyed);
	for (size_t i = 1; i < s->nresults; i++)
		if (!strcmp(k[i].key, k[i - 1].key))
			(*dups)++;
	return k;
}

/* The first result (lowest index) with this key, or -1. */
static long lookup(const struct keyed *k, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(k[lo].key, key) ? (long)k[lo].idx : -1;
}

/* True when idx is the first result with its key (later ones are duplicates). */
static bool is_first(const struct keyed *k, size_t n, const char *key, size_t idx)
{
	return lookup(k, n, key) == (long)idx;
}

static struct cmp_row *new_row(struct cmp_report *rep)
{
	if (rep->nrows == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 64;
		struct cmp_row *p = realloc(rep->rows, cap * sizeof(*p));
		if (!p)
			return NULL;
		rep->rows = p;
		rep->cap = cap;
	}
	struct cmp_row *r = &rep->rows[rep->nrows++];
	memset(r, 0, sizeof(*r));
	r->ratio = r->diff = r->diff_lo = r->diff_hi = r->p = NAN;
	return r;
}

/* A new row of B input bi for a and b (either may be NULL, not both). */
static struct cmp_row *add_row(struct cmp_report *rep, size_t bi, const struct vb_result *a,
			       const struct vb_result *b)
{
	struct cmp_row *row = new_row(rep);
	if (!row)
		return NULL;
	row->a = a;
	row->b = b;
	row->bi = bi;
	compare__config(a ? a : b, row->config, sizeof(row->config));
	return row;
}

/* A row whose sides measure different things keeps its figures but gets
 * no verdict. */
static void flag(struct cmp_row *row, const struct vb_result_set *A, const struct vb_result_set *B)
{
	char why[144];
	if (!compare__mismatch(A, row->a, B, row->b, why, sizeof(why)))
		return;
	row->verdict = CMP_FLAGGED;
	row->b_better = false;
	row->needed = 0;
	snprintf(row->text, sizeof(row->text), "not compared: %s", why);
}

/* What the seed files hold on each side: when the two hosts' files hold
 * different platforms (a microVM and QEMU in vm_boot_times.csv, docker and
 * podman in the container files), a reader comparing them as the seed does
 * puts one beside the other; these rows show that pairing, flagged. */
static int seed_pairs(struct cmp_report *rep, size_t bi, struct vb_err *err)
{
	const struct vb_result_set *A = &rep->inputs[0].set, *B = &rep->inputs[bi].set;
	for (size_t k = 0; k < REPORT_SEED_CSVS; k++) {
		const char *pa = report__seed_csv_platform(A, k);
		const char *pb = report__seed_csv_platform(B, k);
		if (!pa || !pb || !strcmp(pa, pb))
			continue;
		for (size_t i = 0; i < A->nresults; i++) {
			const struct vb_result *a = A->results[i], *b = NULL;
			if (!compare__seed_row(a, k, pa))
				continue;
			for (size_t j = 0; j < B->nresults && !b; j++) {
				const struct vb_result *x = B->results[j];
				if (compare__seed_row(x, k, pb) && compare__seed_match(a, x, k))
					b = x;
			}
			if (!b)
				continue;
			struct cmp_row *row = add_row(rep, bi, a, b);
			if (!row)
				return err__set(err, ENOMEM, "compare");
			row->seed = true;
			compare__stats(row, rep->inputs[bi].letter);
			flag(row, A, B);
		}
	}
	return 0;
}

static int pair(struct cmp_report *rep, size_t bi, const struct keyed *ka, const struct keyed *kb,
		struct vb_err *err)
{
	const struct vb_result_set *A = &rep->inputs[0].set, *B = &rep->inputs[bi].set;
	char letter = rep->inputs[bi].letter;
	char key[COMPARE_KEY_SIZE];
	for (size_t i = 0; i < A->nresults; i++) {
		const struct vb_result *a = A->results[i];
		compare__key(a, key, sizeof(key));
		if (!is_first(ka, A->nresults, key, i))
			continue;
		long j = lookup(kb, B->nresults, key);
		struct cmp_row *row = add_row(rep, bi, a, j < 0 ? NULL : B->results[j]);
		if (!row)
			return err__set(err, ENOMEM, "compare");
		if (j < 0) {
			row->verdict = CMP_ONLY_A;
			snprintf(row->text, sizeof(row->text), "only in A");
			continue;
		}
		compare__stats(row, letter);
		flag(row, A, B);
	}
	for (size_t j = 0; j < B->nresults; j++) {
		const struct vb_result *b = B->results[j];
		compare__key(b, key, sizeof(key));
		if (!is_first(kb, B->nresults, key, j) || lookup(ka, A->nresults, key) >= 0)
			continue;
		struct cmp_row *row = add_row(rep, bi, NULL, b);
		if (!row)
			return err__set(err, ENOMEM, "compare");
		row->verdict = CMP_ONLY_B;
		snprintf(row->text, sizeof(row->text), "only in %c", letter);
	}
	return 0;
}

int compare__build(struct cmp_report *rep, struct vb_err *err)
{
	if (rep->ninputs < 2)
		return err__usage(err, "compare needs at least two result sets");
	size_t dups = 0;
	struct keyed *ka = index_set(&rep->inputs[0].set, &dups);
	if (!ka)
		return err__set(err, ENOMEM, "compare");
	int rc = 0;
	for (size_t bi = 1; bi < rep->ninputs && rc == 0; bi++) {
		struct keyed *kb = index_set(&rep->inputs[bi].set, &dups);
		if (!kb) {
			rc = err__set(err, ENOMEM, "compare");
			break;
		}
		rc = pair(rep, bi, ka, kb, err);
		if (rc == 0)
			rc = seed_pairs(rep, bi, err);
		free_index(kb, rep->inputs[bi].set.nresults);
	}
	free_index(ka, rep->inputs[0].set.nresults);
	rep->duplicates = dups;
	return rc;
}

void compare__free(struct cmp_report *rep)
{
	for (size_t i = 0; i < rep->ninputs; i++)
		result_set__free(&rep->inputs[i].set);
	free(rep->rows);
	rep->rows = NULL;
	rep->nrows = rep->cap = 0;
	rep->ninputs = 0;
}
