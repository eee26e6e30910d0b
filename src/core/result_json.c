/* The results file, schema virtbench/1. Files come from other machines, so
 * the reader trusts nothing: sizes and counts are bounded, every field is
 * type-checked, and an error names the field ("results[3].samples[2]: not a
 * number"). Statistics are recomputed from the samples, never taken as read. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "core/result.h"
#include "core/version.h"

#define MAX_RESULTS    VB_MAX_RESULTS
#define MAX_SAMPLES    VB_MAX_SAMPLES
#define MAX_SKIPS      VB_MAX_SKIPS
#define MAX_FILE_BYTES VB_MAX_FILE_BYTES

/* ---- writer ---- */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Sets key to a new value, remembering any failure (out of memory) so the
 * builders below can check once at the end. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
	if (!v || !obj || json_object_set_new(obj, key, v))
		*ok = false;
}

json_t *result__to_json(const struct vb_result *r)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "benchmark", json_string(r->benchmark), &ok);
	put(o, "platform", json_string(r->platform), &ok);
	put(o, "metric", json_string(r->metric), &ok);
	put(o, "unit", json_string(r->unit), &ok);
	put(o, "higher_is_better", json_boolean(r->higher_is_better), &ok);
	json_t *cfg = json_object();
	for (size_t i = 0; cfg && i < r->nconfig; i++)
		put(cfg, r->config[i].key, json_string(r->config[i].value), &ok);
	put(o, "config", cfg, &ok);
	json_t *samples = json_array();
	for (size_t i = 0; samples && i < r->nsamples; i++)
		if (json_array_append_new(samples, num(r->samples[i])))
			ok = false;
	put(o, "samples", samples, &ok);
	const struct vb_stats *st = &r->stats;
	json_t *js = json_object();
	put(js, "n", json_integer((json_int_t)st->n), &ok);
	put(js, "min", num(st->min), &ok);
	put(js, "max", num(st->max), &ok);
	put(js, "mean", num(st->mean), &ok);
	put(js, "median", num(st->median), &ok);
	put(js, "stdev", num(st->stdev), &ok);
	put(js, "p95", num(st->p95), &ok);
	put(js, "ci_low", num(st->ci_low), &ok);
	put(js, "ci_high", num(st->ci_high), &ok);
	put(js, "ci_level", num(st->ci_level), &ok);
	put(js, "mad", num(st->mad), &ok);
	put(js, "outliers", json_integer((json_int_t)st->outliers), &ok);
	put(o, "stats", js, &ok);
	if (r->has_overhead) {
		json_t *ov = json_object();
		put(ov, "percent", num(r->overhead.percent), &ok);
		put(ov, "ci_low", num(r->overhead.ci_low), &ok);
		put(ov, "ci_high", num(r->overhead.ci_high), &ok);
		put(o, "overhead", ov, &ok);
	}
	put(o, "note", json_string(r->note), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *result_set__to_json(const struct vb_result_set *s)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "schema", json_string(VB_SCHEMA), &ok);
	json_t *tool = json_object();
	put(tool, "name", json_string("virtbench"), &ok);
	put(tool, "version", json_string(VB_VERSION), &ok);
	put(o, "tool", tool, &ok);
	put(o, "started", json_string(s->started), &ok);
	put(o, "finished", json_string(s->finished), &ok);
	put(o, "incomplete", json_boolean(s->incomplete), &ok);
	put(o, "host", s->host ? json_deep_copy(s->host) : json_object(), &ok);
	put(o, "extra", s->extra ? json_deep_copy(s->extra) : json_object(), &ok);
	json_t *res = json_array();
	for (size_t i = 0; res && i < s->nresults; i++)
		if (json_array_append_new(res, result__to_json(s->results[i])))
			ok = false;
	put(o, "results", res, &ok);
	json_t *sk = json_array();
	for (size_t i = 0; sk && i < s->nskips; i++) {
		json_t *k = json_object();
		put(k, "benchmark", json_string(s->skips[i].benchmark), &ok);
		put(k, "platform", json_string(s->skips[i].platform), &ok);
		put(k, "reason", json_string(s->skips[i].reason), &ok);
		if (!k || json_array_append_new(sk, k))
			ok = false;
	}
	put(o, "skipped", sk, &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int result_set__save(const struct vb_result_set *s, const char *path, struct vb_err *err)
{
	json_t *doc = result_set__to_json(s);
	if (!doc)
		return err__set(err, ENOMEM, "%s: building JSON", path);
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	json_decref(doc);
	if (!text)
		return err__set(err, ENOMEM, "%s: serialising JSON", path);
	size_t len = strlen(text);
	int rc = 0;
	if (!strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fputc('\n', stdout) == EOF ||
		    fflush(stdout))
			rc = err__set(err, errno, "writing JSON to stdout");
	} else {
		/* The trailing newline makes the file friendly to text tools. */
		char *t = realloc(text, len + 2);
		if (!t) {
			free(text);
			return err__set(err, ENOMEM, "%s", path);
		}
		text = t;
		text[len++] = '\n';
		text[len] = 0;
		rc = file__write_atomic(path, text, len, err);
	}
	free(text);
	return rc;
}

