/* Real Linux guests through QEMU: boot-to-ready time with its phases, and
 * the cpu and memory workloads inside the guest next to the same workload
 * natively. The library side of `virtbench vm boot|cpu|memory --platform
 * qemu`, also called by `virtbench run`.
 *
 * The default guest is embedded: the host's own kernel and an initramfs that
 * virtbench writes, holding the static worker as /init. --image boots a
 * cloud image instead (boot only), through a throw-away overlay. */
#ifndef VB_QEMU_BENCH_H
#define VB_QEMU_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/result.h"
#include "core/seed.h"
#include "measure/runner.h"

enum qemu_accel { QEMU_ACCEL_AUTO = 0, QEMU_ACCEL_KVM, QEMU_ACCEL_TCG };

#define QEMU_MAX_CONFIGS 8

struct qemu_bench_opts {
	const char *qemu;   /* NULL: qemu-system-<arch> on PATH */
	const char *kernel; /* NULL: the host's /boot/vmlinuz-* */
	const char *image;  /* NULL: the embedded initramfs guest */
	const char *worker; /* NULL: virtbench-worker next to virtbench */
	const char *append; /* extra guest kernel arguments, may be NULL */
	enum qemu_accel accel;
	struct vb_guest_config configs[QEMU_MAX_CONFIGS];
	unsigned nconfigs;   /* 0: the seed's (core/seed.h) */
	unsigned timeout_s;  /* per boot; 0: 30 s (kvm) or 120 s (tcg), x10 for images */
	bool keep;	     /* keep the work directory (initramfs, overlay, seed) */
	const char *log_dir; /* where a failed boot's QEMU log goes; NULL: in the error */
	struct vb_run_opts run;
	/* Workloads: each run lasts work_ms natively and in the guest. */
	unsigned work_ms;
	unsigned cpu_max_prime;
	uint64_t mem_block_size;
	uint64_t mem_total_size; /* over all threads, stops a run early; 0: time only */
	unsigned mem_oper;	 /* enum wl_mem_oper */
	bool mem_rnd;
	/* Kernel modules the embedded guest loads before it is ready (NULL
	 * terminated; NULL: none). */
	const char *const *modules;
};

void qemu_bench__defaults(struct qemu_bench_opts *o);
/* The configurations a run covers: o's, or the seed's three. */
unsigned qemu_bench__configs(const struct qemu_bench_opts *o, const struct vb_guest_config **out);

/* How the accelerator was chosen; `auto` boots a bounded KVM test guest
 * when /dev/kvm opens, and falls back to TCG when it does not come up. */
struct qemu_accel_info {
	char accel[8];	  /* "kvm" or "tcg" */
	char reason[256]; /* why, in a few words */
	double detect_ms; /* time the choice took */
};
int qemu_bench__accel(const struct qemu_bench_opts *o, struct qemu_accel_info *info,
		      struct vb_err *err);

/* vm.boot on platform qemu: per configuration total_ms (spawn to the guest's
 * ready marker) and the phases phase.qemu_ready_ms, phase.kernel_entry_ms,
 * phase.kernel_done_ms (marks after spawn) and phase.shutdown_ms (VBEXIT to
 * QEMU's exit). The set's extra.qemu records the accelerator choice. */
int qemu_bench__boot(const struct qemu_bench_opts *o, struct vb_result_set *out,
		     struct vb_err *err);
/* vm.cpu / vm.memory: the workload with threads = vCPUs inside the guest and
 * natively, alternating, in the same run; the qemu result carries the
 * overhead against native. The cpu checksums must agree. */
int qemu_bench__cpu(const struct qemu_bench_opts *o, struct vb_result_set *out, struct vb_err *err);
int qemu_bench__memory(const struct qemu_bench_opts *o, struct vb_result_set *out,
		       struct vb_err *err);
/* vm.disk / vm.net: the disk and net jobs of measure/iobench.h in the
 * guest and natively, in turn within every iteration (qemu/io.c):
 *   disk  a raw file in a directory of its own under io->dir, attached
 *         as virtio-blk in each mode (cache=none with aio=io_uring, with
 *         aio=threads: a guest each, both up for the run); the guest's
 *         worker runs the jobs on that block device with O_DIRECT, the
 *         native worker on the same file;
 *   net   virtio-net on QEMU's user-mode network with restrict=on: the
 *         guest's worker serves as the peer on its private subnet, and
 *         virtbench connects from the host through a port forwarded on
 *         127.0.0.1 only. tcp_stream is the guest sending. As root, a
 *         second guest on a tap device in a network namespace of
 *         virtbench's own, whose peer the guest's worker connects to
 *         (vhost=on where /dev/vhost-net opens); else a skip of that mode.
 * Guest results carry the overhead against the native ones. */
struct iobench_opts;
int qemu_bench__io(const struct qemu_bench_opts *o, const struct iobench_opts *io,
		   struct vb_result_set *out, struct vb_err *err);
/* The tap mode's name, with or without vhost-net. */
const char *qemu_bench__tap_mode(bool vhost);

/* One run of a job on one side of vm.cpu / vm.memory (the guest's worker or
 * the native one), through the worker protocol client: the figure recorded
 * (events/s, or MiB/s when `bytes`) and the checksum, from the rates of the
 * run's reports (measure/rates.h), every thread's exactly once. */
struct wclient;
struct rates_batch;
struct wl_job;
int qemu_bench__run_job(const struct wclient *c, const struct wl_job *job, bool bytes,
			struct rates_batch *b, int timeout_ms, double *value, uint64_t *checksum,
			struct vb_err *err);

/* Removes what QEMU runs whose process is gone left (the start-of-run
 * sweep, core/sweep.h): their work dirs, and a QEMU still running from one. */
struct sweep_tally;
void qemu__sweep(struct sweep_tally *t);

#endif
