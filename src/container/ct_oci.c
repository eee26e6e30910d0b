/* runc and crun: an OCI bundle (config.json written with jansson, the root
 * file system shared with the built-in runtime, read-only) started with
 * `<runtime> run --keep`, so the run ends when the worker exits and the
 * removal is measured on its own by `<runtime> delete`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "container/ct.h"
#include "core/clock.h"
#include "core/fileio.h"
#include "core/interrupt.h"

/* The bundle's config.json: the worker as process 1 in new PID, network,
 * IPC, UTS and mount namespaces, /proc and a /dev tmpfs (the runtime adds
 * the standard device nodes), optional CPU and memory limits. */
json_t *ct_oci__config(const struct ct_env *e, const char *const *args)
{
	json_t *argv = json_array();
	json_array_append_new(argv, json_string(CT_WORKER_IN_ROOT));
	for (size_t i = 0; args && args[i]; i++)
		json_array_append_new(argv, json_string(args[i]));
	json_t *ns = json_array();
	static const char *const types[] = { "pid", "network", "ipc", "uts", "mount" };
	for (size_t i = 0; i < 5; i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", types[i]));
	json_t *mounts = json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s,s:[s,s,s,s]}]", "destination",
				   "/proc", "type", "proc", "source", "proc", "destination", "/dev",
				   "type", "tmpfs", "source", "tmpfs", "options", "nosuid",
				   "strictatime", "mode=755", "size=65536k");
	json_t *linux_ = json_pack("{s:o}", "namespaces", ns);
	json_t *res = json_object();
	if (e->limits.cpus > 0)
		json_object_set_new(res, "cpu",
				    json_pack("{s:I,s:I}", "quota",
					      (json_int_t)(e->limits.cpus * 100000 + 0.5), "period",
					      (json_int_t)100000));
	if (e->limits.memory_bytes)
		json_object_set_new(res, "memory",
				    json_pack("{s:I}", "limit",
					      (json_int_t)e->limits.memory_bytes));
	json_object_set_new(linux_, "resources", res);
	return json_pack("{s:s,s:{s:b,s:{s:i,s:i},s:o,s:[s],s:s,s:b},s:{s:s,s:b},s:s,s:o,s:o}",
			 "ociVersion", "1.0.2", "process", "terminal", 0, "user", "uid", 0, "gid",
			 0, "args", argv, "env", "PATH=/", "cwd", "/", "noNewPrivileges", 1, "root",
			 "path", e->rootfs, "readonly", 1, "hostname", "virtbench", "mounts",
			 mounts, "linux", linux_);
}

/* The I/O modes (struct ct_start): a volume bind-mounted at CT_IO_DIR, or
 * CT_IO_DIR as an overlay whose upper directory is under the volume's
 * file system. The runtime mounts both inside the container's own mount
 * namespace, so nothing reaches the host's mount table and nothing is
 * left mounted when virtbench is killed. */
static int add_io_mounts(json_t *cfg, const struct ct_env *e, const struct ct_start *s)
{
	json_t *mounts = json_object_get(cfg, "mounts");
	char a[3][PATH_MAX + 16];
	json_t *m = NULL;
	if (s->volume) {
		m = json_pack("{s:s,s:s,s:s,s:[s,s]}", "destination", CT_IO_DIR, "type", "bind",
			      "source", s->volume, "options", "rbind", "rw");
	} else if (s->overlay) {
		if (snprintf(a[0], sizeof(a[0]), "lowerdir=%s%s", e->rootfs, CT_IO_DIR) >=
			    (int)sizeof(a[0]) ||
		    snprintf(a[1], sizeof(a[1]), "upperdir=%s/upper%s", s->overlay, CT_IO_DIR) >=
			    (int)sizeof(a[1]) ||
		    snprintf(a[2], sizeof(a[2]), "workdir=%s/work", s->overlay) >=
			    (int)sizeof(a[2]))
			return -1;
		m = json_pack("{s:s,s:s,s:s,s:[s,s,s]}", "destination", CT_IO_DIR, "type",
			      "overlay", "source", "overlay", "options", a[0], a[1], a[2]);
	}
	return !s->volume && !s->overlay ? 0 : m ? json_array_append_new(mounts, m) : -1;
}

static int args_key(const struct ct_start *s, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; s->args && s->args[i]; i++) {
		int n = snprintf(out + used, size - used, "%s\x1f", s->args[i]);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	int n = snprintf(out + used, size - used, "\x1e%s\x1f%s", s->volume ? s->volume : "",
			 s->overlay ? s->overlay : "");
	return n < 0 || (size_t)n >= size - used ? -1 : 0;
}

/* config.json changes only when the worker's arguments or mounts do. */
static int write_config(struct ct_driver *d, const struct ct_start *s, struct vb_err *err)
{
	char key[VBP_LINE_MAX];
	if (args_key(s, key, sizeof(key)) < 0)
		return err__set(err, E2BIG, "worker arguments too long");
	if (!strcmp(key, d->config_args))
		return 0;
	char path[PATH_MAX];
	if (ct__path(path, sizeof(path), d->bundle, "/config.json", err) < 0)
		return -1;
	json_t *cfg = ct_oci__config(d->env, s->args);
	if (!cfg)
		return err__set(err, ENOMEM, "building config.json");
	if (add_io_mounts(cfg, d->env, s) < 0) {
		json_decref(cfg);
		return err__set(err, ENAMETOOLONG, "the I/O mount of config.json");
	}
	int rc = json_dump_file(cfg, path, JSON_INDENT(1));
	json_decref(cfg);
	if (rc < 0)
		return err__set(err, errno, "writing %s", path);
	snprintf(d->config_args, sizeof(d->config_args), "%s", key);
	return 0;
}

