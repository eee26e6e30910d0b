/* Ctrl-C: the first signal only raises the flag; the second kills the
 * registered process groups, runs the emergency callbacks and exits 130,
 * but only once the clean-up step in progress has ended. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/proc.h"
#include "core/tmpdir.h"

static void test_flag(void **state)
{
	(void)state;
	assert_false(interrupt__pending());
	interrupt__set(true);
	assert_true(interrupt__pending());
	interrupt__set(false);
	assert_false(interrupt__pending());
}

static void test_no_restart(void **state)
{
	(void)state;
	interrupt__install();
	struct sigaction sa;
	assert_int_equal(sigaction(SIGINT, NULL, &sa), 0);
	assert_int_equal(sa.sa_flags & SA_RESTART, 0);
	assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
	assert_int_equal(sa.sa_flags & SA_RESTART, 0);
	/* A blocking read is interrupted, not restarted. */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	interrupt__set(false);
	pid_t self = getpid();
	pid_t kid = fork();
	if (kid == 0) {
		usleep(100 * 1000);
		kill(self, SIGINT);
		_exit(0);
	}
	char c;
	errno = 0;
	assert_int_equal(read(fds[0], &c, 1), -1);
	assert_int_equal(errno, EINTR);
	assert_true(interrupt__pending());
	waitpid(kid, NULL, 0);
	interrupt__set(false);
	close(fds[0]);
	close(fds[1]);
}

static char marker[300];

static void emergency(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
}

static void never(void *arg)
{
	(void)arg;
	_exit(99); /* removed before the signal: must not run */
}

/* A temp dir for the markers, and a child with the handler installed that
 * talks back on up[1]. Returns in both; kid == 0 in the child. */
static pid_t start_kid(char *dir, size_t size, int up[2])
{
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest", dir, size, &err), 0);
	snprintf(marker, sizeof(marker), "%s/emergency-ran", dir);
	assert_int_equal(pipe(up), 0);
	pid_t kid = fork();
	if (kid == 0) {
		close(up[0]);
		interrupt__install();
	} else {
		close(up[1]);
	}
	return kid;
}

/* In the child: says what it made, waits for the first signal, says so,
 * and sleeps until the second one ends it. */
static __attribute__((noreturn)) void kid_serve(int up, const void *what, size_t len)
{
	if (write(up, what, len) != (ssize_t)len)
		_exit(4);
	/* Polled, not pause(): a signal landing between the check and
	 * pause() would leave the child asleep for good. */
	while (!interrupt__pending())
		usleep(1000);
	char ok = 'f';
	if (write(up, &ok, 1) != 1)
		_exit(5);
	for (;;)
		pause();
}

static void test_second_signal(void **state)
{
	(void)state;
	char dir[256];
	struct vb_err err = { 0 };
	/* Orphans of the killed child come here, so they can be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int up[2];
	pid_t kid = start_kid(dir, sizeof(dir), up);
	if (kid == 0) {
		char *argv[] = { "sleep", "30", NULL };
		struct vb_proc_opts o = { .argv = argv };
		struct vb_proc p;
		if (proc__spawn(&o, &p, &err) < 0)
			_exit(3);
		interrupt__on_emergency(never, NULL);
		interrupt__on_emergency(emergency, marker);
		interrupt__remove_emergency(never, NULL);
		kid_serve(up[1], &p.pid, sizeof(p.pid));
	}
	pid_t pgid = 0;
	assert_int_equal(read(up[0], &pgid, sizeof(pgid)), sizeof(pgid));
	assert_true(pgid > 1);
	assert_int_equal(kill(-pgid, 0), 0); /* running */
	kill(kid, SIGINT);
	char c = 0;
	assert_int_equal(read(up[0], &c, 1), 1);
	assert_int_equal(c, 'f');
	assert_int_equal(kill(-pgid, 0), 0); /* first signal: still running */
	kill(kid, SIGINT);
	int status;
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_int_equal(access(marker, F_OK), 0);
	/* The group was killed: reap it (reparented here) and check it is gone. */
	siginfo_t si;
	while (waitid(P_PGID, (id_t)pgid, &si, WEXITED) == 0)
		;
	errno = 0;
	assert_int_equal(kill(-pgid, 0), -1);
	assert_int_equal(errno, ESRCH);
	close(up[0]);
	assert_int_equal(file__remove_tree(dir), 0);
}

/* A temp dir from tmpdir__make is removed by the forced exit, with what
 * was put in it; one whose removal was cancelled (the caller removes or
 * keeps it itself) is left alone. */
