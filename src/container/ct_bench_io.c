/* container disk and container net: the I/O workloads in the static worker
 * inside the built-in runtime, each mode a container of its own serving
 * the jobs over its stdin, measured in turn with the same worker run
 * natively (no container) within every iteration:
 *   disk  overlay   the container's root on overlayfs (upper dir on the
 *                   file system of --dir), the file in its writable layer
 *         volume    a directory of --dir bind-mounted into the container
 *   net   loopback  the container's own lo, the peer inside the container
 *         veth      a veth pair to a namespace of virtbench's own where the
 *                   peer runs (root only; ct_netns.c)
 * Everything made (containers, their directories under --dir, the peer's
 * namespace and the pair) is removed on success, failure and Ctrl-C. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "container/ct_netns.h"
#include "measure/iobench.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "core/output.h"
#include "core/owner.h"
#include "worker/io.h"

struct io_plat {
	struct ct_driver *d;
	const char *mode;
	struct ct_inst in;
	bool started;
	struct ct_net net;
	bool linked;
	char dir[PATH_MAX]; /* native: the test file's directory */
	int timeout_ms;
};

static int exec_job(void *ctx, const struct wl_job *job, struct wl_report *rep, struct vb_err *err)
{
	struct io_plat *p = ctx;
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

static int start(struct io_plat *p, const struct iobench_opts *o, const char *base,
		 struct vb_err *err)
{
	static const char *const args[] = { "--marker", "io", NULL };
	struct ct_start s = { .args = args, .keep_stdin = true, .lo_up = o->net };
	char overlay[PATH_MAX], volume[PATH_MAX];
	bool native = p->d->ops == &ct_native_ops;
	if (!o->net) {
		const char *sub = native			? "/native"
				  : !strcmp(p->mode, "overlay") ? "/ovl"
								: "/vol";
		if (ct__path(p->dir, sizeof(p->dir), base, sub, err) < 0)
			return -1;
		if (mkdir(p->dir, 0755) < 0)
			return err__set(err, errno, "mkdir %s", p->dir);
		if (!native && !strcmp(p->mode, "overlay")) {
			char upper[PATH_MAX], work[PATH_MAX], vbio[PATH_MAX];
			if (ct__path(upper, sizeof(upper), p->dir, "/upper", err) < 0 ||
			    ct__path(work, sizeof(work), p->dir, "/work", err) < 0 ||
			    ct__path(vbio, sizeof(vbio), upper, CT_IO_DIR, err) < 0)
				return -1;
			if (mkdir(upper, 0755) < 0 || mkdir(work, 0755) < 0 ||
			    mkdir(vbio, 0777) < 0)
				return err__set(err, errno, "overlay directories in %s", p->dir);
			snprintf(overlay, sizeof(overlay), "%s", p->dir);
			s.overlay = overlay;
		} else if (!native) {
			chmod(p->dir, 0777); /* the container's root may be a mapped user */
			snprintf(volume, sizeof(volume), "%s", p->dir);
			s.volume = volume;
		}
	}
	ct_inst__init(&p->in);
	p->started = true;
	if (p->d->ops->start(p->d, &s, &p->in, err) < 0 ||
	    ct_inst__wait_ready(&p->in, 30000, err) < 0)
		return err__wrap(err, "%s %s", p->d->name, p->mode);
	if (o->net && !strcmp(p->mode, "veth")) {
		if (ct_net__link(&p->net, p->in.pid, err) < 0)
			return err__wrap(err, "%s veth", p->d->name);
		p->linked = true;
	}
	return 0;
}

static int stop(struct io_plat *p, struct vb_err *err)
{
	int rc = 0;
	if (p->linked)
		ct_net__close(&p->net);
	p->linked = false;
	if (!p->started)
		return 0;
	if (p->in.in_fd >= 0) { /* EOF: the serving worker ends */
		if (p->in.proc.pid > 0)
			p->in.proc.in_fd = -1;
		close(p->in.in_fd);
		p->in.in_fd = -1;
	}
	struct vb_err e = { 0 };
	if (ct_inst__wait_exit(&p->in, 10000, &e) < 0 && err && !interrupt__pending()) {
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
	result__set_config(r, VB_CFG_RUNTIME, "%s",
			   p->d->ops == &ct_native_ops ? "none" : p->d->name);
}

static int run_modes(const struct iobench_opts *o, struct ct_session *s, const char *base,
		     struct vb_result_set *out, struct vb_err *err)
{
	const char *bench = o->net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK;
	struct io_plat p[3] = { 0 };
	unsigned np = 0;
	p[np++] = (struct io_plat){ .d = &s->native, .mode = o->net ? "loopback" : "host" };
	struct ct_driver *b = &s->drv[CT_RT_BUILTIN];
	if (o->net) {
		p[np++] = (struct io_plat){ .d = b, .mode = "loopback" };
		if (geteuid() == 0)
			p[np++] = (struct io_plat){ .d = b, .mode = "veth" };
		else
			result_set__skip(out, bench, b->name,
					 "veth mode: creating the pair needs root");
	} else {
		p[np++] = (struct io_plat){ .d = b, .mode = "overlay" };
		p[np++] = (struct io_plat){ .d = b, .mode = "volume" };
	}
	struct iobench_target t[3];
	int rc = 0;
	for (unsigned i = 0; i < np; i++) {
		p[i].timeout_ms = (int)(o->time_s * 1000) + 120000;
		t[i] = (struct iobench_target){
			.benchmark = bench,
			.platform = p[i].d->name,
			.mode = p[i].mode,
			.io_dir = o->net			  ? NULL
				  : p[i].d->ops == &ct_native_ops ? p[i].dir
								  : CT_IO_DIR,
			.exec = exec_job,
			.ctx = &p[i],
			.label = label,
		};
		if (rc == 0)
			rc = start(&p[i], o, base, err);
	}
	if (rc == 0)
		rc = iobench__run(o, t, np, out, err);
	interrupt__cleanup_enter();
	for (unsigned i = 0; i < np; i++) {
		struct vb_err e = { 0 };
		if (stop(&p[i], &e) < 0 && rc == 0) {
			*err = e;
			rc = -1;
		}
	}
	interrupt__cleanup_leave();
	return rc;
}

int container_bench__io(const struct container_opts *co, const struct iobench_opts *o,
			struct vb_result_set *out, struct vb_err *err)
{
	const char *bench = o->net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK;
	struct container_opts one = *co;
	one.runtimes = co->runtimes & (1u << CT_RT_BUILTIN);
	for (int rt = 0; rt < CT_RT_COUNT; rt++)
		if (rt != CT_RT_BUILTIN && (co->runtimes & (1u << rt))) {
			result_set__skip(out, bench, container_runtime__platform(rt),
					 "I/O modes are measured in the built-in runtime only");
			if (!co->silent)
				warn__("%s: skipped: I/O modes are measured in the built-in "
				       "runtime only",
				       container_runtime__name(rt));
		}
	if (!one.runtimes)
		return 0;
	struct ct_session s;
	if (ct_session__open(&s, &one, bench, out, err) < 0)
		return err__wrap(err, "%s", bench);
	int rc = 0;
	char base[PATH_MAX] = "";
	int later = -1;
	if (s.usable[CT_RT_BUILTIN] && !o->net) {
		char prefix[64];
		if (owner__name(prefix, sizeof(prefix), IOB_DIR_PREFIX, '.') < 0 ||
		    file__mkdtemp_in(o->dir ? o->dir : ".", prefix, base, sizeof(base), err) < 0) {
			base[0] = '\0';
			rc = -1;
		} else {
			const char *rm[] = { "rm", "-rf", "--one-file-system", base, NULL };
			later = interrupt__run_on_abort(rm);
			chmod(base, 0755);
		}
	}
	if (rc == 0 && s.usable[CT_RT_BUILTIN])
		rc = run_modes(o, &s, base, out, err);
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
