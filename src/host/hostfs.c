#include "host/hostfs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hostfs__path(const struct hostfs *fs, const char *abs, char *out, size_t size)
{
	const char *root = fs && fs->root ? fs->root : "";
	int n = snprintf(out, size, "%s%s", root, abs);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

bool hostfs__exists(const struct hostfs *fs, const char *abs)
{
	char path[4096];
	return hostfs__path(fs, abs, path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

bool hostfs__is_dir(const struct hostfs *fs, const char *abs)
{
	char path[4096];
	struct stat st;
	return hostfs__path(fs, abs, path, sizeof(path)) == 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* procfs and sysfs files report size 0, so read until EOF rather than
 * trusting st_size. */
static ssize_t read_fd(int fd, char *buf, size_t size)
{
	size_t used = 0;
	while (used + 1 < size) {
		ssize_t n = read(fd, buf + used, size - 1 - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	return (ssize_t)used;
}

ssize_t hostfs__read(const struct hostfs *fs, const char *abs, char *buf, size_t size)
{
	char path[4096];
	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	buf[0] = '\0';
	if (hostfs__path(fs, abs, path, sizeof(path)) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read_fd(fd, buf, size);
	int e = errno;
	close(fd);
	errno = e;
	return n;
}

ssize_t hostfs__read_line(const struct hostfs *fs, const char *abs, char *buf, size_t size)
{
	if (hostfs__read(fs, abs, buf, size) < 0)
		return -1;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	size_t len = strlen(buf);
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	return (ssize_t)len;
}

char *hostfs__read_alloc(const struct hostfs *fs, const char *abs, size_t max, size_t *len)
{
	char path[4096];
	if (len)
		*len = 0;
	if (hostfs__path(fs, abs, path, sizeof(path)) < 0)
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 16384, used = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (used + 1 >= cap) {
			if (cap >= max) /* keep what fits: a cap, not an error */
				break;
			size_t ncap = cap * 2 > max ? max : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + used, cap - 1 - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

int hostfs__read_long(const struct hostfs *fs, const char *abs, long *out)
{
	char buf[64];
	if (hostfs__read_line(fs, abs, buf, sizeof(buf)) <= 0)
		return -1;
	char *end;
	errno = 0;
	long v = strtol(buf, &end, 10);
	if (errno || end == buf)
		return -1;
	*out = v;
	return 0;
}

char *hostfs__trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

void hostfs__copy(char *dst, size_t size, const char *src)
{
	if (!size)
		return;
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}
