#include "measure/wclient.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"

/* Whole milliseconds, signed, as poll() timeouts are computed. */
static int64_t mono_ms(void)
{
	return (int64_t)(clock__now_ns() / 1000000u);
}

bool wclient__is_ready(const char *line, const char *marker, struct vbp_ready *ready)
{
	struct vbp_msg m;
	if (vbp__parse(line, &m, NULL) < 0 || m.type != VBP_READY)
		return false;
	if (marker && strcmp(m.ready.marker, marker) != 0)
		return false;
	if (ready)
		*ready = m.ready;
	return true;
}

/* The next record before the deadline; lines that are no record are not
 * ours (a runtime's or a console's own output on the same stream). */
static int next_record(const struct wclient *c, int64_t deadline, struct vbp_msg *m, char *line,
		       size_t size, struct vb_err *err)
{
	for (;;) {
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return err__set(err, ETIMEDOUT, "%s: no answer from the worker", c->name);
		if (c->recv(c->ctx, line, size, left > INT_MAX ? INT_MAX : (int)left, err) < 0)
			return -1;
		if (vbp__parse(line, m, NULL) == 0)
			return 0;
	}
}

int wclient__expect(const struct wclient *c, enum vbp_type type, struct vbp_msg *m, char *line,
		    size_t size, int timeout_ms, struct vb_err *err)
{
	char buf[VBP_LINE_MAX];
	int64_t deadline = mono_ms() + timeout_ms;
	for (;;) {
		if (next_record(c, deadline, m, buf, sizeof(buf), err) < 0)
			return -1;
		if (m->type == VBP_ERROR)
			return err__set(err, 0, "%s worker: %s", c->name, m->text);
		if (m->type != type)
			continue;
		if (line)
			snprintf(line, size, "%s", buf);
		return 0;
	}
}

int wclient__wait_ready(const struct wclient *c, const char *marker, int timeout_ms,
			struct vbp_ready *ready, struct vb_err *err)
{
	int64_t deadline = mono_ms() + timeout_ms;
	for (;;) {
		struct vbp_msg m;
		int64_t left = deadline - mono_ms();
		if (wclient__expect(c, VBP_READY, &m, NULL, 0, left > 0 ? (int)left : 0, err) < 0)
			return -1;
		if (marker && strcmp(m.ready.marker, marker) != 0)
			continue; /* an earlier guest's, or someone else's */
		if (ready)
			*ready = m.ready;
		return 0;
	}
}

int wclient__collect(const struct wclient *c, struct rates_batch *b, struct rates *out,
		     int timeout_ms, struct vb_err *err)
{
	char line[VBP_LINE_MAX];
	int64_t deadline = mono_ms() + timeout_ms;
	rates_batch__begin(b);
	for (;;) {
		struct vbp_msg m;
		if (next_record(c, deadline, &m, line, sizeof(line), err) < 0)
			return -1;
		switch (m.type) {
		case VBP_RESULT:
			if (rates_batch__add(b, m.result.thread, &m.result.rep, err) < 0)
				return err__wrap(err, "%s worker", c->name);
			break;
		case VBP_DONE:
			if (m.status)
				return err__set(err, 0, "%s worker finished with status %d",
						c->name, m.status);
			if (rates__from_batch(b, out, err) < 0)
				return err__wrap(err, "%s worker", c->name);
			return 0;
		case VBP_ERROR: return err__set(err, 0, "%s worker: %s", c->name, m.text);
		case VBP_READY:
		case VBP_FACTS: break; /* the worker's, but not part of a run */
		default:
			return err__set(err, 0,
					"%s worker: a host's record (\"%.40s\") in its answer",
					c->name, line);
		}
	}
}

static int send_line(const struct wclient *c, int n, const char *line, const char *what,
		     struct vb_err *err)
{
	if (n < 0)
		return err__set(err, EINVAL, "%s: formatting %s", c->name, what);
	if (!c->send)
		return err__set(err, EINVAL, "%s: the worker reads no commands", c->name);
	return c->send(c->ctx, line, err) < 0 ? err__wrap(err, "%s", c->name) : 0;
}