/* ---- reader ---- */

/* Field path for messages: "results[3].stats.n". */
static void field_name(char *out, size_t size, const char *ctx, const char *key)
{
	if (ctx && *ctx)
		snprintf(out, size, "%s.%s", ctx, key);
	else
		snprintf(out, size, "%s", key);
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

static int get(const json_t *obj, const char *ctx, const char *key, json_type type,
	       const char *expect, json_t **out, struct vb_err *err)
{
	char name[128];
	field_name(name, sizeof(name), ctx, key);
	json_t *v = json_object_get(obj, key);
	if (!v)
		return err__set(err, 0, "%s: missing", name);
	bool match = json_typeof(v) == type || (type == JSON_TRUE && json_typeof(v) == JSON_FALSE);
	if (!match)
		return err__set(err, 0, "%s: %s, expected %s", name, json_kind(v), expect);
	*out = v;
	return 0;
}

/* A results file may come from anyone: control characters in its strings
 * (terminal escape sequences, newlines that would forge output lines) are
 * replaced by '?' as they are read, so no printer downstream meets one. */
static bool is_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void defuse(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static int rd_string(const json_t *obj, const char *ctx, const char *key, char *dst, size_t size,
		     struct vb_err *err)
{
	json_t *v;
	if (get(obj, ctx, key, JSON_STRING, "a string", &v, err) < 0)
		return -1;
	size_t len = json_string_length(v);
	if (len >= size) {
		char name[128];
		field_name(name, sizeof(name), ctx, key);
		return err__set(err, 0, "%s: string of %zu bytes, longer than the %zu allowed",
				name, len, size - 1);
	}
	memcpy(dst, json_string_value(v), len + 1);
	defuse(dst);
	return 0;
}

static int rd_bool(const json_t *obj, const char *ctx, const char *key, bool *out,
		   struct vb_err *err)
{
	json_t *v;
	if (get(obj, ctx, key, JSON_TRUE, "true or false", &v, err) < 0)
		return -1;
	*out = json_is_true(v);
	return 0;
}

/* A finite number, or null (NaN) when nullable: the writer stores NaN
 * statistics as null. */
static int check_number(const json_t *v, const char *name, bool nullable, double *out,
			struct vb_err *err)
{
	if (nullable && json_is_null(v)) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v))
		return err__set(err, 0, "%s: not a number (%s)", name, json_kind(v));
	double d = json_number_value(v);
	if (!isfinite(d))
		return err__set(err, 0, "%s: not a finite number", name);
	*out = d;
	return 0;
}

static int rd_number(const json_t *obj, const char *ctx, const char *key, bool nullable,
		     double *out, struct vb_err *err)
{
	char name[128];
	field_name(name, sizeof(name), ctx, key);
	json_t *v = json_object_get(obj, key);
	if (!v)
		return err__set(err, 0, "%s: missing", name);
	return check_number(v, name, nullable, out, err);
}

