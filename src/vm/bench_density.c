/* `vm density`: 1, 2, 4 ... concurrent 1-vCPU VMs. For each count: how fast
 * they are created (VMs per second, each started as soon as it exists),
 * when the last one is ready, how much host memory each costs beyond the
 * guest memory it touched (process RSS and PSS), all host memory per VM
 * (guest pages, the VMM and KVM's kernel memory: see pinned_kib), and
 * what each does in-guest when all run the cpu workload at once.
 * The memory figures are differences of two readings, so noise elsewhere on
 * the host can push one below zero; such a sample is recorded as 0 and the
 * result's note says how many were. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/meminfo.h"
#include "core/output.h"
#include "vm/bench_impl.h"

#define DENSITY_STACK	(64u << 10)
#define FDS_PER_VM	2
#define FDS_SPARE	64
#define HOST_MIB_PER_VM 2 /* planning figure for the memory cap */

enum dmetric {
	DM_RATE,
	DM_READY,
	DM_VMM_KIB,
	DM_PSS_KIB,
	DM_HOST_KIB,
	DM_GUEST_KIB,
	DM_PER_VM,
	DM_AGG,
	DM_TEARDOWN,
	DM_COUNT
};

static const struct {
	const char *metric, *unit;
	bool hib;
} dmetrics[DM_COUNT] = {
	{ "create_per_sec", "VMs/s", true },
	{ "all_ready_ms", "ms", false },
	{ "vmm_rss_kib_per_vm", "KiB", false },
	{ "vmm_pss_kib_per_vm", "KiB", false },
	{ "host_kib_per_vm", "KiB", false },
	{ "guest_touched_kib_per_vm", "KiB", false },
	{ "per_vm_events_per_sec", "events/s", true },
	{ "aggregate_events_per_sec", "events/s", true },
	{ "teardown_ms", "ms", false },
};

void vm_density_opts__init(struct vm_density_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 1;
	o->run.warmup = 0;
	o->max_vms = 1024;
	o->mem_mb = 64;
	o->seconds = 0.5;
}

/* Rss and Pss of this process, KiB. */
static void self__rss(uint64_t *rss, uint64_t *pss)
{
	*rss = *pss = 0;
	FILE *f = fopen("/proc/self/smaps_rollup", "re");
	if (!f)
		return;
	char line[256];
	unsigned long long v;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Rss: %llu kB", &v) == 1)
			*rss = v;
		else if (sscanf(line, "Pss: %llu kB", &v) == 1)
			*pss = v;
	}
	fclose(f);
}

/* Host memory that page cache does not move, KiB: anonymous pages (guest
 * memory, the VMM's heap), kernel stacks (one per vCPU thread), page tables
 * with KVM's own (SecPageTables, on kernels that count it) and unreclaimable
 * slab (KVM's VM and vCPU objects). MemAvailable, used before, also moves
 * with the kernel's estimate of reclaimable cache, and gave -100 KiB per VM
 * in a quick run. */
static uint64_t pinned_kib(void)
{
	static const char *const fields[] = { "AnonPages", "KernelStack", "PageTables",
					      "SecPageTables", "SUnreclaim" };
	char *text = NULL;
	struct vb_err err = { 0 };
	uint64_t sum = 0, v;
	if (meminfo__read(MEMINFO_PATH, &text, &err) == 0)
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (meminfo__get(text, fields[i], &v))
				sum += v;
	free(text);
	return sum;
}

/* A per-VM share of a difference of two readings: never below 0 (*clamped
 * counts when it would have been). */
static double per_vm(double after, double before, double minus, unsigned n, bool *clamped)
{
	double d = (after - before - minus) / n;
	*clamped = d < 0;
	return d < 0 ? 0 : d;
}

/* All n VMs run the cpu workload at once: events over the span from the
 * first start to the last stop (host clock), in total and per VM. The runs
 * are posted one after another, so summing each VM's own rate would count
 * staggered windows as parallel. */
