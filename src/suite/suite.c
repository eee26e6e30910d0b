#include "suite/suite.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "core/clock.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/outpath.h"
#include "core/output.h"
#include "core/result_run.h"
#include "host/host.h"
#include "report/check.h"
#include "report/family.h"
#include "report/report.h"

/* An item of --only/--skip matches an entry by name ("vm.boot") or by
 * family ("microvm", or "vm" for the names that start with "vm."). */
static bool matches(const struct suite_entry *e, const char *item, size_t len)
{
	if (strlen(e->name) == len && !strncmp(e->name, item, len))
		return true;
	if (strlen(e->family) == len && !strncmp(e->family, item, len))
		return true;
	return !strncmp(e->name, item, len) && e->name[len] == '.';
}

/* "--only: <what>; expected names or families ... among: <every name>". */
static int select_error(const char *opt, const char *what, struct vb_err *err)
{
	char names[1024] = "";
	size_t used = 0;
	for (size_t i = 0; i < suite__nentries && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
					 suite__entries[i].name);
	return err__usage(err,
			  "%s: %s; expected names or families (native, microvm, qemu, container) "
			  "among: %s",
			  opt, what, names);
}

/* Every item must name something: an empty list or item (a stray comma)
 * would otherwise select nothing, or everything, without a word. */