static int rd_count(const json_t *obj, const char *ctx, const char *key, json_int_t max,
		    json_int_t *out, struct vb_err *err)
{
	json_t *v;
	if (get(obj, ctx, key, JSON_INTEGER, "an integer", &v, err) < 0)
		return -1;
	json_int_t n = json_integer_value(v);
	if (n < 0 || n > max) {
		char name[128];
		field_name(name, sizeof(name), ctx, key);
		return err__set(err, 0, "%s: %lld is out of range (0 to %lld)", name, (long long)n,
				(long long)max);
	}
	*out = n;
	return 0;
}

static int rd_array(const json_t *obj, const char *ctx, const char *key, size_t max, json_t **out,
		    struct vb_err *err)
{
	if (get(obj, ctx, key, JSON_ARRAY, "an array", out, err) < 0)
		return -1;
	size_t n = json_array_size(*out);
	if (n > max) {
		char name[128];
		field_name(name, sizeof(name), ctx, key);
		return err__set(err, 0, "%s: %zu entries, more than the %zu allowed", name, n, max);
	}
	return 0;
}

static int rd_config(const json_t *cfg, const char *ctx, struct vb_result *r, struct vb_err *err)
{
	char name[128];
	field_name(name, sizeof(name), ctx, "config");
	if (json_object_size(cfg) > VB_MAX_CONFIG)
		return err__set(err, 0, "%s: %zu entries, more than the %d allowed", name,
				json_object_size(cfg), VB_MAX_CONFIG);
	const char *key;
	json_t *val;
	json_object_foreach ((json_t *)cfg, key, val) {
		size_t klen = strlen(key);
		if (klen == 0 || klen >= sizeof(r->config[0].key))
			return err__set(err, 0, "%s: key of %zu bytes (1 to %zu allowed)", name,
					klen, sizeof(r->config[0].key) - 1);
		char sub[128];
		snprintf(sub, sizeof(sub), "%.60s", name);
		struct vb_kv *kv = &r->config[r->nconfig];
		if (rd_string(cfg, sub, key, kv->value, sizeof(kv->value), err) < 0)
			return -1;
		memcpy(kv->key, key, klen + 1);
		r->nconfig++;
	}
	return 0;
}

/* *budget: samples the file may still hold. The limit is on the whole file,
 * since reading, report and compare cost grows with all samples together. */
static int rd_result(const json_t *o, const char *ctx, struct vb_result *r, size_t *budget,
		     struct vb_err *err)
{
	if (!json_is_object(o))
		return err__set(err, 0, "%s: %s, expected an object", ctx, json_kind(o));
	if (rd_string(o, ctx, "benchmark", r->benchmark, sizeof(r->benchmark), err) < 0 ||
	    rd_string(o, ctx, "platform", r->platform, sizeof(r->platform), err) < 0 ||
	    rd_string(o, ctx, "metric", r->metric, sizeof(r->metric), err) < 0 ||
	    rd_string(o, ctx, "unit", r->unit, sizeof(r->unit), err) < 0 ||
	    rd_bool(o, ctx, "higher_is_better", &r->higher_is_better, err) < 0)
		return -1;
	json_t *cfg, *samples, *st;
	if (get(o, ctx, "config", JSON_OBJECT, "an object", &cfg, err) < 0 ||
	    rd_config(cfg, ctx, r, err) < 0)
		return -1;
	if (rd_array(o, ctx, "samples", MAX_SAMPLES, &samples, err) < 0)
		return -1;
	size_t ns = json_array_size(samples);
	if (ns > *budget)
		return err__set(err, 0,
				"%s.samples: %zu more samples, over the %d a file may hold in all",
				ctx, ns, MAX_SAMPLES);
	*budget -= ns;
	if (ns) {
		r->samples = malloc(ns * sizeof(*r->samples));
		if (!r->samples)
			return err__set(err, ENOMEM, "%s.samples", ctx);
		r->cap = ns;
	}
	for (size_t i = 0; i < ns; i++) {
		char name[128];
		snprintf(name, sizeof(name), "%s.samples[%zu]", ctx, i);
		if (check_number(json_array_get(samples, i), name, false, &r->samples[i], err) < 0)
			return -1;
		r->nsamples++;
	}

