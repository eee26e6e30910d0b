/* Arm MIDR_EL1 decoding: implementer and part number to names, because Arm
 * hosts print no model name in /proc/cpuinfo ("CPU implementer : 0x41",
 * "CPU part : 0xd0c" is a Neoverse-N1). Portable: x86 builds decode Arm
 * fixtures too. */
#ifndef VB_HOST_MIDR_H
#define VB_HOST_MIDR_H

#include <stdint.h>

struct midr_info {
	const char *vendor;  /* "Arm", "Ampere", ... or NULL when unknown */
	const char *core;    /* "Neoverse-N1", ... or NULL when unknown */
	const char *seen_in; /* well-known products built on the core, or NULL */
};

/* Fills *out; returns 0 when both the implementer and the part are known. */
int midr__decode(int implementer, int part, struct midr_info *out);
/* MIDR_EL1 field helpers (the register as /sys/.../midr_el1 shows it). */
static inline int midr__implementer(uint64_t midr)
{
	return (int)((midr >> 24) & 0xff);
}
static inline int midr__variant(uint64_t midr)
{
	return (int)((midr >> 20) & 0xf);
}
static inline int midr__part(uint64_t midr)
{
	return (int)((midr >> 4) & 0xfff);
}
static inline int midr__revision(uint64_t midr)
{
	return (int)(midr & 0xf);
}

#endif