static int density__guest_cpu(const struct vm_density_opts *o, struct vm **vms, unsigned n,
			      double *v, struct vb_err *err)
{
	struct vm_work_opts wo;
	vm_work_opts__init(&wo, 1u << VM_WL_CPU);
	wo.seconds = o->seconds;
	struct vmb_job j;
	vmb__job(VM_WL_CPU, &wo, 1, &j);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_WORKLOAD;
	r.job = j.job;
	int rc = 0;
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = vm__post(vms[i], 0, &r, err);
	uint64_t events = 0, first = UINT64_MAX, end = 0;
	for (unsigned i = 0; i < n && rc == 0; i++) {
		rc = vm__wait_done(vms[i], (unsigned)(o->seconds * 1000) + 30000, err);
		const struct vm_vcpu_result *res = vm__result(vms[i], 0);
		if (rc == 0 && res->has_report) {
			events += res->report.events;
			first = res->host_start < first ? res->host_start : first;
			end = res->host_stop > end ? res->host_stop : end;
		}
	}
	if (rc < 0)
		return err__wrap(err, "in-guest cpu run with %u VMs", n);
	double span = end > first ? (double)(end - first) / 1e9 : 0;
	double agg = span > 0 ? (double)events / span : 0;
	v[DM_AGG] = agg;
	v[DM_PER_VM] = agg / n;
	return 0;
}

/* One step: n VMs up together, measured, torn down. clamped[m] is set when
 * metric m was a negative difference recorded as 0. */
static int density__step(const struct vm_density_opts *o, int kvm_fd, unsigned n, double *v,
			 bool *clamped, struct vb_err *err)
{
	struct vm **vms = calloc(n, sizeof(*vms));
	if (!vms)
		return err__set(err, ENOMEM, "VM table");
	int rc = 0;
	unsigned made = 0;
	uint64_t rss0, pss0, rss1, pss1;
	self__rss(&rss0, &pss0);
	uint64_t pinned0 = pinned_kib();

	struct vm_opts vo;
	vm_opts__init(&vo);
	vo.mem_bytes = o->mem_mb * MIB_;
	vo.kvm_fd = kvm_fd;
	vo.thread_stack = DENSITY_STACK;
	uint64_t t0 = clock__now_ns();
	for (; made < n; made++) {
		if (interrupt__pending()) {
			rc = err__set(err, EINTR, "interrupted");
			goto out;
		}
		if (vm__create(&vo, &vms[made], err) < 0) {
			rc = err__wrap(err, "VM %u of %u", made + 1, n);
			goto out;
		}
		if (vm__start(vms[made], err) < 0) {
			made++;
			rc = err__wrap(err, "VM %u of %u", made, n);
			goto out;
		}
	}
	uint64_t t_made = clock__now_ns();
	uint64_t last_ready = 0;
	for (unsigned i = 0; i < n; i++) {
		if (vm__wait_ready(vms[i], 30000, err) < 0) {
			rc = err__wrap(err, "VM %u of %u", i + 1, n);
			goto out;
		}
		uint64_t r = vm__times(vms[i])->ready;
		if (r > last_ready)
			last_ready = r;
	}
	self__rss(&rss1, &pss1);
	uint64_t pinned1 = pinned_kib();
	uint64_t touched = 0;
	for (unsigned i = 0; i < n; i++)
		touched += vm__resident_bytes(vms[i]);
	uint64_t touched_kib = touched >> 10;
	v[DM_RATE] = (double)n / ((double)(t_made - t0) / 1e9);
	v[DM_READY] = (double)(last_ready - t0) / 1e6;
	v[DM_VMM_KIB] = per_vm(rss1, rss0, touched_kib, n, &clamped[DM_VMM_KIB]);
	v[DM_PSS_KIB] = per_vm(pss1, pss0, touched_kib, n, &clamped[DM_PSS_KIB]);
	v[DM_HOST_KIB] = per_vm(pinned1, pinned0, 0, n, &clamped[DM_HOST_KIB]);
	v[DM_GUEST_KIB] = (double)touched_kib / n;

	v[DM_PER_VM] = v[DM_AGG] = 0;
	if (o->seconds > 0)
		rc = density__guest_cpu(o, vms, n, v, err);
out:;
	uint64_t t1 = clock__now_ns();
	for (unsigned i = 0; i < made; i++)
		vm__destroy(vms[i], NULL);
	v[DM_TEARDOWN] = (double)(clock__now_ns() - t1) / 1e6;
	free(vms);
	return rc;
}

/* Makes room for the descriptors; returns how many VMs fit. */
static unsigned density__fd_cap(unsigned want)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return want;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	uint64_t fit = rl.rlim_cur > FDS_SPARE ? (rl.rlim_cur - FDS_SPARE) / FDS_PER_VM : 1;
	return fit < want ? (unsigned)fit : want;
}

/* The runs at one count of VMs: the metrics that apply (no in-guest
 * figures when that run is off), negative memory differences counted. */
struct density_run {
	const struct vm_density_opts *o;
	int kvm_fd;
	unsigned n;
	unsigned idx[DM_COUNT], nm; /* the metrics recorded, in runner order */
	unsigned nclamped[DM_COUNT];
	unsigned failed;
	char what[48];
	struct vb_result_set *out;
};

