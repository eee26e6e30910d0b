/* External programs. Each child leads its own process group so that it and
 * everything it starts can be killed as one, and dies with this process
 * (PR_SET_PDEATHSIG), so not even a SIGKILL of ours leaves it running. The
 * group is killed while the leader is still an unreaped zombie, so its id
 * cannot have been reused.
 * This process becomes a child subreaper, so orphaned members of a group
 * are reparented here and reaped here, not left as zombies under a pid 1
 * that may never reap them (containers, sandboxes). */
#include "core/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"

extern char **environ;

#define DEFAULT_MAX_OUTPUT  (4u << 20)
#define RUN_TERM_GRACE_MS   1000
/* How long proc__run still drains the pipes after the leader exited while
 * a background member holds them open; then the rest of the group is killed. */
#define DRAIN_AFTER_EXIT_MS 200

static void set_subreaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static void become_subreaper(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, set_subreaper);
}

static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Non-blocking, non-reaping check of the leader. */
static bool leader_exited(pid_t pid, int *status)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD; /* already reaped */
	if (si.si_pid != pid)
		return false;
	if (status) {
		if (si.si_code == CLD_EXITED)
			*status = (si.si_status & 0xff) << 8;
		else
			*status = (si.si_status & 0x7f) | (si.si_code == CLD_DUMPED ? 0x80 : 0);
	}
	return true;
}

/* Waits up to ms for the leader to exit, without reaping it. */
static bool wait_leader(pid_t pid, int pidfd, int ms)
{
	double deadline = clock__now_ms() + ms;
	for (;;) {
		if (leader_exited(pid, NULL))
			return true;
		double left = deadline - clock__now_ms();
		if (left <= 0)
			return false;
		if (pidfd >= 0) {
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
			poll(&pfd, 1, (int)left + 1);
		} else {
			poll(NULL, 0, left < 5 ? (int)left + 1 : 5);
		}
	}
}

/* Ends the whole group: SIGTERM and up to grace_ms for the leader to go (when
 * it is still running), SIGKILL for whatever is left, then reaps the leader
 * and every member that was reparented here. Returns the leader's status. */
static int group_end(pid_t pid, int pidfd, int grace_ms)
{
	if (!leader_exited(pid, NULL)) {
		kill(-pid, SIGTERM);
		if (grace_ms > 0)
			wait_leader(pid, pidfd, grace_ms);
	}
	kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	siginfo_t si;
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PGID, (id_t)pid, &si, WEXITED) == 0)
			continue;
		if (errno != EINTR)
			break;
	}
	interrupt__untrack_pgid(pid);
	return status;
}

static int make_pipe(int fds[2], struct vb_err *err)
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return err__set(err, errno, "pipe");
	/* Above the standard streams, so that setting up the child's 0, 1
	 * and 2 never overwrites a descriptor it still has to copy. */
	for (int i = 0; i < 2; i++) {
		if (fds[i] > 2)
			continue;
		int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
		if (moved < 0) {
			int e = errno;
			close(fds[0]);
			close(fds[1]);
			fds[0] = fds[1] = -1;
			return err__set(err, e, "pipe");
		}
		close(fds[i]);
		fds[i] = moved;
	}
	return 0;
}

/* What the child needs between clone and execve, prepared by the parent. */
struct child_plan {
	const char *path;
	char *const *argv;
	char *const *envp;
	int fd[3];    /* becomes 0, 1, 2; -1: /dev/null */
	int pass_fd;  /* > 2: kept open across execve */
	pid_t parent; /* our pid: the child checks it still has us as parent */
	int err;      /* errno of the step that failed, written by the child */
};

#define CHILD_STACK (64 * 1024)

/* Runs in the child on its own stack but in our memory (CLONE_VM, the
 * parent suspended until execve): system calls only, through syscall(2),
 * which neither libc state nor a sanitizer's interceptors touch, as in
 * glibc's own posix_spawn. */
