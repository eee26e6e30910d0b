/* What a result is about, read from its names: which family of the report
 * it belongs to (boot, exits, cpu ...), whether its platform is a VM or a
 * container, which native result is its baseline. The report, the CSVs and
 * compare's summary all select results through these rules. */
#ifndef VB_REPORT_FAMILY_H
#define VB_REPORT_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/result.h"

enum family {
	FAM_OTHER,
	FAM_BOOT,
	FAM_EXITS,
	FAM_CPU,
	FAM_MEMORY,
	FAM_MEMLAT,
	FAM_FAULT,
	FAM_STREAM,
	FAM_STARTUP,
	FAM_SCALE,
	FAM_DENSITY,
	FAM_INTERFERENCE,
	FAM_COUNT
};

/* From the part of the benchmark name after its last dot ("vm.boot"). */
enum family family__of(const struct vb_result *r);
const char *family__title(enum family f);

bool family__is_vm(const char *platform);	     /* microvm, qemu */
bool family__is_container(const char *platform);     /* container-*, runc, crun, docker, podman */
bool family__is_emulated(const struct vb_result *r); /* TCG: note or config says so */

/* Boot: the whole boot (total) and its phases ("phase.<name>..."). */
bool family__is_boot_total(const struct vb_result *r);
/* Writes the phase name ("create_vm") when r is a boot phase. */
bool family__boot_phase(const struct vb_result *r, char *phase, size_t size);
/* Startup: the headline metric (time until the container is ready). */
bool family__is_startup_main(const struct vb_result *r);
/* The throughput figure of a cpu or memory result (events/s, MiB/s). */
bool family__is_throughput(const struct vb_result *r);

/* First configuration value among keys that parses as a number; NaN if none. */
double family__config_num(const struct vb_result *r, const char *const *keys);
double family__vcpus(const struct vb_result *r);
double family__memory_mb(const struct vb_result *r);
double family__threads(const struct vb_result *r);
/* The x of a density run (how many guests at once), of memlat (bytes). */
double family__count(const struct vb_result *r);
double family__working_set(const struct vb_result *r);

/* The native result that r's overhead is measured against: the same
 * benchmark and metric on platform native with the same configuration, or
 * else native.<kind> with as many threads as r has vCPUs or threads. */
const struct vb_result *family__baseline(const struct vb_result_set *s, const struct vb_result *r);
/* r's overhead against its baseline: stored when r has one, else computed.
 * Returns false when neither is possible. */
bool family__overhead(const struct vb_result_set *s, const struct vb_result *r,
		      struct vb_overhead *out);

/* Finds every result's baseline at once (sorted keys, not a scan per
 * result) and derives the overheads not stored, each once: afterwards
 * family__baseline and family__overhead only look up. The bootstraps of
 * derived overheads draw at most FAMILY_BOOTSTRAP_BUDGET samples per set;
 * past that an overhead has no interval and its result a warning. */
#define FAMILY_BOOTSTRAP_BUDGET VB_MAX_SAMPLES
int family__link(struct vb_result_set *s);

/* Converts a time in `unit` to seconds / milliseconds; NaN for other units. */
double family__seconds(double v, const char *unit);
double family__ms(double v, const char *unit);

/* The VM platform whose figures fill the seed's VM files: QEMU when it ran
 * with KVM (the seed's set-up), else the microVM, else QEMU under TCG. */
const char *family__seed_vm_platform(const struct vb_result_set *s, enum family f);

#endif
