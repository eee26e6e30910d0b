/* Ctrl-C handling. The handler only touches lock-free slots and calls
 * async-signal-safe functions (kill, write, _exit), so it may run at any
 * point, including inside malloc. Whether a clean-up section is open is
 * known only to the thread that opens them (the one that installed the
 * handler): a signal landing on another thread is passed on to it. */
#include "core/interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/proc.h"

#define MAX_PGIDS	   64
#define MAX_EMERGENCY	   32
#define MAX_LATER	   16
#define LATER_ARGS	   5
/* Each command of the forced exit; a stuck one must not keep us forever. */
#define RUN_NOW_TIMEOUT_MS 20000

static volatile sig_atomic_t interrupted;
_Static_assert(sizeof(sig_atomic_t) == sizeof(uint32_t), "the flag doubles as wl_job.stop");
static atomic_int signal_count;
static _Atomic pid_t pgids[MAX_PGIDS];
static atomic_int cleanup_depth;
static atomic_int force_pending;
static pid_t owner_pid, owner_tid;

/* state: 0 free, 1 being filled, 2 ready. The handler only runs ready slots. */
static struct {
	atomic_int state;
	vb_emergency_fn fn;
	void *arg;
} emergency[MAX_EMERGENCY];

/* Commands for the forced exit, made ready when the resource is created. */
static struct {
	atomic_int state;
	char arg[LATER_ARGS][PATH_MAX];
	int nargs;
} later[MAX_LATER];

static void say(const char *s)
{
	ssize_t rc = write(STDERR_FILENO, s, strlen(s));
	(void)rc;
}

static void kill_groups(void)
{
	for (int i = 0; i < MAX_PGIDS; i++) {
		pid_t g = atomic_load(&pgids[i]);
		if (g > 0)
			kill(-g, SIGKILL);
	}
}

/* The user wants out now: kill what we started, undo what must not outlive
 * us, and leave without running atexit code. No signal may interrupt the
 * callbacks: they are the last chance to remove what is registered. */
static __attribute__((noreturn)) void force_exit(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	kill_groups();
	for (int i = 0; i < MAX_EMERGENCY; i++)
		if (atomic_load(&emergency[i].state) == 2)
			emergency[i].fn(emergency[i].arg);
	for (int i = 0; i < MAX_LATER; i++) {
		if (atomic_load(&later[i].state) != 2)
			continue;
		char *argv[LATER_ARGS + 1] = { NULL };
		for (int k = 0; k < later[i].nargs; k++)
			argv[k] = later[i].arg[k];
		interrupt__run_now(argv, RUN_NOW_TIMEOUT_MS);
	}
	say("virtbench: aborted\n");
	_exit(130);
}

static void on_signal(int sig)
{
	int saved = errno;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	if (owner_tid && tid != owner_tid && getpid() == owner_pid &&
	    syscall(SYS_tgkill, owner_pid, owner_tid, sig) == 0) {
		errno = saved;
		return;
	}
	interrupted = 1;
	if (atomic_fetch_add(&signal_count, 1) == 0) {
		say("\nvirtbench: interrupted; cleaning up (press Ctrl-C again to quit at once)\n");
		errno = saved;
		return;
	}
	if (atomic_load(&cleanup_depth) == 0)
		force_exit();
	/* A removal in progress ends first; it has its own time limit. */
	if (!atomic_exchange(&force_pending, 1)) {
		say("virtbench: quitting once the clean-up step in progress is done\n");
		kill_groups();
	}
	errno = saved;
}

void interrupt__install(void)
{
	owner_pid = getpid();
	owner_tid = (pid_t)syscall(SYS_gettid);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: blocking calls (poll, read, waitpid, KVM_RUN) return
	 * EINTR so the loops around them notice the flag promptly. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal is a Ctrl-C too, unless the user asked for nohup. */
	struct sigaction hup;
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
}

bool interrupt__pending(void)
{
	return interrupted != 0;
}

const volatile uint32_t *interrupt__flag(void)
{
	return (const volatile uint32_t *)(const volatile void *)&interrupted;
}

void interrupt__set(bool on)
{
	interrupted = on;
	if (!on) {
		atomic_store(&signal_count, 0);
		atomic_store(&force_pending, 0);
	}
}

void interrupt__cleanup_enter(void)
{
	atomic_fetch_add(&cleanup_depth, 1);
}

void interrupt__cleanup_leave(void)
{
	if (atomic_fetch_sub(&cleanup_depth, 1) == 1 && atomic_load(&force_pending))
		force_exit();
}

void interrupt__track_pgid(pid_t pgid)
{
	if (pgid <= 0)
		return;
	for (int i = 0; i < MAX_PGIDS; i++) {
		pid_t expect = 0;
		if (atomic_compare_exchange_strong(&pgids[i], &expect, pgid))
			return;
	}
	/* Table full: the group is still killed by its owner on the normal
	 * paths; only the forced exit misses it. */
}

void interrupt__untrack_pgid(pid_t pgid)
{
	if (pgid <= 0)
		return;
	for (int i = 0; i < MAX_PGIDS; i++) {
		pid_t expect = pgid;
		if (atomic_compare_exchange_strong(&pgids[i], &expect, 0))
			return;
	}
}

int interrupt__on_emergency(vb_emergency_fn fn, void *arg)
{
	for (int i = 0; i < MAX_EMERGENCY; i++) {
		int expect = 0;
		if (atomic_compare_exchange_strong(&emergency[i].state, &expect, 1)) {
			emergency[i].fn = fn;
			emergency[i].arg = arg;
			atomic_store(&emergency[i].state, 2);
			return 0;
		}
	}
	return -1;
}

void interrupt__remove_emergency(vb_emergency_fn fn, void *arg)
{
	for (int i = 0; i < MAX_EMERGENCY; i++) {
		if (atomic_load(&emergency[i].state) == 2 && emergency[i].fn == fn &&
		    emergency[i].arg == arg) {
			int expect = 2;
			if (atomic_compare_exchange_strong(&emergency[i].state, &expect, 0))
				return;
		}
	}
}

/* fork, execve, waitpid, nanosleep, kill: all async-signal-safe. */
int interrupt__run_now(char *const *argv, int timeout_ms)
{
	pid_t p = fork();
	if (p == 0) {
		char *envp[] = {
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
		};
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (p < 0)
		return -1;
	double deadline = clock__now_ms() + timeout_ms;
	int status = 0;
	pid_t got;
	while ((got = waitpid(p, &status, WNOHANG)) == 0) {
		if (clock__now_ms() >= deadline) {
			kill(p, SIGKILL);
			waitpid(p, NULL, 0);
			return -1;
		}
		struct timespec nap = { 0, 5 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
	return got == p && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int interrupt__run_on_abort(const char *const *argv)
{
	for (int i = 0; i < MAX_LATER; i++) {
		int expect = 0;
		if (!atomic_compare_exchange_strong(&later[i].state, &expect, 1))
			continue;
		later[i].nargs = 0;
		for (int k = 0; argv[k] && k < LATER_ARGS; k++) {
			char *full = k == 0 ? proc__which(argv[0]) : NULL;
			snprintf(later[i].arg[k], sizeof(later[i].arg[k]), "%s",
				 full ? full : argv[k]);
			free(full);
			later[i].nargs++;
		}
		atomic_store(&later[i].state, 2);
		return i;
	}
	return -1;
}

void interrupt__cancel_run(int slot)
{
	if (slot >= 0 && slot < MAX_LATER)
		atomic_store(&later[slot].state, 0);
}
