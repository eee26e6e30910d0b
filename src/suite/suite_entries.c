/* The entries of `virtbench run`. --quick keeps the whole suite within about
 * two minutes on a 2-core machine: short runs (0.2-0.3 s) and few
 * iterations, but at least 6 samples where the figure will be compared, since
 * below 6 no 95% interval of the median exists and no Mann-Whitney test can
 * reach p < 0.01. --full uses the seed's sizes: 10 s runs, 10G memory, 10
 * container iterations, and 6 QEMU boots per configuration (the seed's 3 give
 * no interval and no verdict). `run --iterations N` replaces every entry's
 * count (count()). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "core/names.h"
#include "core/seed.h"
#include "native/native.h"
#include "qemu/qemu_bench.h"
#include "qemu/qemu_env.h"
#include "suite/suite.h"
#include "vm/vm_bench.h"

/* The family of the container entries: every runtime at once. */
#define SUITE_CONTAINERS "container"
#define FULL_ONLY	 "runs with --full only (keeps --quick within two minutes)"

static unsigned host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* The iterations of an entry: --iterations when given, else its own count
 * for --quick or --full. */
static unsigned count(const struct suite_ctx *c, unsigned quick, unsigned full)
{
	if (c->iterations)
		return c->iterations;
	return c->full ? full : quick;
}

static int always(const struct suite_ctx *c, char *why, size_t size)
{
	(void)c, (void)why, (void)size;
	return 0;
}

static int full_only(const struct suite_ctx *c, char *why, size_t size)
{
	if (c->full)
		return 0;
	snprintf(why, size, "%s", FULL_ONLY);
	return -1;
}

/* ---- native ---- */

static void native_quick(struct native_opts *o, const struct suite_ctx *c, unsigned iters)
{
	o->run.iterations = count(c, iters, 6);
	o->run.warmup = 1;
}

static int native_threads(struct native_opts *o, struct vb_result_set *out, struct vb_err *err,
			  int (*fn)(const struct native_opts *, struct vb_result_set *,
				    struct vb_err *))
{
	/* The seed's configurations: 1 thread and one per CPU. */
	unsigned n = host_cpus();
	o->threads = 1;
	if (fn(o, out, err) < 0)
		return -1;
	if (n == 1)
		return 0;
	o->threads = n;
	return fn(o, out, err);
}

static int run_native_cpu(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct native_opts o;
	native_opts__init(&o, WL_CPU);
	native_quick(&o, c, 6);
	o.time_s = c->full ? 10 : 0.2;
	return native_threads(&o, out, err, native__bench_cpu);
}

static int run_native_memory(const struct suite_ctx *c, struct vb_result_set *out,
			     struct vb_err *err)
{
	struct native_opts o;
	native_opts__init(&o, WL_MEMORY);
	native_quick(&o, c, 6);
	o.time_s = c->full ? 10 : 0.2;
	o.total_size = 10ull << 30; /* the seed's --memory-total-size=10G */
	return native_threads(&o, out, err, native__bench_memory);
}

static int run_native_memlat(const struct suite_ctx *c, struct vb_result_set *out,
			     struct vb_err *err)
{
	struct native_opts o;
	native_opts__init(&o, WL_MEMLAT);
	o.run.iterations = count(c, 3, 6);
	o.run.warmup = c->full ? 1 : 0;
	if (!c->full) {
		/* 4 KiB to 16 MiB: the cache levels still show in a few seconds;
		 * larger sets cost a page fault per 4 KiB to set up, which on a
		 * nested host (shadow paging) alone takes seconds. */
		o.max_size = 16ull << 20;
		o.loads = 1u << 18;
		o.pages = NATIVE_PAGES_4K;
	}
	return native__bench_memlat(&o, out, err);
}

static int run_native_fault(const struct suite_ctx *c, struct vb_result_set *out,
			    struct vb_err *err)
{
	struct native_opts o;
	native_opts__init(&o, WL_FAULT);
	o.run.iterations = count(c, 6, 10);
	if (!c->full)
		o.size = 16ull << 20;
	return native__bench_fault(&o, out, err);
}

/* ---- microVM ---- */

