/* One option's value, by its type: read into the configuration with the
 * parsers of opts.c (their one-line errors with ranges), printed back as it
 * would be typed (the defaults in --help), and its range in words. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/table.h"

static void put_uint(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

static uint64_t get_uint(const void *p, size_t size)
{
	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static unsigned nchoices(const char *const *choices)
{
	unsigned n = 0;
	while (choices && choices[n])
		n++;
	return n;
}

/* The index of "all" among the choices, or -1. */
static int all_index(const char *const *choices)
{
	for (unsigned i = 0; choices && choices[i]; i++)
		if (!strcmp(choices[i], "all"))
			return (int)i;
	return -1;
}

static int set_list(const struct cli_opt *o, const char *name, const char *val, void *cfg,
		    struct vb_err *err)
{
	uint64_t items[CLI_LIST_MAX];
	unsigned n = 0, cap = o->cap < CLI_LIST_MAX ? o->cap : CLI_LIST_MAX;
	int rc = o->type == CLI_UINT_LIST
			 ? opt__uint_list(name, val, o->min, o->max, items, cap, &n, err)
			 : opt__mib_list(name, val, o->min, o->max, items, cap, &n, err);
	if (rc < 0)
		return -1;
	for (unsigned i = 0; i < n; i++)
		put_uint((char *)cfg + o->off + i * o->size, o->size, items[i]);
	*(unsigned *)((char *)cfg + o->count_off) = n;
	return 0;
}

/* A name list: the items of val appended to those already there (from an
 * earlier occurrence of the option), each once. */
struct name_list {
	const struct cli_opt *o;
	char *items;
	unsigned *n;
};

static int name_item(const char *name, const char *item, void *ctx, struct vb_err *err)
{
	struct name_list *l = ctx;
	const struct cli_opt *o = l->o;
	char why[160] = "";
	if (strlen(item) >= o->size)
		snprintf(why, sizeof(why), "longer than %zu characters", o->size - 1);
	else if (o->check && o->check(item, why, sizeof(why)) < 0 && !why[0])
		snprintf(why, sizeof(why), "not valid");
	if (why[0])
		return err__usage(err, "%s: '%.64s' %s; expected %s", name, item, why,
				  o->expected ? o->expected : "a name");
	for (unsigned i = 0; i < *l->n; i++)
		if (!strcmp(l->items + i * o->size, item))
			return 0;
	if (*l->n >= o->cap)
		return err__usage(err, "%s: more than %u names", name, o->cap);
	snprintf(l->items + *l->n * o->size, o->size, "%s", item);
	(*l->n)++;
	return 0;
}

static int set_names(const struct cli_opt *o, const char *name, const char *val, void *cfg,
		     struct vb_err *err)
{
	struct name_list l = { o, (char *)cfg + o->off, (unsigned *)((char *)cfg + o->count_off) };
	return opt__list(name, val, o->expected ? o->expected : "a name", name_item, &l, err);
}

static int set_choice_list(const struct cli_opt *o, const char *name, const char *val, void *target,
			   struct vb_err *err)
{
	uint64_t mask = 0;
	if (opt__choice_list(name, val, o->choices, &mask, err) < 0)
		return -1;
	int all = all_index(o->choices);
	if (all >= 0 && mask & (1ull << all))
		mask = (1ull << all) - 1;
	put_uint(target, o->size, mask);
	return 0;
}

static int set_number(const struct cli_opt *o, const char *name, const char *val, void *target,
		      struct vb_err *err)
{
	uint64_t v = 0;
	int rc;
	switch (o->type) {
	case CLI_UINT: rc = opt__uint(name, val, o->min, o->max, &v, err); break;
	case CLI_SIZE: rc = opt__size(name, val, o->min, o->max, &v, err); break;
	case CLI_BLOCK: rc = opt__block_size(name, val, o->min, o->max, &v, err); break;
	case CLI_MIB: rc = opt__mib(name, val, o->min, o->max, &v, err); break;
	default: /* CLI_CHOICE */
		rc = opt__choice(name, val, o->choices, err);
		v = (uint64_t)rc;
		break;
	}
	if (rc < 0)
		return -1;
	put_uint(target, o->size, v);
	return 0;
}

int cli_opt__set(const struct cli_opt *o, const char *name, const char *val, void *cfg,
		 struct vb_err *err)
{
	void *t = (char *)cfg + o->off;
	if (o->parse)
		return o->parse(o, name, val, t, err);
	switch (o->type) {
	case CLI_FLAG: *(bool *)t = true; return 0;
	case CLI_DOUBLE:
	case CLI_SECONDS: return opt__double(name, val, o->dmin, o->dmax, (double *)t, err);
	case CLI_TEXT:
	case CLI_PATH:
		if (o->expected && opt__text(name, val, o->expected, err) < 0)
			return -1;
		*(const char **)t = val;
		return 0;
	case CLI_OUTPUT:
		if (cli__check_output(val, err) < 0)
			return -1;
		*(const char **)t = val;
		return 0;
	case CLI_RESULTS_DIR:
		if (cli__check_results_dir("--output", val, err) < 0)
			return -1;
		*(const char **)t = val;
		return 0;
	case CLI_UINT_LIST:
	case CLI_MIB_LIST: return set_list(o, name, val, cfg, err);
	case CLI_CHOICE_LIST: return set_choice_list(o, name, val, t, err);
	case CLI_NAME_LIST: return set_names(o, name, val, cfg, err);
	default: return set_number(o, name, val, t, err);
	}
}

