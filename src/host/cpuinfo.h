/* /proc/cpuinfo, both dialects: x86 ("vendor_id", "model name", "flags",
 * "physical id"...) and arm64 ("CPU implementer", "CPU part", "Features",
 * and no model name at all). */
#ifndef VB_HOST_CPUINFO_H
#define VB_HOST_CPUINFO_H

#include <stdbool.h>

#define CPUINFO_MAX_MIDRS 4

struct cpuinfo {
	unsigned nproc; /* "processor" entries */
	/* x86 */
	char vendor_id[32];	     /* "GenuineIntel", "AuthenticAMD" */
	char model_name[128];	     /* "model name" of the first processor */
	int family, model, stepping; /* -1 when absent */
	char microcode[32];
	double mhz;	    /* "cpu MHz" of the first processor, 0 when absent */
	unsigned packages;  /* distinct "physical id" values, 0 when absent */
	unsigned cores;	    /* distinct (physical id, core id) pairs, 0 when absent */
	unsigned cpu_cores; /* "cpu cores" (cores per package) of the first processor */
	unsigned siblings;  /* "siblings" (threads per package) of the first processor */
	/* arm64: each distinct MIDR seen (big.LITTLE systems have several) */
	struct {
		int implementer, variant, part, revision; /* -1 when absent */
		unsigned count;
	} midr[CPUINFO_MAX_MIDRS];
	unsigned nmidr;
	int architecture; /* "CPU architecture", -1 when absent */
	/* Both: x86 "flags" or arm64 "Features" of the first processor, space
	 * separated, and x86 "vmx flags" (ept, vpid... on kernels >= 5.9). */
	char flags[4096];
	char vmx_flags[1024];
};

/* Parses a whole /proc/cpuinfo text. Returns 0, or -1 when it holds no
 * processor at all. */
int cpuinfo__parse(const char *text, struct cpuinfo *out);
/* Whole-word search in a space-separated flag list. */
bool cpuinfo__flag_in(const char *list, const char *flag);
bool cpuinfo__has_flag(const struct cpuinfo *ci, const char *flag);

#endif
