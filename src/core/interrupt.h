/* Ctrl-C: the first SIGINT/SIGTERM sets a flag that long loops poll so they
 * unwind through their normal cleanup paths; a second one exits at once,
 * after killing the process groups still registered here. */
#ifndef VB_CORE_INTERRUPT_H
#define VB_CORE_INTERRUPT_H

#include <stdbool.h>
#include <sys/types.h>

void interrupt__install(void);
bool interrupt__pending(void);
/* For tests: raise or clear the flag without a signal. */
void interrupt__set(bool on);
/* Process groups to kill on a forced exit. */
void interrupt__track_pgid(pid_t pgid);
void interrupt__untrack_pgid(pid_t pgid);
/* Cleanup callbacks run on a forced exit (e.g. remove a temp dir). */
typedef void (*vb_emergency_fn)(void *arg);
int interrupt__on_emergency(vb_emergency_fn fn, void *arg);
void interrupt__remove_emergency(vb_emergency_fn fn, void *arg);

#endif
