#include "core/output.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- buffer ---- */

int buf__append(struct vb_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int buf__printf(struct vb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	int rc = buf__append(b, s, (size_t)n);
	free(s);
	return rc;
}

void buf__free(struct vb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- CSV ---- */

/* A spreadsheet reads a cell that starts with =, +, -, @, tab or CR as a
 * formula, and some run commands from one (=cmd|...): results files come
 * from other machines, so such a cell that is not a number starts with a
 * quote, which shows it as text. */
static bool formula_like(const char *s)
{
	if (!s[0] || !s[1] || !strchr("=+-@\t\r", s[0]))
		return false; /* a lone "-" (no value) is text already */
	char *end;
	strtod(s, &end);
	return *end != '\0';
}

int csv__field(struct vb_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if ((quote && buf__append(b, "\"", 1) < 0) ||
	    (formula_like(s) && buf__append(b, "'", 1) < 0))
		return -1;
	if (!quote)
		return buf__append(b, s, strlen(s));
	for (const char *p = s; *p; p++) {
		if (*p == '"' && buf__append(b, "\"", 1) < 0)
			return -1;
		if (buf__append(b, p, 1) < 0)
			return -1;
	}
	return buf__append(b, "\"", 1);
}

int csv__row(struct vb_buf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i && buf__append(b, ",", 1) < 0)
			return -1;
		if (csv__field(b, fields[i]) < 0)
			return -1;
	}
	return buf__append(b, "\n", 1);
}

void fmt__num(char *out, size_t size, double v)
{
	if (isnan(v))
		snprintf(out, size, "%s", "");
	else
		snprintf(out, size, "%.6g", v);
}

void fmt__sig(char *out, size_t size, double v)
{
	double a = fabs(v);
	if (isnan(v)) {
		snprintf(out, size, "%s", "");
		return;
	}
	if (a == 0 || !isfinite(v) || a < 1e-4 || a >= 1e15) {
		snprintf(out, size, "%.3g", v);
		return;
	}
	int e = (int)floor(log10(a));
	if (e >= 3) {
		double q = pow(10, e - 3);
		snprintf(out, size, "%.0f", round(v / q) * q);
	} else {
		snprintf(out, size, "%.*f", 2 - e, v);
	}
}

/* ---- table ---- */

int table__init(struct vb_table *t, const char *const *headers, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->cells = calloc(ncols, sizeof(*t->cells));
	t->right = calloc(ncols, sizeof(*t->right));
	if (!t->cells || !t->right) {
		table__free(t);
		return -1;
	}
	for (size_t i = 0; i < ncols; i++) {
		t->cells[i] = strdup(headers[i] ? headers[i] : "");
		if (!t->cells[i]) {
			table__free(t);
			return -1;
		}
	}
	return 0;
}

static bool looks_numeric(const char *s)
{
	if (!*s)
		return true; /* empty cells do not make a column textual */
	char *end;
	strtod(s, &end);
	return end != s;
}

int table__add_row(struct vb_table *t, const char *const *cells)
{
	size_t base = (t->nrows + 1) * t->ncols;
	char **c = realloc(t->cells, (base + t->ncols) * sizeof(*c));
	if (!c)
		return -1;
	t->cells = c;
	for (size_t i = 0; i < t->ncols; i++) {
		c[base + i] = strdup(cells[i] ? cells[i] : "");
		if (!c[base + i]) {
			for (size_t j = 0; j < i; j++)
				free(c[base + j]);
			return -1;
		}
	}
	t->nrows++;
	/* A column is right-aligned while every cell in it reads as a number. */
	for (size_t i = 0; i < t->ncols; i++) {
		bool num = looks_numeric(c[base + i]);
		if (t->nrows == 1)
			t->right[i] = num;
		else
			t->right[i] = t->right[i] && num;
	}
	return 0;
}