int wclient__run(const struct wclient *c, const struct wl_job *job, uint64_t hist,
		 struct rates_batch *b, struct rates *out, int timeout_ms, struct vb_err *err)
{
	char line[VBP_LINE_MAX];
	if (send_line(c, vbp__format_run(line, sizeof(line), job, hist), line, "the job", err) < 0)
		return -1;
	return wclient__collect(c, b, out, timeout_ms, err);
}

int wclient__run_one(const struct wclient *c, const struct wl_job *job, struct wl_report *rep,
		     int timeout_ms, struct vb_err *err)
{
	char line[VBP_LINE_MAX];
	if (send_line(c, vbp__format_run(line, sizeof(line), job, 0), line, "the job", err) < 0)
		return -1;
	struct vbp_msg *m = malloc(sizeof(*m));
	if (!m)
		return err__set(err, ENOMEM, "record");
	int rc = wclient__expect(c, VBP_RESULT, m, NULL, 0, timeout_ms, err);
	if (rc == 0 && m->result.thread != 0)
		rc = err__set(err, 0, "%s worker: a report of thread %u of a one-thread job",
			      c->name, m->result.thread);
	if (rc == 0)
		*rep = m->result.rep;
	if (rc == 0)
		rc = wclient__expect(c, VBP_DONE, m, NULL, 0, timeout_ms, err);
	if (rc == 0 && m->status)
		rc = err__set(err, 0, "%s worker finished with status %d", c->name, m->status);
	free(m);
	return rc;
}

int wclient__exit(const struct wclient *c, struct vb_err *err)
{
	char line[VBP_LINE_MAX];
	return send_line(c, vbp__format_exit(line, sizeof(line)), line, "VBEXIT", err);
}

static bool is_executable(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

static int resolve(const char *path, const char *named, char *out, size_t size, struct vb_err *err)
{
	char abs[PATH_MAX];
	if (!is_executable(path))
		return err__set(err, 0, "%s %s: not an executable program", named, path);
	if (!realpath(path, abs))
		return err__set(err, errno, "%s %s", named, path);
	if (strlen(abs) >= size)
		return err__set(err, ENAMETOOLONG, "%s %s", named, abs);
	strcpy(out, abs);
	return 0;
}

int wclient__find_worker(const char *opt, char *out, size_t size, struct vb_err *err)
{
	if (opt)
		return resolve(opt, "worker", out, size, err);
	const char *env = getenv("VIRTBENCH_WORKER");
	if (env && *env)
		return resolve(env, "VIRTBENCH_WORKER", out, size, err);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return err__set(err, errno, "finding the worker: /proc/self/exe");
	exe[n] = '\0';
	const char *dir = dirname(exe);
	/* Beside the binary in a build tree (one up for the tests), and where
	 * `make install` and the Debian package put it: PREFIX/lib/virtbench
	 * from PREFIX/bin, whatever PREFIX is. */
	static const char *const cands[] = { "/virtbench-worker", "/../virtbench-worker",
					     "/../lib/virtbench/virtbench-worker" };
	for (size_t i = 0; i < sizeof(cands) / sizeof(*cands); i++) {
		char p[PATH_MAX];
		if ((size_t)snprintf(p, sizeof(p), "%s%s", dir, cands[i]) >= sizeof(p))
			return err__set(err, ENAMETOOLONG, "finding the worker next to %s", dir);
		if (is_executable(p))
			return resolve(p, "worker", out, size, err);
	}
	return err__set(err, 0,
			"the static worker virtbench-worker is neither next to %s/virtbench nor in "
			"%s/../lib/virtbench (build it with make, install it with make install, or "
			"set VIRTBENCH_WORKER)",
			dir, dir);
}
