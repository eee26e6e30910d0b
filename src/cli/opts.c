/* Option values. Every error is one line that names the option, repeats the
 * value as typed and says what is accepted, e.g.
 * "--iterations: '0' is out of range; expected an integer from 1 to 100000". */
#include "cli/opts.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"

/* Callers may name the option with or without its dashes. */
static void opt_name(char *out, size_t size, const char *opt)
{
	if (!opt)
		opt = "option";
	if (opt[0] == '-')
		snprintf(out, size, "%s", opt);
	else if (opt[1] == 0)
		snprintf(out, size, "-%s", opt);
	else
		snprintf(out, size, "--%s", opt);
}

/* [+-]digits at *p, moved past them. Returns 1 with the value, 0 when no
 * digit, -1 when negative (other than 0) or beyond 64 bits. */
static int parse_digits(const char **p, uint64_t *out)
{
	bool neg = false, over = false;
	if (**p == '+' || **p == '-')
		neg = *(*p)++ == '-';
	if (!isdigit((unsigned char)**p))
		return 0;
	uint64_t v = 0;
	for (; isdigit((unsigned char)**p); (*p)++) {
		unsigned d = (unsigned)(**p - '0');
		over = over || v > (UINT64_MAX - d) / 10;
		v = v * 10 + d;
	}
	if (over || (neg && v))
		return -1;
	*out = v;
	return 1;
}

/* Parses [+-]digits exactly. Returns 1 ok, 0 not a number, -1 out of the
 * uint64 range (negative or too large). */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int rc = parse_digits(&s, &v);
	if (rc == 0 || *s)
		return 0;
	if (rc > 0)
		*out = v;
	return rc;
}

int opt__uint(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	uint64_t v = 0;
	int rc = parse_u64(val, &v);
	if (rc == 0)
		return err__usage(err,
				  "%s: '%.64s' is not a number; expected an integer from %" PRIu64
				  " to %" PRIu64,
				  name, val, min, max);
	if (rc < 0 || v < min || v > max)
		return err__usage(err,
				  "%s: '%.64s' is out of range; expected an integer from %" PRIu64
				  " to %" PRIu64,
				  name, val, min, max);
	*out = v;
	return 0;
}

int opt__double(const char *opt, const char *val, double min, double max, double *out,
		struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	char *end = NULL;
	errno = 0;
	double v = strtod(val, &end);
	if (end == val || *end || isspace((unsigned char)val[0]) || isnan(v))
		return err__usage(err,
				  "%s: '%.64s' is not a number; expected a number from %g to %g",
				  name, val, min, max);
	if (!isfinite(v) || v < min || v > max)
		return err__usage(err,
				  "%s: '%.64s' is out of range; expected a number from %g to %g",
				  name, val, min, max);
	*out = v;
	return 0;
}

void opt__size_text(char *out, size_t size, uint64_t v)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(out, size, "%" PRIu64, v);
	else
		snprintf(out, size, "%" PRIu64 "%c", v, units[u]);
}

/* Digits with an optional K/M/G/T unit ("512M", "2GiB", "4096", "1k").
 * Returns 1 with the bytes, 0 when not a size, -1 when beyond 64 bits. */