__attribute__((no_sanitize_address, no_sanitize_undefined)) static int child_exec(void *arg)
{
	struct child_plan *p = arg;
	/* Our handlers must not run here (they would act on the parent's
	 * memory), and the program gets every signal at its default. */
	unsigned long dfl[4] = { 0 }; /* SIG_DFL, no flags, empty mask */
	for (long sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, dfl, NULL, 8);
	if (syscall(SYS_setpgid, 0, 0) < 0)
		goto fail;
	/* Dies with us, however we end (SIGKILL included); if we are already
	 * gone, the check below sees the new parent and gives up. */
	if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		goto fail;
	if ((pid_t)syscall(SYS_getppid) != p->parent) {
		p->err = ESRCH;
		syscall(SYS_exit_group, 127);
	}
	for (int i = 0; i < 3; i++) {
		int fd = p->fd[i];
		if (fd < 0) {
			fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null",
					  (i == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
			if (fd < 0)
				goto fail;
		}
		if (fd == i ? syscall(SYS_fcntl, i, F_SETFD, 0) < 0
			    : syscall(SYS_dup3, fd, i, 0) < 0)
			goto fail;
	}
	/* The child has its own copy of the descriptor table (no CLONE_FILES). */
	if (p->pass_fd > 2 && syscall(SYS_fcntl, p->pass_fd, F_SETFD, 0) < 0)
		goto fail;
	unsigned long none = 0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	syscall(SYS_execve, p->path, p->argv, p->envp);
fail:
	p->err = errno ? errno : EINVAL;
	syscall(SYS_exit_group, 127);
	return 127;
}

/* clone(CLONE_VM | CLONE_VFORK) with its own stack, then execve: the
 * child leads its own process group and has PR_SET_PDEATHSIG, which
 * posix_spawn cannot set. PDEATHSIG fires when the calling THREAD ends:
 * callers spawn from the main thread, or (proc__run from a probe thread)
 * reap the whole group before the thread returns. */
static pid_t spawn_child(struct child_plan *p, struct vb_err *err, const char *name)
{
	void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return err__set(err, errno, "%s: stack for the child", name);
	p->parent = getpid();
	p->err = 0;
	/* No handler may run in the child while it shares our memory; the
	 * child unblocks once its handlers are reset. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int saved = errno;
	pid_t pid =
		clone(child_exec, (char *)stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, p);
	int clone_errno = errno;
	errno = saved;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, CHILD_STACK);
	if (pid < 0)
		return err__set(err, clone_errno, "%s: cannot start", name);
	if (p->err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return err__set(err, p->err, "%s: cannot start", name);
	}
	return pid;
}

/* Spawns with pipes: want_in gives the caller the write end of stdin, else
 * stdin is /dev/null. A clean-up run is not killed by a forced exit (the
 * exit waits for its section), so its group is not registered. */
static int spawn(const struct vb_proc_opts *o, bool want_in, struct vb_proc *p, struct vb_err *err)
{
	p->pid = 0;
	p->in_fd = p->out_fd = p->err_fd = -1;
	if (!o->argv || !o->argv[0])
		return err__set(err, EINVAL, "spawn: empty argv");
	char *path = proc__which(o->argv[0]);
	if (!path) {
		if (strchr(o->argv[0], '/'))
			err__set(err, 0, "%s: no such executable file", o->argv[0]);
		else
			err__set(err, 0, "%s: program not found on PATH", o->argv[0]);
		if (err)
			err->errnum = ENOENT;
		return -1;
	}
	become_subreaper();

	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 };
	int rc = -1;
	if ((want_in && make_pipe(in, err) < 0) || make_pipe(out, err) < 0 ||
	    (!o->stderr_to_stdout && make_pipe(er, err) < 0))
		goto out;
	struct child_plan plan = {
		.path = path,
		.argv = o->argv,
		.envp = o->envp ? o->envp : environ,
		.fd = { want_in ? in[0] : -1, out[1], o->stderr_to_stdout ? out[1] : er[1] },
		.pass_fd = o->pass_fd,
	};
	pid_t pid = spawn_child(&plan, err, o->argv[0]);
	if (pid < 0)
		goto out;
	if (!o->cleanup)
		interrupt__track_pgid(pid);
	p->pid = pid;
	p->in_fd = in[1];
	in[1] = -1;
	p->out_fd = out[0];
	out[0] = -1;
	p->err_fd = er[0];
	er[0] = -1;
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&er[i]);
	}
	free(path);
	return rc;
}

