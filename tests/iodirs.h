/* The disk tests' directories (IOB_DIR_PREFIX<owner>.XXXXXX) as a sweep
 * finds them: one of an owner killed with SIGKILL, which it removes, and
 * one of this live process, which it keeps. */
#ifndef VB_TESTS_IODIRS_H
#define VB_TESTS_IODIRS_H

#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/owner.h"
#include "measure/iobench.h"

static inline void iodirs_make(const char *in, char *gone, size_t gsize, char *mine, size_t msize)
{
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	struct vb_owner dead;
	assert_int_equal(owner__of(child, &dead), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	char prefix[64];
	snprintf(gone, gsize, "%s/" IOB_DIR_PREFIX "%d.%llu.AbCdEf", in, (int)dead.pid,
		 (unsigned long long)dead.start);
	assert_int_equal(owner__name(prefix, sizeof(prefix), IOB_DIR_PREFIX, '.'), 0);
	snprintf(mine, msize, "%s/%s.XyZ123", in, prefix);
	assert_int_equal(mkdir(gone, 0755), 0);
	assert_int_equal(mkdir(mine, 0755), 0);
}

#endif
