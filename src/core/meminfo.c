#include "core/meminfo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

/* About 60 lines of 30 bytes today; room for the kernel to grow. */
#define MEMINFO_MAX (64u << 10)

int meminfo__read(const char *path, char **text, struct vb_err *err)
{
	size_t len;
	return file__read_all(path, MEMINFO_MAX, text, &len, err);
}

bool meminfo__get(const char *text, const char *name, uint64_t *value)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, name, n) && p[n] == ':' &&
		    sscanf(p + n + 1, " %" SCNu64, value) == 1)
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

uint64_t meminfo__available_kib(void)
{
	char *text = NULL;
	struct vb_err err = { 0 };
	uint64_t kib = 0;
	if (meminfo__read(MEMINFO_PATH, &text, &err) == 0 &&
	    !meminfo__get(text, "MemAvailable", &kib))
		kib = 0;
	free(text);
	return kib;
}