static int vm_available(const struct suite_ctx *c, char *why, size_t size)
{
	(void)c;
	static int cached = 1;
	static char reason[sizeof(((struct vb_err *)0)->msg)];
	if (cached == 1) {
		struct vb_err err = { 0 };
		cached = vm_bench__available(&err);
		snprintf(reason, sizeof(reason), "%s", err.msg);
	}
	if (cached < 0)
		snprintf(why, size, "%s", reason[0] ? reason : "microVMs cannot run here");
	return cached < 0 ? -1 : 0;
}

static int run_vm_boot(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_boot_opts o;
	vm_boot_opts__init(&o);
	/* A microVM boot costs about a millisecond: 10 per configuration give
	 * a 95% interval (the seed's 3 cannot); --full takes 20. */
	o.run.iterations = count(c, 10, 20);
	return vm_bench__boot(&o, out, err);
}

static int run_vm_exits(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_exits_opts o;
	vm_exits_opts__init(&o);
	o.run.iterations = count(c, 6, 10);
	o.min_seconds = c->full ? 0.1 : 0.03;
	return vm_bench__exits(&o, out, err);
}

static int run_vm_work(const struct suite_ctx *c, unsigned workloads, struct vb_result_set *out,
		       struct vb_err *err)
{
	struct vm_work_opts o;
	vm_work_opts__init(&o, workloads);
	o.run.iterations = count(c, 6, 6);
	/* The seed's 10 s runs for cpu (its hypervisor_overhead.csv); the
	 * memory workloads settle within 2 s. */
	o.seconds = !c->full ? 0.2 : workloads == 1u << VM_WL_CPU ? 10 : 2;
	if (!c->full) {
		o.memlat_bytes = 8u << 20;
		o.fault_bytes = 16u << 20;
	}
	return vm_bench__workload(&o, out, err);
}

static int run_vm_cpu(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_vm_work(c, 1u << VM_WL_CPU, out, err);
}

static int run_vm_memory(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_vm_work(c, 1u << VM_WL_MEMORY | 1u << VM_WL_MEMLAT | 1u << VM_WL_FAULT, out,
			   err);
}

static int run_vm_scale(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_scale_opts o;
	vm_scale_opts__init(&o);
	o.run.iterations = count(c, 3, 6);
	o.seconds = c->full ? 2 : 0.2;
	return vm_bench__scale(&o, out, err);
}

static int run_vm_density(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct vm_density_opts o;
	vm_density_opts__init(&o);
	if (!c->full) {
		o.max_vms = 64;
		o.seconds = 0.2;
	}
	o.run.iterations = count(c, o.run.iterations, o.run.iterations);
	return vm_bench__density(&o, out, err);
}

static int run_vm_interference(const struct suite_ctx *c, struct vb_result_set *out,
			       struct vb_err *err)
{
	struct vm_interference_opts o;
	vm_interference_opts__init(&o);
	o.seconds = c->full ? 10 : 1;
	if (!c->full) {
		/* A few seconds: busy guests only, 0 (the baseline), 1, 2 and 4
		 * of them, short runs; enough for the growth per guest. */
		o.both = false;
		o.busy = true;
		o.seconds = 0.2;
	}
	o.run.iterations = count(c, 3, o.run.iterations);
	return vm_bench__interference(&o, out, err);
}

/* ---- QEMU ---- */

static int qemu_available(const struct suite_ctx *c, char *why, size_t size)
{
	(void)c;
	static int cached = 1;
	static char reason[sizeof(((struct vb_err *)0)->msg)];
	if (cached == 1) {
		/* QEMU itself, a kernel to boot and the static worker for /init. */
		static int (*const need[])(const char *, char **,
					   struct vb_err *) = { qemu_env__qemu, qemu_env__kernel,
								qemu_env__worker };
		struct vb_err err = { 0 };
		cached = 0;
		for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) && cached == 0; i++) {
			char *path = NULL;
			if (need[i](NULL, &path, &err) < 0)
				cached = -1;
			free(path);
		}
		snprintf(reason, sizeof(reason), "%s", err.msg);
	}
	if (cached < 0)
		snprintf(why, size, "%s", reason[0] ? reason : "QEMU cannot run here");
	return cached < 0 ? -1 : 0;
}

/* QEMU's I/O guests without --full only where KVM opens: under TCG each
 * mode's guest boot costs about 10 s here, beyond --quick's two minutes. */
static int qemu_io_available(const struct suite_ctx *c, char *why, size_t size)
{
	if (qemu_available(c, why, size) < 0)
		return -1;
	if (c->full || access("/dev/kvm", R_OK | W_OK) == 0)
		return 0;
	snprintf(why, size,
		 "without /dev/kvm QEMU's I/O guests boot under TCG, about 10 s a mode: "
		 "with --full only");
	return -1;
}