/* proc__spawn gives a stdin pipe (in_fd) when stdin_data is non-NULL; it
 * writes nothing itself: the caller talks to the program through in_fd. */
int proc__spawn(const struct vb_proc_opts *o, struct vb_proc *p, struct vb_err *err)
{
	return spawn(o, o->stdin_data != NULL, p, err);
}

int proc__stop(struct vb_proc *p, int grace_ms)
{
	int status = 0;
	if (p->pid > 0) {
		close_fd(&p->in_fd); /* EOF on stdin lets a polite program finish */
		int pidfd = pidfd_of(p->pid);
		status = group_end(p->pid, pidfd, grace_ms);
		if (pidfd >= 0)
			close(pidfd);
		p->pid = 0;
	}
	close_fd(&p->in_fd);
	close_fd(&p->out_fd);
	close_fd(&p->err_fd);
	return status;
}

bool proc__exited(struct vb_proc *p, int *status)
{
	if (p->pid <= 0)
		return true;
	return leader_exited(p->pid, status);
}

/* ---- proc__run ---- */

struct sink {
	char *data;
	size_t len, cap, max;
};

static int sink_read(int fd, struct sink *s)
{
	char tmp[16384];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return 0;
	/* Past the cap the output is read and dropped so the child never
	 * blocks on a full pipe. */
	size_t keep = s->len < s->max ? s->max - s->len : 0;
	if ((size_t)n < keep)
		keep = (size_t)n;
	if (keep) {
		if (s->len + keep + 1 > s->cap) {
			size_t cap = s->cap ? s->cap : 4096;
			while (cap < s->len + keep + 1)
				cap *= 2;
			char *d = realloc(s->data, cap);
			if (!d)
				return -1;
			s->data = d;
			s->cap = cap;
		}
		memcpy(s->data + s->len, tmp, keep);
		s->len += keep;
	}
	return 1;
}

static char *sink_take(struct sink *s, size_t *len)
{
	char *d = s->data ? s->data : malloc(1);
	if (d)
		d[s->len] = 0;
	*len = d ? s->len : 0;
	s->data = NULL;
	return d;
}

/* A clean-up command runs to its end or its own time limit whatever the
 * interrupt flag says, and a second Ctrl-C waits for it (the section): a
 * `runc delete` killed half-way leaves a container no one removes. */
#define CLEANUP_DEFAULT_TIMEOUT_MS 60000

static int run_all(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *errs,
		   size_t n);

int proc__run(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *err)
{
	struct vb_err scratch = { 0 };
	if (!err)
		err = &scratch;
	if (!o->cleanup)
		return run_all(o, r, err, 1);
	struct vb_proc_opts c = *o;
	if (c.timeout_ms <= 0)
		c.timeout_ms = CLEANUP_DEFAULT_TIMEOUT_MS;
	interrupt__cleanup_enter();
	int rc = run_all(&c, r, err, 1);
	interrupt__cleanup_leave();
	return rc;
}

int proc__run_all(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *errs,
		  size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (o[i].cleanup)
			return err__set(&errs[i], EINVAL, "%s: a clean-up step runs alone",
					o[i].argv && o[i].argv[0] ? o[i].argv[0] : "?");
	return n ? run_all(o, r, errs, n) : 0;
}

/* One running program of proc__run: its pipes, what came out of them, and
 * where its descriptors sit in the shared poll set. */
struct run_io {
	const struct vb_proc_opts *o;
	struct vb_proc p;
	int pidfd;
	struct sink out, er;
	size_t in_off;
	double t0, deadline, exited_at;
	bool done;
	int rc;
	int i_out, i_err, i_in;
};

