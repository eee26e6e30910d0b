/* /proc/meminfo, the kernel's memory counters ("MemAvailable:   24246192
 * kB", one a line): the one reader of that file, for `virtbench info`, the
 * microVM's memory check and the density benchmark. */
#ifndef VB_CORE_MEMINFO_H
#define VB_CORE_MEMINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

#define MEMINFO_PATH "/proc/meminfo"

/* The text of a meminfo file (MEMINFO_PATH, or a fixture's); malloc'd. */
int meminfo__read(const char *path, char **text, struct vb_err *err);
/* The value of the field `name` ("MemAvailable"): KiB for sizes, a count
 * for the HugePages_ counters. False when the text has no such field. */
bool meminfo__get(const char *text, const char *name, uint64_t *value);
/* MemAvailable of this machine in KiB; 0 when unknown. */
uint64_t meminfo__available_kib(void);

#endif
