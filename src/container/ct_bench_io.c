/* container disk and container net: the I/O workloads in the static worker
 * inside every runtime, each mode a container of its own serving the jobs
 * over its stdin, measured in turn with the same worker run natively (no
 * container) within every iteration, one native baseline for them all:
 *   built-in, runc, crun
 *     disk  overlay   the file in a writable overlayfs layer whose upper
 *                     directory is on the file system of --dir (built-in:
 *                     the container's root; runc/crun: CT_IO_DIR, mounted
 *                     by the runtime inside the container)
 *           volume    a directory of --dir bind-mounted into the container
 *     net   loopback  the container's own lo, the peer inside the container
 *           veth      a veth pair to a namespace of virtbench's own where
 *                     the peer runs (root only; net/peer_ns.c)
 *   docker, podman
 *     disk  layer     the file in the container's writable layer (the
 *                     storage driver's, under the daemon's own directory)
 *           volume    a directory of --dir given with -v
 *     net   none      --network none: the peer inside, on the container's lo
 *           host      --network host: the peer on the host's 127.0.0.1
 *           (bridge)  never measured: traffic to a bridge's address leaves
 *                     loopback and virtbench's own namespaces; a skip says so
 * Everything made (containers, their directories under --dir, the peers,
 * the peer's namespace and the pair) is removed on success, failure and
 * Ctrl-C; after a SIGKILL the sweep finds it by its owner (ct_sweep.c,
 * iobench__sweep). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "net/peer_ns.h"
#include "measure/iobench.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/tmpdir.h"
#include "core/names.h"
#include "core/output.h"
#include "core/owner.h"
#include "worker/io.h"

struct io_plat {
	struct ct_driver *d;
	const char *mode;
	struct ct_inst in;
	bool started;
	struct peer_ns net;
	bool linked;
	struct io_peer host_peer; /* docker/podman host: the peer on 127.0.0.1 */
	bool hosted;
	char dir[PATH_MAX]; /* disk: the native file's or the volume's directory */
	int timeout_ms;
	struct io_plat **last;	  /* the mode whose job ran last: the one a failure is of */
	struct io_plat *last_run; /* native's: where every mode's `last` points */
};

static bool is_native(const struct io_plat *p)
{
	return p->d->ops == &ct_native_ops;
}

static bool is_daemon(const struct ct_driver *d)
{
	return d->ops == &ct_docker_ops;
}

static int exec_job(void *ctx, const struct wl_job *job, struct wl_report *rep, struct vb_err *err)
{
	struct io_plat *p = ctx;
	*p->last = p;
	char line[VBP_LINE_MAX];
	struct wl_job j = *job;
	if (p->linked) {
		j.io_peer = IO_NET_LINK_PEER;
		j.io_port = p->net.peer.port;
	}
	int n = vbp__format_run(line, sizeof(line), &j, 0);
	if (n < 0)
		return err__set(err, E2BIG, "%s: the job does not fit a record", p->d->name);
	if (interrupt__pending())
		return err__set(err, EINTR, "interrupted");
	if (vbp__write_all(p->in.in_fd, line, (size_t)n) < 0)
		return err__set(err, errno, "%s: sending the job", p->d->name);
	struct wclient c;
	ct_inst__client(&p->in, &c);
	struct vbp_msg *m = malloc(sizeof(*m));
	if (!m)
		return err__set(err, ENOMEM, "record");
	int rc = wclient__expect(&c, VBP_RESULT, m, NULL, 0, p->timeout_ms, err);
	if (rc == 0)
		*rep = m->result.rep;
	if (rc == 0)
		rc = wclient__expect(&c, VBP_DONE, m, NULL, 0, p->timeout_ms, err);
	free(m);
	return rc;
}

