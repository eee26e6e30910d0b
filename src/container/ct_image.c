/* Image names for --image: the reference grammar docker and podman share
 * ([registry[:port]/]path[:tag][@algorithm:hex]), checked before anything
 * runs. A name reaches the runtime's argv as one argument after its options,
 * so one that starts with '-' (or holds a space, a comma or an upper-case
 * letter) is refused here rather than read as an option there. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "container/container_bench.h"

static bool alnum_lc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: runs of [a-z0-9] joined by '.', '_', '__' or any
 * number of '-'. */
static bool path_component(const char *s, size_t n)
{
	if (n == 0 || !alnum_lc(s[0]) || !alnum_lc(s[n - 1]))
		return false;
	for (size_t i = 1; i < n;) {
		if (alnum_lc(s[i])) {
			i++;
			continue;
		}
		size_t k = i;
		while (k < n && !alnum_lc(s[k]))
			k++;
		size_t run = k - i;
		bool dashes = strspn(s + i, "-") >= run;
		bool ok = dashes || (run == 1 && (s[i] == '.' || s[i] == '_')) ||
			  (run == 2 && s[i] == '_' && s[i + 1] == '_');
		if (!ok)
			return false;
		i = k;
	}
	return true;
}

/* A registry: host name labels (letters, digits, inner dashes) joined by
 * dots, an optional :port. */
static bool domain(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t host = colon ? (size_t)(colon - s) : n;
	if (colon) {
		size_t port = n - host - 1;
		if (port == 0 || port > 5)
			return false;
		for (size_t i = host + 1; i < n; i++)
			if (!isdigit((unsigned char)s[i]))
				return false;
	}
	if (host == 0)
		return false;
	for (size_t i = 0; i < host; i++) {
		bool first = i == 0 || s[i - 1] == '.', last = i + 1 == host || s[i + 1] == '.';
		if (isalnum((unsigned char)s[i]))
			continue;
		if (s[i] == '-' && !first && !last)
			continue;
		if (s[i] == '.' && !first && !last)
			continue;
		return false;
	}
	return true;
}

static int bad(char *why, size_t size, const char *text)
{
	snprintf(why, size, "%s", text);
	return -1;
}

int container_image__check(const char *name, char *why, size_t size)
{
	size_t len = strlen(name);
	if (len == 0)
		return bad(why, size, "is empty");
	if (len >= CT_IMAGE_NAME_MAX)
		return bad(why, size, "is too long");
	const char *at = strchr(name, '@');
	size_t ref = at ? (size_t)(at - name) : len;
	if (at) { /* @algorithm:hex, at least 32 hex digits */
		const char *hex = strchr(at, ':');
		if (!hex || hex == at + 1)
			return bad(why, size, "has a digest that is not algorithm:hex");
		for (const char *p = at + 1; p < hex; p++)
			if (!alnum_lc(*p) && *p != '+' && *p != '.' && *p != '_' && *p != '-')
				return bad(why, size, "has a digest that is not algorithm:hex");
		size_t nhex = strlen(hex + 1);
		if (nhex < 32)
			return bad(why, size, "has a digest shorter than 32 hex digits");
		for (const char *p = hex + 1; *p; p++)
			if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
				return bad(why, size, "has a digest that is not lower-case hex");
	}
	/* The tag is after a ':' past the last '/' (a ':' before it is a port). */
	const char *slash = memrchr(name, '/', ref);
	const char *tag =
		memchr(slash ? slash : name, ':', ref - (size_t)(slash ? slash - name : 0));
	size_t path_end = tag ? (size_t)(tag - name) : ref;
	if (tag) {
		size_t n = ref - path_end - 1;
		if (n == 0 || n > 128)
			return bad(why, size, "has an empty tag or one over 128 characters");
		for (size_t i = 0; i < n; i++) {
			char c = tag[1 + i];
			if (!isalnum((unsigned char)c) && c != '_' &&
			    (i == 0 || (c != '.' && c != '-')))
				return bad(
					why, size,
					"has a tag that is not letters, digits, '_', '.' and '-'");
		}
	}
	if (path_end == 0)
		return bad(why, size, "has no name before its tag or digest");
	/* The first component is a registry when it looks like a host: a '.'
	 * or ':' in it, or "localhost", and more follows. */
	const char *p = name;
	const char *first_end = memchr(name, '/', path_end);
	if (first_end) {
		size_t n = (size_t)(first_end - name);
		if (memchr(name, '.', n) || memchr(name, ':', n) ||
		    (n == 9 && !strncmp(name, "localhost", 9))) {
			if (!domain(name, n))
				return bad(why, size, "has a registry that is not host[:port]");
			p = first_end + 1;
		}
	}
	const char *end = name + path_end;
	if (p >= end)
		return bad(why, size, "has no name after its registry");
	while (p < end) {
		const char *s = memchr(p, '/', (size_t)(end - p));
		size_t n = s ? (size_t)(s - p) : (size_t)(end - p);
		if (!path_component(p, n))
			return bad(why, size,
				   "is not an image name: lower-case letters and digits joined by "
				   "'.', '_' or '-', parts by '/'");
		if (!s)
			break;
		p = s + 1;
		if (p >= end)
			return bad(why, size, "ends with '/'");
	}
	return 0;
}

void container_image__missing(const char *program, const char *image, char *out, size_t size)
{
	snprintf(out, size,
		 "image %s is not on this host; fetch it with `%s pull %s` (virtbench never "
		 "pulls: no registry is used)",
		 image, program, image);
}
