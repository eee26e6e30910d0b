/* External programs: output capture, exit status, timeout and Ctrl-C kill
 * the whole process group, nothing of the group survives, a child dies with
 * its parent even after a SIGKILL, a clean-up run ignores Ctrl-C, and a
 * passed descriptor reaches that program only. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/interrupt.h"
#include "core/proc.h"

/* What `readlink /proc/self/fd/N` says in a program spawned with pass_fd
 * (or without): the file when it was passed, nothing when not. */
static void spawn_readlink(int fd, int pass_fd, struct vb_proc_result *r)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	char *argv[] = { "readlink", link, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 10000, .pass_fd = pass_fd };
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, r, &err), 0);
}

static void test_pass_fd_reaches_that_program_only(void **state)
{
	(void)state;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd > 2);
	struct vb_proc_result r;
	spawn_readlink(fd, fd, &r);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "/dev/null\n");
	proc__result_free(&r);
	/* Still close-on-exec here: the next program does not get it. */
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	spawn_readlink(fd, 0, &r);
	assert_int_not_equal(r.exit_code, 0);
	assert_string_equal(r.out, "");
	proc__result_free(&r);
	close(fd);
}

static void test_capture(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 10000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_string_equal(r.out, "out\n");
	assert_int_equal(r.out_len, 4);
	assert_string_equal(r.errout, "err\n");
	assert_int_equal(r.exit_code, 3);
	assert_int_equal(r.term_signal, 0);
	assert_false(r.timed_out);
	assert_true(r.wall_ms >= 0);
	proc__result_free(&r);
}

static void test_merged_and_stdin(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "cat; echo tail >&2", NULL };
	struct vb_proc_opts o = {
		.argv = argv, .stdin_data = "hello\n", .stdin_len = 6, .stderr_to_stdout = true
	};
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_string_equal(r.out, "hello\ntail\n");
	assert_string_equal(r.errout, "");
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
}

static void test_large_stdin_and_cap(void **state)
{
	(void)state;
	/* 1 MiB through cat: both pipes must be serviced at once. */
	size_t n = 1 << 20;
	char *data = malloc(n);
	memset(data, 'a', n);
	char *argv[] = { "cat", NULL };
	struct vb_proc_opts o = {
		.argv = argv, .stdin_data = data, .stdin_len = n, .max_output = 1000
	};
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(r.out_len, 1000); /* capped, the rest read and dropped */
	assert_int_equal(strlen(r.out), 1000);
	proc__result_free(&r);
	free(data);
}

static void test_child_ignores_stdin(void **state)
{
	(void)state;
	/* The child exits without reading: we get EPIPE, not SIGPIPE. */
	size_t n = 1 << 20;
	char *data = calloc(1, n);
	char *argv[] = { "true", NULL };
	struct vb_proc_opts o = { .argv = argv, .stdin_data = data, .stdin_len = n };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
	free(data);
}

static void test_signal_exit(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "kill -KILL $$", NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, -1);
	assert_int_equal(r.term_signal, SIGKILL);
	proc__result_free(&r);
}

