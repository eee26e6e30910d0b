/* memset/memcpy for the freestanding core, under names of our own so that
 * nothing here resolves to libc. Plain byte loops: they are used only for
 * set-up, never inside a measured loop. */
#include "workload/workload.h"

void *wl_memset(void *dst, int c, uint64_t n)
{
	volatile unsigned char *d = dst; /* volatile: stops the call to memset */
	for (uint64_t i = 0; i < n; i++)
		d[i] = (unsigned char)c;
	return dst;
}

void *wl_memcpy(void *dst, const void *src, uint64_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;
	for (uint64_t i = 0; i < n; i++)
		d[i] = s[i];
	return dst;
}
