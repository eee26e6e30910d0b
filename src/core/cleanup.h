/* Scope-bound release of resources (GCC/Clang cleanup attribute), so that an
 * early return on error cannot leak a descriptor, a buffer or a JSON value. */
#ifndef VB_CORE_CLEANUP_H
#define VB_CORE_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup__free(void *p)
{
	free(*(void **)p);
}
static inline void cleanup__close(const int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void cleanup__fclose(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free   __attribute__((cleanup(cleanup__free)))
#define cleanup_close  __attribute__((cleanup(cleanup__close)))
#define cleanup_fclose __attribute__((cleanup(cleanup__fclose)))

/* Hands ownership out of a cleanup-managed variable. */
#define steal_ptr(p)                                                                               \
	({                                                                                         \
		__typeof__(p) p_ = (p);                                                            \
		(p) = NULL;                                                                        \
		p_;                                                                                \
	})
#define steal_fd(fd)                                                                               \
	({                                                                                         \
		int fd_ = (fd);                                                                    \
		(fd) = -1;                                                                         \
		fd_;                                                                               \
	})

#endif
