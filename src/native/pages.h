/* Anonymous memory with a chosen page size, and what the kernel actually
 * gave: 2 MiB pages come from the hugetlbfs pool (MAP_HUGETLB) when it has
 * pages, otherwise from transparent huge pages (madvise MADV_HUGEPAGE), and
 * the caller checks after touching that they were obtained, so that a 4 KiB
 * figure is never reported as a 2 MiB one. 4 KiB regions are madvised
 * MADV_NOHUGEPAGE so that THP "always" cannot turn them into huge pages. */
#ifndef VB_NATIVE_PAGES_H
#define VB_NATIVE_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define NATIVE_2M (2ull << 20)

enum native_page_source {
	NATIVE_SRC_4K = 0,
	NATIVE_SRC_HUGETLBFS = 1, /* MAP_HUGETLB: huge by construction */
	NATIVE_SRC_THP = 2,	  /* madvise: huge only if the kernel agreed */
};

struct native_map {
	void *base; /* 2 MiB aligned when huge was asked for */
	size_t len; /* usable length (rounded up to the page size) */
	void *raw;  /* what to munmap */
	size_t raw_len;
	bool huge; /* 2 MiB asked for */
	enum native_page_source source;
};

/* Maps size bytes, untouched. */
int native_map__create(struct native_map *m, uint64_t size, bool huge, struct vb_err *err);
void native_map__destroy(struct native_map *m);
/* After touching: bytes of [base, base + len) backed by 2 MiB pages. For a
 * hugetlbfs map that is len; for THP it is read from /proc/self/smaps
 * (AnonHugePages). -1 when smaps cannot be read. */
int64_t native_map__huge_bytes(const struct native_map *m);
/* True when all of the map is backed by 2 MiB pages. */
bool native_map__is_huge(const struct native_map *m);
const char *native_map__source(const struct native_map *m);
/* Parses smaps text: AnonHugePages of the mappings overlapping [lo, hi), in
 * bytes. Exposed for the tests. */
int64_t native_smaps__anon_huge(const char *text, uintptr_t lo, uintptr_t hi);

#endif
