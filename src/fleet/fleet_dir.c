/* A fleet run's results directory: each host's report, the comparison of
 * the hosts and index.html linking them, written at the end of a run and
 * again by `virtbench report DIR`. What the directory holds is read as
 * untrusted input: fleet.json and every results.json through the readers
 * and their limits, host names only as fleet run names them, and no
 * symbolic link followed to a host's directory. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"
#include "core/output.h"
#include "core/result.h"
#include "fleet/fleet_int.h"
#include "report/check.h"
#include "report/compare.h"
#include "report/compare_nway.h"
#include "report/compare_out.h"
#include "report/family.h"
#include "report/html.h"
#include "report/report.h"

#define FLEET_JSON_MAX (1u << 20)

void fleet__entry_of(const struct fleet_host *h, struct fleet_entry *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", h->t.name);
	snprintf(e->arch, sizeof(e->arch), "%s", h->arch);
	snprintf(e->status, sizeof(e->status), "%s", h->state == FLEET_DONE ? "done" : "skipped");
	snprintf(e->reason, sizeof(e->reason), "%s", h->reason);
	e->results = h->state == FLEET_DONE;
}

int fleet__host_report(const char *dir, const struct report_opts *ro, char *arch, size_t size,
		       struct vb_err *err)
{
	char path[4500];
	snprintf(path, sizeof(path), "%s/results.json", dir);
	struct vb_result_set s;
	int rc = result_set__load(path, &s, err);
	if (rc < 0)
		return rc;
	rc = check__set(&s, path, true, err);
	if (rc == 0 && family__link(&s) < 0)
		rc = err__set(err, ENOMEM, "%s", path);
	if (rc == 0)
		rc = report__write_all(&s, dir, ro, err);
	const char *a = json_string_value(json_object_get(s.host, "arch"));
	if (rc == 0 && arch && a)
		snprintf(arch, size, "%s", a);
	result_set__free(&s);
	return rc;
}

int fleet__compare(const char *outdir, const struct fleet_entry *es, int n,
		   const struct report_opts *ro, struct vb_err *err)
{
	struct cmp_report *rep = calloc(1, sizeof(*rep));
	if (!rep)
		return err__set(err, ENOMEM, "compare");
	int rc = 0, left = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		if (!es[i].results)
			continue;
		if (rep->ninputs == COMPARE_MAX_INPUTS) {
			left++;
			continue;
		}
		struct cmp_input *in = &rep->inputs[rep->ninputs];
		char dir[4400];
		snprintf(dir, sizeof(dir), "%s/%s", outdir, es[i].name);
		in->letter = (char)('A' + rep->ninputs);
		rc = compare__load(dir, in, err);
		if (rc == 0) {
			snprintf(in->label, sizeof(in->label), "%s", es[i].name);
			rep->ninputs++;
		}
	}
	if (left)
		fprintf(stderr, "virtbench: compare takes %d sets: %d more hosts left out of it\n",
			COMPARE_MAX_INPUTS, left);
	if (rc == 0 && rep->ninputs < 2) {
		if (!ro->quiet)
			fprintf(stderr, "virtbench: fewer than two hosts gave results: nothing to "
					"compare\n");
		rc = 1;
	}
	if (rc == 0)
		rc = compare__build(rep, err);
	if (rc == 0) {
		char dir[4200];
		snprintf(dir, sizeof(dir), "%s/compare", outdir);
		rc = file__mkdirs(dir, err);
		if (rc == 0)
			rc = compare__write(rep, dir, ro, err);
		if (rc == 0) {
			printf("\n");
			compare__print(rep, stdout);
			compare__print_nway(rep, stdout);
			printf("\nWrote %s/compare.html, compare.csv and the charts.\n", dir);
		}
	}
	compare__free(rep);
	free(rep);
	return rc;
}

/* A link to a host's directory: "./" first, so that a name such as
 * "arm-1.example.org:22" is not read as a URL scheme; the names hold
 * nothing else that a URL path would need escaped. */
