/* Text helpers shared by the report writers: escaping for XML/HTML, number
 * and size formatting for people, base64 for embedding images. */
#ifndef VB_REPORT_TEXT_H
#define VB_REPORT_TEXT_H

#include <stddef.h>

#include "core/output.h"

/* A bounded text being built: text__put appends printf-style and stops,
 * truncated, at the end of the buffer. */
struct text_out {
	char *s;
	size_t size, used;
};
void text__put(struct text_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s with &, <, >, " and ' escaped (valid in text and attributes). */
int text__xml(struct vb_buf *b, const char *s);
/* For people: 0.0123, 4.56, 78.9, 789, 12350 (fmt__sig: 3-4 significant digits). */
void text__num(char *out, size_t size, double v);
/* For CSV cells: whole numbers in full (1073741824), others %.6g, NaN empty. */
void text__csvnum(char *out, size_t size, double v);
/* A value with its unit; times in the unit that suits them (ns, µs, ms, s). */
void text__qty(char *out, size_t size, double v, const char *unit);
/* "20.0 µs [19.7, 20.3]": a median and its interval in the median's unit;
 * without the interval when lo and hi are not finite. */
void text__qty_ci(char *out, size_t size, double v, double lo, double hi, const char *unit);
/* A median with its interval, or alone where one sample gives none. */
struct vb_stats;
void text__stats(char *out, size_t size, const struct vb_stats *st, const char *unit);
/* An axis tick: whole numbers without decimals (1, 2, 64), others as text__num. */
void text__tick(char *out, size_t size, double v);
/* A byte count as 4 KiB, 2 MiB, 1 GiB (binary units). */
void text__bytes(char *out, size_t size, double bytes);
/* Appends base64 (RFC 4648, no line breaks). */
int text__base64(struct vb_buf *b, const unsigned char *data, size_t len);
/* Copies src into dst replacing every character outside [A-Za-z0-9._-] with '_'. */
void text__slug(char *dst, size_t size, const char *src);

#endif
