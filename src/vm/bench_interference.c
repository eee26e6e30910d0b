/* `vm interference`: what guests beside it cost a native workload. The
 * seed called this "hypervisor overhead" (host sysbench while an idle VM
 * sits beside it); it is kept under its honest name. Native cpu throughput
 * on all host CPUs while 0, 1, 2, 4 ... 1-vCPU guests sit idle (waiting in
 * the VMM, not scheduled) or run the cpu workload themselves. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/interrupt.h"
#include "vm/bench_impl.h"

void vm_interference_opts__init(struct vm_interference_opts *o)
{
	memset(o, 0, sizeof(*o));
	runner__defaults(&o->run);
	o->run.iterations = 3;
	static const unsigned g[] = { 0, 1, 2, 4 };
	for (unsigned i = 0; i < 4; i++)
		o->guests[i] = g[i];
	o->nguests = 4;
	o->both = true;
	o->busy = true;
	o->seconds = 1.0;
	o->cpu_max_prime = 10000;
}

/* The measured side: the cpu workload natively on every host CPU. */
struct native_run {
	struct vmb_job j;
	unsigned threads;
};

static int interference__native(void *arg, unsigned i, bool warmup, double *v, struct vb_err *err)
{
	struct native_run *nr = arg;
	struct rates s;
	if (vmb__native(&nr->j, nr->threads, &s, err) < 0)
		return -1;
	v[0] = s.events_per_sec;
	return 0;
}

/* n guests up (busy or idle) while the runner measures the native side. */
static int interference__step(const struct vm_interference_opts *o, const struct vb_run_opts *run,
			      unsigned n, bool busy, struct vb_result *r, struct vb_err *err)
{
	struct vm **vms = calloc(n ? n : 1, sizeof(*vms));
	if (!vms)
		return err__set(err, ENOMEM, "VM table");
	int rc = 0;
	unsigned up = 0;
	struct vm_opts vo;
	vm_opts__init(&vo);
	vo.mem_bytes = 64 * MIB_;
	for (; up < n && rc == 0; up++)
		rc = vmb__up(&vo, &vms[up], err);
	if (rc < 0) {
		up--; /* the failed one cleaned up after itself */
		goto out;
	}
	if (busy) {
		struct vm_request req;
		memset(&req, 0, sizeof(req));
		req.request = VB_REQ_WORKLOAD;
		req.job.kind = WL_CPU;
		req.job.threads = 1;
		req.job.cpu_max_prime = o->cpu_max_prime;
		req.job.stop =
			(const volatile uint32_t *)(uintptr_t)(vm__mailbox_gpa(vms[0], 0) +
							       offsetof(struct vb_mailbox, stop));
		for (unsigned i = 0; i < n && rc == 0; i++)
			rc = vm__post(vms[i], 0, &req, err);
		if (rc < 0)
			goto out;
	}
	struct vm_work_opts wo;
	vm_work_opts__init(&wo, 1u << VM_WL_CPU);
	wo.seconds = o->seconds;
	wo.cpu_max_prime = o->cpu_max_prime;
	struct native_run nr = { .threads = vmb__host_cpus() };
	vmb__job(VM_WL_CPU, &wo, nr.threads, &nr.j);
	rc = runner__run(run, interference__native, &nr, &r, 1, err);
	if (busy) {
		for (unsigned i = 0; i < n; i++)
			vm__request_stop(vms[i]);
		for (unsigned i = 0; i < n && rc == 0; i++)
			rc = vm__wait_done(vms[i], 10000, err);
	}
out:
	for (unsigned i = 0; i < up; i++)
		vm__destroy(vms[i], NULL);
	free(vms);
	return rc;
}

int vm_bench__interference(const struct vm_interference_opts *o, struct vb_result_set *out,
			   struct vb_err *err)
{
	struct vm_env env;
	if (vm_bench__env(&env, err) < 0)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		bool busy = pass == 1;
		if (!o->both && busy != o->busy)
			continue;
		struct vb_result *base = NULL;
		for (unsigned g = 0; g < o->nguests; g++) {
			unsigned n = o->guests[g];
			struct vb_result *r = vmb__result("vm.interference", "native",
							  "events_per_sec", "events/s", true, NULL,
							  &env);
			if (!r)
				return err__set(err, ENOMEM, "result");
			r->note[0] = 0;
			result__set_config(r, "guests", "%u", n);
			result__set_config(r, "guest_state", "%s", busy ? "busy" : "idle");
			result__set_config(r, "threads", "%u", vmb__host_cpus());
			char label[64];
			snprintf(label, sizeof(label), "vm interference %u %s guests", n,
				 busy ? "busy" : "idle");
			struct vb_run_opts run = o->run;
			run.label = label;
			struct vb_err e = { 0 };
			int rc = interference__step(o, &run, n, busy, r, &e);
			result__finish(r);
			if (rc < 0) {
				if (interrupt__pending()) {
					result__free(r);
					*err = e;
					return -1;
				}
				vmb__iteration_failed(out, "vm.interference", label + 16, 1, &e);
			}
			if (n == 0 && r->nsamples)
				base = r;
			else if (base && r->nsamples)
				result__set_overhead(r, base, r);
			if (vmb__add(out, r, err) < 0)
				return -1;
		}
	}
	return 0;
}