	/* The stored statistics must be well formed, but the figures used are
	 * recomputed below from the samples. */
	char sctx[128];
	snprintf(sctx, sizeof(sctx), "%s.stats", ctx);
	if (get(o, ctx, "stats", JSON_OBJECT, "an object", &st, err) < 0)
		return -1;
	json_int_t n, outl;
	if (rd_count(st, sctx, "n", MAX_SAMPLES, &n, err) < 0)
		return -1;
	if ((size_t)n != ns)
		return err__set(err, 0, "%s.n: %lld, but there are %zu samples", sctx, (long long)n,
				ns);
	static const char *const fields[] = { "min", "max",    "mean",	  "median",   "stdev",
					      "p95", "ci_low", "ci_high", "ci_level", "mad" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		double d;
		if (rd_number(st, sctx, fields[i], true, &d, err) < 0)
			return -1;
	}
	if (rd_count(st, sctx, "outliers", MAX_SAMPLES, &outl, err) < 0)
		return -1;
	result__finish(r);

	json_t *ov = json_object_get(o, "overhead");
	if (ov && !json_is_null(ov)) {
		char octx[128];
		snprintf(octx, sizeof(octx), "%s.overhead", ctx);
		if (!json_is_object(ov))
			return err__set(err, 0, "%s: %s, expected an object", octx, json_kind(ov));
		if (rd_number(ov, octx, "percent", true, &r->overhead.percent, err) < 0 ||
		    rd_number(ov, octx, "ci_low", true, &r->overhead.ci_low, err) < 0 ||
		    rd_number(ov, octx, "ci_high", true, &r->overhead.ci_high, err) < 0)
			return -1;
		r->has_overhead = true;
	}
	return rd_string(o, ctx, "note", r->note, sizeof(r->note), err);
}

static int rd_skip(const json_t *o, const char *ctx, struct vb_skip *k, struct vb_err *err)
{
	if (!json_is_object(o))
		return err__set(err, 0, "%s: %s, expected an object", ctx, json_kind(o));
	memset(k, 0, sizeof(*k));
	if (rd_string(o, ctx, "benchmark", k->benchmark, sizeof(k->benchmark), err) < 0 ||
	    rd_string(o, ctx, "platform", k->platform, sizeof(k->platform), err) < 0 ||
	    rd_string(o, ctx, "reason", k->reason, sizeof(k->reason), err) < 0)
		return -1;
	return 0;
}

/* Strings of a free-form block are defused in place, like every other
 * string read (see text__defuse); object keys are left, as only known keys
 * are ever looked up and printed. */
static void defuse_tree(json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!is_plain(s)) {
			char *copy = strdup(s);
			if (copy) {
				defuse(copy);
				json_string_set(v, copy);
				free(copy);
			}
		}
		return;
	}
	size_t i;
	json_t *item;
	const char *key;
	if (json_is_array(v))
		json_array_foreach (v, i, item)
			defuse_tree(item);
	else if (json_is_object(v))
		json_object_foreach (v, key, item)
			defuse_tree(item);
}

