/* docker and podman: an image made locally from the worker's root file
 * system (`import` of a tar written here: no registry is involved), tagged
 * virtbench-worker:<version>, and each user's image named by --image with
 * the worker bind-mounted read-only as its entry point (one driver per
 * image, ct_session.c). Containers are started attached (`run` without -d),
 * so the run ends when the worker exits; `rm` is the teardown. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/clock.h"
#include "core/interrupt.h"
#include "core/version.h"

#define LABEL "virtbench=1"

bool ct_docker__image_line(const char *line, struct image_info *ii)
{
	char f[5][80];
	memset(ii, 0, sizeof(*ii));
	if (sscanf(line, "%79s %79s %79s %79s %79s", f[0], f[1], f[2], f[3], f[4]) != 5)
		return false;
	char *dst[5] = { ii->id, ii->worker, ii->pid, ii->start, ii->keep };
	size_t cap[5] = { sizeof(ii->id), sizeof(ii->worker), sizeof(ii->pid), sizeof(ii->start),
			  sizeof(ii->keep) };
	for (int i = 0; i < 5; i++)
		if (strcmp(f[i], "-"))
			snprintf(dst[i], cap[i], "%s", f[i]);
	return ii->id[0] != '\0';
}

bool ct_docker__image_owner(const struct image_info *ii, struct vb_owner *o)
{
	o->pid = 0;
	o->start = 0;
	if (!ii->pid[0] || !owner__scan(ii->pid, ' ', false, o))
		return false;
	if (ii->start[0])
		o->start = strtoull(ii->start, NULL, 10);
	return true;
}

static int image_info(const char *prog, const char *image, struct image_info *ii)
{
	char *argv[] = { (char *)prog,	  "image",	 "inspect", "--format",
			 CT_IMAGE_FORMAT, (char *)image, NULL };
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	memset(ii, 0, sizeof(*ii));
	int rc = ct__run_cleanup(argv, 20000, &r, &e);
	if (rc == 0 && r.out)
		ct_docker__image_line(r.out, ii);
	proc__result_free(&r);
	return rc;
}

static int remove_image(const char *prog, const char *ref, struct vb_err *err)
{
	char *argv[] = { (char *)prog, "rmi", "--force", (char *)ref, NULL };
	struct vb_proc_result r;
	int rc = ct__run_cleanup(argv, 60000, &r, err);
	proc__result_free(&r);
	return rc;
}

static int build_image(struct ct_driver *d, struct vb_err *err)
{
	snprintf(d->image, sizeof(d->image), "virtbench-worker:%s", VB_VERSION);
	/* Containers run by image ID, so another run moving the name cannot
	 * change what this one starts. An image of that name holding this
	 * very worker and kept by a finished run (--keep-image) is used as it
	 * is and left alone; one a live run made may vanish with that run, so
	 * this run then imports its own. */
	struct image_info ii;
	if (image_info(d->program, d->image, &ii) == 0) {
		struct vb_owner o, me = owner__self();
		bool labelled = ct_docker__image_owner(&ii, &o);
		/* Our own (an earlier run in this process) counts as kept. */
		bool own = labelled && o.pid == me.pid && (!o.start || o.start == me.start);
		bool alive = labelled && !own && !owner__dead(&o);
		bool kept = !strcmp(ii.keep, "1") || own;
		bool same = !strcmp(ii.worker, d->env->worker_hash);
		if (same && kept && !alive) {
			snprintf(d->image_id, sizeof(d->image_id), "%s", ii.id);
			return 0;
		}
		/* A kept image of another worker is of no use any more, and one
		 * a dead run did not mean to keep is a leftover. */
		if (!alive && remove_image(d->program, ii.id, err) < 0)
			return err__wrap(err, "removing the old %s", d->image);
	}
	char *tar = NULL;
	size_t len = 0;
	if (ct_tar__rootfs(d->env->rootfs, &tar, &len, err) < 0)
		return -1;
	/* virtbench.keep=1 tells the next runs (container__sweep) to leave it. */
	/* One LABEL a --change: podman 4.3 reads "LABEL a=1 b=2" as the one
	 * label a="1 b=2", and an image without its owner's labels looks like
	 * nobody's to a concurrent run, which removes it. */
	char labels[5][96];
	snprintf(labels[0], sizeof(labels[0]), "LABEL %s", LABEL);
	snprintf(labels[1], sizeof(labels[1]), "LABEL %s", d->env->pid_label);
	snprintf(labels[2], sizeof(labels[2]), "LABEL %s", d->env->start_label);
	snprintf(labels[3], sizeof(labels[3]), "LABEL virtbench.worker=%s", d->env->worker_hash);
	snprintf(labels[4], sizeof(labels[4]), "LABEL virtbench.keep=1");
	/* import, the entry point, five labels, "-" and the name: 17 with NULL. */
	char *argv[20] = { (char *)d->program, "import", "--change",
			   "ENTRYPOINT [\"" CT_WORKER_IN_ROOT "\"]" };
	size_t na = 4;
	for (int i = 0; i < (d->env->keep_image ? 5 : 4); i++) {
		argv[na++] = "--change";
		argv[na++] = labels[i];
	}
	argv[na++] = "-";
	argv[na++] = d->image;
	argv[na] = NULL;
	struct vb_proc_opts o = {
		.argv = argv, .timeout_ms = 120000, .stdin_data = tar, .stdin_len = len
	};
	struct vb_proc_result r;
	d->image_built = true; /* a half-made import is removed too */
	if (!d->env->keep_image) {
		const char *rmi[] = { d->program, "rmi", "--force", d->image, NULL };
		d->later_slot = interrupt__run_on_abort(rmi);
	}
	int rc = proc__run(&o, &r, err);
	if (rc == 0 && r.exit_code != 0)
		rc = err__set(err, 0, "%s import failed: %s", d->program, r.errout);
	/* Removal goes by ID: should another run re-tag the name meanwhile,
	 * its image stays and ours does not linger untagged. */
	if (rc == 0 && r.out) {
		size_t n = strcspn(r.out, "\r\n");
		if (n > 0 && n < sizeof(d->image_id))
			snprintf(d->image_id, sizeof(d->image_id), "%.*s", (int)n, r.out);
		if (d->later_slot >= 0) {
			interrupt__cancel_run(d->later_slot);
			const char *rmi[] = { d->program, "rmi", "--force", d->image_id, NULL };
			d->later_slot = interrupt__run_on_abort(rmi);
		}
	}
	proc__result_free(&r);
	free(tar);
	return rc < 0 ? err__wrap(err, "building image %s", d->image) : 0;
}

