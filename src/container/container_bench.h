/* Container benchmarks as library functions (`virtbench container ...` and
 * `virtbench run` call these). Every runtime is measured to the same point:
 * the first instruction of the static worker inside the container.
 *
 * Results (benchmark / platform / metric):
 *   container.startup  container-builtin, unshare-exec (the floor), runc, crun,
 *                      docker, podman: ready_ms, exit_ms, teardown_ms;
 *                      docker-seed-method, podman-seed-method: running_ms
 *                      (`run -d` until `inspect` says Running, the seed's way).
 *                      config: image, runtime.
 *   container.cpu      native and each runtime: events_per_sec, config threads,
 *                      image; the runtimes' results carry overhead_percent
 *                      against native and config native_events_per_sec (the
 *                      native median), for container_cpu_performance.csv.
 *   container.memory   the same with mib_per_sec and native_speed_mib_sec.
 *   container.density  each runtime: all_ready_ms and start_rate_per_sec,
 *                      config containers=N.
 * A runtime that cannot run is recorded as a skip with its reason. */
#ifndef VB_CONTAINER_BENCH_H
#define VB_CONTAINER_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container/ct_cgroup.h"
#include "core/err.h"
#include "core/result.h"
#include "measure/runner.h"
#include "workload/workload.h"

enum ct_runtime {
	CT_RT_BUILTIN = 0,
	CT_RT_RUNC,
	CT_RT_CRUN,
	CT_RT_DOCKER,
	CT_RT_PODMAN,
	CT_RT_COUNT,
	CT_RT_NATIVE = -1, /* container_bench__run_job: no container */
};
#define CT_RT_ALL	      ((1u << CT_RT_COUNT) - 1)
#define CT_MAX_THREAD_CONFIGS 8
#define CT_MAX_COUNTS	      16
#define CT_MAX_IMAGES	      16
#define CT_IMAGE_NAME_MAX     256
/* The image name results carry for virtbench's own worker image. */
#define CT_WORKER_IMAGE	      "virtbench-worker"

struct container_opts {
	unsigned runtimes; /* bit (1 << enum ct_runtime); default CT_RT_ALL */
	/* docker/podman: also measure these local images (the worker image is
	 * always measured: every runtime shares it), each its own result rows;
	 * the worker is bind-mounted into them for first-instruction and the
	 * workloads, the seed's method runs the image's own `sleep`. */
	char images[CT_MAX_IMAGES][CT_IMAGE_NAME_MAX];
	unsigned nimages;
	bool keep_image; /* keep virtbench-worker:<version> afterwards */
	/* Leave it to the next benchmark of this process instead (`run`: one
	 * import each for docker and podman); container__release_images()
	 * removes it. */
	bool hold_image;
	struct vb_run_opts run;
	bool quiet;		 /* no progress line on stderr */
	bool silent;		 /* no skip or failure lines on stderr either */
	struct cg_limits limits; /* optional, all runtimes */
	/* cpu / memory */
	unsigned threads[CT_MAX_THREAD_CONFIGS], nthreads; /* default 1 and nproc */
	double time_s; /* cpu: seconds per run (default 1, seed 10) */
	uint32_t cpu_max_prime;
	uint64_t mem_block, mem_total; /* memory: 1K blocks; total 1G (--full 10G) */
	/* density */
	unsigned counts[CT_MAX_COUNTS], ncounts; /* default 1,2,4..64 (--full ..256) */
};

/* Defaults; full = the seed's sizes (10 s cpu runs, 10G memory, density to 256). */
void container_opts__init(struct container_opts *o, bool full);
const char *container_runtime__name(enum ct_runtime rt);     /* "builtin", "runc" ... */
const char *container_runtime__platform(enum ct_runtime rt); /* "container-builtin" ... */
/* "docker-seed-method": the runtime measured the seed's way; NULL if none. */
const char *container_runtime__seed_platform(enum ct_runtime rt);

int container_bench__startup(const struct container_opts *o, struct vb_result_set *out,
			     struct vb_err *err);
int container_bench__cpu(const struct container_opts *o, struct vb_result_set *out,
			 struct vb_err *err);
int container_bench__memory(const struct container_opts *o, struct vb_result_set *out,
			    struct vb_err *err);
int container_bench__density(const struct container_opts *o, struct vb_result_set *out,
			     struct vb_err *err);

/* container.disk / container.net: the I/O workloads in every runtime of
 * co->runtimes, each storage or network mode beside the same worker run
 * natively (measure/iobench.h, modes in ct_bench_io.c); a runtime or mode
 * that cannot run here is a skip with its reason. o->dir is where the
 * containers' volumes and overlay layers go. */
struct iobench_opts;
int container_bench__io(const struct container_opts *co, const struct iobench_opts *o,
			struct vb_result_set *out, struct vb_err *err);

/* One job in one runtime (or natively, rt = CT_RT_NATIVE) with its per-thread
 * reports, every thread's exactly once: the tests compare checksums across
 * platforms. */
int container_bench__run_job(int rt, const struct container_opts *o, const struct wl_job *job,
			     bool hist, struct wl_report *reps, unsigned cap, unsigned *n,
			     struct vb_err *err);

/* The figure a container cpu (events/s) or memory (MiB/s) run records, from
 * the rates of its reports (measure/rates.h). */
struct rates;
double container_bench__value(bool memory, const struct rates *r);

/* What the worker sees inside a runtime (PID, hostname, mounts, network
 * interfaces), printed as the worker's VBFACTS line into line. */
int container_bench__facts(enum ct_runtime rt, const struct container_opts *o, char *line,
			   size_t size, struct vb_err *err);

/* 0 when name is an image reference docker and podman accept
 * ([registry[:port]/]path[:tag][@algorithm:hex], lower-case path), else -1
 * with why ("is empty", "has a tag that ..."). */
int container_image__check(const char *name, char *why, size_t size);
/* The skip reason of an image that is not on this host: the command that
 * would fetch it (`docker pull alpine`); virtbench never pulls. */
void container_image__missing(const char *program, const char *image, char *out, size_t size);

/* Removes the images the benchmarks of this process held (hold_image);
 * Ctrl-C's forced exit removes them too, the next run's sweep after a
 * SIGKILL. */
void container__release_images(void);

/* Removes what container runs whose process is gone left (the start-of-run
 * sweep, core/sweep.h): runc/crun state, docker/podman containers and
 * images not kept on purpose, cgroups in every hierarchy, temp dirs. */
struct sweep_tally;
void container__sweep(struct sweep_tally *t);

#endif
