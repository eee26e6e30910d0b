/* The isolation check: the worker's own view from inside a runtime. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container/container_bench.h"
#include "container/ct.h"

int container_bench__facts(enum ct_runtime rt, const struct container_opts *o, char *line,
			   size_t size, struct vb_err *err)
{
	struct container_opts one = *o;
	one.runtimes = 1u << rt;
	one.nimages = 0;
	one.quiet = true;
	one.silent = true;
	struct vb_result_set skips;
	result_set__init(&skips);
	struct ct_session s;
	if (ct_session__open(&s, &one, "container.facts", &skips, err) < 0) {
		result_set__free(&skips);
		return -1;
	}
	int rc = 0;
	struct ct_driver *d = &s.drv[rt];
	if (!s.usable[rt])
		rc = err__set(err, 0, "%s", skips.nskips ? skips.skips[0].reason : "not usable");
	struct ct_inst in;
	ct_inst__init(&in);
	static const char *const args[] = { "--facts", NULL };
	struct ct_start st = { .args = args };
	if (rc == 0)
		rc = d->ops->start(d, &st, &in, err);
	if (rc == 0)
		rc = ct_inst__wait_ready(&in, 60000, err);
	if (rc == 0) {
		struct wclient c;
		struct vbp_msg m;
		ct_inst__client(&in, &c);
		rc = wclient__expect(&c, VBP_FACTS, &m, line, size, 60000, err);
	}
	if (rc == 0)
		rc = ct_inst__wait_exit(&in, 60000, err);
	struct vb_err terr = { 0 };
	if (in.created || in.pid > 0)
		d->ops->teardown(d, &in, &terr);
	ct_session__close(&s);
	result_set__free(&skips);
	return rc;
}