/* The runtime is installed and answers (docker: its daemon); its version
 * into version. */
static int docker_check(struct ct_driver *d, char *version, size_t vsize, struct vb_err *err)
{
	char *path = proc__which(d->program);
	if (!path)
		return err__set(err, 0, "%s not found on PATH", d->program);
	free(path);
	/* docker asks its daemon; podman has none and answers for itself. */
	bool podman = !strcmp(d->program, "podman");
	char *argv[] = { (char *)d->program, "version", "--format",
			 podman ? "{{.Client.Version}}" : "{{.Server.Version}}", NULL };
	struct vb_proc_result r;
	int rc = ct__run(argv, 15000, &r, err);
	snprintf(version, vsize, "%.*s", r.out ? (int)strcspn(r.out, "\r\n") : 0,
		 r.out ? r.out : "");
	proc__result_free(&r);
	if (rc < 0 && strstr(err->msg, "permission denied")) {
		return err__wrap(err, "no permission to use the daemon (root or the docker group)");
	} else if (rc < 0) {
		err__wrap(err, "daemon not answering");
		if (!strcmp(d->program, "docker"))
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
				 " (start it with scripts/start-dockerd.sh)");
		return -1;
	}
	return 0;
}

/* The part of a failed test container's message that says why. */
static const char *reason(const struct vb_err *e)
{
	const char *p = strstr(e->msg, "Error: ");
	p = p ? p + 7 : e->msg;
	return strncmp(p, "OCI runtime error: ", 19) ? p : p + 19;
}

