/* Errors as values: every function that can fail takes `struct vb_err *err`
 * last, returns a negative number, and records one line of context. Callers
 * add their own context with err__wrap() on the way up; only the CLI prints. */
#ifndef VB_CORE_ERR_H
#define VB_CORE_ERR_H

#include <stdarg.h>

enum vb_exit {
	VB_EXIT_OK = 0,
	VB_EXIT_FAILURE = 1, /* a benchmark or environment failure */
	VB_EXIT_USAGE = 2,   /* the user asked for something invalid */
};

struct vb_err {
	int errnum; /* errno of the root cause, 0 when none */
	int status; /* enum vb_exit the CLI should return */
	char msg[1024];
};

#define VB_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Records a failure; appends strerror(errnum) when errnum != 0. Returns -1. */
int err__set(struct vb_err *err, int errnum, const char *fmt, ...) VB_PRINTF(3, 4);
/* Records a usage error (exit status 2). Returns -1. */
int err__usage(struct vb_err *err, const char *fmt, ...) VB_PRINTF(2, 3);
/* Prepends "context: " to the recorded message. Returns -1. */
int err__wrap(struct vb_err *err, const char *fmt, ...) VB_PRINTF(2, 3);
void err__clear(struct vb_err *err);
/* Prints "virtbench: <msg>" on stderr and returns the exit status to use. */
int err__report(const struct vb_err *err);

#endif
