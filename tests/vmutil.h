/* Shared by the microVM suites: whether /dev/kvm opens, what the process
 * holds (descriptors, threads, mappings) for the leak checks, and the clock
 * of native reference runs. */
#ifndef VB_TESTS_VMUTIL_H
#define VB_TESTS_VMUTIL_H

#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/clock.h"
#include "vm/vm.h"

static inline bool kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

#define REQUIRE_KVM() VB_REQUIRE_KVM(kvm_usable())

/* Entries of a directory such as /proc/self/fd, without . and .. */
static inline unsigned count_dir(const char *path)
{
	DIR *d = opendir(path);
	assert_non_null(d);
	unsigned n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Lines of /proc/self/maps, all or only those naming `needle`. */
static inline unsigned count_maps(const char *needle)
{
	FILE *f = fopen("/proc/self/maps", "re");
	assert_non_null(f);
	unsigned n = 0;
	char line[512];
	while (fgets(line, sizeof(line), f))
		n += !needle || strstr(line, needle);
	fclose(f);
	return n;
}

/* The clock a native workload run beside a guest's reads (struct wl_clock). */
static inline uint64_t mono(void *ctx)
{
	(void)ctx;
	return clock__now_ns();
}

/* A cpu workload request for the built-in guest. */
static inline struct vm_request cpu_request(unsigned threads, uint64_t events, uint32_t max_prime)
{
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_WORKLOAD;
	r.job.kind = WL_CPU;
	r.job.threads = threads;
	r.job.max_events = events;
	r.job.cpu_max_prime = max_prime;
	return r;
}

#endif