static int parse_size(const char *val, uint64_t *out)
{
	uint64_t v = 0;
	const char *unit = val;
	int rc = parse_digits(&unit, &v);
	if (rc == 0)
		return 0;
	int shift = 0;
	if (*unit) {
		switch (toupper((unsigned char)*unit)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		case 'T': shift = 40; break;
		case 'B':
			shift = 0;
			unit--;
			break;
		default: return 0;
		}
		const char *rest = unit + 1;
		if (*rest && strcasecmp(rest, "B") && strcasecmp(rest, "iB"))
			return 0;
	}
	if (rc < 0 || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = v << shift;
	return 1;
}

int opt__size(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
	      struct vb_err *err)
{
	char name[64], lo[32], hi[32];
	opt_name(name, sizeof(name), opt);
	opt__size_text(lo, sizeof(lo), min);
	opt__size_text(hi, sizeof(hi), max);
	if (!val)
		val = "";
	uint64_t v = 0;
	int rc = parse_size(val, &v);
	if (rc == 0)
		return err__usage(err,
				  "%s: '%.64s' is not a size; expected bytes or a number with "
				  "K, M, G or T (1K = 1024) from %s to %s",
				  name, val, lo, hi);
	if (rc < 0 || v < min || v > max)
		return err__usage(err, "%s: '%.64s' is out of range; expected a size from %s to %s",
				  name, val, lo, hi);
	*out = v;
	return 0;
}

int opt__block_size(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
		    struct vb_err *err)
{
	uint64_t v = 0;
	if (opt__size(opt, val, min, max, &v, err) < 0)
		return -1;
	if (v & (v - 1)) {
		char name[64];
		opt_name(name, sizeof(name), opt);
		return err__usage(err,
				  "%s: '%.64s' is not a power of two; expected a block size "
				  "such as 1K or 4K",
				  name, val);
	}
	*out = v;
	return 0;
}

int opt__mib(const char *opt, const char *val, uint64_t min_mib, uint64_t max_mib, uint64_t *out,
	     struct vb_err *err)
{
	char name[64], lo[32], hi[32];
	opt_name(name, sizeof(name), opt);
	opt__size_text(lo, sizeof(lo), min_mib << 20);
	opt__size_text(hi, sizeof(hi), max_mib << 20);
	if (!val)
		val = "";
	uint64_t v = 0;
	int rc = parse_u64(val, &v);
	bool bytes = rc == 0;
	if (rc > 0 && v > (UINT64_MAX >> 20))
		rc = -1;
	if (bytes)
		rc = parse_size(val, &v);
	if (rc == 0)
		return err__usage(err,
				  "%s: '%.64s' is not a size; expected MiB or a number with K, "
				  "M, G or T (1K = 1024) from %s to %s",
				  name, val, lo, hi);
	if (rc > 0 && bytes && v % (1u << 20))
		return err__usage(err,
				  "%s: '%.64s' is not a whole number of MiB; expected a size "
				  "from %s to %s",
				  name, val, lo, hi);
	if (rc > 0 && bytes)
		v >>= 20;
	if (rc < 0 || v < min_mib || v > max_mib)
		return err__usage(err,
				  "%s: '%.64s' is out of range; expected a size from %s to %s "
				  "(a plain number is MiB)",
				  name, val, lo, hi);
	*out = v;
	return 0;
}

int opt__text(const char *opt, const char *val, const char *expected, struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val || !*val)
		return err__usage(err, "%s: the value is empty; expected %s", name, expected);
	return 0;
}

/* The value as typed, for a message: a long one keeps its two ends, where
 * a stray comma is most likely. */
static void shown(char *out, size_t size, const char *val)
{
	size_t len = strlen(val);
	if (len < 72)
		snprintf(out, size, "%s", val);
	else
		snprintf(out, size, "%.32s...%s", val, val + len - 32);
}