static int apply(const char *list, const char *opt, bool value, bool *sel, struct vb_err *err)
{
	char what[160];
	if (!*list)
		return select_error(opt, "the list is empty", err);
	unsigned k = 1;
	for (const char *p = list;; k++) {
		size_t len = strcspn(p, ",");
		bool any = false;
		for (size_t i = 0; i < suite__nentries; i++)
			if (len && matches(&suite__entries[i], p, len)) {
				sel[i] = value;
				any = true;
			}
		if (!len)
			snprintf(
				what, sizeof(what),
				"item %u of '%.64s' is empty (a leading, trailing or doubled comma)",
				k, list);
		else
			snprintf(what, sizeof(what), "'%.*s' is not a benchmark",
				 (int)(len > 64 ? 64 : len), p);
		if (!any)
			return select_error(opt, what, err);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int suite__select(const char *only, const char *skip, bool *sel, struct vb_err *err)
{
	for (size_t i = 0; i < suite__nentries; i++)
		sel[i] = only == NULL;
	if (only && apply(only, "--only", true, sel, err) < 0)
		return -1;
	if (skip && apply(skip, "--skip", false, sel, err) < 0)
		return -1;
	for (size_t i = 0; i < suite__nentries; i++)
		if (sel[i])
			return 0;
	/* Every --only item matched, so only --skip can have emptied the set. */
	return err__usage(err,
			  "--skip: it skips every benchmark%s and nothing would run; skip "
			  "fewer",
			  only ? " that --only selects" : "");
}

void suite__default_dir(char *out, size_t size)
{
	struct utsname u;
	if (uname(&u) < 0) {
		snprintf(u.nodename, sizeof(u.nodename), "host");
		snprintf(u.machine, sizeof(u.machine), "unknown");
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	/* A hostname may hold characters a path should not. */
	for (char *p = u.nodename; *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
	snprintf(out, size, "results/%.64s-%.32s-%s", u.nodename, u.machine, ts);
}

/* What a run carries from one entry to the next. */
struct run {
	const struct suite_opts *o;
	struct vb_result_set *s;
	char path[4200]; /* dir/results.json */
	struct suite_ctx ctx;
	bool sel[64];
	unsigned total, idx;
	double planned, done_est, t0; /* for the estimate of the time left */
	bool interrupted;
};

/* Selects the entries, makes the directory and writes a first
 * results.json marked incomplete. */
static int run__start(struct run *r, const char *dir, struct vb_err *err)
{
	const struct suite_opts *o = r->o;
	struct vb_result_set *s = r->s;
	if (suite__nentries > sizeof(r->sel) / sizeof(r->sel[0]))
		return err__set(err, 0, "suite table too long");
	if (suite__select(o->only, o->skip, r->sel, err) < 0)
		return -1;
	if (outpath__make_dir(dir, err) < 0)
		return err__wrap(err, "results directory");
	snprintf(r->path, sizeof(r->path), "%s/results.json", dir);
	s->extra = json_pack("{s:s, s:s, s:{}}", "command", "run", "mode",
			     o->full ? "full" : "quick", "seconds");
	if (s->extra && o->iterations)
		json_object_set_new(s->extra, "iterations", json_integer(o->iterations));
	/* Marked incomplete until the last entry is done: a Ctrl-C, a crash of
	 * a benchmark or a power cut leaves a valid file that says so. */
	s->incomplete = true;
	if (result_set__checkpoint(s, r->path, err) < 0)
		return -1;
	if (o->quiet)
		progress__set_enabled(false);
	r->ctx = (struct suite_ctx){ .full = o->full,
				     .quiet = o->quiet,
				     .images = o->images,
				     .nimages = o->nimages,
				     .dir = dir,
				     .iterations = o->iterations };
	for (size_t i = 0; i < suite__nentries; i++)
		if (r->sel[i]) {
			r->total++;
			r->planned += o->full ? suite__entries[i].full_s
					      : suite__entries[i].quick_s;
		}
	r->t0 = clock__now_s();
	return 0;
}

/* Runs one entry into the set and saves results.json: a failed entry
 * becomes a skip; -1 when interrupted or the file cannot be written. */
static int run__entry(struct run *r, const struct suite_entry *e, struct vb_err *err)
{
	const struct suite_opts *o = r->o;
	struct vb_result_set *s = r->s;
	if (interrupt__pending()) {
		r->interrupted = true;
		return err__set(err, 0, "interrupted before %s", e->name);
	}
	r->idx++;
	char why[1024] = "";
	if (e->available(&r->ctx, why, sizeof(why)) < 0) {
		result_set__skip(s, e->name, e->family, "%s", why);
		return 0;
	}
	/* Time left: what is planned, scaled by how the plan held so far. */
	double elapsed = clock__now_s() - r->t0;
	double scale = r->done_est > 0 && elapsed > 0 ? elapsed / r->done_est : 1;
	char label[160];
	snprintf(label, sizeof(label), "run %s: %s", e->name, e->what);
	progress__update(label, r->idx, r->total, elapsed, (r->planned - r->done_est) * scale);

	struct vb_result_set part;
	result_set__init(&part);
	struct vb_err berr = { 0 };
	double started = clock__now_s();
	int brc = e->run(&r->ctx, &part, &berr);
	r->done_est += o->full ? e->full_s : e->quick_s;
	/* Wall time per entry: what --quick costs where, on the progress line
	 * and in the file. */
	double took = clock__now_s() - started;
	json_t *d = s->extra ? json_object_get(s->extra, "seconds") : NULL;
	if (d)
		json_object_set_new(d, e->name, json_real(round(took * 100) / 100));
	progress__finish(label, r->idx, r->total, took);
	bool stop = interrupt__pending();
	if (brc < 0 && !stop) {
		if (!o->quiet)
			warn__("%s failed: %s", e->name, berr.msg);
		result_set__skip(s, e->name, e->family, "failed: %s", berr.msg);
	}
	/* Run metadata a benchmark records (QEMU's accelerator choice). */
	if (part.extra && s->extra)
		json_object_update(s->extra, part.extra);
	/* Whatever finished is kept, also from an interrupted entry. */
	int rc = 0;
	if (result_set__merge(s, &part) < 0)
		rc = err__set(err, ENOMEM, "%s: keeping results", e->name);
	result_set__free(&part);
	if (rc == 0 && result_set__checkpoint(s, r->path, err) < 0)
		rc = -1;
	if (rc == 0 && stop) {
		r->interrupted = true;
		rc = err__set(err, 0, "interrupted during %s", e->name);
	}
	return rc;
}

/* The last results.json and the report, also of an interrupted run (it
 * says so). */
static int run__finish(struct run *r, const char *dir, int rc, struct vb_err *err)
{
	const struct suite_opts *o = r->o;
	struct vb_result_set *s = r->s;
	if (rc == 0)
		s->incomplete = false;
	if (rc < 0 && !r->interrupted)
		return rc;
	struct vb_err serr = { 0 };
	if (result_set__checkpoint(s, r->path, &serr) < 0) {
		*err = serr;
		return -1;
	}
	struct report_opts ro = { .no_gnuplot = o->no_gnuplot, .quiet = o->quiet };
	check__plausibility(s); /* what `report DIR` would show */
	int wrc = family__link(s) < 0 ? err__set(&serr, ENOMEM, "report: out of memory")
				      : report__write_all(s, dir, &ro, &serr);
	if (wrc < 0 && rc == 0) {
		*err = serr;
		return -1;
	}
	if (wrc < 0 && !o->quiet)
		warn__("report: %s", serr.msg);
	if (r->interrupted)
		err__wrap(err, "%s holds what finished, marked incomplete", r->path);
	return rc;
}

int suite__run(const struct suite_opts *o, const char *dir, struct vb_result_set *s,
	       struct vb_err *err)
{
	result_set__start(s, host__inspect, o->quiet);
	struct run r = { .o = o, .s = s };
	if (run__start(&r, dir, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < suite__nentries && rc == 0; i++)
		if (r.sel[i])
			rc = run__entry(&r, &suite__entries[i], err);
	container__release_images();
	return run__finish(&r, dir, rc, err);
}
