#include "report/text.h"

#include "core/stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void text__put(struct text_out *o, const char *fmt, ...)
{
	if (o->used + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->s + o->used, o->size - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used = o->used + (size_t)n < o->size ? o->used + (size_t)n : o->size - 1;
}

int text__xml(struct vb_buf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* Control characters are not valid XML 1.0: drop them. */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				rep = "";
			break;
		}
		if (!rep)
			continue;
		if (buf__append(b, run, (size_t)(s - run)) < 0 ||
		    buf__append(b, rep, strlen(rep)) < 0)
			return -1;
		run = s + 1;
	}
	return buf__append(b, run, (size_t)(s - run));
}

void text__num(char *out, size_t size, double v)
{
	if (!isfinite(v)) {
		snprintf(out, size, "%s", isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf"));
		return;
	}
	fmt__sig(out, size, v);
}

void text__tick(char *out, size_t size, double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
		snprintf(out, size, "%.0f", v);
	else if (isfinite(v) && fabs(v) >= 1e-4)
		snprintf(out, size, "%.3g", v); /* 0.01, 0.25, 2.5: no trailing zeros */
	else
		text__num(out, size, v);
}

void text__csvnum(char *out, size_t size, double v)
{
	if (!isfinite(v))
		snprintf(out, size, "%s", "");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, size, "%.0f", v);
	else
		snprintf(out, size, "%.6g", v);
}

static double time_scale(const char *unit)
{
	if (!strcmp(unit, "s"))
		return 1;
	if (!strcmp(unit, "ms"))
		return 1e-3;
	if (!strcmp(unit, "us") || !strcmp(unit, "µs"))
		return 1e-6;
	if (!strcmp(unit, "ns"))
		return 1e-9;
	return NAN;
}

/* The display unit of a time: its name and the factor from seconds. */
static const char *time_unit(double sec, double *f)
{
	double a = fabs(sec);
	if (a >= 1 || a == 0 || !isfinite(a)) {
		*f = 1;
		return a == 0 ? "" : "s";
	}
	if (a >= 1e-3) {
		*f = 1e3;
		return "ms";
	}
	if (a >= 1e-6) {
		*f = 1e6;
		return "µs";
	}
	*f = 1e9;
	return "ns";
}

void text__qty(char *out, size_t size, double v, const char *unit)
{
	text__qty_ci(out, size, v, NAN, NAN, unit);
}

void text__qty_ci(char *out, size_t size, double v, double lo, double hi, const char *unit)
{
	char num[32], a[32] = "", b[32] = "";
	double k = time_scale(unit ? unit : "");
	const char *u = unit ? unit : "";
	double f = 1;
	if (isfinite(k) && isfinite(v)) {
		u = time_unit(v * k, &f);
		if (!*u)
			u = unit; /* zero: keep the unit it came in */
		else
			f *= k;
	}
	text__num(num, sizeof(num), v * f);
	if (isfinite(lo) && isfinite(hi)) {
		text__num(a, sizeof(a), lo * f);
		text__num(b, sizeof(b), hi * f);
		snprintf(out, size, "%s%s%s [%s, %s]", num, *u ? " " : "", u, a, b);
	} else {
		snprintf(out, size, "%s%s%s", num, *u ? " " : "", u);
	}
}

void text__stats(char *out, size_t size, const struct vb_stats *st, const char *unit)
{
	if (st->n > 1)
		text__qty_ci(out, size, st->median, st->ci_low, st->ci_high, unit);
	else
		text__qty(out, size, st->median, unit);
}

void text__bytes(char *out, size_t size, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;
	while (fabs(bytes) >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	if (bytes == floor(bytes))
		snprintf(out, size, "%.0f %s", bytes, units[u]);
	else
		snprintf(out, size, "%.1f %s", bytes, units[u]);
}

int text__base64(struct vb_buf *b, const unsigned char *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char quad[4];
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		quad[0] = tab[(v >> 18) & 63];
		quad[1] = tab[(v >> 12) & 63];
		quad[2] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		quad[3] = i + 2 < len ? tab[v & 63] : '=';
		if (buf__append(b, quad, 4) < 0)
			return -1;
	}
	return 0;
}

void text__slug(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++) {
		char ch = src[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
		dst[i] = ok ? ch : '_';
	}
	if (size)
		dst[i < size ? i : size - 1] = '\0';
}