static int density__iteration(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct density_run *d = arg;
	double all[DM_COUNT];
	bool clamped[DM_COUNT] = { false };
	if (density__step(d->o, d->kvm_fd, d->n, all, clamped, err) < 0)
		return VB_ITER_FAILED;
	for (unsigned k = 0; k < d->nm; k++) {
		v[k] = all[d->idx[k]];
		if (!warmup)
			d->nclamped[d->idx[k]] += clamped[d->idx[k]];
	}
	return 0;
}

static void density__failed(void *arg, unsigned iteration, bool warmup, const struct vb_err *why)
{
	struct density_run *d = arg;
	d->failed++;
	vmb__iteration_failed(d->out, "vm.density", d->what, iteration, why);
}

static void density__note_clamped(struct vb_result *r, unsigned nclamped)
{
	if (!nclamped)
		return;
	size_t len = strlen(r->note);
	snprintf(r->note + len, sizeof(r->note) - len,
		 "%s%u of %zu samples below 0 (memory freed elsewhere meanwhile), recorded as 0",
		 len ? "; " : "", nclamped, r->nsamples);
}

/* n VMs: their results into out. A failure at this count is recorded (the
 * caller goes no higher); Ctrl-C ends it with an error. */
static int density__count(const struct vm_density_opts *o, const struct vm_env *env, int kvm_fd,
			  unsigned n, bool *failed, struct vb_result_set *out, struct vb_err *err)
{
	struct density_run d = { .o = o, .kvm_fd = kvm_fd, .n = n, .out = out };
	snprintf(d.what, sizeof(d.what), "%u VMs", n);
	struct vm_config cfg = { 1, o->mem_mb };
	struct vb_result *r[DM_COUNT] = { 0 };
	int rc = 0;
	for (unsigned m = 0; m < DM_COUNT; m++) {
		if (o->seconds <= 0 && (m == DM_PER_VM || m == DM_AGG))
			continue;
		struct vb_result *res = vmb__result("vm.density", VMB_PLATFORM, dmetrics[m].metric,
						    dmetrics[m].unit, dmetrics[m].hib, &cfg, env);
		r[d.nm] = res;
		d.idx[d.nm++] = m;
		if (!res || result__set_config(res, "vms", "%u", n) < 0)
			rc = err__set(err, ENOMEM, "results");
	}
	char label[48];
	snprintf(label, sizeof(label), "vm density %u VMs", n);
	struct vb_run_opts run = o->run;
	run.label = label;
	static const struct runner_hooks hooks = { .failed = density__failed };
	if (rc == 0)
		rc = runner__run_hooked(&run, &hooks, density__iteration, &d, r, d.nm, err);
	/* Every run failed: recorded as skips already. */
	if (rc < 0 && d.failed && r[0] && r[0]->nsamples == 0 && !interrupt__pending())
		rc = 0;
	*failed = d.failed > 0;
	for (unsigned k = 0; k < d.nm; k++) {
		if (!r[k])
			continue;
		density__note_clamped(r[k], d.nclamped[d.idx[k]]);
		struct vb_err e2;
		if (vmb__add(out, r[k], &e2) < 0 && rc == 0) {
			*err = e2;
			rc = -1;
		}
	}
	return rc;
}

int vm_bench__density(const struct vm_density_opts *o, struct vb_result_set *out,
		      struct vb_err *err)
{
	if (vm__check_host_memory(o->mem_mb * MIB_, "--memory", err) < 0)
		return -1;
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	unsigned max_vms = density__fd_cap(o->max_vms);
	if (max_vms < o->max_vms)
		warn__("vm density: open-file limit allows %u VMs, not %u", max_vms, o->max_vms);
	uint64_t mem_cap = meminfo__available_kib() / 1024 / HOST_MIB_PER_VM;
	if (mem_cap && mem_cap < max_vms) {
		warn__("vm density: host memory allows about %llu VMs, not %u",
		       (unsigned long long)mem_cap, max_vms);
		max_vms = (unsigned)mem_cap;
	}
	int kvm_fd;
	if (vm__open_kvm(&kvm_fd, err) < 0)
		return -1;
	int rc = 0;
	for (unsigned n = 1; n <= max_vms && rc == 0;
	     n = (n * 2 > max_vms && n < max_vms) ? max_vms : n * 2) {
		bool failed = false;
		rc = density__count(o, &env, kvm_fd, n, &failed, out, err);
		if (failed || n == max_vms)
			break; /* more VMs than failed will not do better */
	}
	close(kvm_fd);
	return rc;
}
