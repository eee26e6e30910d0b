/* virtbench-docgen: writes the manual pages and the bash completion script
 * from the command tables at build time (src/cli/install.mk). Not
 * installed.
 *   virtbench-docgen man DIR               DIR/virtbench.1, DIR/virtbench-<command>.1
 *   virtbench-docgen bash-completion FILE
 * The pages are dated from $SOURCE_DATE_EPOCH when it is set (reproducible
 * builds, as dpkg-buildpackage sets it), else today. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/completion.h"
#include "cli/man.h"
#include "core/err.h"
#include "core/fileio.h"

static void today(char *out, size_t size)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	time_t t = epoch && *epoch ? (time_t)strtoll(epoch, &end, 10) : time(NULL);
	if (end && *end)
		t = time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d", &tm))
		snprintf(out, size, "1970-01-01");
}

/* A page or script written into memory, then saved atomically. */
struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static int out_open(struct out *o, const char *path, struct vb_err *err)
{
	o->buf = NULL;
	o->f = open_memstream(&o->buf, &o->len);
	return o->f ? 0 : err__set(err, errno, "%s", path);
}

/* Saves what was written, unless `failed`; releases o either way. */
static int out_close(struct out *o, bool failed, const char *path, struct vb_err *err)
{
	int rc = failed ? -1 : 0;
	if (fclose(o->f) != 0 && rc == 0)
		rc = err__set(err, errno, "%s", path);
	if (rc == 0 && file__write_atomic(path, o->buf, o->len, err) < 0)
		rc = -1;
	free(o->buf);
	return rc;
}

static int man_pages(const char *dir, struct vb_err *err)
{
	char name[64], path[4096], date[16];
	today(date, sizeof(date));
	for (size_t i = 0; man__name(i, name, sizeof(name)); i++) {
		struct out o;
		snprintf(path, sizeof(path), "%s/%s.1", dir, name);
		if (out_open(&o, path, err) < 0)
			return -1;
		bool failed = man__write(name, date, o.f, err) < 0;
		if (out_close(&o, failed, path, err) < 0)
			return -1;
	}
	return 0;
}

static int completion(const char *path, struct vb_err *err)
{
	struct out o;
	if (out_open(&o, path, err) < 0)
		return -1;
	completion__write_bash(o.f);
	return out_close(&o, false, path, err);
}

int main(int argc, char **argv)
{
	struct vb_err err = { 0 };
	int rc;
	if (argc == 3 && !strcmp(argv[1], "man"))
		rc = man_pages(argv[2], &err);
	else if (argc == 3 && !strcmp(argv[1], "bash-completion"))
		rc = completion(argv[2], &err);
	else {
		fputs("usage: virtbench-docgen man DIR | bash-completion FILE\n", stderr);
		return 2;
	}
	if (rc < 0)
		return err__report(&err);
	return 0;
}
