/* `virtbench run`: the whole suite as a table of benchmark entries. Each
 * entry names a benchmark, its family, what it costs in --quick and --full,
 * how to tell whether this host can run it (a skip reason when not), and the
 * library function that runs it. The runner goes down the table, keeps
 * results.json valid after every entry, and writes the report at the end. */
#ifndef VB_SUITE_SUITE_H
#define VB_SUITE_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include "container/container_bench.h"
#include "core/err.h"
#include "core/result.h"

struct suite_ctx {
	bool full;  /* the seed's durations and sizes */
	bool quiet; /* no warnings from the benchmarks */
	/* docker/podman: local images measured besides the worker's (--image) */
	const char (*images)[CT_IMAGE_NAME_MAX];
	unsigned nimages;
	const char *dir;     /* the results directory: the disk tests' file system */
	unsigned iterations; /* every entry's count; 0: each its own */
};

struct suite_entry {
	const char *name;	/* "vm.boot": what --only/--skip name */
	const char *family;	/* "native", "microvm", "qemu", "container" */
	const char *what;	/* for the progress line */
	double quick_s, full_s; /* rough cost here, for the time-left estimate */
	/* 0 when this host can run it, else -1 with the reason in why. */
	int (*available)(const struct suite_ctx *c, char *why, size_t size);
	int (*run)(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err);
};

extern const struct suite_entry suite__entries[];
extern const size_t suite__nentries;

struct suite_opts {
	bool full;
	unsigned iterations; /* run --iterations: every benchmark's count; 0: their own */
	bool quiet;	     /* no progress, no warnings */
	bool no_gnuplot;
	const char *outdir; /* NULL: results/<hostname>-<arch>-<timestamp> */
	const char *only;   /* comma list of names or families, NULL = all */
	const char *skip;   /* comma list of names or families */
	char images[CT_MAX_IMAGES][CT_IMAGE_NAME_MAX]; /* --image, for docker/podman */
	unsigned nimages;
};

/* Checks --only/--skip against the table: a usage error names the unknown
 * entry. sel[i] tells whether entry i runs. */
int suite__select(const char *only, const char *skip, bool *sel, struct vb_err *err);
/* The default results directory for this host and now. */
void suite__default_dir(char *out, size_t size);
/* Runs the selected entries into s (initialised here), saving dir/results.json
 * after each one and writing the report at the end. Returns 0, or -1 when
 * interrupted (s and the files then hold what finished) or the directory
 * cannot be written. */
int suite__run(const struct suite_opts *o, const char *dir, struct vb_result_set *s,
	       struct vb_err *err);

#endif