static int try_noop(struct ct_driver *d, struct vb_err *err)
{
	static const char *const args[] = { "--once", "kind=noop", NULL };
	return ct__run_once(d, args, 60000, NULL, NULL, NULL, NULL, NULL, err);
}

/* podman's limits for a container: virtbench's own, which an OCI runtime
 * can set without CAP_SYS_RESOURCE (podman asks for nofile 1048576 and sets
 * its own nproc, and so conmon's, to 32768, which bounds the container's). */
static void own_ulimits(struct ct_driver *d)
{
	struct rlimit f = { 1024, 1024 }, p = { 32768, 32768 };
	getrlimit(RLIMIT_NOFILE, &f);
	getrlimit(RLIMIT_NPROC, &p);
	if (p.rlim_max > 32768)
		p.rlim_max = 32768;
	if (p.rlim_cur > p.rlim_max)
		p.rlim_cur = p.rlim_max;
	snprintf(d->ulimit[0], sizeof(d->ulimit[0]), "nofile=%llu:%llu",
		 (unsigned long long)f.rlim_cur, (unsigned long long)f.rlim_max);
	snprintf(d->ulimit[1], sizeof(d->ulimit[1]), "nproc=%llu:%llu",
		 (unsigned long long)p.rlim_cur, (unsigned long long)p.rlim_max);
}

/* One no-op container proves the runtime runs here. podman's defaults may
 * not, and then what fixes it is chosen and said in the results' note:
 *  - limits above the host's hard ones (nofile 1048576) need
 *    CAP_SYS_RESOURCE, which a container host may withhold: virtbench's own
 *    limits are passed instead (--ulimit);
 *  - Debian 12's podman uses crun 1.8, which refuses a hybrid cgroup layout:
 *    runc, when installed, is used instead (--runtime runc).
 * When nothing works the error is podman's own first reason. */
static int choose_podman_setup(struct ct_driver *d, struct vb_err *err)
{
	struct vb_err first = { 0 }, e = { 0 };
	if (try_noop(d, &first) == 0)
		return 0;
	char fixed[sizeof(d->note)] = "";
	int rc = -1;
	e = first;
	if (strstr(e.msg, "rlimit") && !interrupt__pending()) {
		own_ulimits(d);
		snprintf(fixed, sizeof(fixed), "--ulimit %s,%s (%.60s)", d->ulimit[0], d->ulimit[1],
			 reason(&e));
		rc = try_noop(d, &e);
	}
	char *runc = proc__which("runc");
	free(runc);
	if (rc < 0 && runc && !interrupt__pending()) {
		snprintf(d->oci_runtime, sizeof(d->oci_runtime), "runc");
		size_t n = strlen(fixed);
		snprintf(fixed + n, sizeof(fixed) - n, "%s--runtime runc (%.60s)", n ? ", " : "",
			 reason(&e));
		rc = try_noop(d, &e);
	}
	if (rc < 0) {
		d->oci_runtime[0] = d->ulimit[0][0] = d->ulimit[1][0] = '\0';
		*err = first;
		return err__wrap(err, "test container");
	}
	snprintf(d->note, sizeof(d->note), "podman's defaults fail here: %s", fixed);
	return 0;
}

/* podman's set of options as chosen for the rest of the process: every
 * benchmark of a `run` opens podman anew, and each trial container costs
 * a second or more. It holds for the podman that answered with the same
 * version (another one on PATH is tried anew). */
static struct {
	bool decided;
	char version[64];
	int rc;
	struct vb_err err;
	char oci_runtime[16];
	char ulimit[2][48];
	char note[256];
} podman_chosen;

