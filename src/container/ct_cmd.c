/* Running the runtimes' own commands (image import, delete, inspect), and
 * the registry the forced exit (second Ctrl-C) uses to remove containers
 * that the normal unwinding had no time for. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container/ct.h"
#include "core/clock.h"
#include "core/interrupt.h"

/* The last line of a program's stderr that says something: docker and
 * podman end theirs with "Run '... --help' for more information". */
void ct__last_line(const char *text, char *out, size_t size)
{
	out[0] = '\0';
	size_t len = text ? strlen(text) : 0;
	while (len) {
		while (len &&
		       (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
			len--;
		size_t start = len;
		while (start && text[start - 1] != '\n')
			start--;
		const char *l = text + start;
		bool hint = !strncmp(l, "Run '", 5) || !strncmp(l, "See '", 5);
		if (len > start && (!hint || !out[0])) {
			size_t n = len - start < size - 1 ? len - start : size - 1;
			memcpy(out, l, n);
			out[n] = '\0';
			if (!hint)
				return;
		}
		len = start;
	}
}

static int run_checked(char *const *argv, int timeout_ms, bool cleanup, struct vb_proc_result *r,
		       struct vb_err *err)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = timeout_ms, .cleanup = cleanup };
	if (proc__run(&o, r, err) < 0)
		return -1;
	if (r->exit_code != 0) {
		char line[300];
		ct__last_line(r->errout, line, sizeof(line));
		if (!line[0])
			ct__last_line(r->out, line, sizeof(line));
		return err__set(err, 0, "%s %s failed (exit %d)%s%s", argv[0],
				argv[1] ? argv[1] : "", r->exit_code, line[0] ? ": " : "", line);
	}
	return 0;
}

int ct__run(char *const *argv, int timeout_ms, struct vb_proc_result *r, struct vb_err *err)
{
	return run_checked(argv, timeout_ms, false, r, err);
}

int ct__run_cleanup(char *const *argv, int timeout_ms, struct vb_proc_result *r, struct vb_err *err)
{
	return run_checked(argv, timeout_ms, true, r, err);
}

/* The forced exit may run in a signal handler: the table holds ready-made
 * argv strings and only async-signal-safe calls (fork, execve, waitpid,
 * kill, rmdir) are used. */
#define LIVE_MAX	       512
#define LIVE_REMOVE_TIMEOUT_MS 20000
#define LIVE_CREATE_LANDS_MS   3000
struct live {
	atomic_int state; /* 0 free, 1 filling, 2 ready */
	char prog[PATH_MAX];
	char cmd[2][16]; /* e.g. "rm" "-f", or "delete" "-f" */
	char id[CT_ID_MAX];
	pid_t pid; /* built-in: the container's init */
	const struct cg_group *cg;
	bool oci; /* runc/crun: its groups are named after the id */
};
static struct live live[LIVE_MAX];
static atomic_int live_registered;
/* Every cgroup hierarchy, found before any signal: a runtime killed while
 * it made a container leaves groups named after it and no state that its
 * delete could find. */
static struct cg_layout live_cg;
static atomic_int live_cg_ready;

static void remove_groups_of(const char *id)
{
	if (!atomic_load(&live_cg_ready))
		return;
	for (unsigned i = 0; i < live_cg.nall; i++) {
		struct cg_group g = { .n = 1 };
		size_t a = strlen(live_cg.all[i]), b = strlen(id);
		if (a + 1 + b >= CG_PATH)
			continue;
		memcpy(g.dirs[0], live_cg.all[i], a);
		g.dirs[0][a] = '/';
		memcpy(g.dirs[0] + a + 1, id, b + 1);
		ct_cgroup__destroy(&g);
	}
}

static void emergency(void *arg)
{
	(void)arg;
	/* One budget for every retry below, however many containers. */
	double until = clock__now_ms() + LIVE_CREATE_LANDS_MS;
	for (int i = 0; i < LIVE_MAX; i++) {
		struct live *l = &live[i];
		if (atomic_load(&l->state) != 2)
			continue;
		if (l->pid > 0) {
			kill(l->pid, SIGKILL);
			waitpid(l->pid, NULL, 0);
			if (l->cg)
				ct_cgroup__destroy((struct cg_group *)l->cg);
			continue;
		}
		if (!l->prog[0])
			continue;
		char *argv[] = { l->prog, l->cmd[0], l->cmd[1], l->id, NULL };
		if (l->oci) {
			interrupt__run_now(argv, LIVE_REMOVE_TIMEOUT_MS);
			remove_groups_of(l->id);
			continue;
		}
		/* A daemon finishes a create its killed client had asked for,
		 * and a removal that comes first finds no such container: one
		 * that fails is tried again while such a create may still land. */
		while (interrupt__run_now(argv, LIVE_REMOVE_TIMEOUT_MS) != 0 &&
		       clock__now_ms() < until) {
			struct timespec nap = { 0, 200 * 1000 * 1000 };
			nanosleep(&nap, NULL);
		}
	}
}

static void register_once(void)
{
	if (atomic_exchange(&live_registered, 1))
		return;
	struct vb_err ignore = { 0 };
	if (geteuid() == 0 && ct_cgroup__detect(&live_cg, &ignore) == 0)
		atomic_store(&live_cg_ready, 1);
	interrupt__on_emergency(emergency, NULL);
}

void ct_live__add(const struct ct_driver *d, const struct ct_inst *in)
{
	register_once();
	for (int i = 0; i < LIVE_MAX; i++) {
		int expect = 0;
		if (!atomic_compare_exchange_strong(&live[i].state, &expect, 1))
			continue;
		struct live *l = &live[i];
		l->prog[0] = '\0';
		l->pid = 0;
		l->cg = NULL;
		l->oci = d->ops == &ct_oci_ops;
		snprintf(l->id, sizeof(l->id), "%s", in->id);
		if (d->program) {
			char *full = proc__which(d->program);
			if (full && strlen(full) < sizeof(l->prog))
				strcpy(l->prog, full);
			free(full);
			snprintf(l->cmd[0], sizeof(l->cmd[0]), "%s", l->oci ? "delete" : "rm");
			snprintf(l->cmd[1], sizeof(l->cmd[1]), "-f");
		} else {
			l->pid = in->pid;
			l->cg = &in->cg;
		}
		atomic_store(&l->state, 2);
		return;
	}
}

void ct_live__remove(const struct ct_inst *in)
{
	for (int i = 0; i < LIVE_MAX; i++) {
		struct live *l = &live[i];
		if (atomic_load(&l->state) == 2 && !strcmp(l->id, in->id)) {
			atomic_store(&l->state, 0);
			return;
		}
	}
}
