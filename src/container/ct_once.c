/* One container from start to removal, the step every benchmark repeats. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "container/ct.h"
#include "core/clock.h"

int ct__job_args(const struct wl_job *job, bool hist, char *buf, size_t size, const char **args,
		 size_t cap)
{
	if (vbp__format_run(buf, size, job, hist) < 0)
		return -1;
	size_t n = 0;
	args[n++] = "--once";
	char *save = NULL;
	char *t = strtok_r(buf, " \n", &save); /* "VBRUN" */
	while ((t = strtok_r(NULL, " \n", &save)) && n < cap - 1)
		args[n++] = t;
	args[n] = NULL;
	return t ? -1 : 0;
}

int ct__run_once(struct ct_driver *d, const char *const *args, int timeout_ms,
		 struct rates_batch *b, struct rates *rates, double *ready_ms, double *exit_ms,
		 double *teardown_ms, struct vb_err *err)
{
	struct ct_inst in;
	ct_inst__init(&in);
	struct ct_start s = { .args = args };
	int rc = d->ops->start(d, &s, &in, err);
	if (rc == 0)
		rc = ct_inst__wait_ready(&in, timeout_ms, err);
	if (rc == 0 && b)
		rc = ct_inst__read_results(&in, b, rates, timeout_ms, err);
	if (rc == 0)
		rc = ct_inst__wait_exit(&in, timeout_ms, err);
	if (rc == 0 && in.status != 0) {
		rc = err__set(err, 0, "container ended with %s %d",
			      WIFEXITED(in.status) ? "exit status" : "signal",
			      WIFEXITED(in.status) ? WEXITSTATUS(in.status) : WTERMSIG(in.status));
		ct_inst__wrap_stderr(&in, err);
	}
	uint64_t t0 = clock__now_ns();
	struct vb_err terr = { 0 };
	int trc = d->ops->teardown(d, &in, &terr);
	uint64_t t1 = clock__now_ns();
	if (rc < 0)
		return err__wrap(err, "%s", d->name);
	if (trc < 0) {
		*err = terr;
		return err__wrap(err, "%s: removing %s", d->name, in.id);
	}
	if (ready_ms)
		*ready_ms = (double)(int64_t)(in.t_ready_ns - in.t_spawn_ns) / 1e6;
	if (exit_ms)
		*exit_ms = (double)(in.t_exit_ns - in.t_spawn_ns) / 1e6;
	if (teardown_ms)
		*teardown_ms = (double)(t1 - t0) / 1e6;
	return 0;
}
