/* Ctrl-C: the first SIGINT/SIGTERM/SIGHUP sets a flag that long loops poll so
 * they unwind through their normal cleanup paths; a second one exits at once,
 * after killing the process groups still registered here and running the
 * emergency callbacks. A clean-up step in progress (a section below) is never
 * cut short: the second signal then waits for it to end. */
#ifndef VB_CORE_INTERRUPT_H
#define VB_CORE_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

void interrupt__install(void);
bool interrupt__pending(void);
/* The flag itself, for code that may only load memory (the workload core's
 * wl_job.stop): non-zero once interrupted. */
const volatile uint32_t *interrupt__flag(void);
/* For tests: raise or clear the flag without a signal. */
void interrupt__set(bool on);
/* Process groups to kill on a forced exit. */
void interrupt__track_pgid(pid_t pgid);
void interrupt__untrack_pgid(pid_t pgid);
/* Cleanup callbacks run on a forced exit (e.g. remove a temp dir). */
typedef void (*vb_emergency_fn)(void *arg);
int interrupt__on_emergency(vb_emergency_fn fn, void *arg);
void interrupt__remove_emergency(vb_emergency_fn fn, void *arg);
/* A command (a full path and up to 4 arguments, e.g. rm -rf of a temp
 * dir) the forced exit runs after the callbacks; returns a slot for
 * interrupt__cancel_run, or -1 when the table is full. */
int interrupt__run_on_abort(const char *const *argv);
void interrupt__cancel_run(int slot);
/* Runs argv (argv[0] a full path) to its end or for at most timeout_ms,
 * with no descriptors of ours: async-signal-safe, for emergency callbacks.
 * Returns its exit status, or -1 when it could not run, was killed or ran
 * out of time. */
int interrupt__run_now(char *const *argv, int timeout_ms);

/* A clean-up step (a container's removal, QEMU's end, a temp dir's): a
 * second signal arriving inside one defers the forced exit to its end.
 * Sections nest; they belong to the thread that installed the handler. */
void interrupt__cleanup_enter(void);
void interrupt__cleanup_leave(void);

#endif
