#include "core/names.h"

#include <stddef.h>
#include <string.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *kind;
	enum family fam;
} kinds[] = {
	{ VB_KIND_BOOT, FAM_BOOT },
	{ VB_KIND_EXITS, FAM_EXITS },
	{ VB_KIND_CPU, FAM_CPU },
	{ VB_KIND_MEMORY, FAM_MEMORY },
	{ VB_KIND_MEMLAT, FAM_MEMLAT },
	{ VB_KIND_FAULT, FAM_FAULT },
	{ VB_KIND_STREAM, FAM_STREAM },
	{ VB_KIND_STARTUP, FAM_STARTUP },
	{ VB_KIND_SCALE, FAM_SCALE },
	{ VB_KIND_DENSITY, FAM_DENSITY },
	{ VB_KIND_INTERFERENCE, FAM_INTERFERENCE },
	{ VB_KIND_DISK, FAM_DISK },
	{ VB_KIND_NET, FAM_NET },
};

static const struct {
	const char *name;
	enum vb_platform_kind kind;
} platforms[] = {
	{ VB_PLATFORM_NATIVE, VB_PK_NATIVE },
	{ VB_PLATFORM_MICROVM, VB_PK_VM },
	{ VB_PLATFORM_QEMU, VB_PK_VM },
	{ VB_PLATFORM_CONTAINER_BUILTIN, VB_PK_CONTAINER },
	{ VB_PLATFORM_UNSHARE_EXEC, VB_PK_CONTAINER },
	{ VB_PLATFORM_RUNC, VB_PK_CONTAINER },
	{ VB_PLATFORM_CRUN, VB_PK_CONTAINER },
	{ VB_PLATFORM_DOCKER, VB_PK_CONTAINER },
	{ VB_PLATFORM_PODMAN, VB_PK_CONTAINER },
	{ VB_PLATFORM_DOCKER_SEED, VB_PK_CONTAINER },
	{ VB_PLATFORM_PODMAN_SEED, VB_PK_CONTAINER },
};

static const char *const metrics[] = {
	VB_METRIC_READY_MS,
	VB_METRIC_TOTAL_MS,
	VB_METRIC_VMM_CPU_MS,
	VB_METRIC_KVM_RUN_EMPTY_NS,
	VB_METRIC_CLOCK_READ_NS,
	VB_METRIC_EVENTS_PER_SEC,
	VB_METRIC_EVENTS_PER_SEC_PER_THREAD,
	VB_METRIC_PER_VCPU_EVENTS_PER_SEC,
	VB_METRIC_MIB_PER_SEC,
	VB_METRIC_OPS_PER_SEC,
	VB_METRIC_GIB_PER_SEC,
	VB_METRIC_GB_PER_SEC,
	VB_METRIC_NS_PER_LOAD,
	VB_METRIC_NS_PER_PAGE,
	VB_METRIC_RUNNING_MS,
	VB_METRIC_EXIT_MS,
	VB_METRIC_TEARDOWN_MS,
	VB_METRIC_CREATE_PER_SEC,
	VB_METRIC_ALL_READY_MS,
	VB_METRIC_START_RATE_PER_SEC,
	VB_METRIC_VMM_RSS_KIB_PER_VM,
	VB_METRIC_VMM_PSS_KIB_PER_VM,
	VB_METRIC_HOST_KIB_PER_VM,
	VB_METRIC_GUEST_TOUCHED_KIB_PER_VM,
	VB_METRIC_PER_VM_EVENTS_PER_SEC,
	VB_METRIC_AGGREGATE_EVENTS_PER_SEC,
	VB_METRIC_IOPS,
	VB_METRIC_P50_US,
	VB_METRIC_P99_US,
	VB_METRIC_GBIT_PER_SEC,
	VB_METRIC_TRANSACTIONS_PER_SEC,
};

const char *names__kind(const char *benchmark)
{
	const char *dot = strrchr(benchmark, '.');
	return dot ? dot + 1 : benchmark;
}

enum family names__family(const char *benchmark)
{
	const char *kind = names__kind(benchmark);
	for (size_t i = 0; i < LEN(kinds); i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].fam;
	return FAM_OTHER;
}

enum vb_platform_kind names__platform_kind(const char *platform)
{
	for (size_t i = 0; i < LEN(platforms); i++)
		if (!strcmp(platform, platforms[i].name))
			return platforms[i].kind;
	return VB_PK_OTHER;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

bool names__metric_known(const char *metric)
{
	for (size_t i = 0; i < LEN(metrics); i++)
		if (!strcmp(metric, metrics[i]))
			return true;
	/* Boot phases and exits are named by the phase or the exit: new ones
	 * come with the hardware, and "<name>_ns" is a time by its name. */
	size_t np = strlen(VB_METRIC_PHASE_PREFIX);
	return (!strncmp(metric, VB_METRIC_PHASE_PREFIX, np) && metric[np]) ||
	       ends_with(metric, VB_METRIC_NS_SUFFIX);
}

const char *const names__level_keys[] = { VB_CFG_LEVEL, VB_CFG_NESTED_ACCEL, NULL };
