/* Ctrl-C handling. The handler only touches lock-free slots and calls
 * async-signal-safe functions (kill, write, _exit), so it may run at any
 * point, including inside malloc. */
#include "core/interrupt.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define MAX_PGIDS 64
#define MAX_EMERGENCY 32

static volatile sig_atomic_t interrupted;
static atomic_int signal_count;
static _Atomic pid_t pgids[MAX_PGIDS];

/* state: 0 free, 1 being filled, 2 ready. The handler only runs ready slots. */
static struct {
	atomic_int state;
	vb_emergency_fn fn;
	void *arg;
} emergency[MAX_EMERGENCY];

static void say(const char *s)
{
	ssize_t rc = write(STDERR_FILENO, s, strlen(s));
	(void)rc;
}

static void on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	interrupted = 1;
	if (atomic_fetch_add(&signal_count, 1) == 0) {
		say("\nvirtbench: interrupted; cleaning up (press Ctrl-C again to quit at once)\n");
		errno = saved;
		return;
	}
	/* Second signal: the user wants out now. Kill what we started, undo
	 * what must not outlive us, and leave without running atexit code. */
	for (int i = 0; i < MAX_PGIDS; i++) {
		pid_t g = atomic_load(&pgids[i]);
		if (g > 0)
			kill(-g, SIGKILL);
	}
	for (int i = 0; i < MAX_EMERGENCY; i++)
		if (atomic_load(&emergency[i].state) == 2)
			emergency[i].fn(emergency[i].arg);
	say("virtbench: aborted\n");
	_exit(130);
}

void interrupt__install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: blocking calls (poll, read, waitpid, KVM_RUN) return
	 * EINTR so the loops around them notice the flag promptly. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool interrupt__pending(void)
{
	return interrupted != 0;
}

void interrupt__set(bool on)
{
	interrupted = on;
	if (!on)
		atomic_store(&signal_count, 0);
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
