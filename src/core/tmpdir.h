/* Temp dirs that a forced exit (a second Ctrl-C) removes too. The dir is
 * made and its removal registered inside one clean-up section: a second
 * signal between the two would otherwise leave the dir behind. */
#ifndef VB_CORE_TMPDIR_H
#define VB_CORE_TMPDIR_H

#include <stddef.h>

#include "core/err.h"

/* <parent>/<prefix>.XXXXXX (parent NULL: $TMPDIR, else /tmp) into out.
 * *abort_slot is for interrupt__cancel_run once the caller has removed
 * the dir itself (-1 when the forced exit's table was full). */
int tmpdir__make(const char *parent, const char *prefix, char *out, size_t size, int *abort_slot,
		 struct vb_err *err);

#endif
