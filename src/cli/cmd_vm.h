/* What `virtbench vm` and its QEMU front end (`vm ... --platform qemu`)
 * share: guest configurations from --vcpus and --memory. */
#ifndef VB_CLI_CMD_VM_H
#define VB_CLI_CMD_VM_H

#include <stdint.h>

#include "cli/table.h"
#include "measure/iobench.h"
#include "qemu/qemu_bench.h"

struct cli_vm_config {
	unsigned vcpus;
	uint64_t mib;
};

/* --vcpus and --memory into configurations: lists of the same length pair
 * up, one value applies to every entry of the other list, no --memory is
 * 512 MiB per vCPU, no --vcpus is 1. *n is 0 when neither was given (the
 * defaults stay). A list mismatch is a usage error. */
int cli__vm_configs(const struct cli_call *c, const uint64_t *vcpus, unsigned nv,
		    const uint64_t *mib, unsigned nm, struct cli_vm_config *out, unsigned *n,
		    struct vb_err *err);

/* The configuration of `vm boot|cpu|memory --platform qemu`. */
struct qemu_cli {
	struct cli_common common;
	struct qemu_bench_opts q;
	uint64_t vcpus[QEMU_MAX_CONFIGS], memory[QEMU_MAX_CONFIGS];
	unsigned nvcpus, nmemory;
	double time_s; /* --time, into q.work_ms */
	int platform;
	char logdir[4096];
	struct iobench_opts io; /* vm disk, vm net */
	char dir[4096];		/* the default --dir */
};

/* `vm nested`: the microVM benchmarks one level down (cmd_vm_nested.c). */
extern const struct cli_command cmd__vm_nested;
/* `vm nested-exec`: its L1 guest with a script of the tests' own. */
extern const struct cli_command cmd__vm_nested_exec;

/* The group `vm --platform qemu`: boot, cpu, memory, disk, net. */
extern const struct cli_command cmd__vm_qemu;

#endif