/* The accelerator: auto, whose test boot runs once per process and guest
 * (qemu/accel.c), so every QEMU entry shares it and records its reason. */
static void qemu_opts(const struct suite_ctx *c, struct qemu_bench_opts *o)
{
	qemu_bench__defaults(o);
	o->accel = QEMU_ACCEL_AUTO;
	/* --full: 6 boots per configuration, the fewest with a 95% interval
	 * and a chance of a verdict in compare. */
	o->run.iterations = count(c, 2, 6);
	if (!c->full) {
		/* One configuration: a TCG boot takes seconds. */
		o->configs[0] = vb_seed_configs[0];
		o->nconfigs = 1;
		o->run.warmup = 0;
		o->work_ms = 300;
	}
}

static int run_qemu_boot(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct qemu_bench_opts o;
	qemu_opts(c, &o);
	return qemu_bench__boot(&o, out, err);
}

static int run_qemu_cpu(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct qemu_bench_opts o;
	qemu_opts(c, &o);
	o.run.iterations = count(c, 6, 6);
	return qemu_bench__cpu(&o, out, err);
}

static int run_qemu_memory(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct qemu_bench_opts o;
	qemu_opts(c, &o);
	return qemu_bench__memory(&o, out, err);
}

/* ---- containers ---- */

static void ct_opts(const struct suite_ctx *c, struct container_opts *o)
{
	container_opts__init(o, c->full);
	/* run prints its own progress; skips are recorded and listed at the end */
	o->quiet = true;
	o->silent = true;
	o->hold_image = true;		    /* one import for every entry; suite__run releases it */
	o->run.iterations = count(c, 6, 6); /* enough for a 95% interval; 10 s runs in --full */
	for (unsigned i = 0; i < c->nimages && i < CT_MAX_IMAGES; i++)
		snprintf(o->images[o->nimages++], sizeof(o->images[0]), "%s", c->images[i]);
	if (!c->full) {
		o->time_s = 0.15;
		o->mem_total = 128ull << 20;
		o->ncounts = 0;
		for (unsigned n = 1; n <= 4; n *= 2)
			o->counts[o->ncounts++] = n;
	}
}

static int run_ct_startup(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct container_opts o;
	ct_opts(c, &o);
	o.run.iterations = count(c, 6, 10); /* the seed's 10 in --full */
	return container_bench__startup(&o, out, err);
}

/* cpu and memory time the workload inside a started container, not the
 * start: --quick runs no warm-up (a docker or podman start costs a second
 * per runtime and iteration here), the median of 6 with its native run
 * beside it in every iteration, in rotating order, absorbs a cold first. */
static void ct_work_opts(const struct suite_ctx *c, struct container_opts *o)
{
	ct_opts(c, o);
	if (!c->full)
		o->run.warmup = 0;
}

static int run_ct_cpu(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct container_opts o;
	ct_work_opts(c, &o);
	/* One thread, as memory and QEMU's one vCPU: the seed's per-CPU
	 * configuration is in --full (it doubled the docker and podman starts
	 * of --quick's costliest entry but one). */
	if (!c->full)
		o.nthreads = 1;
	return container_bench__cpu(&o, out, err);
}

static int run_ct_memory(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct container_opts o;
	ct_work_opts(c, &o);
	if (!c->full) {
		/* One thread: the seed's per-CPU configuration is in --full. */
		o.nthreads = 1;
		o.mem_total = 64ull << 20;
	}
	return container_bench__memory(&o, out, err);
}

static int run_ct_density(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	struct container_opts o;
	ct_opts(c, &o);
	o.run.iterations = count(c, 1, 3);
	o.nimages = 0; /* density: the worker's image only */
	if (!c->full && (o.runtimes & (1u << CT_RT_DOCKER | 1u << CT_RT_PODMAN))) {
		/* A daemon start costs 0.2-1 s each: many at once only in --full. */
		o.runtimes &= ~(1u << CT_RT_DOCKER | 1u << CT_RT_PODMAN);
		if (result_set__skip(out, VB_BENCH_CONTAINER_DENSITY, VB_PLATFORM_DOCKER, "%s",
				     FULL_ONLY) < 0 ||
		    result_set__skip(out, VB_BENCH_CONTAINER_DENSITY, VB_PLATFORM_PODMAN, "%s",
				     FULL_ONLY) < 0)
			return err__set(err, ENOMEM, VB_BENCH_CONTAINER_DENSITY);
	}
	return container_bench__density(&o, out, err);
}

