/* io__run: the I/O test by kind. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "worker/io.h"
#include "workload/workload.h"

int io__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size)
{
	memset(r, 0, sizeof(*r));
	io_hist__init(&r->hist);
	if (!io__test_name(p->test)) {
		snprintf(why, why_size, "unknown I/O test %u", p->test);
		errno = EINVAL;
		return -1;
	}
	return io__test_is_net(p->test) ? io_net__run(p, r, why, why_size)
					: io_disk__run(p, r, why, why_size);
}

void io__report(const struct io_result *r, struct wl_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->events = r->ops;
	rep->bytes = r->bytes;
	rep->elapsed_ns = r->elapsed_ns;
	rep->checksum = r->checksum;
	rep->lat_sum_ns = r->hist.sum_ns;
	rep->lat_min_ns = r->hist.min_ns;
	rep->lat_max_ns = r->hist.max_ns;
	rep->lat_p50_ns = io_hist__quantile(&r->hist, 0.50);
	rep->lat_p90_ns = io_hist__quantile(&r->hist, 0.90);
	rep->lat_p99_ns = io_hist__quantile(&r->hist, 0.99);
	rep->lat_p999_ns = io_hist__quantile(&r->hist, 0.999);
	rep->io_bad_blocks = r->bad_blocks;
	rep->io_direct = r->direct;
	rep->io_engine = r->engine;
}

int io__run_job(const struct wl_job *job, const volatile uint32_t *stop, struct wl_report *rep,
		char *why, size_t why_size)
{
	char path[4096] = "";
	memset(rep, 0, sizeof(*rep));
	if (job->kind == WL_DISK) {
		if (!job->io_dir) {
			snprintf(why, why_size, "disk job without a directory");
			return -1;
		}
		int n = job->io_dev == IO_DEV_NONE
				? snprintf(path, sizeof(path), "%s/%s", job->io_dir, IO_FILE_NAME)
				: snprintf(path, sizeof(path), "%s", job->io_dir);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			snprintf(why, why_size, "disk job: directory name too long");
			return -1;
		}
		if (job->io_dev == IO_DEV_SERIAL &&
		    io__find_serial("/sys/block", job->io_dir, path, sizeof(path), why, why_size) <
			    0)
			return -1;
		if (job->io_dev > IO_DEV_SERIAL) {
			snprintf(why, why_size, "disk job: unknown target kind %u", job->io_dev);
			return -1;
		}
		if (job->io_test == IO_NONE && job->io_dev != IO_DEV_NONE)
			/* The target stays: it is only filled, never removed. */
			return job->io_file_size ? io_disk__fill(path, job->io_file_size,
								 (int)job->io_direct, why, why_size)
						 : 0;
		if (job->io_test == IO_NONE) {
			if (job->io_file_size)
				return io_disk__prepare(path, job->io_file_size,
							(int)job->io_direct, why, why_size);
			if (unlink(path) < 0 && errno != ENOENT) {
				snprintf(why, why_size, "%s: %s", path, strerror(errno));
				return -1;
			}
			return 0;
		}
		if (io__test_is_net(job->io_test)) {
			snprintf(why, why_size, "a network test in a disk job");
			return -1;
		}
	} else if (job->kind != WL_NET || !io__test_is_net(job->io_test)) {
		snprintf(why, why_size, "not a network test");
		return -1;
	}
	struct io_params p = {
		.test = job->io_test,
		.depth = job->io_depth ? job->io_depth : 1,
		.direct = job->io_direct,
		.block = job->io_block,
		.file_size = job->io_file_size,
		.time_ns = job->time_ns,
		.max_bytes = job->io_max_bytes,
		.peer = job->io_peer,
		.port = job->io_port,
		.path = path[0] ? path : NULL,
		.stop = stop,
	};
	struct io_result *r = malloc(sizeof(*r));
	if (!r) {
		snprintf(why, why_size, "allocating the I/O result");
		return -1;
	}
	int rc = io__run(&p, r, why, why_size);
	if (rc == 0)
		io__report(r, rep);
	free(r);
	return rc;
}