/* No process of the group is left, not even a zombie. */
static void assert_group_gone(pid_t pgid)
{
	assert_true(pgid > 1);
	errno = 0;
	assert_int_equal(kill(-pgid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

static void test_timeout_kills_group(void **state)
{
	(void)state;
	/* The shell prints its pid (= the group id) and leaves a background
	 * sleep behind: the timeout must take both. The timeout leaves the
	 * shell time to print even in an emulated host under load. */
	char *argv[] = { "sh", "-c", "echo $$; sleep 30 & sleep 30", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 2000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), -1);
	assert_true(r.timed_out);
	assert_non_null(strstr(err.msg, "timed out after 2000 ms"));
	assert_non_null(r.out);
	pid_t pgid = (pid_t)atoi(r.out);
	assert_group_gone(pgid);
	proc__result_free(&r);
}

static void test_plain_sleep_timeout(void **state)
{
	(void)state;
	char *argv[] = { "sleep", "30", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 200 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), -1);
	assert_true(r.timed_out);
	assert_true(r.term_signal == SIGTERM || r.term_signal == SIGKILL);
	assert_true(r.wall_ms < 30000);
	proc__result_free(&r);
}

static void test_leftover_background_killed(void **state)
{
	(void)state;
	/* The leader exits at once but a background member holds stdout:
	 * proc__run returns anyway and the member is killed. */
	char *argv[] = { "sh", "-c", "echo $$; sleep 30 &", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 20000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	assert_group_gone((pid_t)atoi(r.out));
	proc__result_free(&r);
}

static void test_interrupt(void **state)
{
	(void)state;
	interrupt__set(true);
	char *argv[] = { "sh", "-c", "echo $$; sleep 30", NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), -1);
	interrupt__set(false);
	assert_true(r.interrupted);
	assert_non_null(strstr(err.msg, "interrupted"));
	proc__result_free(&r);
}

static void test_cleanup_run_ignores_interrupt(void **state)
{
	(void)state;
	interrupt__set(true);
	char *argv[] = { "sh", "-c", "sleep 0.2; echo removed", NULL };
	struct vb_proc_opts o = { .argv = argv, .cleanup = true };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	int rc = proc__run(&o, &r, &err);
	interrupt__set(false);
	assert_int_equal(rc, 0);
	assert_false(r.interrupted);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "removed\n");
	proc__result_free(&r);
}

/* A program started by a process that is then SIGKILLed (no handler, no
 * clean-up of its own) ends too: nothing outlives virtbench. */
static void test_child_dies_with_parent(void **state)
{
	(void)state;
	int up[2];
	assert_int_equal(pipe(up), 0);
	pid_t parent = fork();
	if (parent == 0) {
		close(up[0]);
		char *argv[] = { "sleep", "300", NULL };
		struct vb_proc_opts o = { .argv = argv };
		struct vb_proc p;
		struct vb_err err = { 0 };
		if (proc__spawn(&o, &p, &err) < 0)
			_exit(3);
		if (write(up[1], &p.pid, sizeof(p.pid)) != sizeof(p.pid))
			_exit(4);
		for (;;)
			pause();
	}
	close(up[1]);
	pid_t kid = 0;
	assert_int_equal(read(up[0], &kid, sizeof(kid)), sizeof(kid));
	close(up[0]);
	int fd = (int)syscall(SYS_pidfd_open, kid, 0);
	assert_true(fd >= 0);
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&pf, 1, 0), 0); /* running */
	kill(parent, SIGKILL);
	assert_int_equal(waitpid(parent, NULL, 0), parent);
	/* Bounded only so a survivor fails the test instead of hanging it. */
	assert_int_equal(poll(&pf, 1, 30000), 1);
	close(fd);
	while (waitpid(kid, NULL, WNOHANG) > 0) /* reparented here if we reap */
		;
}

static void test_missing_program(void **state)
{
	(void)state;
	char *argv[] = { "virtbench-no-such-program", NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "virtbench-no-such-program: program not found"));
	assert_int_equal(err.errnum, ENOENT);
	proc__result_free(&r);
	char *argv2[] = { "/nonexistent/prog", NULL };
	o.argv = argv2;
	assert_int_equal(proc__run(&o, &r, &err), -1);
	proc__result_free(&r);
}

static void test_which(void **state)
{
	(void)state;
	char *p = proc__which("sh");
	assert_non_null(p);
	assert_true(p[0] == '/');
	free(p);
	assert_null(proc__which("virtbench-no-such-program"));
	assert_null(proc__which(""));
	p = proc__which("/bin/sh");
	assert_string_equal(p, "/bin/sh");
	free(p);
}

static void test_spawn_stop(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "sleep 30 & sleep 30", NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc p;
	struct vb_err err = { 0 };
	assert_int_equal(proc__spawn(&o, &p, &err), 0);
	assert_true(p.pid > 0);
	assert_int_equal(getpgid(p.pid), p.pid);
	assert_true(p.out_fd >= 0 && p.err_fd >= 0);
	assert_int_equal(p.in_fd, -1);
	int status;
	assert_false(proc__exited(&p, &status));
	pid_t pgid = p.pid;
	proc__stop(&p, 200);
	assert_group_gone(pgid);
	assert_int_equal(p.out_fd, -1);
	proc__stop(&p, 200); /* twice is harmless */
}

