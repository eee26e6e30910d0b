/* The seed's guest configurations (vCPUs and MiB of memory): what vm boot
 * and the in-guest workloads run on the microVM and on QEMU unless told
 * otherwise, and whose first one `virtbench run --quick` boots. */
#ifndef VB_CORE_SEED_H
#define VB_CORE_SEED_H

struct vb_guest_config {
	unsigned vcpus;
	unsigned memory_mb; /* MiB */
};

#define VB_SEED_NCONFIGS 3
extern const struct vb_guest_config vb_seed_configs[VB_SEED_NCONFIGS];

#endif
