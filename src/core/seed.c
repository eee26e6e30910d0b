#include "core/seed.h"

const struct vb_guest_config vb_seed_configs[VB_SEED_NCONFIGS] = {
	{ 1, 512 },
	{ 2, 1024 },
	{ 4, 2048 },
};
