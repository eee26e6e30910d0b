#include "core/result_run.h"

#include <stdio.h>
#include <time.h>

#include "core/output.h"

static void utc_now(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void result_set__start(struct vb_result_set *s, vb_host_fn host, bool quiet)
{
	result_set__init(s);
	utc_now(s->started, sizeof(s->started));
	if (!host)
		return;
	struct vb_err herr = { 0 };
	s->host = host(&herr);
	if (!s->host && !quiet)
		warn__("host inspection failed: %s", herr.msg);
}

int result_set__checkpoint(struct vb_result_set *s, const char *path, struct vb_err *err)
{
	utc_now(s->finished, sizeof(s->finished));
	return result_set__save(s, path, err);
}

/* The table or the JSON on stdout, and the file. */
static int emit(struct vb_result_set *s, const struct vb_set_sink *o)
{
	struct vb_err err = { 0 };
	utc_now(s->finished, sizeof(s->finished));
	if (o->json) {
		if (output__json_stdout(s, &err) < 0)
			return err__report(&err);
	} else {
		output__table(s, stdout);
		fflush(stdout);
	}
	if (o->path && result_set__save(s, o->path, &err) < 0)
		return err__report(&err);
	return VB_EXIT_OK;
}

int result_set__finish(struct vb_result_set *s, const struct vb_set_sink *o, int rc,
		       const struct vb_err *err)
{
	if (rc < 0 && s->nresults == 0 && s->nskips == 0)
		return err__report(err);
	if (rc < 0)
		s->incomplete = true;
	int status = emit(s, o);
	return rc ? err__report(err) : status;
}
