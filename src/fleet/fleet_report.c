/* The end of a fleet run: each host's results directory rebuilt here from
 * its checked results.json (CSVs, charts, report.html), the summary of
 * every host (fleet.json and a table), and `compare` of every host that
 * gave results, the first as baseline, into DIR/compare/. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/result.h"
#include "fleet/fleet_int.h"
#include "report/check.h"
#include "report/compare.h"
#include "report/compare_nway.h"
#include "report/compare_out.h"
#include "report/family.h"
#include "report/report.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fleet__find_dist(char *out, size_t size, struct vb_err *err)
{
	const char *env = getenv("VIRTBENCH_DIST");
	if (env && *env) {
		snprintf(out, size, "%s", env);
		return 0;
	}
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return err__set(err, errno, "finding virtbench's own path");
	self[len] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	const char *tries[] = { "dist", "../lib/virtbench/dist" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(out, size, "%s/%s", self, tries[i]);
		if (is_dir(out))
			return 0;
	}
	return err__usage(err,
			  "no dist directory next to %s (run 'make dist', or give --dist DIR "
			  "or VIRTBENCH_DIST)",
			  self);
}

/* CSVs, charts and report.html from the results.json fetched (and read by
 * the reader already): rebuilt here, never copied from the host. */
static void local_report(struct fleet_host *h, const struct fleet_opts *o)
{
	char dir[4400], path[4500];
	snprintf(dir, sizeof(dir), "%s/%s", o->outdir, h->t.name);
	struct vb_err err = { 0 };
	struct report_opts ro = { .no_gnuplot = o->no_gnuplot, .quiet = true };
	if (fleet__host_report(dir, &ro, NULL, 0, &err) < 0) {
		h->state = FLEET_SKIPPED;
		snprintf(h->reason, sizeof(h->reason), "results refused: %.480s", err.msg);
		snprintf(path, sizeof(path), "%s/results.json", dir);
		unlink(path);
	}
}

static const char *state_name(enum fleet_state s)
{
	return s == FLEET_DONE ? "done" : s == FLEET_SKIPPED ? "skipped" : "pending";
}

static void summary(struct fleet_host *hs, int n, const struct fleet_opts *o, FILE *f)
{
	json_t *doc = json_object(), *arr = json_array();
	fprintf(f, "%-24s %-8s %-8s %8s  %s\n", "host", "arch", "status", "seconds", "reason");
	for (int i = 0; i < n; i++) {
		const struct fleet_host *h = &hs[i];
		fprintf(f, "%-24s %-8s %-8s %8.1f  %s\n", h->t.name, h->arch[0] ? h->arch : "-",
			state_name(h->state), h->seconds, h->reason);
		json_t *e = json_object();
		json_object_set_new(e, "host", json_string(h->t.name));
		json_object_set_new(e, "arch", json_string(h->arch));
		json_object_set_new(e, "status", json_string(state_name(h->state)));
		json_object_set_new(e, "seconds", json_real(h->seconds));
		if (h->reason[0])
			json_object_set_new(e, "reason", json_string(h->reason));
		json_array_append_new(arr, e);
	}
	json_object_set_new(doc, "schema", json_string("virtbench-fleet/1"));
	json_object_set_new(doc, "hosts", arr);
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	json_decref(doc);
	if (text) {
		char path[4200];
		struct vb_err err = { 0 };
		snprintf(path, sizeof(path), "%s/fleet.json", o->outdir);
		size_t len = strlen(text);
		text[len] = '\n';
		if (file__write_atomic(path, text, len + 1, &err) < 0)
			fprintf(stderr, "virtbench: %s\n", err.msg);
		free(text);
	}
}

int fleet__run(struct fleet_target *targets, int n, const struct fleet_opts *o)
{
	struct fleet_host *hs = calloc((size_t)n, sizeof(*hs));
	struct vb_err err = { 0 };
	if (!hs) {
		err__set(&err, ENOMEM, "fleet");
		return err__report(&err);
	}
	for (int i = 0; i < n; i++) {
		hs[i].t = targets[i];
		hs[i].master.pid = 0;
		hs[i].master.in_fd = hs[i].master.out_fd = hs[i].master.err_fd = -1;
	}
	if (!o->quiet)
		fprintf(stderr, "virtbench: fleet of %d host%s%s, results in %s\n", n,
			n == 1 ? "" : "s", o->serial ? " one at a time" : "", o->outdir);
	int status = VB_EXIT_OK;
	if (fleet__hosts(hs, n, o, &err) < 0) {
		status = err__report(&err);
	} else {
		for (int i = 0; i < n; i++)
			if (hs[i].state == FLEET_DONE)
				local_report(&hs[i], o);
		summary(hs, n, o, stdout);
		struct fleet_entry *es = calloc((size_t)n, sizeof(*es));
		int rc = es ? 0 : err__set(&err, ENOMEM, "fleet");
		for (int i = 0; es && i < n; i++)
			fleet__entry_of(&hs[i], &es[i]);
		struct report_opts ro = { .no_gnuplot = o->no_gnuplot, .quiet = o->quiet };
		if (rc == 0)
			rc = fleet__compare(o->outdir, es, n, &ro, &err);
		struct vb_err ierr = { 0 };
		if (es && fleet__write_index(o->outdir, es, n, rc == 0, &ierr) < 0)
			fprintf(stderr, "virtbench: %s\n", ierr.msg);
		free(es);
		if (rc < 0)
			err__report(&err);
		for (int i = 0; i < n; i++)
			if (hs[i].state != FLEET_DONE)
				status = VB_EXIT_FAILURE;
		if (rc != 0)
			status = VB_EXIT_FAILURE;
	}
	for (int i = 0; i < n; i++)
		free(hs[i].log);
	free(hs);
	return status;
}
