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
#include <unistd.h>

#include "container/ct.h"
#include "core/interrupt.h"

/* The last line of a program's stderr that says something: docker and
 * podman end theirs with "Run '... --help' for more information". */
void ct__last_line(const char *text, char *out, size_t size)
{
	out[0] = '\0';
	size_t len = text ? strlen(text) : 0;
	while (len) {
		while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
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

int ct__run(char *const *argv, int timeout_ms, struct vb_proc_result *r, struct vb_err *err)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = timeout_ms };
	if (proc__run(&o, r, err) < 0)
		return -1;
	if (r->exit_code != 0) {
		char line[300];
		ct__last_line(r->errout, line, sizeof(line));
		if (!line[0])
			ct__last_line(r->out, line, sizeof(line));
		return err__set(err, 0, "%s %s failed (exit %d)%s%s", argv[0], argv[1] ? argv[1] : "",
				r->exit_code, line[0] ? ": " : "", line);
	}
	return 0;
}

int ct__run_cleanup(char *const *argv, int timeout_ms, struct vb_proc_result *r,
		    struct vb_err *err)
{
	bool was = interrupt__pending();
	if (was)
		interrupt__set(false);
	int rc = ct__run(argv, timeout_ms, r, err);
	if (was)
		interrupt__set(true);
	return rc;
}

/* The forced exit runs in a signal handler: the table holds ready-made
 * argv strings and only async-signal-safe calls (fork, execve, waitpid,
 * kill, rmdir) are used. */
#define LIVE_MAX 512
struct live {
	atomic_int state; /* 0 free, 1 filling, 2 ready */
	char prog[PATH_MAX];
	char cmd[2][16];  /* e.g. "rm" "-f", or "delete" "-f" */
	char id[CT_ID_MAX];
	pid_t pid;        /* built-in: the container's init */
	const struct cg_group *cg;
};
static struct live live[LIVE_MAX];
static atomic_int live_registered;

/* fork + execve + waitpid: all async-signal-safe. */
static void run_argv_now(char *const *argv)
{
	pid_t p = fork();
	if (p == 0) {
		char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				 NULL };
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (p > 0)
		waitpid(p, NULL, 0);
}

/* Run-level clean-ups (temp dir, image) for the forced exit, made ready
 * when the resource is created. */
#define LATER_MAX 8
static struct later {
	atomic_int state;
	char arg[4][PATH_MAX];
	int nargs;
} later[LATER_MAX];

static void emergency(void *arg)
{
	(void)arg;
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
		run_argv_now(argv);
	}
	for (int i = 0; i < LATER_MAX; i++) {
		struct later *w = &later[i];
		if (atomic_load(&w->state) != 2)
			continue;
		char *argv[5] = { NULL };
		for (int k = 0; k < w->nargs && k < 4; k++)
			argv[k] = w->arg[k];
		run_argv_now(argv);
	}
}

static void register_once(void)
{
	if (!atomic_exchange(&live_registered, 1))
		interrupt__on_emergency(emergency, NULL);
}

int ct_later__add(const char *const *argv)
{
	register_once();
	for (int i = 0; i < LATER_MAX; i++) {
		int expect = 0;
		if (!atomic_compare_exchange_strong(&later[i].state, &expect, 1))
			continue;
		struct later *w = &later[i];
		w->nargs = 0;
		for (int k = 0; argv[k] && k < 4; k++) {
			char *full = k == 0 ? proc__which(argv[0]) : NULL;
			snprintf(w->arg[k], sizeof(w->arg[k]), "%s", full ? full : argv[k]);
			free(full);
			w->nargs++;
		}
		atomic_store(&w->state, 2);
		return i;
	}
	return -1;
}

void ct_later__remove(int slot)
{
	if (slot >= 0 && slot < LATER_MAX)
		atomic_store(&later[slot].state, 0);
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
		snprintf(l->id, sizeof(l->id), "%s", in->id);
		if (d->program) {
			char *full = proc__which(d->program);
			if (full && strlen(full) < sizeof(l->prog))
				strcpy(l->prog, full);
			free(full);
			bool oci = d->ops == &ct_oci_ops;
			snprintf(l->cmd[0], sizeof(l->cmd[0]), "%s", oci ? "delete" : "rm");
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
