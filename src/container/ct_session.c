/* Opening the runtimes of a run: each one is probed and prepared once
 * (bundle, image); one that cannot run here becomes a skip with its reason
 * while the others go on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/clock.h"
#include "core/interrupt.h"
#include "core/names.h"
#include "core/output.h"

static const struct {
	const char *name, *platform, *program;
	const char *seed_platform; /* the seed's start-up method, where it has one */
	const struct ct_ops *ops;
} runtimes[CT_RT_COUNT] = {
	[CT_RT_BUILTIN] = { "builtin", VB_PLATFORM_CONTAINER_BUILTIN, NULL, NULL, &ct_builtin_ops },
	[CT_RT_RUNC] = { "runc", VB_PLATFORM_RUNC, "runc", NULL, &ct_oci_ops },
	[CT_RT_CRUN] = { "crun", VB_PLATFORM_CRUN, "crun", NULL, &ct_oci_ops },
	[CT_RT_DOCKER] = { "docker", VB_PLATFORM_DOCKER, "docker", VB_PLATFORM_DOCKER_SEED,
			   &ct_docker_ops },
	[CT_RT_PODMAN] = { "podman", VB_PLATFORM_PODMAN, "podman", VB_PLATFORM_PODMAN_SEED,
			   &ct_docker_ops },
};

const char *container_runtime__name(enum ct_runtime rt)
{
	return rt >= 0 && rt < CT_RT_COUNT ? runtimes[rt].name : "native";
}

const char *container_runtime__platform(enum ct_runtime rt)
{
	return rt >= 0 && rt < CT_RT_COUNT ? runtimes[rt].platform : VB_PLATFORM_NATIVE;
}

const char *container_runtime__seed_platform(enum ct_runtime rt)
{
	return rt >= 0 && rt < CT_RT_COUNT ? runtimes[rt].seed_platform : NULL;
}

void container_opts__init(struct container_opts *o, bool full)
{
	memset(o, 0, sizeof(*o));
	o->runtimes = CT_RT_ALL;
	runner__defaults(&o->run);
	o->run.iterations = 10; /* the seed's */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->threads[0] = 1;
	o->nthreads = 1;
	if (ncpu > 1)
		o->threads[o->nthreads++] = (unsigned)ncpu;
	o->time_s = full ? 10 : 1;
	o->cpu_max_prime = 10000;
	o->mem_block = 1024;
	o->mem_total = full ? 10ull << 30 : 1ull << 30;
	unsigned max = full ? 256 : 64;
	for (unsigned n = 1; n <= max && o->ncounts < CT_MAX_COUNTS; n *= 2)
		o->counts[o->ncounts++] = n;
}

static void skip(struct ct_session *s, const struct container_opts *o, const char *benchmark,
		 struct vb_result_set *out, const char *platform, const char *name,
		 const struct vb_err *why)
{
	(void)s;
	result_set__skip(out, benchmark, platform, "%s", why->msg);
	if (!o->silent)
		warn__("%s: skipped: %s", name, why->msg);
}

static void init_driver(struct ct_driver *d, struct ct_env *e, const char *name,
			const char *program, const struct ct_ops *ops)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->program = program;
	d->ops = ops;
	d->env = e;
	d->later_slot = -1;
}

/* docker/podman with each --image: a driver per runtime and image that is
 * here; a missing one is a skip saying how to fetch it. */
static int open_named(struct ct_session *s, const struct container_opts *o, const char *benchmark,
		      struct vb_result_set *out, struct vb_err *err)
{
	static const int rts[] = { CT_RT_DOCKER, CT_RT_PODMAN };
	if (!o->nimages)
		return 0;
	s->named = calloc(2 * o->nimages, sizeof(*s->named));
	if (!s->named) {
		ct_session__close(s);
		return err__set(err, ENOMEM, "image drivers");
	}
	for (unsigned k = 0; k < 2; k++) {
		int rt = rts[k];
		for (unsigned i = 0; s->usable[rt] && i < o->nimages; i++) {
			if (interrupt__pending()) {
				ct_session__close(s);
				return err__set(err, EINTR, "interrupted");
			}
			struct ct_driver *d = &s->named[s->nnamed];
			init_driver(d, &s->env, runtimes[rt].platform, runtimes[rt].program,
				    runtimes[rt].ops);
			d->base = &s->drv[rt];
			snprintf(d->image, sizeof(d->image), "%s", o->images[i]);
			struct vb_err why = { 0 };
			if (ct_docker__open_named(d, &why) < 0) {
				skip(s, o, benchmark, out, runtimes[rt].platform, runtimes[rt].name,
				     &why);
				continue;
			}
			d->open = true;
			s->nnamed++;
		}
	}
	return 0;
}