/* ---- disk and network (measure/iobench.h) ----
  * --quick: SUITE_QUICK_IO_TEST_S per test on every platform (the one knob
  * of the I/O entries' cost: every entry takes its options from io_opts),
  * a 32 MiB file, no warm-up, 6 iterations each for the 95% interval, and
  * fewer tests; the containers' I/O in the built-in runtime only (each other
  * runtime costs image, set-up and eight containers: 5-10 s), QEMU's only
  * where KVM opens (under TCG each mode's guest boot costs about 10 s). The
  * others are recorded as skipped with that reason (--full runs them). */
#define SUITE_QUICK_IO_TEST_S 0.04
#define QUICK_IO_SKIPPED                                                                           \
	"I/O in this runtime runs with --full only (--quick: the built-in runtime's modes)"

static void io_opts(const struct suite_ctx *c, struct iobench_opts *o, bool net)
{
	iobench_opts__init(o, net);
	o->dir = c->dir;
	o->run.iterations = count(c, 6, 6);
	o->run.warmup = c->full ? 1 : 0;
	o->time_s = c->full ? 2 : SUITE_QUICK_IO_TEST_S;
	o->size = c->full ? 1ull << 30 : 32ull << 20;
}

static int run_native_io(const struct suite_ctx *c, bool net, struct vb_result_set *out,
			 struct vb_err *err)
{
	struct iobench_opts o;
	io_opts(c, &o, net);
	return native__bench_io(&o, out, err);
}

static int run_native_disk(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_native_io(c, false, out, err);
}

static int run_native_net(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_native_io(c, true, out, err);
}

static int run_ct_io(const struct suite_ctx *c, bool net, struct vb_result_set *out,
		     struct vb_err *err)
{
	struct container_opts co;
	ct_opts(c, &co);
	co.nimages = 0; /* the I/O modes are the runtimes', measured with the worker's image */
	struct iobench_opts o;
	io_opts(c, &o, net);
	if (!c->full) {
		for (int rt = 0; rt < CT_RT_COUNT; rt++)
			if (rt != CT_RT_BUILTIN && (co.runtimes & (1u << rt)))
				result_set__skip(
					out, net ? VB_BENCH_CONTAINER_NET : VB_BENCH_CONTAINER_DISK,
					container_runtime__platform(rt), QUICK_IO_SKIPPED);
		co.runtimes &= 1u << CT_RT_BUILTIN;
		o.depths[0] = 32;
		o.ndepths = 1;
		o.nmsg_sizes = 1;
		o.tests &= net ? ~(1u << IOB_STREAM_RX) : ~0u;
	}
	return container_bench__io(&co, &o, out, err);
}

static int run_ct_disk(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_ct_io(c, false, out, err);
}

static int run_ct_net(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_ct_io(c, true, out, err);
}

/* The QEMU guest's: --quick keeps three disk tests (at depth 32) and two
 * net ones of 0.1 s, on a 16 MiB file; the boots (one guest per disk mode,
 * one for net) are most of its time under TCG. */
static int run_qemu_io(const struct suite_ctx *c, bool net, struct vb_result_set *out,
		       struct vb_err *err)
{
	struct qemu_bench_opts q;
	qemu_opts(c, &q);
	struct iobench_opts o;
	io_opts(c, &o, net);
	if (!c->full) {
		o.size = 16ull << 20;
		o.depths[0] = 32;
		o.ndepths = 1;
		o.nmsg_sizes = 1;
		o.tests = net ? 1u << IOB_STREAM | 1u << IOB_RR
			      : 1u << IOB_SEQ_READ | 1u << IOB_RAND_READ | 1u << IOB_RAND_WRITE;
	}
	return qemu_bench__io(&q, &o, out, err);
}

static int run_qemu_disk(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_qemu_io(c, false, out, err);
}

static int run_qemu_net(const struct suite_ctx *c, struct vb_result_set *out, struct vb_err *err)
{
	return run_qemu_io(c, true, out, err);
}

