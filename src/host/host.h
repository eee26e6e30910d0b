/* Host inspection: what a reader of a result needs to trust it. Every parser
 * takes a path or a buffer so the tests can feed it fixtures. */
#ifndef VB_HOST_HOST_H
#define VB_HOST_HOST_H

#include <jansson.h>

#include "core/err.h"

/* The host block stored with every result set (see `virtbench info --json`). */
json_t *host__inspect(struct vb_err *err);

#endif
