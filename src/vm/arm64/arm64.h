/* Internals shared by the files of src/vm/arm64/. */
#ifndef VB_VM_ARM64_ARM64_H
#define VB_VM_ARM64_ARM64_H

#include <stdint.h>

#include "core/err.h"
#include "vm/arm64/layout.h"

/* MAIR_EL1 slots: 0 Device-nGnRnE, 1 Normal write-back cacheable. */
#define ARM64_MAIR_IDX_DEVICE 0
#define ARM64_MAIR_IDX_NORMAL 1
#define ARM64_MAIR_VALUE      0xff00ull

/* The page-table roots: the first two tables of the pool. */
#define ARM64_ROOT_USER	      (ARM64_RAM_BASE + ARM64_TABLES_OFF)
#define ARM64_ROOT_KERNEL     (ARM64_RAM_BASE + ARM64_TABLES_OFF + 0x1000ull)

/* Copies the EL1 exception vectors (2 KiB) to dst. */
void arm64__write_vectors(uint8_t *dst);

/* Makes the in-kernel GICv3 for a VM whose vCPUs all exist (and none has
 * run yet); the device descriptor is closed again, the GIC lives as long as
 * the VM. */
int arm64__gic_create(int vm_fd, unsigned nvcpus, struct vb_err *err);

#endif
