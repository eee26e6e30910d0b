/* External programs: spawned with an argv array (never a shell), in their
 * own process group, dying with virtbench (PR_SET_PDEATHSIG, so even after
 * a SIGKILL of virtbench), with a timeout and captured output. On timeout
 * or Ctrl-C the whole group is killed and reaped.
 *
 * PDEATHSIG fires when the spawning THREAD ends, not the process: a
 * program that must outlive the call (proc__spawn) is started from the
 * main thread; proc__run may be called from any thread because it kills
 * and reaps the whole group before it returns, so nothing of it is left
 * when the thread ends. Programs that should run side by side go to
 * proc__run_all rather than to threads of their own. */
#ifndef VB_CORE_PROC_H
#define VB_CORE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

struct vb_proc_opts {
	char *const *argv;	/* argv[0] is looked up on PATH */
	char *const *envp;	/* NULL: inherit */
	int timeout_ms;		/* <= 0: no timeout (still killed on Ctrl-C) */
	const char *stdin_data; /* NULL: /dev/null */
	size_t stdin_len;
	size_t max_output; /* per stream cap, default 4 MiB */
	bool stderr_to_stdout;
	/* A clean-up step (runc delete, docker rm): proc__run ignores Ctrl-C
	 * and a second Ctrl-C waits for it; timeout_ms <= 0 means 60 s. */
	bool cleanup;
	/* > 2: a descriptor the program inherits (QEMU's tap). It stays
	 * close-on-exec here and is opened up only in the child, so no other
	 * program spawned meanwhile gets it. 0: none. */
	int pass_fd;
};

struct vb_proc_result {
	int exit_code;	 /* -1 when killed by a signal */
	int term_signal; /* 0 when exited */
	bool timed_out;
	bool interrupted;
	char *out, *errout; /* NUL-terminated, owned */
	size_t out_len, err_len;
	double wall_ms;
};

/* Runs to completion. Returns 0 when the program ran (whatever its exit
 * code), < 0 when it could not be started, timed out or was interrupted. */
int proc__run(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *err);
void proc__result_free(struct vb_proc_result *r);
/* Runs n programs side by side, each with its own options, result and
 * error (errs has n entries), all started from the calling thread. Returns
 * 0 when every one ran, else the first failure's < 0 (each errs[i] says
 * which). No clean-up steps: those run alone, through proc__run. */
int proc__run_all(const struct vb_proc_opts *o, struct vb_proc_result *r, struct vb_err *errs,
		  size_t n);

/* A program that keeps running while the caller talks to it (QEMU, dockerd). */
struct vb_proc {
	pid_t pid;  /* also its process group id */
	int in_fd;  /* write end of its stdin, or -1 */
	int out_fd; /* read end of its stdout (and stderr if merged), or -1 */
	int err_fd; /* read end of its stderr, or -1 */
};
int proc__spawn(const struct vb_proc_opts *o, struct vb_proc *p, struct vb_err *err);
/* Kills the process group (SIGTERM, then SIGKILL after grace_ms), reaps it,
 * closes the pipes. Safe to call twice. Returns the exit status as waitpid. */
int proc__stop(struct vb_proc *p, int grace_ms);
/* Non-blocking: true when the child has exited (then *status is set). */
bool proc__exited(struct vb_proc *p, int *status);

/* Full path of a program found on PATH, or NULL (caller frees). */
char *proc__which(const char *name);

#endif