static int podman_setup(struct ct_driver *d, const char *version, struct vb_err *err)
{
	if (podman_chosen.decided && !strcmp(podman_chosen.version, version)) {
		memcpy(d->oci_runtime, podman_chosen.oci_runtime, sizeof(d->oci_runtime));
		memcpy(d->ulimit, podman_chosen.ulimit, sizeof(d->ulimit));
		memcpy(d->note, podman_chosen.note, sizeof(d->note));
		if (podman_chosen.rc < 0)
			*err = podman_chosen.err;
		return podman_chosen.rc;
	}
	int rc = choose_podman_setup(d, err);
	/* Ctrl-C decides nothing about podman. */
	if (interrupt__pending())
		return rc;
	podman_chosen.decided = true;
	snprintf(podman_chosen.version, sizeof(podman_chosen.version), "%s", version);
	podman_chosen.rc = rc;
	podman_chosen.err = rc < 0 ? *err : (struct vb_err){ 0 };
	memcpy(podman_chosen.oci_runtime, d->oci_runtime, sizeof(d->oci_runtime));
	memcpy(podman_chosen.ulimit, d->ulimit, sizeof(d->ulimit));
	memcpy(podman_chosen.note, d->note, sizeof(d->note));
	return rc;
}

static int docker_open(struct ct_driver *d, struct vb_err *err)
{
	char version[64];
	if (docker_check(d, version, sizeof(version), err) < 0 || build_image(d, err) < 0)
		return -1;
	return strcmp(d->program, "podman") ? 0 : podman_setup(d, version, err);
}

int ct_docker__open_named(struct ct_driver *d, struct vb_err *err)
{
	struct image_info ii;
	if (image_info(d->program, d->image, &ii) < 0) {
		char why[sizeof(err->msg)];
		container_image__missing(d->program, d->image, why, sizeof(why));
		return err__set(err, 0, "%s", why);
	}
	snprintf(d->oci_runtime, sizeof(d->oci_runtime), "%s", d->base->oci_runtime);
	memcpy(d->ulimit, d->base->ulimit, sizeof(d->ulimit));
	snprintf(d->note, sizeof(d->note), "%s", d->base->note);
	d->user_image = true;
	return 0;
}

