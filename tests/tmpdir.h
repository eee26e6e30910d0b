/* A temporary directory per test (setup/teardown for cmocka) and reading
 * back a file written there. Define TMPDIR_PREFIX before including. */
#ifndef VB_TESTS_TMPDIR_H
#define VB_TESTS_TMPDIR_H

#include "core/fileio.h"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	return file__mkdtemp(TMPDIR_PREFIX, dir, sizeof(dir), &err);
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(dir);
	return 0;
}

/* The whole of dir/name (NUL-terminated); fails the test when unreadable. */
static char *slurp(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *data = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	if (file__read_all(path, 16 << 20, &data, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return data;
}

#endif