int ct_session__open(struct ct_session *s, const struct container_opts *o, const char *benchmark,
		     struct vb_result_set *out, struct vb_err *err)
{
	memset(s, 0, sizeof(*s));
	char worker[PATH_MAX];
	if (wclient__find_worker(NULL, worker, sizeof(worker), err) < 0)
		return -1;
	if (ct_env__open(&s->env, worker, err) < 0)
		return -1;
	s->env.keep_image = o->keep_image;
	s->env.hold_image = o->hold_image;
	s->env.limits = o->limits;
	init_driver(&s->floor, &s->env, VB_PLATFORM_UNSHARE_EXEC, NULL, &ct_floor_ops);
	init_driver(&s->native, &s->env, VB_PLATFORM_NATIVE, NULL, &ct_native_ops);
	s->floor.open = s->floor.ops->open(&s->floor, err) == 0;
	s->native.open = true;
	for (int i = 0; i < CT_RT_COUNT; i++) {
		struct ct_driver *d = &s->drv[i];
		init_driver(d, &s->env, runtimes[i].platform, runtimes[i].program, runtimes[i].ops);
		if (!(o->runtimes & (1u << i)))
			continue;
		if (interrupt__pending()) {
			ct_session__close(s);
			return err__set(err, EINTR, "interrupted");
		}
		struct vb_err why = { 0 };
		if (d->ops->open(d, &why) < 0) {
			d->ops->close(d);
			if (interrupt__pending()) {
				ct_session__close(s);
				return err__set(err, EINTR, "interrupted");
			}
			skip(s, o, benchmark, out, runtimes[i].platform, runtimes[i].name, &why);
			continue;
		}
		d->open = true;
		s->usable[i] = true;
	}
	return open_named(s, o, benchmark, out, err);
}

void ct_session__close(struct ct_session *s)
{
	interrupt__cleanup_enter();
	/* A user's image is left as it is; its containers go with the
	 * runtime's own driver (every container of this run carries its labels). */
	free(s->named);
	s->named = NULL;
	s->nnamed = 0;
	for (int i = 0; i < CT_RT_COUNT; i++)
		if (s->drv[i].ops) {
			s->drv[i].ops->close(&s->drv[i]);
			s->drv[i].open = false;
		}
	ct_env__close(&s->env);
	interrupt__cleanup_leave();
}

/* The worker with no container: the same binary from the same place. */
static int native_open(struct ct_driver *d, struct vb_err *err)
{
	return 0;
}

static int native_start(struct ct_driver *d, const struct ct_start *st, struct ct_inst *in,
			struct vb_err *err)
{
	char *argv[CT_MAX_ARGS + 2];
	size_t n = 0;
	argv[n++] = d->env->rootfs_worker;
	for (size_t i = 0; st->args && st->args[i] && n < CT_MAX_ARGS + 1; i++)
		argv[n++] = (char *)st->args[i];
	argv[n] = NULL;
	snprintf(in->id, sizeof(in->id), "native");
	if (ct_inst__spawn(in, argv, st->keep_stdin, err) < 0)
		return -1;
	return 0;
}

static int native_teardown(struct ct_driver *d, struct ct_inst *in, struct vb_err *err)
{
	ct_inst__kill(in);
	return 0;
}

static void native_close(struct ct_driver *d)
{
}

const struct ct_ops ct_native_ops = {
	.open = native_open,
	.start = native_start,
	.teardown = native_teardown,
	.close = native_close,
};
