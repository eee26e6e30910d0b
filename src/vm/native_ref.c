/* The native side of the in-guest comparisons: the same workload job on
 * host threads through the native platform's runner, each thread with a
 * fresh buffer prepared exactly as the guest prepares its own. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "native/native.h"
#include "vm/bench_impl.h"

int vmb__native(const struct vmb_job *j, unsigned threads, struct rates *s, struct vb_err *err)
{
	struct wl_job *jobs = calloc(threads, sizeof(*jobs));
	struct wl_report *reps = calloc(threads, sizeof(*reps));
	int rc = 0;
	if (!jobs || !reps) {
		rc = err__set(err, ENOMEM, "native run");
		goto out;
	}
	for (unsigned i = 0; i < threads; i++) {
		jobs[i] = j->job;
		jobs[i].thread = i;
		jobs[i].threads = threads;
		if (!j->buf_size)
			continue;
		void *p = mmap(NULL, j->buf_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			rc = err__set(err, errno, "native buffer of %llu bytes",
				      (unsigned long long)j->buf_size);
			goto out;
		}
		jobs[i].buf = p;
		jobs[i].buf_size = j->buf_size;
		vmb__prepare(&jobs[i]);
	}
	rc = native__run_jobs(jobs, threads, reps, err);
	if (rc == 0)
		rc = rates__from_reports(j->job.kind, reps, threads, s, err);
out:
	for (unsigned i = 0; jobs && i < threads; i++)
		if (jobs[i].buf)
			munmap(jobs[i].buf, j->buf_size);
	free(jobs);
	free(reps);
	return rc;
}
