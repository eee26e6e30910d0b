/* What makes two results the same experiment on two hosts: the benchmark,
 * platform, metric and the configuration without its provenance. Used to
 * align compare's rows and to find a result's native baseline. */
#include "report/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool compare__provenance_key(const char *key)
{
	/* Keys that say how a figure was obtained or on what, not which
	 * experiment it is: two hosts with different compilers, KVM modules or
	 * adaptive iteration counts still ran the same benchmark. */
	static const char *const keys[] = {
		VB_CFG_COMPILER,
		VB_CFG_CFLAGS,
		VB_CFG_ARCH,
		VB_CFG_KVM_CPL0,
		VB_CFG_KVM_MODULE,
		VB_CFG_EXITS_PER_SAMPLE,
		VB_CFG_CALLS_PER_SAMPLE,
		VB_CFG_LOADS,
		VB_CFG_CHECKSUM,
		VB_CFG_PAGE_SOURCE,
		VB_CFG_ACCEL,
		VB_CFG_GUEST,
		VB_CFG_QEMU,
		VB_CFG_NATIVE_EVENTS_PER_SEC,
		VB_CFG_NATIVE_SPEED_MIB_SEC,
		VB_CFG_EXIT,
		NULL,
	};
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(key, *k))
			return true;
	return false;
}

/* "kernel" is the guest kernel of a QEMU run, on its guest and on its
 * native side (provenance), but the STREAM kernel (copy, add ...) of the
 * bandwidth runs (the experiment). */
static bool ignored(const struct vb_result *r, const char *key)
{
	if (!strcmp(key, VB_CFG_KERNEL))
		return !strcmp(r->platform, VB_PLATFORM_QEMU) ||
		       result__config(r, VB_CFG_QEMU) != NULL;
	return compare__provenance_key(key);
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct vb_kv *)a)->key, ((const struct vb_kv *)b)->key);
}

void compare__config(const struct vb_result *r, char *out, size_t size)
{
	struct vb_kv kv[VB_MAX_CONFIG];
	size_t n = 0;
	for (size_t i = 0; i < r->nconfig && i < VB_MAX_CONFIG; i++)
		if (!ignored(r, r->config[i].key))
			kv[n++] = r->config[i];
	qsort(kv, n, sizeof(kv[0]), cmp_kv);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int w = snprintf(out + used, size - used, "%s%s=%s", i ? " " : "", kv[i].key,
				 kv[i].value);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void compare__key(const struct vb_result *r, char *out, size_t size)
{
	char cfg[1024];
	compare__config(r, cfg, sizeof(cfg));
	if (size < COMPARE_KEY_SIZE) {
		out[0] = '\0';
		return;
	}
	/* \x1f cannot occur in a name read by the loader's string checks in any
	 * meaningful way, and keeps "a|b" + "c" apart from "a" + "b|c". */
	snprintf(out, size, "%s\x1f%s\x1f%s\x1f%s", r->benchmark, r->platform, r->metric, cfg);
}