/* Costs in seconds (quick, full) on an idle 2-core machine, for the
 * estimate of the time left; they do not limit anything. `run` prints what
 * each entry took (results.json: extra.seconds). */
const struct suite_entry suite__entries[] = {
	{ VB_AREA_NATIVE VB_KIND_CPU, VB_PLATFORM_NATIVE, "sysbench-style cpu natively", 3, 140,
	  always, run_native_cpu },
	{ VB_AREA_NATIVE VB_KIND_MEMORY, VB_PLATFORM_NATIVE, "sysbench-style memory natively", 4,
	  140, always, run_native_memory },
	{ VB_AREA_NATIVE VB_KIND_MEMLAT, VB_PLATFORM_NATIVE, "memory latency against working set",
	  4, 60, always, run_native_memlat },
	{ VB_AREA_NATIVE VB_KIND_FAULT, VB_PLATFORM_NATIVE, "first-touch page faults", 1, 10,
	  always, run_native_fault },
	{ VB_AREA_NATIVE VB_KIND_DISK, VB_PLATFORM_NATIVE, "disk I/O natively", 2, 40, always,
	  run_native_disk },
	{ VB_AREA_NATIVE VB_KIND_NET, VB_PLATFORM_NATIVE, "TCP over loopback natively", 2, 60,
	  always, run_native_net },
	{ VB_BENCH_VM_BOOT, VB_PLATFORM_MICROVM, "microVM boot phases", 2, 5, vm_available,
	  run_vm_boot },
	{ VB_BENCH_VM_EXITS, VB_PLATFORM_MICROVM, "VM exit latency", 4, 15, vm_available,
	  run_vm_exits },
	{ VB_BENCH_VM_CPU, VB_PLATFORM_MICROVM, "cpu in the guest and natively", 8, 400,
	  vm_available, run_vm_cpu },
	{ VB_BENCH_VM_MEMORY, VB_PLATFORM_MICROVM, "memory, memlat, fault in the guest", 10, 250,
	  vm_available, run_vm_memory },
	{ VB_BENCH_VM_SCALE, VB_PLATFORM_MICROVM, "vCPU scaling", 4, 40, vm_available,
	  run_vm_scale },
	{ VB_BENCH_VM_DENSITY, VB_PLATFORM_MICROVM, "concurrent microVMs", 5, 60, vm_available,
	  run_vm_density },
	{ VB_BENCH_VM_INTERFERENCE, VB_PLATFORM_MICROVM, "native beside busy and idle guests", 4,
	  120, vm_available, run_vm_interference },
	{ "qemu.boot", VB_PLATFORM_QEMU, "QEMU Linux boot", 12, 60, qemu_available, run_qemu_boot },
	{ "qemu.cpu", VB_PLATFORM_QEMU, "cpu in a QEMU guest", 10, 200, qemu_available,
	  run_qemu_cpu },
	{ "qemu.memory", VB_PLATFORM_QEMU, "memory in a QEMU guest", 0, 200, full_only,
	  run_qemu_memory },
	{ "qemu.disk", VB_PLATFORM_QEMU, "virtio-blk disk I/O in QEMU guests", 0, 300,
	  qemu_io_available, run_qemu_disk },
	{ "qemu.net", VB_PLATFORM_QEMU, "virtio-net TCP to a QEMU guest", 0, 160, qemu_io_available,
	  run_qemu_net },
	{ VB_BENCH_CONTAINER_STARTUP, SUITE_CONTAINERS, "container start per runtime", 25, 30,
	  always, run_ct_startup },
	{ VB_BENCH_CONTAINER_CPU, SUITE_CONTAINERS, "cpu in each runtime", 15, 560, always,
	  run_ct_cpu },
	{ VB_BENCH_CONTAINER_MEMORY, SUITE_CONTAINERS, "memory in each runtime", 12, 300, always,
	  run_ct_memory },
	{ VB_BENCH_CONTAINER_DENSITY, SUITE_CONTAINERS, "concurrent containers", 2, 120, always,
	  run_ct_density },
	{ VB_BENCH_CONTAINER_DISK, SUITE_CONTAINERS, "disk I/O in each runtime's modes", 5, 900,
	  always, run_ct_disk },
	{ VB_BENCH_CONTAINER_NET, SUITE_CONTAINERS, "TCP in each runtime's modes", 3, 650, always,
	  run_ct_net },
};
const size_t suite__nentries = sizeof(suite__entries) / sizeof(suite__entries[0]);