static void test_spawn_talk(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "read x; echo got $x; exit 5", NULL };
	struct vb_proc_opts o = { .argv = argv, .stdin_data = "" };
	struct vb_proc p;
	struct vb_err err = { 0 };
	assert_int_equal(proc__spawn(&o, &p, &err), 0);
	assert_true(p.in_fd >= 0);
	assert_int_equal(write(p.in_fd, "hi\n", 3), 3);
	char buf[64] = "";
	ssize_t n = read(p.out_fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	assert_string_equal(buf, "got hi\n");
	int status = 0;
	while (!proc__exited(&p, &status))
		usleep(1000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 5);
	status = proc__stop(&p, 100);
	assert_int_equal(WEXITSTATUS(status), 5);
}

/* Side by side, each with its own result: the first waits for a file the
 * second makes, so one after the other the first would time out; the
 * third times out alone, its group killed; the fourth cannot start. */
static void test_run_all(void **state)
{
	(void)state;
	char flag[] = "/tmp/vb-run-all-XXXXXX";
	int fd = mkstemp(flag);
	assert_true(fd >= 0);
	close(fd);
	unlink(flag);
	char wait_for[300], make_it[300];
	snprintf(wait_for, sizeof(wait_for),
		 "while [ ! -e %s ]; do sleep 0.01; done; echo first; exit 4", flag);
	snprintf(make_it, sizeof(make_it), "sleep 0.2; : > %s; echo second >&2", flag);
	char *a[] = { "sh", "-c", wait_for, NULL };
	char *b[] = { "sh", "-c", make_it, NULL };
	char *c[] = { "sh", "-c", "echo $$; sleep 30 & sleep 30", NULL };
	char *d[] = { "/nonexistent/vb-no-such-program", NULL };
	struct vb_proc_opts o[4] = {
		{ .argv = a, .timeout_ms = 60000 },
		{ .argv = b, .timeout_ms = 60000 },
		{ .argv = c, .timeout_ms = 2000 },
		{ .argv = d, .timeout_ms = 1000 },
	};
	struct vb_proc_result r[4];
	struct vb_err errs[4] = { { 0 } };
	assert_true(proc__run_all(o, r, errs, 4) < 0);
	unlink(flag);
	assert_string_equal(errs[0].msg, "");
	assert_int_equal(r[0].exit_code, 4);
	assert_string_equal(r[0].out, "first\n");
	assert_string_equal(errs[1].msg, "");
	assert_int_equal(r[1].exit_code, 0);
	assert_string_equal(r[1].errout, "second\n");
	assert_true(r[2].timed_out);
	assert_non_null(strstr(errs[2].msg, "timed out after 2000 ms"));
	assert_group_gone((pid_t)atoi(r[2].out));
	assert_non_null(strstr(errs[3].msg, "no such executable"));
	assert_null(r[3].out);
	for (int i = 0; i < 4; i++)
		proc__result_free(&r[i]);
	/* Clean-up steps run alone. */
	struct vb_proc_opts cleanup = { .argv = b, .cleanup = true };
	struct vb_proc_result cr;
	struct vb_err cerr = { 0 };
	assert_true(proc__run_all(&cleanup, &cr, &cerr, 1) < 0);
	assert_non_null(strstr(cerr.msg, "alone"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_run_all),
		cmocka_unit_test(test_merged_and_stdin),
		cmocka_unit_test(test_large_stdin_and_cap),
		cmocka_unit_test(test_child_ignores_stdin),
		cmocka_unit_test(test_signal_exit),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_plain_sleep_timeout),
		cmocka_unit_test(test_leftover_background_killed),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_cleanup_run_ignores_interrupt),
		cmocka_unit_test(test_child_dies_with_parent),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_which),
		cmocka_unit_test(test_spawn_stop),
		cmocka_unit_test(test_spawn_talk),
		cmocka_unit_test(test_pass_fd_reaches_that_program_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
