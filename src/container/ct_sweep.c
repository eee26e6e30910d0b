/* What container runs that ended without cleaning up left, removed at the
 * start of the next run: runc/crun containers (their state under the
 * runtime's root), docker/podman containers and images labelled with a dead
 * owner (an image labelled virtbench.keep=1 stays), control groups named
 * after a dead owner's containers in every hierarchy, and the run's temp
 * dir. Names and labels carry the owner (core/owner.h); a live run's things
 * are never touched, so runs may go on in parallel. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/sweep.h"

#define SWEEP_TIMEOUT_MS 20000
#define MAX_BATCH	 64

static bool have(const char *prog)
{
	char *p = proc__which(prog);
	free(p);
	return p != NULL;
}

/* Runs `prog <verb...> ids...` for the collected ids (one call per batch). */
static unsigned remove_batch(const char *prog, const char *const *verb, char **ids, unsigned n)
{
	if (!n)
		return 0;
	char *argv[MAX_BATCH + 8];
	size_t k = 0;
	argv[k++] = (char *)prog;
	for (size_t i = 0; verb[i]; i++)
		argv[k++] = (char *)verb[i];
	for (unsigned i = 0; i < n; i++)
		argv[k++] = ids[i];
	argv[k] = NULL;
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	int rc = ct__run_cleanup(argv, SWEEP_TIMEOUT_MS, &r, &e);
	proc__result_free(&r);
	return rc == 0 ? n : 0;
}

/* runc/crun: `list` shows the state under the default root; each dead
 * owner's container is deleted (--force: one still running is killed). */
static void sweep_oci(const char *prog, struct sweep_tally *t)
{
	if (geteuid() != 0 || !have(prog))
		return;
	char *argv[] = { (char *)prog, "list", "--format", "json", NULL };
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	json_t *list = NULL;
	if (ct__run_cleanup(argv, SWEEP_TIMEOUT_MS, &r, &e) == 0 && r.out)
		list = json_loads(r.out, 0, NULL);
	proc__result_free(&r);
	size_t i;
	json_t *c;
	json_array_foreach (list, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		struct vb_owner o;
		if (!id || !ct__id_owner(id, &o) || !owner__dead(&o))
			continue;
		static const char *const del[] = { "delete", "--force", NULL };
		char *one[] = { (char *)id };
		t->n[SWEEP_CONTAINER] += remove_batch(prog, del, one, 1);
	}
	json_decref(list);
	/* What `list` cannot load: a runtime killed while it made the
	 * container left only its state dir. */
	char root[64];
	snprintf(root, sizeof(root), "/run/%s", prog);
	DIR *d = opendir(root);
	for (struct dirent *de; d && (de = readdir(d));) {
		struct vb_owner o;
		if (ct__id_owner(de->d_name, &o) && owner__dead(&o) &&
		    ct_oci__remove_state_dir(prog, de->d_name))
			t->n[SWEEP_CONTAINER]++;
	}
	if (d)
		closedir(d);
}

/* Lines of a command's output, each handed to fn. */
static void for_lines(char *text, void (*fn)(char *line, void *arg), void *arg)
{
	char *save = NULL;
	for (char *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save))
		fn(l, arg);
}

struct batch {
	char *ids[MAX_BATCH];
	unsigned n;
};

static void batch_add(struct batch *b, const char *id)
{
	for (unsigned i = 0; i < b->n; i++)
		if (!strcmp(b->ids[i], id))
			return;
	if (b->n < MAX_BATCH && (b->ids[b->n] = strdup(id)))
		b->n++;
}

static void batch_free(struct batch *b)
{
	for (unsigned i = 0; i < b->n; i++)
		free(b->ids[i]);
	b->n = 0;
}

/* "<id> <name>" of `ps --format`: the name carries the owner. */
static void dead_container(char *line, void *arg)
{
	char id[80], name[CT_ID_MAX + 8];
	struct vb_owner o;
	if (sscanf(line, "%79s %71s", id, name) == 2 &&
	    ct__id_owner(name[0] == '/' ? name + 1 : name, &o) && owner__dead(&o))
		batch_add(arg, id);
}

static void image_id(char *line, void *arg)
{
	char id[80];
	if (sscanf(line, "%79s", id) == 1)
		batch_add(arg, id);
}

