/* What every native result records about the build: the compiler and the
 * flags the workload core was compiled with (WL_CFLAGS_STRING, from
 * src/workload/workload.mk). */
#include "core/names.h"
#include "native/native.h"

#ifndef WL_CFLAGS_STRING
#define WL_CFLAGS_STRING "unknown"
#endif

const char *native__compiler(void)
{
#ifdef __clang__
	return "clang " __clang_version__;
#else
	return "gcc " __VERSION__;
#endif
}

const char *native__cflags(void)
{
	return WL_CFLAGS_STRING;
}

void native__config_build(struct vb_result *r)
{
	result__set_config(r, VB_CFG_COMPILER, "%s", native__compiler());
	result__set_config(r, VB_CFG_CFLAGS, "%s", native__cflags());
}