static int link_to(struct vb_buf *b, const char *name, const char *file, const char *text)
{
	if (buf__printf(b, "<a href=\"./") < 0 || html__text(b, name) < 0 ||
	    buf__printf(b, "/%s\">", file) < 0 || html__text(b, text) < 0)
		return -1;
	return buf__printf(b, "</a>");
}

int fleet__write_index(const char *outdir, const struct fleet_entry *es, int n, bool compared,
		       struct vb_err *err)
{
	struct vb_buf b = { 0 };
	int rc = html__begin(&b, "virtbench fleet");
	if (rc == 0 && compared)
		rc = buf__printf(&b, "<p><a href=\"./compare/compare.html\">Comparison of the "
				     "hosts</a> (the first host with results is the baseline, "
				     "A).</p>\n");
	if (rc == 0)
		rc = buf__printf(&b, "<table>\n<tr><th>host</th><th>arch</th><th>status</th>"
				     "<th>report</th><th>reason</th></tr>\n");
	for (int i = 0; i < n && rc == 0; i++) {
		const struct fleet_entry *e = &es[i];
		if (buf__printf(&b, "<tr>") < 0 || html__td(&b, e->name) < 0 ||
		    html__td(&b, e->arch[0] ? e->arch : "-") < 0 || html__td(&b, e->status) < 0 ||
		    buf__printf(&b, "<td>") < 0 ||
		    (e->results && link_to(&b, e->name, "report.html", "report.html") < 0) ||
		    buf__printf(&b, "</td>") < 0 || html__td(&b, e->reason) < 0 ||
		    buf__printf(&b, "</tr>\n") < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = buf__printf(&b, "</table>\n");
	if (rc == 0)
		rc = html__end(&b);
	if (rc < 0) {
		buf__free(&b);
		return err__set(err, ENOMEM, "index.html");
	}
	char path[4200];
	snprintf(path, sizeof(path), "%s/index.html", outdir);
	rc = file__write_atomic(path, b.data, b.len, err);
	buf__free(&b);
	return rc;
}

/* ---- reading the directory back ---- */

static bool is_reg(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* DIR/<name>/ a real directory (not a link) holding a regular results.json. */
static bool host_has_results(const char *dir, const char *name)
{
	char path[4400];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!fleet__name_ok(name) || !strcmp(name, "compare") || lstat(path, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return false;
	snprintf(path, sizeof(path), "%s/%s/results.json", dir, name);
	return is_reg(path);
}

bool fleet__is_results_dir(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/results.json", dir);
	struct stat st;
	if (lstat(path, &st) == 0)
		return false;
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	if (is_reg(path))
		return true;
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	while (d && !found && (e = readdir(d)))
		found = host_has_results(dir, e->d_name);
	if (d)
		closedir(d);
	return found;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct fleet_entry *)a)->name, ((const struct fleet_entry *)b)->name);
}

/* The hosts from fleet.json, in its order; every field checked. */
static int read_fleet_json(const char *dir, struct fleet_entry *es, int *n, struct vb_err *err)
{
	char path[4200], *text = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	if (file__read_all(path, FLEET_JSON_MAX, &text, &len, err) < 0)
		return -1;
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je);
	free(text);
	json_t *hosts = json_object_get(doc, "hosts");
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	int rc = 0;
	if (!doc)
		rc = err__set(err, 0, "%s: not JSON (line %d: %s)", path, je.line, je.text);
	else if (!schema || strcmp(schema, "virtbench-fleet/1") || !json_is_array(hosts))
		rc = err__set(err, 0, "%s: not a fleet summary (schema virtbench-fleet/1)", path);
	else if (json_array_size(hosts) > FLEET_MAX_HOSTS)
		rc = err__set(err, 0, "%s: more than %d hosts", path, FLEET_MAX_HOSTS);
	size_t i;
	json_t *h;
	*n = 0;
	json_array_foreach (rc == 0 ? hosts : NULL, i, h) {
		const char *name = json_string_value(json_object_get(h, "host"));
		const char *arch = json_string_value(json_object_get(h, "arch"));
		const char *status = json_string_value(json_object_get(h, "status"));
		const char *reason = json_string_value(json_object_get(h, "reason"));
		if (!name || !fleet__name_ok(name) || !strcmp(name, "compare")) {
			rc = err__set(err, 0, "%s: host %zu: no name fleet run would give", path,
				      i + 1);
			break;
		}
		for (int k = 0; k < *n; k++)
			if (!strcmp(es[k].name, name))
				rc = err__set(err, 0, "%s: host '%s' named twice", path, name);
		if (rc < 0)
			break;
		struct fleet_entry *e = &es[(*n)++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->arch, sizeof(e->arch), "%s", arch ? arch : "");
		snprintf(e->status, sizeof(e->status), "%s",
			 status && !strcmp(status, "done") ? "done" : "skipped");
		snprintf(e->reason, sizeof(e->reason), "%s", reason ? reason : "");
		e->results = host_has_results(dir, name);
	}
	json_decref(doc);
	return rc;
}