/* An optional free-form block: an object, null or absent. */
static int rd_block(const json_t *doc, const char *key, json_t **out, struct vb_err *err)
{
	json_t *v = json_object_get(doc, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return err__set(err, 0, "%s: %s, expected an object", key, json_kind(v));
	*out = json_deep_copy(v);
	if (!*out)
		return err__set(err, ENOMEM, "%s", key);
	defuse_tree(*out);
	return 0;
}

static int from_json(const json_t *doc, struct vb_result_set *s, struct vb_err *err)
{
	if (!json_is_object(doc))
		return err__set(err, 0, "top level: %s, expected an object", json_kind(doc));
	json_t *schema;
	if (get(doc, "", "schema", JSON_STRING, "a string", &schema, err) < 0)
		return -1;
	if (strcmp(json_string_value(schema), VB_SCHEMA))
		return err__set(err, 0, "schema: '%.64s' is not '%s'", json_string_value(schema),
				VB_SCHEMA);
	json_t *tool;
	char tname[64], tver[64];
	if (get(doc, "", "tool", JSON_OBJECT, "an object", &tool, err) < 0 ||
	    rd_string(tool, "tool", "name", tname, sizeof(tname), err) < 0 ||
	    rd_string(tool, "tool", "version", tver, sizeof(tver), err) < 0)
		return -1;
	if (rd_string(doc, "", "started", s->started, sizeof(s->started), err) < 0 ||
	    rd_string(doc, "", "finished", s->finished, sizeof(s->finished), err) < 0 ||
	    rd_bool(doc, "", "incomplete", &s->incomplete, err) < 0)
		return -1;
	if (rd_block(doc, "host", &s->host, err) < 0 || rd_block(doc, "extra", &s->extra, err) < 0)
		return -1;

	json_t *results, *skipped;
	size_t budget = MAX_SAMPLES;
	if (rd_array(doc, "", "results", MAX_RESULTS, &results, err) < 0 ||
	    rd_array(doc, "", "skipped", MAX_SKIPS, &skipped, err) < 0)
		return -1;
	for (size_t i = 0; i < json_array_size(results); i++) {
		char ctx[64];
		snprintf(ctx, sizeof(ctx), "results[%zu]", i);
		struct vb_result *r = result__new("", "", "", "", false);
		if (!r)
			return err__set(err, ENOMEM, "%s", ctx);
		if (rd_result(json_array_get(results, i), ctx, r, &budget, err) < 0) {
			result__free(r);
			return -1;
		}
		if (result_set__add(s, r) < 0)
			return err__set(err, ENOMEM, "%s", ctx);
	}
	size_t nk = json_array_size(skipped);
	if (nk) {
		s->skips = calloc(nk, sizeof(*s->skips));
		if (!s->skips)
			return err__set(err, ENOMEM, "skipped");
		s->skipcap = nk;
	}
	for (size_t i = 0; i < nk; i++) {
		char ctx[64];
		snprintf(ctx, sizeof(ctx), "skipped[%zu]", i);
		if (rd_skip(json_array_get(skipped, i), ctx, &s->skips[i], err) < 0)
			return -1;
		s->nskips++;
	}
	return 0;
}

/* Fills s, which need not be initialised; on error s is left empty. */
int result_set__from_json(const json_t *doc, struct vb_result_set *s, struct vb_err *err)
{
	result_set__init(s);
	if (from_json(doc, s, err) < 0) {
		result_set__free(s);
		return -1;
	}
	return 0;
}

/* An upper bound of the values in a JSON text: every value but the first
 * follows a ',' or opens an array or object. Counted before parsing, so a
 * small file of "[0,0,0,...]" in a free-form block cannot make the parser
 * build millions of values (about 50 bytes of memory each). */
static size_t json_values_bound(const char *buf, size_t len)
{
	size_t n = 1;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == ',' || c == '[' || c == '{') {
			n++;
		}
	}
	return n;
}

int result_set__load_buffer(const char *buf, size_t len, struct vb_result_set *s,
			    struct vb_err *err)
{
	result_set__init(s);
	if (len > MAX_FILE_BYTES)
		return err__set(err, 0, "%zu bytes, more than the %u allowed", len, MAX_FILE_BYTES);
	if (json_values_bound(buf, len) > VB_MAX_JSON_VALUES)
		return err__set(err, 0,
				"more than %d JSON values; a results file holds at most %d results "
				"and %d samples",
				VB_MAX_JSON_VALUES, MAX_RESULTS, MAX_SAMPLES);
	json_error_t jerr;
	json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return err__set(err, 0, "not valid JSON: line %d column %d: %s", jerr.line,
				jerr.column, jerr.text);
	int rc = result_set__from_json(doc, s, err);
	json_decref(doc);
	return rc;
}

int result_set__load(const char *path, struct vb_result_set *s, struct vb_err *err)
{
	result_set__init(s);
	char *data = NULL;
	size_t len = 0;
	if (file__read_all(path, MAX_FILE_BYTES, &data, &len, err) < 0)
		return -1;
	int rc = result_set__load_buffer(data, len, s, err);
	free(data);
	if (rc < 0)
		return err__wrap(err, "%s", path);
	return 0;
}
