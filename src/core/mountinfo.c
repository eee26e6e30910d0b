#include "core/mountinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

/* A mount table of tens of thousands of mounts (a busy container host)
 * still fits; a file larger than this is not a mount table. */
#define MOUNTINFO_MAX (64u << 20)

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* The kernel writes blanks, newlines and backslashes in a field as \ooo.
 * Decoding in place is safe: the result is never longer. */
static void unescape(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '\\' && is_octal(r[1]) && is_octal(r[2]) && is_octal(r[3]) &&
		    r[1] <= '3') {
			char c = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			if (c) { /* a path never holds a NUL: leave "\000" as written */
				*w++ = c;
				r += 3;
				continue;
			}
		}
		*w++ = *r;
	}
	*w = '\0';
}

static bool to_ulong(const char *s, unsigned long *out)
{
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end;
}

/* One line, split in place. False when it is not a mountinfo line. */
static bool parse_line(char *line, struct mount_entry *m)
{
	char *f[6];
	char *save = NULL;
	char *tok = strtok_r(line, " ", &save);
	for (int i = 0; i < 6; i++, tok = strtok_r(NULL, " ", &save)) {
		if (!tok)
			return false;
		f[i] = tok;
	}
	while (tok && strcmp(tok, "-")) /* optional fields: "shared:15", ... */
		tok = strtok_r(NULL, " ", &save);
	char *fstype = tok ? strtok_r(NULL, " ", &save) : NULL;
	if (!fstype || !to_ulong(f[0], &m->id) || !to_ulong(f[1], &m->parent))
		return false;
	char *source = strtok_r(NULL, " ", &save);
	char *super = source ? strtok_r(NULL, " ", &save) : NULL;
	char *fields[] = { f[2], f[3], f[4], f[5], fstype, source, super };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i])
			unescape(fields[i]);
	m->dev = f[2];
	m->root = f[3];
	m->point = f[4];
	m->options = f[5];
	m->fstype = fstype;
	m->source = source ? source : "";
	m->super_options = super ? super : "";
	return true;
}

int mountinfo__parse(const char *text, struct mountinfo *mi, struct vb_err *err)
{
	*mi = (struct mountinfo){ 0 };
	size_t lines = 1;
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	mi->strings = strdup(text);
	mi->mounts = calloc(lines, sizeof(*mi->mounts));
	if (!mi->strings || !mi->mounts) {
		mountinfo__free(mi);
		return err__set(err, ENOMEM, "mount table");
	}
	for (char *line = mi->strings; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (parse_line(line, &mi->mounts[mi->n]))
			mi->n++;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int mountinfo__read(const char *path, struct mountinfo *mi, struct vb_err *err)
{
	char *text = NULL;
	size_t len;
	*mi = (struct mountinfo){ 0 };
	if (file__read_all(path, MOUNTINFO_MAX, &text, &len, err) < 0)
		return err__wrap(err, "mount table");
	int rc = mountinfo__parse(text, mi, err);
	free(text);
	return rc;
}

void mountinfo__free(struct mountinfo *mi)
{
	free(mi->mounts);
	free(mi->strings);
	*mi = (struct mountinfo){ 0 };
}

int mountinfo__cgroup_version(const struct mount_entry *m)
{
	if (!strcmp(m->fstype, "cgroup2"))
		return 2;
	return !strcmp(m->fstype, "cgroup") ? 1 : 0;
}

enum cgroup_layout mountinfo__cgroup_layout(const struct mountinfo *mi)
{
	bool v1 = false, v2 = false;
	for (size_t i = 0; i < mi->n; i++) {
		int v = mountinfo__cgroup_version(&mi->mounts[i]);
		v1 |= v == 1;
		v2 |= v == 2;
	}
	return v1 && v2 ? CGROUP_HYBRID : v1 ? CGROUP_V1 : v2 ? CGROUP_V2 : CGROUP_NONE;
}

const char *mountinfo__cgroup_layout_name(enum cgroup_layout l)
{
	switch (l) {
	case CGROUP_V1: return "v1";
	case CGROUP_V2: return "v2";
	case CGROUP_HYBRID: return "hybrid";
	default: return "none";
	}
}
