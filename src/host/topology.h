/* CPU topology from sysfs (online CPUs, sockets, cores, SMT, NUMA nodes),
 * with /proc/cpuinfo as the fallback where sysfs lacks it. */
#ifndef VB_HOST_TOPOLOGY_H
#define VB_HOST_TOPOLOGY_H

#include <stdbool.h>

#include "host/cpuinfo.h"
#include "host/hostfs.h"

struct host_topology {
	unsigned online;       /* online CPUs */
	char online_list[256]; /* "0-63" as the kernel prints it */
	unsigned possible;
	unsigned sockets; /* 0 when unknown */
	unsigned cores;	  /* physical cores, all sockets; 0 when unknown */
	unsigned threads_per_core;
	char smt_control[24]; /* "on", "off", "forceoff", "notsupported", "notimplemented", "" */
	int smt_active;	      /* smt/active: 1, 0, -1 when absent */
	bool smt_on;	      /* more than one thread per core is running */
	unsigned numa_nodes;
	const char *source; /* "sysfs" or "cpuinfo" */
};

/* Counts the CPUs of a kernel CPU list ("0-3,8-11"); when cpus is not
 * NULL stores up to cap of them. Returns the count, -1 when malformed. */
int cpulist__parse(const char *list, unsigned *cpus, unsigned cap);

int topology__read(const struct hostfs *fs, const struct cpuinfo *ci, struct host_topology *out);

#endif
