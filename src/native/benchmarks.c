/* The native benchmarks by workload kind: the top of src/native, which
 * nothing below calls back (each bench_*.c builds on bench.c, opts.c and
 * the thread layer; `virtbench native` and `run` come in here). */
#include <stddef.h>

#include "native/native.h"

static const struct {
	uint32_t kind; /* enum wl_kind */
	int (*run)(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err);
} benchmarks[] = {
	{ WL_CPU, native__bench_cpu },	     { WL_MEMORY, native__bench_memory },
	{ WL_MEMLAT, native__bench_memlat }, { WL_FAULT, native__bench_fault },
	{ WL_STREAM, native__bench_stream }, { WL_CLOCK, native__bench_clock },
};

int native__bench(const struct native_opts *o, struct vb_result_set *out, struct vb_err *err)
{
	for (size_t i = 0; i < sizeof(benchmarks) / sizeof(benchmarks[0]); i++)
		if (benchmarks[i].kind == o->kind)
			return benchmarks[i].run(o, out, err);
	return err__usage(err, "unknown workload %u", o->kind);
}