/* The directory of a disk mode under base: native, <runtime>-<mode>. */
static int make_dir(struct io_plat *p, const char *base, struct vb_err *err)
{
	char sub[64];
	snprintf(sub, sizeof(sub), "/%s-%s", is_native(p) ? "native" : p->d->name, p->mode);
	if (ct__path(p->dir, sizeof(p->dir), base, sub, err) < 0)
		return -1;
	if (mkdir(p->dir, 0755) < 0)
		return err__set(err, errno, "mkdir %s", p->dir);
	if (strcmp(p->mode, "overlay")) {
		chmod(p->dir, 0777); /* the container's root may be a mapped user */
		return 0;
	}
	char upper[PATH_MAX], work[PATH_MAX], vbio[PATH_MAX];
	if (ct__path(upper, sizeof(upper), p->dir, "/upper", err) < 0 ||
	    ct__path(work, sizeof(work), p->dir, "/work", err) < 0 ||
	    ct__path(vbio, sizeof(vbio), upper, CT_IO_DIR, err) < 0)
		return -1;
	if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0 || mkdir(vbio, 0777) < 0)
		return err__set(err, errno, "overlay directories in %s", p->dir);
	return 0;
}

/* The container's network namespace joined to a peer's by a veth pair. */
static int link_veth(struct io_plat *p, struct vb_err *err)
{
	pid_t pid = p->in.pid;
	if (p->d->ops == &ct_oci_ops && ct_oci__pid(p->d, p->in.id, &pid, err) < 0)
		return -1;
	if (peer_ns__link(&p->net, pid, err) < 0)
		return -1;
	p->linked = true;
	return 0;
}

static int start(struct io_plat *p, const struct iobench_opts *o, const char *base,
		 struct vb_err *err)
{
	static const char *const args[] = { "--marker", "io", NULL };
	struct ct_start s = { .args = args, .keep_stdin = true, .lo_up = o->net };
	if (!o->net && strcmp(p->mode, "layer")) {
		if (make_dir(p, base, err) < 0)
			return -1;
		if (!strcmp(p->mode, "overlay"))
			s.overlay = p->dir;
		else if (!is_native(p))
			s.volume = p->dir;
	}
	if (o->net && is_daemon(p->d))
		s.network = p->mode;
	if (o->net && !strcmp(p->mode, "host")) {
		char why[256] = "";
		if (io_peer__start(&p->host_peer, INADDR_LOOPBACK, why, sizeof(why)) < 0)
			return err__set(err, errno, "the peer on 127.0.0.1: %s", why);
		p->hosted = true;
	}
	ct_inst__init(&p->in);
	p->started = true;
	return p->d->ops->start(p->d, &s, &p->in, err);
}

/* After every mode was started: the containers come up side by side. */
static int ready(struct io_plat *p, const struct iobench_opts *o, struct vb_err *err)
{
	if (ct_inst__wait_ready(&p->in, 60000, err) < 0)
		return -1;
	if (o->net && !strcmp(p->mode, "veth") && link_veth(p, err) < 0)
		return err__wrap(err, "veth");
	return 0;
}

/* EOF on its stdin: the serving worker ends (every container's first, so
 * that they end side by side). */
static void hang_up(struct io_plat *p)
{
	if (p->linked)
		peer_ns__close(&p->net);
	p->linked = false;
	if (p->hosted)
		io_peer__stop(&p->host_peer);
	p->hosted = false;
	if (p->started && p->in.in_fd >= 0) {
		if (p->in.proc.pid > 0)
			p->in.proc.in_fd = -1;
		close(p->in.in_fd);
		p->in.in_fd = -1;
	}
}

static int stop(struct io_plat *p, struct vb_err *err)
{
	int rc = 0;
	hang_up(p);
	if (!p->started)
		return 0;
	struct vb_err e = { 0 };
	if (ct_inst__wait_exit(&p->in, 20000, &e) < 0 && err && !interrupt__pending()) {
		*err = e;
		rc = -1;
	}
	if (p->d->ops->teardown(p->d, &p->in, &e) < 0 && rc == 0 && err) {
		*err = e;
		rc = -1;
	}
	p->started = false;
	return rc;
}

static void label(void *ctx, struct vb_result *r)
{
	struct io_plat *p = ctx;
	result__set_config(r, VB_CFG_RUNTIME, "%s", is_native(p) ? "none" : p->d->name);
	if (!is_native(p) && p->d->note[0])
		snprintf(r->note, sizeof(r->note), "%s", p->d->note);
}

static void skip_mode(const struct container_opts *co, struct vb_result_set *out, const char *bench,
		      const struct ct_driver *d, const char *mode, const char *why)
{
	result_set__skip(out, bench, d->name, "%s mode: %s", mode, why);
	if (!co->silent)
		warn__("%s %s: skipped: %s", d->name, mode, why);
}

