#include "host/topology.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cpulist__parse(const char *list, unsigned *cpus, unsigned cap)
{
	int count = 0;
	const char *p = list;
	while (*p && isspace((unsigned char)*p))
		p++;
	while (*p && *p != '\n') {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			if (end == p + 1 || b < a || b - a > 1u << 20)
				return -1;
			p = end;
		}
		for (unsigned long c = a; c <= b; c++) {
			if (cpus && (unsigned)count < cap)
				cpus[count] = (unsigned)c;
			count++;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n' && !isspace((unsigned char)*p))
			return -1;
		else
			break;
	}
	return count;
}

/* Sockets and cores from cpuN/topology of every online CPU. Returns 0 when
 * at least one CPU had topology files. */
static int from_sysfs(const struct hostfs *fs, const unsigned *cpus, unsigned n,
		      struct host_topology *t)
{
	uint64_t *keys = calloc(n ? n : 1, sizeof(*keys));
	long *pkgs = calloc(n ? n : 1, sizeof(*pkgs));
	unsigned nkeys = 0, npkgs = 0, seen = 0;
	int rc = -1;
	if (!keys || !pkgs)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		char path[128];
		long pkg = 0, core = 0;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/core_id",
			 cpus[i]);
		if (hostfs__read_long(fs, path, &core) < 0)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/topology/physical_package_id", cpus[i]);
		if (hostfs__read_long(fs, path, &pkg) < 0 || pkg < 0)
			pkg = 0; /* -1 on Arm systems without package information */
		seen++;
		uint64_t key = ((uint64_t)(uint32_t)pkg << 32) | (uint32_t)core;
		unsigned k;
		for (k = 0; k < nkeys && keys[k] != key; k++)
			;
		if (k == nkeys)
			keys[nkeys++] = key;
		for (k = 0; k < npkgs && pkgs[k] != pkg; k++)
			;
		if (k == npkgs)
			pkgs[npkgs++] = pkg;
	}
	if (seen) {
		t->sockets = npkgs;
		t->cores = nkeys;
		t->source = "sysfs";
		rc = 0;
	}
out:
	free(keys);
	free(pkgs);
	return rc;
}

int topology__read(const struct hostfs *fs, const struct cpuinfo *ci, struct host_topology *t)
{
	memset(t, 0, sizeof(*t));
	t->smt_active = -1;
	char buf[4096];
	unsigned *cpus = NULL;
	int n = -1;
	if (hostfs__read_line(fs, "/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0 &&
	    (n = cpulist__parse(buf, NULL, 0)) > 0) {
		snprintf(t->online_list, sizeof(t->online_list), "%.255s", buf);
		cpus = calloc((size_t)n, sizeof(*cpus));
		if (cpus)
			cpulist__parse(buf, cpus, (unsigned)n);
		t->online = (unsigned)n;
	} else if (ci && ci->nproc) {
		t->online = ci->nproc;
	}
	if (hostfs__read_line(fs, "/sys/devices/system/cpu/possible", buf, sizeof(buf)) > 0) {
		int p = cpulist__parse(buf, NULL, 0);
		t->possible = p > 0 ? (unsigned)p : 0;
	}

	if (!(cpus && from_sysfs(fs, cpus, t->online, t) == 0) && ci && ci->packages) {
		t->sockets = ci->packages;
		t->cores = ci->cores ? ci->cores : ci->packages * ci->cpu_cores;
		t->source = "cpuinfo";
	}
	free(cpus);
	if (t->cores && t->online)
		t->threads_per_core = (t->online + t->cores - 1) / t->cores;

	if (hostfs__read_line(fs, "/sys/devices/system/cpu/smt/control", t->smt_control,
			      sizeof(t->smt_control)) < 0)
		t->smt_control[0] = '\0';
	long active;
	if (hostfs__read_long(fs, "/sys/devices/system/cpu/smt/active", &active) == 0)
		t->smt_active = active ? 1 : 0;
	if (t->smt_active >= 0)
		t->smt_on = t->smt_active == 1;
	else if (t->smt_control[0])
		t->smt_on = !strcmp(t->smt_control, "on") && t->threads_per_core > 1;
	else
		t->smt_on = t->threads_per_core > 1;

	t->numa_nodes = 1; /* a kernel without NUMA support has one node */
	if (hostfs__read_line(fs, "/sys/devices/system/node/online", buf, sizeof(buf)) > 0) {
		int nodes = cpulist__parse(buf, NULL, 0);
		if (nodes > 0)
			t->numa_nodes = (unsigned)nodes;
	}
	return 0;
}