static void dead_image(char *line, void *arg)
{
	struct image_info ii;
	struct vb_owner o;
	if (ct_docker__image_line(line, &ii) && strcmp(ii.keep, "1") &&
	    ct_docker__image_owner(&ii, &o) && owner__dead(&o))
		batch_add(arg, ii.id);
}

/* Output of `prog args...` into fn line by line; false when it failed
 * (no daemon: nothing to sweep there). */
static bool list_lines(char *const *argv, void (*fn)(char *line, void *arg), void *arg)
{
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	bool ok = ct__run_cleanup(argv, SWEEP_TIMEOUT_MS, &r, &e) == 0 && r.out;
	if (ok)
		for_lines(r.out, fn, arg);
	proc__result_free(&r);
	return ok;
}

/* docker/podman: containers first (an image in use cannot go), then the
 * images of dead owners that were not kept on purpose. */
static void sweep_engine(const char *prog, struct sweep_tally *t)
{
	if (!have(prog))
		return;
	char *ps[] = {
		(char *)prog,	      "ps", "-a", "--filter", "label=virtbench=1", "--format",
		"{{.ID}} {{.Names}}", NULL
	};
	struct batch b = { .n = 0 };
	if (!list_lines(ps, dead_container, &b))
		return;
	static const char *const rm[] = { "rm", "--force", NULL };
	t->n[SWEEP_CONTAINER] += remove_batch(prog, rm, b.ids, b.n);
	batch_free(&b);

	char *images[] = { (char *)prog,	"images", "-q", "--no-trunc", "--filter",
			   "label=virtbench=1", NULL };
	struct batch ids = { .n = 0 };
	list_lines(images, image_id, &ids);
	if (ids.n) {
		char *inspect[MAX_BATCH + 8] = { (char *)prog, "image", "inspect", "--format",
						 CT_IMAGE_FORMAT };
		for (unsigned i = 0; i < ids.n; i++)
			inspect[5 + i] = ids.ids[i];
		list_lines(inspect, dead_image, &b);
	}
	batch_free(&ids);
	static const char *const rmi[] = { "rmi", "--force", NULL };
	t->n[SWEEP_IMAGE] += remove_batch(prog, rmi, b.ids, b.n);
	batch_free(&b);
}

/* Groups named after a dead owner's containers: the built-in runtime's,
 * and runc's that its lost state no longer names, in every hierarchy. */
static void sweep_cgroups(struct sweep_tally *t)
{
	struct cg_layout l;
	struct vb_err ignore = { 0 };
	if (geteuid() != 0 || ct_cgroup__detect(&l, &ignore) < 0)
		return;
	for (unsigned i = 0; i < l.nall; i++) {
		DIR *d = opendir(l.all[i]);
		for (struct dirent *e; d && (e = readdir(d));) {
			struct vb_owner o;
			char dir[CG_PATH * 2];
			if (e->d_type == DT_DIR && ct__id_owner(e->d_name, &o) && owner__dead(&o) &&
			    snprintf(dir, sizeof(dir), "%s/%s", l.all[i], e->d_name) < CG_PATH)
				t->n[SWEEP_CGROUP] += ct_cgroup__remove_tree(dir);
		}
		if (d)
			closedir(d);
	}
}

/* virtbench-ct.<pid>.<start>.XXXXXX, or virtbench-ct-<pid>.XXXXXX of
 * versions without start times. */
static bool tmp_owner(const char *name, struct vb_owner *o)
{
	const char *p;
	if (!strncmp(name, CT_TMP_PREFIX, strlen(CT_TMP_PREFIX)))
		p = owner__scan(name + strlen(CT_TMP_PREFIX), '.', true, o);
	else if (!strncmp(name, "virtbench-ct-", 13))
		p = owner__scan(name + 13, '.', false, o);
	else
		return false;
	return p && *p == '.';
}

void container__sweep(struct sweep_tally *t)
{
	sweep_oci("runc", t);
	sweep_oci("crun", t);
	sweep_engine("docker", t);
	sweep_engine("podman", t);
	sweep_cgroups(t);
	sweep__tmpdirs(tmp_owner, NULL, NULL, t);
}