/* Why the bridge mode of docker/podman is not measured. */
static void bridge_reason(const struct ct_driver *d, char *why, size_t size)
{
	bool podman = !strcmp(d->program, "podman");
	char *argv[] = { (char *)d->program, "network", "inspect", podman ? "podman" : "bridge",
			 NULL };
	struct vb_proc_result r;
	struct vb_err e = { 0 };
	int rc = ct__run(argv, 20000, &r, &e);
	proc__result_free(&r);
	if (rc < 0)
		snprintf(why, size,
			 "%s has no bridge network here (dockerd runs with --bridge=none)",
			 d->program);
	else
		snprintf(why, size,
			 "the container's address on %s's bridge is outside loopback and the "
			 "namespaces virtbench makes, where no benchmark traffic goes",
			 d->program);
}

/* Native first, then each usable runtime's modes; those that cannot be
 * measured here become skips. */
static unsigned plan(const struct container_opts *co, const struct iobench_opts *o,
		     struct ct_session *s, struct vb_result_set *out, struct io_plat *p)
{
	const char *bench = o->net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK;
	unsigned np = 0;
	p[np++] = (struct io_plat){ .d = &s->native, .mode = o->net ? "loopback" : "host" };
	for (int rt = 0; rt < CT_RT_COUNT; rt++) {
		struct ct_driver *d = &s->drv[rt];
		if (!s->usable[rt])
			continue;
		bool daemon = is_daemon(d);
		const char *m[2] = { daemon ? "layer" : "overlay", "volume" };
		if (o->net) {
			m[0] = daemon ? "none" : "loopback";
			m[1] = daemon ? "host" : "veth";
		}
		for (int k = 0; k < 2; k++) {
			if (o->net && !strcmp(m[k], "veth") && geteuid() != 0) {
				skip_mode(co, out, bench, d, "veth",
					  "creating the pair needs root");
				continue;
			}
			p[np++] = (struct io_plat){ .d = d, .mode = m[k] };
		}
		if (o->net && daemon) {
			char why[256];
			bridge_reason(d, why, sizeof(why));
			skip_mode(co, out, bench, d, "bridge", why);
		}
	}
	return np;
}

/* Every mode measured; one that fails is dropped (a skip with its reason)
 * and the run begins again without it, so that one runtime's failure does
 * not cost the others their results. */
static int measure(const struct container_opts *co, const struct iobench_opts *o,
		   struct iobench_target *t, unsigned nt, struct vb_result_set *out,
		   struct vb_err *err)
{
	const char *bench = t[0].benchmark;
	struct io_plat *native = t[0].ctx;
	for (;;) {
		struct vb_result_set run;
		result_set__init(&run);
		native->last_run = NULL;
		int rc = iobench__run(o, t, nt, &run, err);
		struct io_plat *bad = native->last_run;
		if (rc == 0 || interrupt__pending() || !bad || bad == native || nt <= 2) {
			for (size_t i = 0; i < run.nresults; i++)
				result_set__add(out, run.results[i]);
			run.nresults = 0;
			out->incomplete |= run.incomplete;
			result_set__free(&run);
			return rc;
		}
		result_set__free(&run);
		skip_mode(co, out, bench, bad->d, bad->mode, err->msg);
		unsigned k = 0;
		for (unsigned i = 0; i < nt; i++)
			if (t[i].ctx != bad)
				t[k++] = t[i];
		nt = k;
		interrupt__cleanup_enter();
		stop(bad, NULL);
		interrupt__cleanup_leave();
		*err = (struct vb_err){ 0 };
	}
}