static void test_forced_exit_removes_tmpdir(void **state)
{
	(void)state;
	/* The forced exit removes with `rm -rf --one-file-system`, which
	 * busybox's rm lacks: there the dir waits for the next run's sweep,
	 * as after a SIGKILL. */
	char *probe[] = { "rm", "-rf", "--one-file-system", "/nonexistent/vb-probe", NULL };
	struct vb_proc_opts po = { .argv = probe, .timeout_ms = 10000 };
	struct vb_proc_result pr;
	struct vb_err perr = { 0 };
	bool gnu_rm = proc__run(&po, &pr, &perr) == 0 && pr.exit_code == 0;
	proc__result_free(&pr);
	if (!gnu_rm) {
		print_message("[  SKIP    ] this rm has no --one-file-system (busybox)\n");
		skip();
	}
	char dir[256];
	int up[2];
	pid_t kid = start_kid(dir, sizeof(dir), up);
	if (kid == 0) {
		char made[2][512];
		int slot[2];
		struct vb_err err = { 0 };
		for (int i = 0; i < 2; i++)
			if (tmpdir__make(dir, i ? "kept" : "made", made[i], sizeof(made[i]),
					 &slot[i], &err) < 0 ||
			    slot[i] < 0)
				_exit(3);
		char inside[600];
		snprintf(inside, sizeof(inside), "%s/data", made[0]);
		if (file__write_atomic(inside, "x", 1, &err) < 0)
			_exit(6);
		interrupt__cancel_run(slot[1]);
		kid_serve(up[1], made, sizeof(made));
	}
	char made[2][512];
	assert_int_equal(read(up[0], made, sizeof(made)), sizeof(made));
	struct stat st;
	assert_int_equal(stat(made[0], &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	kill(kid, SIGINT);
	char c = 0;
	assert_int_equal(read(up[0], &c, 1), 1);
	kill(kid, SIGINT);
	int status;
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	errno = 0;
	assert_int_equal(access(made[0], F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(made[1], F_OK), 0);
	close(up[0]);
	assert_int_equal(file__remove_tree(dir), 0);
}

/* The second signal lands inside a clean-up section: the section runs to
 * its end (here 300 ms of "removal" that a signal interrupts), then the
 * forced exit happens, with its callbacks, and nothing after it runs. */
static void test_second_signal_waits_for_cleanup(void **state)
{
	(void)state;
	char dir[256], done[300], after[300];
	int up[2];
	pid_t kid = start_kid(dir, sizeof(dir), up);
	snprintf(done, sizeof(done), "%s/section-finished", dir);
	snprintf(after, sizeof(after), "%s/ran-after-the-section", dir);
	if (kid == 0) {
		interrupt__on_emergency(emergency, marker);
		interrupt__cleanup_enter();
		while (!interrupt__pending())
			usleep(1000);
		if (write(up[1], "a", 1) != 1)
			_exit(5);
		double end = clock__now_ms() + 300;
		while (clock__now_ms() < end)
			usleep(1000); /* cut short by the signal: loop on */
		emergency(done);
		interrupt__cleanup_leave();
		emergency(after);
		_exit(0);
	}
	usleep(50 * 1000);
	kill(kid, SIGINT);
	char c = 0;
	assert_int_equal(read(up[0], &c, 1), 1);
	kill(kid, SIGTERM); /* the second, inside the section */
	int status;
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_int_equal(access(done, F_OK), 0);
	assert_int_equal(access(marker, F_OK), 0);
	assert_int_equal(access(after, F_OK), -1);
	close(up[0]);
	assert_int_equal(file__remove_tree(dir), 0);
}

/* The forced exit tries a failed removal again: it needs the command's
 * status, and a command out of time must not count as done. */
static void test_run_now_status(void **state)
{
	(void)state;
	char *ok[] = { "/bin/true", NULL };
	char *no[] = { "/bin/false", NULL };
	char *code[] = { "/bin/sh", "-c", "exit 7", NULL };
	char *missing[] = { "/nonexistent/virtbench-program", NULL };
	char *slow[] = { "/bin/sleep", "5", NULL };
	assert_int_equal(interrupt__run_now(ok, 5000), 0);
	assert_int_equal(interrupt__run_now(no, 5000), 1);
	assert_int_equal(interrupt__run_now(code, 5000), 7);
	assert_int_equal(interrupt__run_now(missing, 5000), 127);
	/* sleep would have exited 0: -1 says it was stopped at its limit. */
	assert_int_equal(interrupt__run_now(slow, 100), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flag),
		cmocka_unit_test(test_run_now_status),
		cmocka_unit_test(test_no_restart),
		cmocka_unit_test(test_second_signal),
		cmocka_unit_test(test_forced_exit_removes_tmpdir),
		cmocka_unit_test(test_second_signal_waits_for_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
