#include "native/pages.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/fileio.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif

static size_t round_up(uint64_t v, uint64_t to)
{
	return (size_t)((v + to - 1) / to * to);
}

int native_map__create(struct native_map *m, uint64_t size, bool huge, struct vb_err *err)
{
	memset(m, 0, sizeof(*m));
	m->huge = huge;
	int prot = PROT_READ | PROT_WRITE;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (!huge) {
		m->len = round_up(size, 4096);
		m->raw = mmap(NULL, m->len, prot, flags, -1, 0);
		if (m->raw == MAP_FAILED) {
			m->raw = NULL;
			return err__set(err, errno, "mapping %zu bytes", m->len);
		}
		m->raw_len = m->len;
		m->base = m->raw;
		m->source = NATIVE_SRC_4K;
		/* EINVAL only on kernels without THP: then pages are 4K anyway. */
		madvise(m->base, m->len, MADV_NOHUGEPAGE);
		return 0;
	}
	m->len = round_up(size, NATIVE_2M);
	void *p = mmap(NULL, m->len, prot, (flags & ~MAP_NORESERVE) | MAP_HUGETLB | MAP_HUGE_2MB,
		       -1, 0);
	if (p != MAP_FAILED) {
		m->raw = m->base = p;
		m->raw_len = m->len;
		m->source = NATIVE_SRC_HUGETLBFS;
		return 0;
	}
	/* No hugetlbfs pool: THP on a 2 MiB aligned range. */
	m->raw_len = m->len + NATIVE_2M;
	m->raw = mmap(NULL, m->raw_len, prot, flags, -1, 0);
	if (m->raw == MAP_FAILED) {
		m->raw = NULL;
		return err__set(err, errno, "mapping %zu bytes", m->raw_len);
	}
	uintptr_t a = ((uintptr_t)m->raw + NATIVE_2M - 1) & ~(uintptr_t)(NATIVE_2M - 1);
	m->base = (void *)a;
	m->source = NATIVE_SRC_THP;
	if (madvise(m->base, m->len, MADV_HUGEPAGE) < 0) {
		int e = errno;
		native_map__destroy(m);
		return err__set(err, e,
				"madvise(MADV_HUGEPAGE): transparent huge pages unavailable");
	}
	return 0;
}

void native_map__destroy(struct native_map *m)
{
	if (m->raw)
		munmap(m->raw, m->raw_len);
	memset(m, 0, sizeof(*m));
}

const char *native_map__source(const struct native_map *m)
{
	switch (m->source) {
	case NATIVE_SRC_HUGETLBFS: return "hugetlbfs";
	case NATIVE_SRC_THP: return "thp";
	default: return "4k";
	}
}

int64_t native_smaps__anon_huge(const char *text, uintptr_t lo, uintptr_t hi)
{
	int64_t total = 0;
	bool in = false;
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		uintptr_t s, e;
		uint64_t kb;
		char c;
		/* A mapping header: "start-end perms ..."; fields have a colon. */
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR "%c", &s, &e, &c) == 3 && c == ' ')
			in = s < hi && e > lo;
		else if (in && sscanf(line, "AnonHugePages: %" SCNu64 " kB", &kb) == 1)
			total += (int64_t)kb * 1024;
		line = nl ? nl + 1 : NULL;
	}
	return total;
}

int64_t native_map__huge_bytes(const struct native_map *m)
{
	if (m->source == NATIVE_SRC_HUGETLBFS)
		return (int64_t)m->len;
	if (m->source == NATIVE_SRC_4K)
		return 0;
	char *text = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	if (file__read_all("/proc/self/smaps", 64u << 20, &text, &len, &err) < 0)
		return -1;
	uintptr_t lo = (uintptr_t)m->base;
	int64_t r = native_smaps__anon_huge(text, lo, lo + m->len);
	free(text);
	return r;
}

bool native_map__is_huge(const struct native_map *m)
{
	return native_map__huge_bytes(m) >= (int64_t)m->len;
}
