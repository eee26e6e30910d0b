/* Reading /proc and /sys under an optional root prefix. The live host uses
 * root "" ; the tests point the same code at a fixture tree such as
 * tests/fixtures/amd-epyc, so every parser sees real-format files. */
#ifndef VB_HOST_HOSTFS_H
#define VB_HOST_HOSTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Longest root: every path read below it still fits PATH_MAX. */
#define HOSTFS_ROOT_MAX 3072

struct hostfs {
	const char *root; /* "" for this machine */
};

/* Joins root and an absolute path ("/proc/cpuinfo"). Returns 0, or -1 when
 * the result does not fit. */
int hostfs__path(const struct hostfs *fs, const char *abs, char *out, size_t size);
bool hostfs__exists(const struct hostfs *fs, const char *abs);
bool hostfs__is_dir(const struct hostfs *fs, const char *abs);
/* Whole small file into buf (NUL-terminated, truncated to size - 1).
 * Returns the length, or -1 with errno set. */
ssize_t hostfs__read(const struct hostfs *fs, const char *abs, char *buf, size_t size);
/* First line, trailing whitespace trimmed. Returns length or -1 (errno). */
ssize_t hostfs__read_line(const struct hostfs *fs, const char *abs, char *buf, size_t size);
/* A file of unknown size (cpuinfo on a big host, mountinfo, the kernel log
 * fixture), at most max bytes. Returns a malloc'd NUL-terminated buffer or
 * NULL (errno set). */
char *hostfs__read_alloc(const struct hostfs *fs, const char *abs, size_t max, size_t *len);
/* First line parsed as a signed decimal integer. Returns 0 or -1. */
int hostfs__read_long(const struct hostfs *fs, const char *abs, long *out);

/* Copies src into dst, truncating to size - 1 (always terminated). */
void hostfs__copy(char *dst, size_t size, const char *src);

/* Trims leading and trailing whitespace in place; returns s. */
char *hostfs__trim(char *s);

#endif
