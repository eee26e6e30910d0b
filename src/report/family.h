/* What a result is about, read from its names (core/names.h): which family
 * of the report it belongs to (boot, exits, cpu ...), what kind of platform
 * ran it, which native result is its baseline. family__link finds all of it
 * once per set into each result's view; the report, the CSVs and compare's
 * summary then select results by their views, never by string look-ups. */
#ifndef VB_REPORT_FAMILY_H
#define VB_REPORT_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/result.h"

/* The family of a result: its benchmark's kind, or FAM_OTHER when its
 * metric is not one this version writes (shown among the other results,
 * never dropped). What family__link puts in r->view.family. */
enum family family__of(const struct vb_result *r);
const char *family__title(enum family f);

/* QEMU under TCG: its accel key or its note says so. */
bool family__is_emulated(const struct vb_result *r);

/* The first number under a configuration key; NaN when absent or not a
 * number. */
double family__config_num(const struct vb_result *r, const char *key);

/* These read r->view (family__link first). */
/* Boot: the whole boot (total) and its phases ("phase.<name>..."). */
bool family__is_boot_total(const struct vb_result *r);
/* Writes the phase name ("create_vm") when r is a boot phase. */
bool family__boot_phase(const struct vb_result *r, char *phase, size_t size);
/* Startup: the headline metric (time until the container is ready). */
bool family__is_startup_main(const struct vb_result *r);
/* The throughput figure of a cpu or memory result (events/s, MiB/s). */
bool family__is_throughput(const struct vb_result *r);
/* Memory virtualization: a VM's first touch per page or memory latency,
 * whose overhead against native is the cost of the guest's paging. */
bool family__is_memvirt(const struct vb_result *r);
/* r's overhead against its baseline: stored when r has one, else derived
 * by family__link. Returns false when neither exists. */
bool family__overhead(const struct vb_result *r, struct vb_overhead *out);

/* Fills every result's view: its family, platform kind, the numbers of
 * its configuration, and its baseline, the native result that its overhead
 * is measured against: the same benchmark and metric on platform native
 * with the same configuration, or else the native benchmark of the same
 * kind with as many threads as r has vCPUs or threads. Baselines are found
 * by sorted keys, not a scan per result; overheads not stored are derived
 * once. The bootstraps of derived overheads draw at most
 * FAMILY_BOOTSTRAP_BUDGET samples per set; past that an overhead has no
 * interval and its result a warning. Does nothing on a linked set. */
#define FAMILY_BOOTSTRAP_BUDGET VB_MAX_SAMPLES
int family__link(struct vb_result_set *s);
/* 0 when s is linked; else an error: a writer given an unlinked set would
 * find no configuration and no baseline and write empty files. */
int family__require_linked(const struct vb_result_set *s, struct vb_err *err);

/* Converts a time in `unit` to seconds / milliseconds; NaN for other units. */
double family__seconds(double v, const char *unit);
double family__ms(double v, const char *unit);

/* The VM platform whose figures fill the seed's VM files: QEMU when it ran
 * with KVM (the seed's set-up), else the microVM, else QEMU under TCG. */
const char *family__seed_vm_platform(const struct vb_result_set *s, enum family f);
/* The container runtime whose figures fill the seed's container files of
 * family f: docker (the seed's), else podman, runc, crun, the built-in
 * runtime, else the first container platform that ran. For start-up the
 * seed's own method (docker-seed-method) goes with its runtime. */
const char *family__seed_container_platform(const struct vb_result_set *s, enum family f);
/* True when r's platform is plat or plat's seed-method twin. */
bool family__platform_is(const struct vb_result *r, const char *plat);

#endif