static int oci_start(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
		     struct vb_err *err)
{
	if (write_config(d, s, err) < 0)
		return -1;
	ct_env__next_id(d->env, in->id, sizeof(in->id));
	char *argv[] = { (char *)d->program, "run", "--bundle", d->bundle, "--keep", in->id, NULL };
	if (!d->has_keep) { /* crun: no --keep, the run removes the container */
		argv[4] = in->id;
		argv[5] = NULL;
		in->removed_by_exit = true;
	}
	/* Listed before the runtime runs: a forced exit that kills it half
	 * way must still delete its state and groups. */
	ct_live__add(d, in);
	if (ct_inst__spawn(in, argv, s->keep_stdin, err) < 0) {
		ct_live__remove(in);
		return -1;
	}
	in->created = true;
	return 0;
}

int ct_oci__pid(const struct ct_driver *d, const char *id, pid_t *pid, struct vb_err *err)
{
	char *argv[] = { (char *)d->program, "state", (char *)id, NULL };
	struct vb_proc_result r;
	int rc = ct__run(argv, 20000, &r, err);
	json_t *st = rc == 0 && r.out ? json_loads(r.out, 0, NULL) : NULL;
	json_int_t p = st ? json_integer_value(json_object_get(st, "pid")) : 0;
	json_decref(st);
	proc__result_free(&r);
	if (rc < 0)
		return err__wrap(err, "%s state %s", d->program, id);
	if (p <= 0)
		return err__set(err, EPROTO, "%s state %s: no pid", d->program, id);
	*pid = (pid_t)p;
	return 0;
}

bool ct_oci__remove_state_dir(const char *program, const char *id)
{
	char dir[PATH_MAX];
	struct stat sb;
	if (snprintf(dir, sizeof(dir), "/run/%s/%s", program, id) >= (int)sizeof(dir) ||
	    lstat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return false;
	return file__remove_tree(dir) == 0;
}

static int oci_teardown(struct ct_driver *d, struct ct_inst *in, struct vb_err *err)
{
	ct_inst__kill(in);
	if (!in->created)
		return 0;
	interrupt__cleanup_enter();
	char *argv[] = { (char *)d->program, "delete", "--force", in->id, NULL };
	struct vb_proc_result r;
	int rc = ct__run_cleanup(argv, 20000, &r, err);
	/* Gone already: removed by its own run, or never created. */
	if (rc < 0 && (in->removed_by_exit || (r.errout && (strstr(r.errout, "does not exist") ||
							    strstr(r.errout, "not found") ||
							    strstr(r.errout, "No such file")))))
		rc = 0;
	proc__result_free(&r);
	/* A runtime stopped while it made the container (Ctrl-C) leaves its
	 * groups, and a state dir without state.json that delete cannot find. */
	if (d->have_cg)
		ct_cgroup__remove_named(&d->cg, in->id);
	ct_oci__remove_state_dir(d->program, in->id);
	in->created = false;
	ct_live__remove(in);
	interrupt__cleanup_leave();
	return rc;
}

static int oci_open(struct ct_driver *d, struct vb_err *err)
{
	char *path = proc__which(d->program);
	if (!path)
		return err__set(err, 0, "%s not found on PATH", d->program);
	free(path);
	if (geteuid() != 0)
		return err__set(err, EPERM, "%s needs root here (rootless bundles are not written)",
				d->program);
	struct vb_err ignore = { 0 };
	d->have_cg = ct_cgroup__detect(&d->cg, &ignore) == 0;
	char sub[64];
	snprintf(sub, sizeof(sub), "/bundle-%s", d->program);
	if (ct__path(d->bundle, sizeof(d->bundle), d->env->tmpdir, sub, err) < 0)
		return -1;
	if (mkdir(d->bundle, 0755) < 0)
		return err__set(err, errno, "mkdir %s", d->bundle);
	d->config_args[0] = '\x02'; /* matches no argument list */
	char *help[] = { (char *)d->program, "run", "--help", NULL };
	struct vb_proc_result hr;
	struct vb_err herr = { 0 };
	if (ct__run(help, 10000, &hr, &herr) == 0 || hr.out)
		d->has_keep = (hr.out && strstr(hr.out, "--keep")) ||
			      (hr.errout && strstr(hr.errout, "--keep"));
	proc__result_free(&hr);
	if (!d->has_keep)
		snprintf(d->note, sizeof(d->note),
			 "%s run removes the container itself (no --keep)", d->program);
	/* One container proves the runtime works on this host (crun 1.8
	 * refuses a hybrid cgroup v1 layout, for one). */
	struct ct_inst in;
	ct_inst__init(&in);
	const char *args[] = { "--once", "kind=noop", NULL };
	struct ct_start s = { .args = args };
	int rc = oci_start(d, &s, &in, err);
	if (rc == 0 && (rc = ct_inst__wait_ready(&in, 20000, err)) == 0)
		rc = ct_inst__wait_exit(&in, 20000, err);
	struct vb_err terr = { 0 };
	oci_teardown(d, &in, &terr);
	if (rc == 0)
		return 0;
	if (d->have_cg && d->cg.mode == CGROUP_HYBRID && strstr(err->msg, "cgroup"))
		return err__wrap(err, "refuses this host's hybrid cgroup layout (v1 controllers "
				      "beside a cgroup2 tree)");
	return err__wrap(err, "test container");
}

static void oci_close(struct ct_driver *d)
{
	if (d->bundle[0]) {
		file__remove_tree(d->bundle);
		d->bundle[0] = '\0';
	}
}

const struct ct_ops ct_oci_ops = {
	.open = oci_open,
	.start = oci_start,
	.teardown = oci_teardown,
	.close = oci_close,
};
