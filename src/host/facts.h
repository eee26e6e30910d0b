/* Everything host inspection gathers, before it becomes the JSON host
 * block: filled by host_facts__gather (inspect.c), turned into JSON by
 * host_facts__to_json (host_json.c). */
#ifndef VB_HOST_FACTS_H
#define VB_HOST_FACTS_H

#include <jansson.h>
#include <stdbool.h>

#include "host/armvirt.h"
#include "host/cgroup.h"
#include "host/cpufreq.h"
#include "host/cpuid.h"
#include "host/cpuinfo.h"
#include "host/guest.h"
#include "host/hostfs.h"
#include "host/klog.h"
#include "host/kvm.h"
#include "host/memory.h"
#include "host/tools.h"
#include "host/topology.h"

struct host_facts {
	bool live;			/* this machine (not a fixture tree) */
	char root[HOSTFS_ROOT_MAX + 1]; /* fixture root, "" when live */
	char hostname[128];
	char arch[32]; /* uname -m */
	char release[128], version[256];
	char *cmdline; /* owned */
	bool have_cpuinfo;
	struct cpuinfo cpuinfo;
	bool have_cpuid;
	struct cpuid_facts cpuid;
	bool have_midr_live;
	uint64_t midr_live;
	struct host_topology topo;
	struct host_cpufreq freq;
	struct host_memory mem;
	struct host_cgroup cgroup;
	struct host_klog klog;
	struct host_kvm kvm;
	bool is_arm;
	struct host_armvirt arm;
	struct host_guest guest;
	char verdict[512];
	bool have_tools;
	struct host_tools tools;
	double inspect_ms;
};

struct host_inspect_opts;

/* Gathers the facts; only fails when out of memory. */
int host_facts__gather(const struct host_inspect_opts *o, struct host_facts *f);
void host_facts__free(struct host_facts *f);
json_t *host_facts__to_json(const struct host_facts *f);

#endif
