#include "core/err.h"

#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 4, 0))) static int vset(struct vb_err *err, int errnum, int status,
						      const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->errnum = errnum;
	err->status = status;
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n < 0)
		n = 0;
	size_t used = (size_t)n < sizeof(err->msg) ? (size_t)n : sizeof(err->msg) - 1;
	if (errnum)
		snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", strerror(errnum));
	return -1;
}

int err__set(struct vb_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, errnum, VB_EXIT_FAILURE, fmt, ap);
	va_end(ap);
	return -1;
}

int err__usage(struct vb_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, 0, VB_EXIT_USAGE, fmt, ap);
	va_end(ap);
	return -1;
}

int err__wrap(struct vb_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char ctx[512];
	char old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = 0;
	/* Built by hand: the message is truncated on purpose when long, and
	 * snprintf("%s: %s") would trip -Wformat-truncation. */
	size_t cl = strnlen(ctx, sizeof(ctx)), ol = strlen(old), cap = sizeof(err->msg) - 1;
	size_t used = cl < cap ? cl : cap;
	memcpy(err->msg, ctx, used);
	if (used + 2 <= cap) {
		memcpy(err->msg + used, ": ", 2);
		used += 2;
	}
	size_t take = ol < cap - used ? ol : cap - used;
	memcpy(err->msg + used, old, take);
	err->msg[used + take] = 0;
	if (!err->status)
		err->status = VB_EXIT_FAILURE;
	return -1;
}

void err__clear(struct vb_err *err)
{
	memset(err, 0, sizeof(*err));
}

int err__report(const struct vb_err *err)
{
	fprintf(stderr, "virtbench: %s\n", err->msg[0] ? err->msg : "unknown error");
	return err->status ? err->status : VB_EXIT_FAILURE;
}