/* Display width of UTF-8 text: counts code points, not bytes ("±", "…"). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void table__print(const struct vb_table *t, FILE *f)
{
	if (!t->cells || t->ncols == 0)
		return;
	size_t *w = calloc(t->ncols, sizeof(*w));
	if (!w)
		return;
	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t i = 0; i < t->ncols; i++) {
			size_t cw = text_width(t->cells[r * t->ncols + i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t i = 0; i < t->ncols; i++) {
			const char *cell = t->cells[r * t->ncols + i];
			size_t pad = w[i] - text_width(cell);
			bool last = i + 1 == t->ncols;
			if (i)
				fputs("  ", f);
			if (t->right[i] && r > 0)
				fprintf(f, "%*s%s", (int)pad, "", cell);
			else if (last)
				fputs(cell, f);
			else
				fprintf(f, "%s%*s", cell, (int)pad, "");
		}
		fputc('\n', f);
		if (r == 0) {
			for (size_t i = 0; i < t->ncols; i++) {
				if (i)
					fputs("  ", f);
				for (size_t k = 0; k < w[i]; k++)
					fputc('-', f);
			}
			fputc('\n', f);
		}
	}
	free(w);
}

void table__free(struct vb_table *t)
{
	if (t->cells)
		for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++)
			free(t->cells[i]);
	free(t->cells);
	free(t->right);
	memset(t, 0, sizeof(*t));
}

static void config_text(const struct vb_result *r, char *out, size_t size)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < r->nconfig && used < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s=%s", i ? " " : "", r->config[i].key,
				 r->config[i].value);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int output__json_stdout(const struct vb_result_set *s, struct vb_err *err)
{
	return result_set__save(s, "-", err);
}

int output__results_csv(const struct vb_result_set *s, struct vb_buf *b)
{
	static const char *const hdr[] = { "benchmark",
					   "platform",
					   "metric",
					   "unit",
					   "higher_is_better",
					   "config",
					   "n",
					   "min",
					   "max",
					   "mean",
					   "median",
					   "stdev",
					   "p95",
					   "ci_low",
					   "ci_high",
					   "ci_level",
					   "mad",
					   "outliers",
					   "overhead_percent",
					   "overhead_ci_low",
					   "overhead_ci_high",
					   "note" };
	if (csv__row(b, hdr, sizeof(hdr) / sizeof(hdr[0])) < 0)
		return -1;
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		const struct vb_stats *st = &r->stats;
		char cfg[512], n[24], outl[24];
		char v[13][32];
		config_text(r, cfg, sizeof(cfg));
		snprintf(n, sizeof(n), "%zu", st->n);
		snprintf(outl, sizeof(outl), "%zu", st->outliers);
		double d[13] = { st->min,
				 st->max,
				 st->mean,
				 st->median,
				 st->stdev,
				 st->p95,
				 st->ci_low,
				 st->ci_high,
				 st->ci_level,
				 st->mad,
				 r->has_overhead ? r->overhead.percent : NAN,
				 r->has_overhead ? r->overhead.ci_low : NAN,
				 r->has_overhead ? r->overhead.ci_high : NAN };
		for (int k = 0; k < 13; k++)
			fmt__num(v[k], sizeof(v[k]), d[k]);
		const char *row[] = { r->benchmark,
				      r->platform,
				      r->metric,
				      r->unit,
				      r->higher_is_better ? "true" : "false",
				      cfg,
				      n,
				      v[0],
				      v[1],
				      v[2],
				      v[3],
				      v[4],
				      v[5],
				      v[6],
				      v[7],
				      v[8],
				      v[9],
				      outl,
				      v[10],
				      v[11],
				      v[12],
				      r->note };
		if (csv__row(b, row, sizeof(row) / sizeof(row[0])) < 0)
			return -1;
	}
	return 0;
}

/* ---- progress and warnings ---- */

static int progress_forced = -1; /* -1: decide by isatty */
static bool progress_active;

void progress__set_enabled(bool on)
{
	progress_forced = on;
}

static bool progress_on(void)
{
	if (progress_forced >= 0)
		return progress_forced;
	return isatty(STDERR_FILENO);
}

void progress__update(const char *label, unsigned i, unsigned n, double elapsed_s, double eta_s)
{
	if (!progress_on())
		return;
	char left[48] = "";
	if (eta_s >= 0 && isfinite(eta_s))
		snprintf(left, sizeof(left), "  ~%.1f s left", eta_s);
	/* On a terminal \033[K clears what a longer previous line left behind. */
	fprintf(stderr, "\r[%s] %u/%u  elapsed %.1f s%s%s", label ? label : "", i, n, elapsed_s,
		left, isatty(STDERR_FILENO) ? "\033[K" : "");
	fflush(stderr);
	progress_active = true;
}

void progress__done(void)
{
	if (!progress_on() || !progress_active)
		return;
	fputc('\n', stderr);
	fflush(stderr);
	progress_active = false;
}

void progress__finish(const char *label, unsigned i, unsigned n, double took_s)
{
	if (!progress_on())
		return;
	fprintf(stderr, "\r[%s] %u/%u  done in %.1f s%s\n", label ? label : "", i, n, took_s,
		isatty(STDERR_FILENO) ? "\033[K" : "");
	fflush(stderr);
	progress_active = false;
}

void warn__(const char *fmt, ...)
{
	if (progress_active) {
		fputc('\n', stderr);
		progress_active = false;
	}
	va_list ap;
	va_start(ap, fmt);
	fputs("virtbench: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
