/* One way to start and finish a result set, for every benchmark command and
 * for the suite: the start time and the host block when it begins, the
 * finish time when it is printed or saved, and what a failure part way
 * leaves (what finished, marked incomplete). */
#ifndef VB_CORE_RESULT_RUN_H
#define VB_CORE_RESULT_RUN_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"

/* Where a finished set goes. */
struct vb_set_sink {
	bool json;	  /* one JSON document on stdout instead of the table */
	const char *path; /* also saved there, atomically ("-": stdout); NULL: not saved */
};

/* The host block of this machine (host__inspect); NULL when it cannot be
 * had, with the reason in err. */
typedef json_t *(*vb_host_fn)(struct vb_err *err);

/* Initialises s, stamps its start and attaches the host block from host
 * (NULL: none). A host that cannot be inspected is a warning unless quiet:
 * the set is valid without its block. */
void result_set__start(struct vb_result_set *s, vb_host_fn host, bool quiet);
/* Stamps the finish time and saves s to path (atomically): after each
 * benchmark of a long run, so an interruption leaves a valid file. */
int result_set__checkpoint(struct vb_result_set *s, const char *path, struct vb_err *err);
/* Ends a benchmark command whose benchmark returned rc with err: 0 done;
 * < 0 failed part way (what finished is printed and saved, marked
 * incomplete; nothing when nothing finished); > 0 complete, but the command
 * failed. Prints the table or the JSON, saves to o->path, reports err, and
 * returns the exit status. */
int result_set__finish(struct vb_result_set *s, const struct vb_set_sink *o, int rc,
		       const struct vb_err *err);

#endif
