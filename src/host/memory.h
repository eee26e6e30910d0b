/* Memory: /proc/meminfo and the transparent huge page settings. */
#ifndef VB_HOST_MEMORY_H
#define VB_HOST_MEMORY_H

#include <stdint.h>

#include "core/meminfo.h"
#include "host/hostfs.h"

struct host_memory {
	uint64_t total_kib, available_kib, free_kib, swap_total_kib;
	uint64_t hugepages_total, hugepage_size_kib;
	char thp_enabled[16]; /* the bracketed choice: "always", "madvise", "never"; "" */
	char thp_defrag[24];
};

/* The fields of meminfo text (core/meminfo.h). Returns 0 when MemTotal
 * was found. */
int memory__from_meminfo(const char *text, struct host_memory *m);
/* "always [madvise] never" -> "madvise"; "" when nothing is bracketed. */
void thp__selected(const char *text, char *out, size_t size);
int memory__read(const struct hostfs *fs, struct host_memory *m);

#endif