/* Adds the program's descriptors to pf from nf on; returns the new count. */
static int run_io__fds(struct run_io *io, struct pollfd *pf, int nf)
{
	io->i_out = io->i_err = io->i_in = -1;
	if (io->p.out_fd >= 0) {
		io->i_out = nf;
		pf[nf++] = (struct pollfd){ .fd = io->p.out_fd, .events = POLLIN };
	}
	if (io->p.err_fd >= 0) {
		io->i_err = nf;
		pf[nf++] = (struct pollfd){ .fd = io->p.err_fd, .events = POLLIN };
	}
	if (io->p.in_fd >= 0) {
		io->i_in = nf;
		pf[nf++] = (struct pollfd){ .fd = io->p.in_fd, .events = POLLOUT };
	}
	if (io->pidfd >= 0 && !io->exited_at)
		pf[nf++] = (struct pollfd){ .fd = io->pidfd, .events = POLLIN };
	return nf;
}

/* Reads what the program wrote, feeds its stdin, as poll found them ready. */
static void run_io__serve(struct run_io *io, const struct pollfd *pf)
{
	const short readable = POLLIN | POLLHUP | POLLERR;
	if (io->i_out >= 0 && (pf[io->i_out].revents & readable) &&
	    sink_read(io->p.out_fd, &io->out) <= 0)
		close_fd(&io->p.out_fd);
	if (io->i_err >= 0 && (pf[io->i_err].revents & readable) &&
	    sink_read(io->p.err_fd, &io->er) <= 0)
		close_fd(&io->p.err_fd);
	if (io->i_in >= 0 && pf[io->i_in].revents) {
		const struct vb_proc_opts *o = io->o;
		ssize_t w =
			write(io->p.in_fd, o->stdin_data + io->in_off, o->stdin_len - io->in_off);
		if (w > 0)
			io->in_off += (size_t)w;
		if ((w < 0 && errno != EAGAIN && errno != EINTR) || io->in_off == o->stdin_len)
			close_fd(&io->p.in_fd);
	}
}

/* Whether the program is done: exited with its pipes drained, past its
 * timeout, or Ctrl-C (not for a clean-up). Sets r's wall time and flags
 * once it is; otherwise *slice is lowered to how long poll may wait for it. */
static bool run_io__check(struct run_io *io, struct vb_proc_result *r, double t, int *slice)
{
	if (io->done)
		return true;
	const struct vb_proc_opts *o = io->o;
	if (!o->cleanup && interrupt__pending())
		r->interrupted = io->done = true;
	if (!io->exited_at && leader_exited(io->p.pid, NULL))
		io->exited_at = t;
	if (io->exited_at && io->p.out_fd < 0 && io->p.err_fd < 0)
		io->done = true;
	if (io->exited_at && t - io->exited_at > DRAIN_AFTER_EXIT_MS)
		io->done = true; /* a background member holds the pipes */
	if (io->deadline && t >= io->deadline && !io->exited_at)
		r->timed_out = io->done = true;
	if (io->done) {
		r->wall_ms = (io->exited_at ? io->exited_at : t) - io->t0;
		return true;
	}
	/* Short slices: a signal delivered to another thread does not
	 * interrupt poll, and without a pidfd the exit is polled. */
	int mine = io->exited_at ? 10 : io->pidfd >= 0 ? 100 : 5;
	if (io->deadline) {
		double left = io->deadline - t;
		if (left < mine)
			mine = left > 0 ? (int)left + 1 : 0;
	}
	if (mine < *slice)
		*slice = mine;
	return false;
}

/* The program's end as the caller sees it: the group ended and reaped, its
 * status, output, and the error for a timeout or Ctrl-C. */
