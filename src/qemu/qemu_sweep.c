/* What QEMU runs that ended without cleaning up left, removed at the start
 * of the next run: the work dir of a dead owner, and a QEMU still running
 * from it. QEMU dies with virtbench (PR_SET_PDEATHSIG), so one is found only
 * when that failed; it is identified by the pid file in the owner's dir and
 * checked twice before the kill, never by its name: the pid must still have
 * the start time the file recorded, and its command line must name the dir. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/owner.h"
#include "core/sweep.h"
#include "qemu/guest.h"
#include "qemu/qemu_bench.h"
#include "qemu/session.h"

#define GONE_WAIT_MS 3000

/* True when the NUL-separated command line of pid holds text. */
static bool cmdline_has(pid_t pid, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* Not our child: wait for its end on a pidfd. */
static void kill_and_wait(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	kill(pid, SIGKILL);
	if (fd >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		poll(&p, 1, GONE_WAIT_MS);
		close(fd);
	}
}

static void stop_guests(const char *dir, void *arg)
{
	struct sweep_tally *t = arg;
	DIR *d = opendir(dir);
	if (!d)
		return;
	size_t pl = strlen(QEMU_PIDFILE_PREFIX);
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, QEMU_PIDFILE_PREFIX, pl) || len < 4 ||
		    strcmp(e->d_name + len - 4, ".pid"))
			continue;
		char path[PATH_MAX], text[64] = "";
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		bool read_ok = fgets(text, sizeof(text), f) != NULL;
		fclose(f);
		struct vb_owner rec, now;
		if (read_ok && owner__scan(text, ' ', true, &rec) && rec.start &&
		    owner__of(rec.pid, &now) == 0 && now.start == rec.start &&
		    cmdline_has(rec.pid, dir)) {
			kill_and_wait(rec.pid);
			t->n[SWEEP_PROCESS]++;
		}
	}
	closedir(d);
}

static bool dir_owner(const char *name, struct vb_owner *o)
{
	if (strncmp(name, QEMU_DIR_PREFIX, strlen(QEMU_DIR_PREFIX)))
		return false;
	const char *p = owner__scan(name + strlen(QEMU_DIR_PREFIX), '.', true, o);
	return p && *p == '.';
}

void qemu__sweep(struct sweep_tally *t)
{
	sweep__tmpdirs(dir_owner, stop_guests, t, t);
}