/* argv of `run`; strings point into d, in or static storage. */
static size_t run_argv(struct ct_driver *d, const struct ct_inst *in, bool detach, bool keep_stdin,
		       const char *const *args, char **argv, size_t cap, char *volume, size_t vsize,
		       char *limits, size_t lsize, const struct ct_start *io)
{
	size_t n = 0;
	argv[n++] = (char *)d->program;
	argv[n++] = "run";
	if (d->oci_runtime[0]) { /* podman's global option, taken after `run` too */
		argv[n++] = "--runtime";
		argv[n++] = (char *)d->oci_runtime;
	}
	if (detach)
		argv[n++] = "-d";
	if (keep_stdin)
		argv[n++] = "-i";
	argv[n++] = "--name";
	argv[n++] = (char *)in->id;
	argv[n++] = "--label";
	argv[n++] = LABEL;
	argv[n++] = "--label";
	argv[n++] = d->env->pid_label;
	argv[n++] = "--label";
	argv[n++] = d->env->start_label;
	argv[n++] = "--network";
	argv[n++] = io && io->network ? (char *)io->network : "none";
	/* `rm --force` kills at once: the worker, PID 1 in there, ignores the
	 * stop signal, and podman would wait its 10 s default for it first. */
	argv[n++] = "--stop-timeout";
	argv[n++] = "0";
	for (int i = 0; i < 2; i++)
		if (d->ulimit[i][0]) {
			argv[n++] = "--ulimit";
			argv[n++] = d->ulimit[i];
		}
	if (d->env->limits.cpus > 0) {
		snprintf(limits, lsize / 2, "%g", d->env->limits.cpus);
		argv[n++] = "--cpus";
		argv[n++] = limits;
	}
	if (d->env->limits.memory_bytes) {
		snprintf(limits + lsize / 2, lsize / 2, "%llu",
			 (unsigned long long)d->env->limits.memory_bytes);
		argv[n++] = "--memory";
		argv[n++] = limits + lsize / 2;
	}
	if (d->user_image && args) {
		snprintf(volume, vsize, "%s:%s:ro", d->env->worker, CT_WORKER_IN_ROOT);
		argv[n++] = "-v";
		argv[n++] = volume;
		argv[n++] = "--entrypoint";
		argv[n++] = CT_WORKER_IN_ROOT;
	} else if (io && io->volume) { /* the I/O benchmark's volume mode */
		snprintf(volume, vsize, "%s:%s:rw", io->volume, CT_IO_DIR);
		argv[n++] = "-v";
		argv[n++] = volume;
	}
	argv[n++] = d->image_id[0] ? d->image_id : d->image;
	for (size_t i = 0; args && args[i] && n < cap - 1; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	return n;
}

static int docker_start(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
			struct vb_err *err)
{
	ct_env__next_id(d->env, in->id, sizeof(in->id));
	char *argv[CT_MAX_ARGS + 36];
	char volume[PATH_MAX + 64], limits[128];
	run_argv(d, in, false, s->keep_stdin, s->args, argv, sizeof(argv) / sizeof(argv[0]), volume,
		 sizeof(volume), limits, sizeof(limits), s);
	/* Listed before the client runs: a forced exit that kills it
	 * must still remove what its daemon creates. */
	ct_live__add(d, in);
	if (ct_inst__spawn(in, argv, s->keep_stdin, err) < 0) {
		ct_live__remove(in);
		return -1;
	}
	in->created = true;
	return 0;
}

static int docker_rm(const struct ct_driver *d, const char *id, struct vb_err *err)
{
	char *argv[] = { (char *)d->program, "rm", "--force", (char *)id, NULL };
	struct vb_proc_result r;
	int rc = ct__run_cleanup(argv, 60000, &r, err);
	/* Never created (the run failed early): nothing to remove. */
	if (rc < 0 && r.errout && strstr(r.errout, "No such container"))
		rc = 0;
	proc__result_free(&r);
	return rc;
}

static int docker_teardown(struct ct_driver *d, struct ct_inst *in, struct vb_err *err)
{
	ct_inst__kill(in);
	if (!in->created)
		return 0;
	interrupt__cleanup_enter();
	int rc = docker_rm(d, in->id, err);
	in->created = false;
	ct_live__remove(in);
	interrupt__cleanup_leave();
	return rc;
}

/* `rm_verb --force` of every object `list` (ps -aq, images -q) shows with
 * this run's labels. */
static void remove_labelled(struct ct_driver *d, const char *list, const char *list_flag,
			    const char *rm_verb)
{
	char f_pid[80], f_start[80];
	snprintf(f_pid, sizeof(f_pid), "label=%s", d->env->pid_label);
	snprintf(f_start, sizeof(f_start), "label=%s", d->env->start_label);
	char *argv[] = { (char *)d->program,
			 (char *)list,
			 (char *)list_flag,
			 "--filter",
			 f_pid,
			 "--filter",
			 f_start,
			 NULL };
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	if (ct__run_cleanup(argv, 20000, &r, &e) == 0 && r.out) {
		char *save = NULL;
		for (char *id = strtok_r(r.out, "\r\n", &save); id;
		     id = strtok_r(NULL, "\r\n", &save)) {
			char *rm[] = { (char *)d->program, (char *)rm_verb, "--force", id, NULL };
			struct vb_proc_result rr;
			ct__run_cleanup(rm, 60000, &rr, &e);
			proc__result_free(&rr);
		}
	}
	proc__result_free(&r);
}

/* Imported images left to the next benchmark of this process
 * (hold_image), with their forced-exit removal: one per program. */
static struct {
	const char *program;
	char id[80];
	int later_slot;
} held[2];

/* Hands d's image to the list; false when it has no room. */
static bool hold(struct ct_driver *d)
{
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		if (held[i].program && strcmp(held[i].program, d->program))
			continue;
		if (held[i].program) /* another import by the same program */
			return false;
		held[i].program = d->program;
		snprintf(held[i].id, sizeof(held[i].id), "%s", d->image_id);
		held[i].later_slot = d->later_slot;
		return true;
	}
	return false;
}

void container__release_images(void)
{
	interrupt__cleanup_enter();
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		if (!held[i].program)
			continue;
		struct vb_err e = { 0 };
		remove_image(held[i].program, held[i].id, &e);
		interrupt__cancel_run(held[i].later_slot);
		held[i].program = NULL;
	}
	interrupt__cleanup_leave();
}

