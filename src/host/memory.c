#include "host/memory.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int memory__from_meminfo(const char *text, struct host_memory *m)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "MemTotal", offsetof(struct host_memory, total_kib) },
		{ "MemAvailable", offsetof(struct host_memory, available_kib) },
		{ "MemFree", offsetof(struct host_memory, free_kib) },
		{ "SwapTotal", offsetof(struct host_memory, swap_total_kib) },
		{ "HugePages_Total", offsetof(struct host_memory, hugepages_total) },
		{ "Hugepagesize", offsetof(struct host_memory, hugepage_size_kib) },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		meminfo__get(text, fields[i].name, (uint64_t *)((char *)m + fields[i].off));
	return meminfo__get(text, "MemTotal", &m->total_kib) ? 0 : -1;
}

void thp__selected(const char *text, char *out, size_t size)
{
	out[0] = '\0';
	const char *a = strchr(text, '[');
	const char *b = a ? strchr(a, ']') : NULL;
	if (a && b && (size_t)(b - a - 1) < size)
		snprintf(out, size, "%.*s", (int)(b - a - 1), a + 1);
}

int memory__read(const struct hostfs *fs, struct host_memory *m)
{
	memset(m, 0, sizeof(*m));
	char buf[4096];
	char *text = NULL;
	struct vb_err err = { 0 };
	int rc = -1;
	if (hostfs__path(fs, MEMINFO_PATH, buf, sizeof(buf)) == 0 &&
	    meminfo__read(buf, &text, &err) == 0)
		rc = memory__from_meminfo(text, m);
	free(text);
	if (hostfs__read_line(fs, "/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) >
	    0)
		thp__selected(buf, m->thp_enabled, sizeof(m->thp_enabled));
	if (hostfs__read_line(fs, "/sys/kernel/mm/transparent_hugepage/defrag", buf, sizeof(buf)) >
	    0)
		thp__selected(buf, m->thp_defrag, sizeof(m->thp_defrag));
	return rc;
}
