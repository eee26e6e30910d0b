#include "host/memory.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

int meminfo__parse(const char *text, struct host_memory *m)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "MemTotal:", offsetof(struct host_memory, total_kib) },
		{ "MemAvailable:", offsetof(struct host_memory, available_kib) },
		{ "MemFree:", offsetof(struct host_memory, free_kib) },
		{ "SwapTotal:", offsetof(struct host_memory, swap_total_kib) },
		{ "HugePages_Total:", offsetof(struct host_memory, hugepages_total) },
		{ "Hugepagesize:", offsetof(struct host_memory, hugepage_size_kib) },
	};
	bool found_total = false;
	for (const char *p = text; p && *p;) {
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			size_t kl = strlen(fields[i].key);
			uint64_t v;
			if (!strncmp(p, fields[i].key, kl) && sscanf(p + kl, " %" SCNu64, &v) == 1) {
				*(uint64_t *)((char *)m + fields[i].off) = v;
				if (i == 0)
					found_total = true;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return found_total ? 0 : -1;
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
	char buf[8192];
	int rc = -1;
	if (hostfs__read(fs, "/proc/meminfo", buf, sizeof(buf)) > 0)
		rc = meminfo__parse(buf, m);
	if (hostfs__read_line(fs, "/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) > 0)
		thp__selected(buf, m->thp_enabled, sizeof(m->thp_enabled));
	if (hostfs__read_line(fs, "/sys/kernel/mm/transparent_hugepage/defrag", buf, sizeof(buf)) > 0)
		thp__selected(buf, m->thp_defrag, sizeof(m->thp_defrag));
	return rc;
}