static int run_modes(const struct container_opts *co, const struct iobench_opts *o,
		     struct ct_session *s, const char *base, struct vb_result_set *out,
		     struct vb_err *err)
{
	const char *bench = o->net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK;
	struct io_plat *p = calloc(IOB_MAX_TARGETS, sizeof(*p));
	struct iobench_target t[IOB_MAX_TARGETS];
	if (!p)
		return err__set(err, ENOMEM, "%s", bench);
	unsigned np = plan(co, o, s, out, p), nt = 0;
	int rc = 0;
	struct vb_err *why = calloc(np, sizeof(*why));
	bool *up = calloc(np, sizeof(*up));
	if (!why || !up)
		rc = err__set(err, ENOMEM, "%s", bench);
	for (unsigned i = 0; i < np && rc == 0; i++) {
		p[i].timeout_ms = (int)(o->time_s * 1000) + 120000;
		int r = start(&p[i], o, base, &why[i]);
		/* runc and crun read the bundle's one config.json after they
		 * were started: the next mode's may only be written once this
		 * one's container is up. */
		if (r == 0 && p[i].d->ops == &ct_oci_ops) {
			r = ready(&p[i], o, &why[i]);
			up[i] = true;
		}
		if (r < 0 && interrupt__pending())
			rc = err__set(err, EINTR, "interrupted");
	}
	for (unsigned i = 0; i < np && rc == 0; i++) {
		struct vb_err e = why[i];
		if (!e.msg[0] && !up[i] && ready(&p[i], o, &e) < 0 && !e.msg[0])
			snprintf(e.msg, sizeof(e.msg), "failed");
		if (e.msg[0]) {
			/* A mode that does not start is a skip, unless the
			 * baseline fails or the run is stopped. */
			if (i == 0 || interrupt__pending()) {
				*err = e;
				rc = err__wrap(err, "%s %s", p[i].d->name, p[i].mode);
				break;
			}
			skip_mode(co, out, bench, p[i].d, p[i].mode, e.msg);
			interrupt__cleanup_enter();
			stop(&p[i], NULL);
			interrupt__cleanup_leave();
			continue;
		}
		t[nt++] = (struct iobench_target){
			.benchmark = bench,
			.platform = p[i].d->name,
			.mode = p[i].mode,
			.io_dir = o->net	     ? NULL
				  : is_native(&p[i]) ? p[i].dir
						     : CT_IO_DIR,
			.peer = p[i].hosted ? p[i].host_peer.addr : 0,
			.port = p[i].hosted ? p[i].host_peer.port : 0,
			.exec = exec_job,
			.ctx = &p[i],
			.label = label,
		};
		p[i].last = &p[0].last_run;
	}
	free(why);
	free(up);
	if (rc == 0 && nt > 1)
		rc = measure(co, o, t, nt, out, err);
	interrupt__cleanup_enter();
	for (unsigned i = 0; i < np; i++)
		hang_up(&p[i]);
	for (unsigned i = 0; i < np; i++) {
		struct vb_err e = { 0 };
		if (stop(&p[i], &e) < 0 && rc == 0) {
			*err = e;
			rc = -1;
		}
	}
	interrupt__cleanup_leave();
	free(p);
	return rc;
}

int container_bench__io(const struct container_opts *co, const struct iobench_opts *o,
			struct vb_result_set *out, struct vb_err *err)
{
	const char *bench = o->net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK;
	struct container_opts one = *co;
	one.nimages = 0; /* the worker's image: the I/O modes are the runtimes' */
	if (!one.runtimes)
		return 0;
	struct ct_session s;
	if (ct_session__open(&s, &one, bench, out, err) < 0)
		return err__wrap(err, "%s", bench);
	bool any = false;
	for (int rt = 0; rt < CT_RT_COUNT; rt++)
		any |= s.usable[rt];
	int rc = 0;
	char base[PATH_MAX] = "";
	int later = -1;
	if (any && !o->net) {
		char prefix[64];
		if (owner__name(prefix, sizeof(prefix), IOB_DIR_PREFIX, '.') < 0 ||
		    tmpdir__make(o->dir ? o->dir : ".", prefix, base, sizeof(base), &later, err) <
			    0) {
			base[0] = '\0';
			rc = -1;
		} else {
			chmod(base, 0755);
		}
	}
	if (rc == 0 && any)
		rc = run_modes(co, o, &s, base, out, err);
	if (base[0]) {
		interrupt__cleanup_enter();
		if (file__remove_tree(base) < 0 && rc == 0)
			rc = err__set(err, errno, "removing %s", base);
		interrupt__cleanup_leave();
	}
	if (later >= 0)
		interrupt__cancel_run(later);
	ct_session__close(&s);
	return rc < 0 ? err__wrap(err, "%s", bench) : 0;
}
