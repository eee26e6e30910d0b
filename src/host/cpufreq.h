/* Frequency scaling and idle: the governor decides how far a benchmark's
 * figures wander ("performance" pins the clock), the idle driver how fast
 * an idle vCPU wakes (haltpoll in guests). */
#ifndef VB_HOST_CPUFREQ_H
#define VB_HOST_CPUFREQ_H

#include "host/hostfs.h"

struct host_cpufreq {
	char governor[96]; /* "performance"; "none" without cpufreq; "a,b" when policies differ */
	char driver[32];   /* "intel_pstate", "acpi-cpufreq", "cppc_cpufreq", "" */
	char cpuidle_driver[32]; /* "intel_idle", "haltpoll", "psci_idle", "none", "" */
	unsigned policies;
};

int cpufreq__read(const struct hostfs *fs, struct host_cpufreq *out);

#endif
