#include "host/cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mountinfo escapes blanks in paths as \040 and so on (octal). */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static void append_word(char *list, size_t size, const char *word)
{
	size_t len = strlen(list);
	snprintf(list + len, size - len, "%s%s", len ? " " : "", word);
}

int cgroup__parse_mountinfo(const char *text, struct host_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	unsigned v1 = 0, v2 = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[2048];
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : NULL;

		/* "36 25 0:31 / /sys/fs/cgroup/cpu rw,relatime shared:15 - cgroup cgroup rw,cpu" */
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		char fstype[32] = "";
		if (sscanf(sep + 3, "%31s", fstype) != 1)
			continue;
		char *save = NULL, *mnt = NULL;
		char *tok = strtok_r(line, " ", &save);
		for (int field = 0; tok && field < 4; field++)
			tok = strtok_r(NULL, " ", &save);
		mnt = tok;
		if (!mnt)
			continue;
		unescape(mnt);
		if (!strcmp(fstype, "cgroup2")) {
			if (!v2++)
				snprintf(cg->v2_mount, sizeof(cg->v2_mount), "%.255s", mnt);
		} else if (!strcmp(fstype, "cgroup")) {
			v1++;
			const char *base = strrchr(mnt, '/');
			append_word(cg->v1_hierarchies, sizeof(cg->v1_hierarchies),
				    base ? base + 1 : mnt);
		}
	}
	const char *layout = v1 && v2 ? "hybrid" : v1 ? "v1" : v2 ? "v2" : "none";
	snprintf(cg->layout, sizeof(cg->layout), "%s", layout);
	return 0;
}

int cgroup__read(const struct hostfs *fs, struct host_cgroup *cg)
{
	size_t len;
	char *text = hostfs__read_alloc(fs, "/proc/self/mountinfo", 1 << 20, &len);
	if (!text) {
		memset(cg, 0, sizeof(*cg));
		snprintf(cg->layout, sizeof(cg->layout), "unknown");
		return -1;
	}
	cgroup__parse_mountinfo(text, cg);
	free(text);
	if (cg->v2_mount[0]) {
		/* The mount point is a path of the live host; fixtures keep the
		 * file at the same place under their root. */
		char path[512];
		snprintf(path, sizeof(path), "%.400s/cgroup.controllers", cg->v2_mount);
		if (hostfs__read_line(fs, path, cg->v2_controllers, sizeof(cg->v2_controllers)) < 0)
			cg->v2_controllers[0] = '\0';
	}
	return 0;
}