/* Without fleet.json: every DIR/<host>/results.json, by name. */
static int scan_hosts(const char *dir, struct fleet_entry *es, int *n, struct vb_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return err__set(err, errno, "%s", dir);
	struct dirent *e;
	*n = 0;
	while ((e = readdir(d)))
		if (host_has_results(dir, e->d_name) && *n < FLEET_MAX_HOSTS) {
			struct fleet_entry *x = &es[(*n)++];
			memset(x, 0, sizeof(*x));
			snprintf(x->name, sizeof(x->name), "%.100s", e->d_name);
			snprintf(x->status, sizeof(x->status), "done");
			x->results = true;
		}
	closedir(d);
	qsort(es, (size_t)*n, sizeof(*es), by_name);
	return 0;
}

int fleet__report_dir(const char *dir, const struct report_opts *ro,
		      int (*check_dir)(const char *dir, struct vb_err *err), struct vb_err *err)
{
	struct fleet_entry *es = calloc(FLEET_MAX_HOSTS, sizeof(*es));
	if (!es)
		return err__set(err, ENOMEM, "fleet");
	char path[4200];
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	int n = 0;
	int rc = is_reg(path) ? read_fleet_json(dir, es, &n, err) : scan_hosts(dir, es, &n, err);
	struct vb_err first = { 0 };
	for (int i = 0; rc == 0 && i < n; i++) {
		if (!es[i].results)
			continue;
		char hdir[4400];
		struct vb_err herr = { 0 };
		snprintf(hdir, sizeof(hdir), "%s/%s", dir, es[i].name);
		/* the architecture the results say, where fleet.json does not */
		char arch[sizeof(es[i].arch)] = "";
		if (check_dir(hdir, &herr) < 0 ||
		    fleet__host_report(hdir, ro, arch, sizeof(arch), &herr) < 0) {
			es[i].results = false;
			snprintf(es[i].status, sizeof(es[i].status), "refused");
			snprintf(es[i].reason, sizeof(es[i].reason), "%.500s", herr.msg);
			if (!first.msg[0])
				first = herr;
			continue;
		}
		if (!es[i].arch[0])
			snprintf(es[i].arch, sizeof(es[i].arch), "%s", arch);
		if (!ro->quiet)
			fprintf(stderr, "virtbench: wrote %s/report.html\n", hdir);
	}
	bool compared = false;
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/compare", dir);
		struct stat st;
		if (lstat(path, &st) == 0 && check_dir(path, err) < 0)
			rc = -1;
		else
			rc = fleet__compare(dir, es, n, ro, err);
		compared = rc == 0;
		if (rc > 0)
			rc = 0;
	}
	if (rc == 0)
		rc = fleet__write_index(dir, es, n, compared, err);
	if (rc == 0 && !ro->quiet)
		fprintf(stderr, "virtbench: wrote %s/index.html\n", dir);
	if (rc == 0 && first.msg[0]) {
		*err = first;
		rc = -1;
	}
	free(es);
	return rc;
}
