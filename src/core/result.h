/* The result model: one measured quantity with its configuration, its raw
 * samples and their statistics, collected in a result set that also carries
 * the host block, the tool version and what was skipped and why. */
#ifndef VB_CORE_RESULT_H
#define VB_CORE_RESULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/names.h"
#include "core/stats.h"

#define VB_SCHEMA     "virtbench/1"
#define VB_MAX_CONFIG 12

struct vb_kv {
	char key[32];
	char value[128];
};

struct vb_result;

/* What the report reads of a result, found once per set by family__link
 * from the names of core/names.h, so that no writer looks a configuration
 * key up per row or scans the set for a baseline. NaN where the result has
 * no such key. */
struct vb_view {
	enum family family;	    /* FAM_OTHER also under an unknown metric */
	enum vb_platform_kind kind; /* VB_PK_OTHER: neither native, VM nor container */
	bool emulated;		    /* QEMU under TCG */
	double vcpus, memory_mib;
	double threads;			  /* threads, else vCPUs */
	double count;			  /* guests or containers at once (density) */
	double working_set;		  /* bytes (memlat) */
	const struct vb_result *baseline; /* the native result of its overhead */
	bool has_derived;		  /* no overhead stored: derived from the baseline */
	struct vb_overhead derived;
};

struct vb_result {
	char benchmark[48]; /* e.g. "vm.boot", "native.cpu", "container.startup" */
	char platform[32];  /* native, microvm, qemu, container-builtin, runc, docker, ... */
	char metric[48];    /* e.g. "events_per_sec", "total_ms", "phase.create_vm_ms" */
	char unit[16];	    /* e.g. "events/s", "ms", "ns", "MiB/s" */
	bool higher_is_better;
	struct vb_kv config[VB_MAX_CONFIG];
	size_t nconfig;
	double *samples;
	size_t nsamples, cap;
	struct vb_stats stats;
	bool has_overhead; /* derived result: overhead_percent with interval */
	struct vb_overhead overhead;
	char note[256]; /* caveat shown with the figure, e.g. "emulated (tcg)" */
	/* Set when the result is read: a figure that is well formed but odd
	 * (a negative size from a noisy difference). Shown, never fatal, and
	 * not written back: every read finds it again. */
	char warning[256];
	struct vb_view view; /* filled by family__link, not written */
};

struct vb_skip {
	char benchmark[48];
	char platform[32];
	char reason[256];
};

struct vb_result_set {
	json_t *host;			/* host block from `info` (owned), may be NULL */
	json_t *extra;			/* free-form run metadata (owned), may be NULL */
	char started[32], finished[32]; /* ISO 8601 UTC */
	bool incomplete;		/* interrupted: holds only what finished */
	struct vb_result **results;
	size_t nresults, cap;
	struct vb_skip *skips;
	size_t nskips, skipcap;
	bool linked; /* views filled (family__link); adding a result clears it */
};

struct vb_result *result__new(const char *benchmark, const char *platform, const char *metric,
			      const char *unit, bool higher_is_better);
void result__free(struct vb_result *r);
int result__set_config(struct vb_result *r, const char *key, const char *fmt, ...) VB_PRINTF(3, 4);
const char *result__config(const struct vb_result *r, const char *key); /* NULL if absent */
/* The same benchmark, platform and metric, and every configuration key of a
 * (but those in skip, a NULL-terminated list) with the same value in b. */
bool result__twin(const struct vb_result *a, const struct vb_result *b, const char *const *skip);
int result__add_sample(struct vb_result *r, double v);
void result__finish(struct vb_result *r); /* computes stats from samples */
/* Sets r->overhead from base (native) and virt samples; r keeps virt's samples. */
void result__set_overhead(struct vb_result *r, const struct vb_result *base,
			  const struct vb_result *virt);

void result_set__init(struct vb_result_set *s);
void result_set__free(struct vb_result_set *s);
/* Takes ownership of r. */
int result_set__add(struct vb_result_set *s, struct vb_result *r);
int result_set__skip(struct vb_result_set *s, const char *benchmark, const char *platform,
		     const char *fmt, ...) VB_PRINTF(4, 5);
/* Finds the first result matching all non-NULL fields. */
struct vb_result *result_set__find(const struct vb_result_set *s, const char *benchmark,
				   const char *platform, const char *metric);
/* Moves all results and skips of src into dst (src is left empty). */
int result_set__merge(struct vb_result_set *dst, struct vb_result_set *src);

/* Appends a warning to r->warning ("; " between two), truncating. */
void result__warn(struct vb_result *r, const char *fmt, ...) VB_PRINTF(2, 3);

/* JSON (schema virtbench/1). The reader treats its input as untrusted: it
 * bounds sizes and counts, checks types and ranges, and names the field.
 * Its limits (README, "Results files"): */
#define VB_MAX_FILE_BYTES  (16u << 20)
#define VB_MAX_JSON_VALUES 1000000
#define VB_MAX_RESULTS	   10000
#define VB_MAX_SAMPLES	   100000 /* in the whole file, so also per result */
#define VB_MAX_SKIPS	   10000
json_t *result__to_json(const struct vb_result *r);
json_t *result_set__to_json(const struct vb_result_set *s);
int result_set__from_json(const json_t *doc, struct vb_result_set *s, struct vb_err *err);
int result_set__load(const char *path, struct vb_result_set *s, struct vb_err *err);
int result_set__load_buffer(const char *buf, size_t len, struct vb_result_set *s,
			    struct vb_err *err);
/* Writes JSON atomically to path ("-" = stdout). */
int result_set__save(const struct vb_result_set *s, const char *path, struct vb_err *err);

#endif