int opt__list(const char *opt, const char *val, const char *expected, opt_item_fn fn, void *ctx,
	      struct vb_err *err)
{
	char name[64], whole[80];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	shown(whole, sizeof(whole), val);
	if (!*val)
		return err__usage(err, "%s: the list is empty; expected %s", name, expected);
	cleanup_free char *item = malloc(strlen(val) + 1);
	if (!item)
		return err__set(err, ENOMEM, "%s", name);
	unsigned k = 1;
	for (const char *p = val;; k++) {
		size_t len = strcspn(p, ",");
		if (len == 0)
			return err__usage(err,
					  "%s: item %u of '%s' is empty (a leading, trailing or "
					  "doubled comma); expected %s",
					  name, k, whole, expected);
		memcpy(item, p, len);
		item[len] = 0;
		if (fn(name, item, ctx, err) < 0)
			return -1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* A list of numbers being filled: the range, the room and the text that
 * says what is expected. */
struct num_list {
	uint64_t min, max, *out;
	unsigned cap, *n;
	const char *expected;
};

static int num_list__add(struct num_list *l, const char *name, uint64_t v, struct vb_err *err)
{
	if (*l->n >= l->cap)
		return err__usage(err, "%s: more than %u values; expected %s", name, l->cap,
				  l->expected);
	l->out[(*l->n)++] = v;
	return 0;
}

static int uint_item(const char *name, const char *item, void *ctx, struct vb_err *err)
{
	struct num_list *l = ctx;
	uint64_t v = 0;
	int rc = parse_u64(item, &v);
	if (rc == 0)
		return err__usage(err, "%s: '%.64s' is not a number; expected %s", name, item,
				  l->expected);
	if (rc < 0 || v < l->min || v > l->max)
		return err__usage(err, "%s: '%.64s' is out of range; expected %s", name, item,
				  l->expected);
	return num_list__add(l, name, v, err);
}

int opt__uint_list(const char *opt, const char *val, uint64_t min, uint64_t max, uint64_t *out,
		   unsigned cap, unsigned *n, struct vb_err *err)
{
	char expected[128];
	snprintf(expected, sizeof(expected),
		 "a comma list of at most %u integers from %" PRIu64 " to %" PRIu64, cap, min, max);
	struct num_list l = { min, max, out, cap, n, expected };
	*n = 0;
	return opt__list(opt, val, expected, uint_item, &l, err);
}

static int mib_item(const char *name, const char *item, void *ctx, struct vb_err *err)
{
	struct num_list *l = ctx;
	uint64_t v = 0;
	if (opt__mib(name, item, l->min, l->max, &v, err) < 0)
		return -1;
	return num_list__add(l, name, v, err);
}

int opt__mib_list(const char *opt, const char *val, uint64_t min_mib, uint64_t max_mib,
		  uint64_t *out, unsigned cap, unsigned *n, struct vb_err *err)
{
	char expected[128], lo[32], hi[32];
	opt__size_text(lo, sizeof(lo), min_mib << 20);
	opt__size_text(hi, sizeof(hi), max_mib << 20);
	snprintf(expected, sizeof(expected),
		 "a comma list of at most %u sizes from %s to %s (a plain number is MiB)", cap, lo,
		 hi);
	struct num_list l = { min_mib, max_mib, out, cap, n, expected };
	*n = 0;
	return opt__list(opt, val, expected, mib_item, &l, err);
}

/* "a, b, c" for a message. */
static void choices_text(char *out, size_t size, const char *const *choices)
{
	size_t used = 0;
	out[0] = 0;
	for (int i = 0; choices[i] && used < size; i++) {
		int w = snprintf(out + used, size - used, "%s%s", i ? ", " : "", choices[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static int choice_index(const char *val, const char *const *choices)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(val, choices[i]))
			return i;
	return -1;
}

int opt__choice(const char *opt, const char *val, const char *const *choices, struct vb_err *err)
{
	char name[64];
	opt_name(name, sizeof(name), opt);
	if (!val)
		val = "";
	int i = choice_index(val, choices);
	if (i >= 0)
		return i;
	char list[512];
	choices_text(list, sizeof(list), choices);
	return err__usage(err, "%s: '%.64s' is not accepted; expected one of: %s", name, val, list);
}

struct choice_list {
	const char *const *choices;
	uint64_t *mask;
	const char *expected;
};

static int choice_item(const char *name, const char *item, void *ctx, struct vb_err *err)
{
	struct choice_list *l = ctx;
	int i = choice_index(item, l->choices);
	if (i < 0)
		return err__usage(err, "%s: '%.64s' is not accepted; expected %s", name, item,
				  l->expected);
	*l->mask |= 1ull << i;
	return 0;
}

int opt__choice_list(const char *opt, const char *val, const char *const *choices, uint64_t *mask,
		     struct vb_err *err)
{
	char expected[512];
	int w = snprintf(expected, sizeof(expected), "a comma list of: ");
	choices_text(expected + w, sizeof(expected) - (size_t)w, choices);
	struct choice_list l = { choices, mask, expected };
	*mask = 0;
	return opt__list(opt, val, expected, choice_item, &l, err);
}