static void docker_close(struct ct_driver *d)
{
	/* A `run` that Ctrl-C cut short may have had its container made by
	 * the daemon after our `rm`: whatever carries this run's labels goes. */
	if (d->open)
		remove_labelled(d, "ps", "-aq", "rm");
	/* A complete import is left to the next benchmark; build_image finds
	 * it by its labels (this process's) and runs it as it is. */
	if (d->image_built && !d->env->keep_image && d->env->hold_image && d->image_id[0] &&
	    !interrupt__pending() && hold(d)) {
		d->image_built = false;
		d->image_id[0] = '\0';
		d->later_slot = -1;
		return;
	}
	if (d->image_built && !d->env->keep_image) {
		struct vb_err e = { 0 };
		if (d->image_id[0])
			remove_image(d->program, d->image_id, &e);
		/* An import cut short by Ctrl-C may still have finished in
		 * the daemon: that image goes too. */
		remove_labelled(d, "images", "-q", "rmi");
	}
	if (d->image_built)
		interrupt__cancel_run(d->later_slot);
	d->image_built = false;
	d->image_id[0] = '\0';
}

const struct ct_ops ct_docker_ops = {
	.open = docker_open,
	.start = docker_start,
	.teardown = docker_teardown,
	.close = docker_close,
};

/* The seed's definition of start-up: `run -d` then `inspect` every 10 ms
 * until State.Running is true. With the worker image the worker serves its
 * open stdin (-i) so it keeps running; a user's image runs `sleep 10` as
 * the seed's script does. */
int ct_docker__seed_startup(struct ct_driver *d, double *ms, struct vb_err *err)
{
	struct ct_inst in;
	ct_inst__init(&in);
	ct_env__next_id(d->env, in.id, sizeof(in.id));
	static const char *const sleep_args[] = { "sleep", "10", NULL };
	/* An option keeps the worker out of its PID-1 guest mode. */
	static const char *const serve_args[] = { "--marker", "seed", NULL };
	bool user = d->user_image;
	d->user_image = false; /* no worker mount: the image's own sleep */
	char *argv[CT_MAX_ARGS + 36];
	char volume[PATH_MAX + 64], limits[128];
	run_argv(d, &in, true, !user, user ? sleep_args : serve_args, argv,
		 sizeof(argv) / sizeof(argv[0]), volume, sizeof(volume), limits, sizeof(limits),
		 NULL);
	d->user_image = user;
	uint64_t t0 = clock__now_ns();
	struct vb_proc_result r;
	in.created = true;
	ct_live__add(d, &in);
	int rc = ct__run(argv, 60000, &r, err);
	proc__result_free(&r);
	while (rc == 0) {
		char *iargv[] = { (char *)d->program,
				  "inspect",
				  "-f",
				  "{{.State.Running}} {{.State.Status}}",
				  in.id,
				  NULL };
		rc = ct__run(iargv, 20000, &r, err);
		bool running = rc == 0 && r.out && !strncmp(r.out, "true", 4);
		/* One that ended without ever running will not start now. */
		if (rc == 0 && !running && r.out &&
		    (strstr(r.out, "exited") || strstr(r.out, "dead")))
			rc = err__set(err, 0, "%s ended before it was seen running", in.id);
		proc__result_free(&r);
		if (running) {
			*ms = (double)(clock__now_ns() - t0) / 1e6;
			break;
		}
		if (rc == 0 && (double)(clock__now_ns() - t0) / 1e6 > 60000)
			rc = err__set(err, ETIMEDOUT, "%s never reported Running", in.id);
		if (rc == 0 && interrupt__pending())
			rc = err__set(err, EINTR, "interrupted");
		struct timespec ts = { 0, 10000000 };
		if (rc == 0)
			nanosleep(&ts, NULL);
	}
	struct vb_err terr = { 0 };
	int trc = docker_rm(d, in.id, &terr);
	ct_live__remove(&in);
	if (rc == 0 && trc < 0) {
		*err = terr;
		return -1;
	}
	return rc;
}
