/* Defaults and checks of the native options. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/sysinfo.h>

#include "native/native.h"

void native_opts__init(struct native_opts *o, uint32_t kind)
{
	*o = (struct native_opts){ 0 };
	o->kind = kind;
	o->threads = 1;
	runner__defaults(&o->run);
	o->cpu_max_prime = 10000;     /* sysbench --cpu-max-prime */
	o->block_size = 1024;	      /* sysbench --memory-block-size */
	o->total_size = 100ull << 30; /* sysbench --memory-total-size */
	o->oper = WL_MEM_WRITE;	      /* sysbench --memory-oper */
	o->mode = NATIVE_MEM_SYSBENCH;
	o->min_size = 4096;
	o->max_size = 1ull << 30;
	o->pages = NATIVE_PAGES_4K | NATIVE_PAGES_2M;
	o->kernels = 0xf;
	o->size = 384ull << 20; /* stream, memory --mode bandwidth: three 128 MiB arrays */
	switch (kind) {
	case WL_CPU:
	case WL_MEMORY:
		o->time_s = 10; /* sysbench --time */
		break;
	case WL_FAULT: o->size = 256ull << 20; break;
	case WL_STREAM:
		o->events = 5; /* passes per kernel and iteration */
		break;
	case WL_CLOCK: o->time_s = 0.1; break;
	default: break;
	}
}

static uint64_t machine_ram(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return 0;
	return (uint64_t)si.totalram * si.mem_unit;
}

/* A request for more memory than the machine has is a usage error: it
 * could only end in swapping or the OOM killer. */
static int check_ram(const char *opt, uint64_t need, struct vb_err *err)
{
	uint64_t ram = machine_ram();
	if (ram && need > ram)
		return err__usage(err,
				  "%s: needs %" PRIu64 " MiB but this machine has %" PRIu64
				  " MiB of memory",
				  opt, need >> 20, ram >> 20);
	return 0;
}

int native_opts__check(const struct native_opts *o, struct vb_err *err)
{
	if (o->threads < 1 || o->threads > NATIVE_MAX_THREADS)
		return err__usage(err, "--threads: %u is out of range; expected 1 to %u",
				  o->threads, NATIVE_MAX_THREADS);
	if (o->time_s < 0 || o->time_s > 86400)
		return err__usage(err, "--time: expected 0 to 86400 seconds");
	switch (o->kind) {
	case WL_CPU:
		if (o->cpu_max_prime < 1)
			return err__usage(err, "--cpu-max-prime: expected 1 or more");
		if (!o->time_s && !o->events)
			return err__usage(err, "--time and --events are both 0; set one of them");
		return 0;
	case WL_MEMORY:
		if (o->mode == NATIVE_MEM_BANDWIDTH)
			return check_ram("--total-size", o->size * o->threads, err);
		if (o->block_size < 8 || (o->block_size & (o->block_size - 1)))
			return err__usage(err,
					  "--memory-block-size: %" PRIu64 " is not accepted; "
					  "expected a power of two from 8 bytes up",
					  o->block_size);
		if (o->total_size && o->block_size > o->total_size)
			return err__usage(err,
					  "--memory-block-size: %" PRIu64 " is larger than "
					  "--memory-total-size (%" PRIu64 ")",
					  o->block_size, o->total_size);
		if (o->total_size && o->total_size / o->block_size < o->threads)
			return err__usage(err,
					  "--memory-total-size: %" PRIu64 " gives less than one "
					  "block per thread; expected at least %" PRIu64,
					  o->total_size, o->block_size * o->threads);
		if (o->oper > WL_MEM_WRITE)
			return err__usage(err, "--memory-oper: expected read, write or none");
		if (!o->time_s && !o->events && !o->total_size)
			return err__usage(err,
					  "--time, --events and --memory-total-size are all 0; "
					  "set one of them");
		return check_ram("--memory-block-size",
				 o->block_size * (o->scope_local ? o->threads : 1), err);
	case WL_MEMLAT:
		if (o->min_size < 4096 || o->max_size < o->min_size)
			return err__usage(err, "--min-size/--max-size: expected 4K <= min <= max");
		if (!o->pages)
			return err__usage(err, "--pages: expected 4k, 2m or 4k,2m");
		return check_ram("--max-size", (o->max_size + (2u << 20)) * o->threads, err);
	case WL_FAULT:
		if (o->size < (2u << 20))
			return err__usage(err, "--size: expected 2M or more");
		if (!o->pages)
			return err__usage(err, "--pages: expected 4k, 2m or 4k,2m");
		return check_ram("--size", o->size * o->threads, err);
	case WL_STREAM:
		if (o->size < 3 * 4096)
			return err__usage(err, "--size: expected 12K or more");
		if (!o->kernels)
			return err__usage(err,
					  "--kernels: expected a list of copy, scale, add, triad");
		if (!o->time_s && !o->events)
			return err__usage(err, "--time and --events are both 0; set one of them");
		return check_ram("--size", o->size * o->threads, err);
	case WL_CLOCK:
		if (!o->time_s && !o->events)
			return err__usage(err, "--time and --events are both 0; set one of them");
		return 0;
	default: return err__usage(err, "unknown workload %u", o->kind);
	}
}
