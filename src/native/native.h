/* Workloads run natively: the workload core on N pthreads that start
 * together behind a barrier, timed with CLOCK_MONOTONIC, as sysbench runs
 * its threads. Each benchmark is a library function that appends its
 * results (platform "native") to a result set; `virtbench native` and
 * `virtbench run` are thin layers over these. */
#ifndef VB_NATIVE_NATIVE_H
#define VB_NATIVE_NATIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/result.h"
#include "measure/iobench.h"
#include "measure/runner.h"
#include "workload/workload.h"

enum native_mem_mode {
	NATIVE_MEM_SYSBENCH = 0,  /* sysbench's per-event bookkeeping (default) */
	NATIVE_MEM_PLAIN = 1,	  /* the same blocks without it */
	NATIVE_MEM_BANDWIDTH = 2, /* STREAM kernels over large arrays */
};

/* Which page sizes a memlat or fault run covers. */
#define NATIVE_PAGES_4K 1u
#define NATIVE_PAGES_2M 2u

struct native_opts {
	uint32_t kind;	  /* enum wl_kind */
	unsigned threads; /* 1 .. NATIVE_MAX_THREADS */
	double time_s;	  /* per iteration; 0 = no time limit */
	uint64_t events;  /* per iteration, all threads together; 0 = no limit */
	/* cpu */
	uint32_t cpu_max_prime;
	/* memory */
	uint64_t block_size, total_size;
	uint32_t oper; /* enum wl_mem_oper */
	bool access_rnd, scope_local;
	enum native_mem_mode mode;
	/* memlat: working sets min_size .. max_size, doubling */
	uint64_t min_size, max_size;
	uint64_t loads; /* per iteration; 0 = max(1M, one pass over the lines) */
	unsigned pages; /* NATIVE_PAGES_* (memlat, fault) */
	/* fault: bytes per thread; stream: bytes of the three arrays per thread */
	uint64_t size;
	unsigned kernels; /* stream: bit (1 << enum wl_stream_kernel) */
	struct vb_run_opts run;
};

#define NATIVE_MAX_THREADS 1024u
/* Largest --events and --loads: 10^12 is days of work for any workload, and
 * what is counted from them (1024 clock reads per clock event, bytes per
 * pass) stays well within 64 bits. */
#define NATIVE_MAX_COUNT   1000000000000ull

/* Defaults of each workload (sysbench's for cpu and memory). */
void native_opts__init(struct native_opts *o, uint32_t kind);
/* Checks the options against each other and against this machine (memory
 * it does not have): a usage error naming the option. */
int native_opts__check(const struct native_opts *o, struct vb_err *err);

/* Runs o->kind (cpu, memory, memlat, fault, stream, clock): the table in
 * benchmarks.c, the top of src/native. */
int native__bench(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err);
int native__bench_cpu(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err);
int native__bench_memory(const struct native_opts *o, struct vb_result_set *out,
			 struct vb_err *err);
int native__bench_memlat(const struct native_opts *o, struct vb_result_set *out,
			 struct vb_err *err);
int native__bench_fault(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err);
int native__bench_stream(const struct native_opts *o, struct vb_result_set *out,
			 struct vb_err *err);
int native__bench_clock(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err);

/* Disk (o->net false) or network natively (measure/iobench.h): benchmark
 * "disk" or "net", platform native, mode "host" or "loopback". The disk
 * tests run in a directory IOB_DIR_PREFIX<owner>.XXXXXX made under o->dir
 * (default the current directory) and removed afterwards. */
int native__bench_io(const struct iobench_opts *o, struct vb_result_set *out, struct vb_err *err);
/* The native target of an I/O run (for a run that sets platforms side by
 * side): its directory (disk) is made in dir[size], and a forced exit
 * removes it too; native__io_target_done removes it (empty by then) and
 * is safe to call twice. */
int native__io_target(const struct iobench_opts *o, struct iobench_target *t, char *dir,
		      size_t size, struct vb_err *err);
int native__io_target_done(char *dir, struct vb_err *err);

/* The lower layer: runs jobs[i] on thread i (n threads, started together),
 * fills reports[i]. Ctrl-C sets every job's stop flag. Fails when a thread
 * cannot be created or a report carries an error. */
int native__run_jobs(struct wl_job *jobs, unsigned n, struct wl_report *reports,
		     struct vb_err *err);
/* CLOCK_MONOTONIC in ns: the native platform's wl_clock. */
uint64_t native__now_ns(void *ctx);

/* Compiler and flags the workload core was built with, for result configs
 * (build.c). */
const char *native__compiler(void);
const char *native__cflags(void);
/* Adds "compiler" and "cflags" to a result's config. */
void native__config_build(struct vb_result *r);

#endif