bool cli_opt__takes_value(const struct cli_opt *o)
{
	return o->type != CLI_FLAG;
}

static void mib_text(char *out, size_t size, uint64_t mib)
{
	opt__size_text(out, size, mib << 20);
}

/* Items of a list joined by commas, as typed. */
static int format_list(const struct cli_opt *o, const void *cfg, char *out, size_t size)
{
	unsigned n = *(const unsigned *)((const char *)cfg + o->count_off);
	size_t used = 0;
	out[0] = 0;
	for (unsigned i = 0; o->type == CLI_NAME_LIST && i < n && i < o->cap && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "",
					 (const char *)cfg + o->off + i * o->size);
	for (unsigned i = 0; o->type != CLI_NAME_LIST && i < n && i < o->cap && used < size; i++) {
		uint64_t v = get_uint((const char *)cfg + o->off + i * o->size, o->size);
		char item[32];
		if (o->type == CLI_MIB_LIST)
			mib_text(item, sizeof(item), v);
		else
			snprintf(item, sizeof(item), "%" PRIu64, v);
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", item);
	}
	return n ? 0 : -1;
}

static int format_mask(const struct cli_opt *o, uint64_t mask, char *out, size_t size)
{
	int all = all_index(o->choices);
	if (all >= 0 && mask == (1ull << all) - 1) {
		snprintf(out, size, "all");
		return 0;
	}
	size_t used = 0;
	out[0] = 0;
	for (unsigned i = 0; o->choices[i] && used < size; i++)
		if (mask & (1ull << i))
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
						 o->choices[i]);
	return mask ? 0 : -1;
}

int cli_opt__format(const struct cli_opt *o, const void *cfg, char *out, size_t size)
{
	const void *t = (const char *)cfg + o->off;
	out[0] = 0;
	switch (o->type) {
	case CLI_FLAG: return -1;
	case CLI_DOUBLE:
	case CLI_SECONDS: snprintf(out, size, "%g", *(const double *)t); return 0;
	case CLI_TEXT:
	case CLI_PATH:
	case CLI_OUTPUT:
	case CLI_RESULTS_DIR: {
		const char *s = *(const char *const *)t;
		if (!s)
			return -1;
		snprintf(out, size, "%s", s);
		return 0;
	}
	case CLI_UINT_LIST:
	case CLI_MIB_LIST:
	case CLI_NAME_LIST: return format_list(o, cfg, out, size);
	case CLI_CHOICE_LIST: return format_mask(o, get_uint(t, o->size), out, size);
	case CLI_CHOICE: {
		uint64_t i = get_uint(t, o->size);
		if (i >= nchoices(o->choices))
			return -1;
		snprintf(out, size, "%s", o->choices[i]);
		return 0;
	}
	case CLI_SIZE:
	case CLI_BLOCK: opt__size_text(out, size, get_uint(t, o->size)); return 0;
	case CLI_MIB: mib_text(out, size, get_uint(t, o->size)); return 0;
	default: snprintf(out, size, "%" PRIu64, get_uint(t, o->size)); return 0;
	}
}

/* "a, b or c" */
static void choices_words(const char *const *choices, const char *last_sep, char *out, size_t size)
{
	unsigned n = nchoices(choices);
	size_t used = 0;
	out[0] = 0;
	for (unsigned i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 i == 0	      ? ""
					 : i + 1 == n ? last_sep
						      : ", ",
					 choices[i]);
}

void cli_opt__range(const struct cli_opt *o, char *out, size_t size)
{
	char lo[32], hi[32], words[512];
	out[0] = 0;
	switch (o->type) {
	case CLI_UINT: snprintf(out, size, "%" PRIu64 " to %" PRIu64, o->min, o->max); break;
	case CLI_UINT_LIST:
		snprintf(out, size, "comma list, each %" PRIu64 " to %" PRIu64, o->min, o->max);
		break;
	case CLI_DOUBLE:
	case CLI_SECONDS: snprintf(out, size, "%g to %g", o->dmin, o->dmax); break;
	case CLI_SIZE:
	case CLI_BLOCK:
		opt__size_text(lo, sizeof(lo), o->min);
		opt__size_text(hi, sizeof(hi), o->max);
		snprintf(out, size, "%s to %s", lo, hi);
		break;
	case CLI_MIB:
	case CLI_MIB_LIST:
		mib_text(lo, sizeof(lo), o->min);
		mib_text(hi, sizeof(hi), o->max);
		snprintf(out, size, "%s%s to %s",
			 o->type == CLI_MIB_LIST ? "comma list, each " : "", lo, hi);
		break;
	case CLI_CHOICE: choices_words(o->choices, " or ", out, size); break;
	case CLI_CHOICE_LIST:
		choices_words(o->choices, ", ", words, sizeof(words));
		snprintf(out, size, "comma list of %s", words);
		break;
	case CLI_NAME_LIST:
		snprintf(out, size, "comma list; repeated, the option adds to it");
		break;
	default: break;
	}
}