static int run_io__finish(struct run_io *io, struct vb_proc_result *r, struct vb_err *err)
{
	const struct vb_proc_opts *o = io->o;
	int status = group_end(io->p.pid, io->pidfd, RUN_TERM_GRACE_MS);
	if (io->pidfd >= 0)
		close(io->pidfd);
	close_fd(&io->p.in_fd);
	close_fd(&io->p.out_fd);
	close_fd(&io->p.err_fd);
	if (WIFEXITED(status)) {
		r->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r->exit_code = -1;
		r->term_signal = WTERMSIG(status);
	}
	r->out = sink_take(&io->out, &r->out_len);
	r->errout = sink_take(&io->er, &r->err_len);
	if (!r->out || !r->errout) {
		proc__result_free(r);
		return err__set(err, ENOMEM, "%s: output", o->argv[0]);
	}
	if (io->rc < 0)
		return io->rc;
	if (r->interrupted)
		return err__set(err, EINTR, "%s: interrupted", o->argv[0]);
	if (r->timed_out)
		return err__set(err, 0, "%s: timed out after %d ms", o->argv[0], o->timeout_ms);
	return 0;
}

static int run_io__start(struct run_io *io, const struct vb_proc_opts *o, struct vb_err *err)
{
	size_t max = o->max_output ? o->max_output : DEFAULT_MAX_OUTPUT;
	*io = (struct run_io){ .o = o, .pidfd = -1, .out = { .max = max }, .er = { .max = max } };
	io->t0 = clock__now_ms();
	io->deadline = o->timeout_ms > 0 ? io->t0 + o->timeout_ms : 0;
	if (spawn(o, o->stdin_data != NULL, &io->p, err) < 0) {
		io->done = true;
		return io->rc = -1;
	}
	io->pidfd = pidfd_of(io->p.pid);
	if (io->p.in_fd >= 0)
		fcntl(io->p.in_fd, F_SETFL, O_NONBLOCK);
	if (io->p.in_fd >= 0 && o->stdin_len == 0)
		close_fd(&io->p.in_fd);
	return 0;
}

/* All spawned by the calling thread and served by one poll loop, so no
 * program is started from a second thread while this one runs (a fork
 * beside running threads is what some emulators and libraries get wrong). */
static int run_all(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *errs,
		   size_t n)
{
	struct run_io *io = calloc(n, sizeof(*io));
	struct pollfd *pf = calloc(n * 4, sizeof(*pf));
	if (!io || !pf) {
		free(io);
		free(pf);
		for (size_t i = 0; i < n; i++)
			memset(&r[i], 0, sizeof(r[i]));
		return err__set(&errs[0], ENOMEM, "running %zu programs", n);
	}
	/* A child that exits without reading its stdin must give EPIPE here,
	 * not kill us: block SIGPIPE for this thread and drop it afterwards. */
	sigset_t pipe_set, old_mask;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	sigset_t pending_before;
	sigpending(&pending_before);

	for (size_t i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].exit_code = -1;
		run_io__start(&io[i], &o[i], &errs[i]);
	}
	for (;;) {
		double t = clock__now_ms();
		int slice = INT32_MAX, nf = 0;
		bool all_done = true;
		for (size_t i = 0; i < n; i++)
			if (!run_io__check(&io[i], &r[i], t, &slice)) {
				all_done = false;
				nf = run_io__fds(&io[i], pf, nf);
			}
		if (all_done)
			break;
		if (poll(pf, (nfds_t)nf, slice) < 0) {
			if (errno == EINTR)
				continue;
			for (size_t i = 0; i < n; i++)
				if (!io[i].done) {
					io[i].rc =
						err__set(&errs[i], errno, "%s: poll", o[i].argv[0]);
					io[i].done = true;
					r[i].wall_ms = clock__now_ms() - io[i].t0;
				}
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (!io[i].done)
				run_io__serve(&io[i], pf);
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		int one = io[i].p.pid > 0 ? run_io__finish(&io[i], &r[i], &errs[i]) : io[i].rc;
		if (one < 0 && rc == 0)
			rc = one;
	}

	sigset_t pending;
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE) && !sigismember(&pending_before, SIGPIPE)) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	free(io);
	free(pf);
	return rc;
}

void proc__result_free(struct vb_proc_result *r)
{
	free(r->out);
	free(r->errout);
	r->out = r->errout = NULL;
	r->out_len = r->err_len = 0;
}
