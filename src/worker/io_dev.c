/* A disk job's target when it is a block device given by its serial: a
 * guest's virtio-blk disk, whose name (vda, vdb ...) is the guest kernel's
 * to choose, so the worker looks for the serial QEMU was told to give it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "worker/io.h"

/* A device can appear a moment after its driver was loaded. */
#define FIND_WAIT_NS 5000000000ull

static int serial_is(const char *sys_block, const char *name, const char *serial)
{
	char path[512], text[128];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/serial", sys_block, name) >= sizeof(path))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	return !strcmp(text, serial);
}

static int find_once(const char *sys_block, const char *serial, char *out, size_t size)
{
	DIR *d = opendir(sys_block);
	if (!d)
		return -1;
	int rc = -1;
	for (struct dirent *e; rc < 0 && (e = readdir(d));) {
		if (e->d_name[0] == '.' || !serial_is(sys_block, e->d_name, serial))
			continue;
		if ((size_t)snprintf(out, size, "/dev/%s", e->d_name) < size)
			rc = 0;
	}
	closedir(d);
	return rc;
}

int io__find_serial(const char *sys_block, const char *serial, char *out, size_t size, char *why,
		    size_t why_size)
{
	if (!serial || !serial[0]) {
		snprintf(why, why_size, "disk job: no serial to look for");
		errno = EINVAL;
		return -1;
	}
	uint64_t until = clock__now_ns() + FIND_WAIT_NS;
	while (find_once(sys_block, serial, out, size) < 0) {
		if (clock__now_ns() > until) {
			snprintf(why, why_size,
				 "no block device with serial %s in %s (is the disk's driver "
				 "loaded?)",
				 serial, sys_block);
			errno = ENODEV;
			return -1;
		}
		usleep(50000);
	}
	return 0;
}
