#include "core/owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 0 ok, -1 no such process, -2 unreadable (treated as alive). */
static int read_stat(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -1 : -2;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n <= 0)
		return n == 0 || e == ESRCH ? -1 : -2;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses,
	 * so fields are counted from the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -2;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return -1;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -2;
		p++;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno || end == p)
		return -2;
	*start = v;
	return 0;
}

int owner__of(pid_t pid, struct vb_owner *o)
{
	uint64_t start = 0;
	if (pid <= 0 || read_stat(pid, &start) != 0)
		return -1;
	o->pid = pid;
	o->start = start;
	return 0;
}

struct vb_owner owner__self(void)
{
	/* Cached per pid: a forked child is another owner. */
	static struct vb_owner self;
	pid_t pid = getpid();
	if (self.pid != pid) {
		struct vb_owner o = { pid, 0 };
		uint64_t start = 0;
		if (read_stat(pid, &start) == 0)
			o.start = start;
		self = o;
	}
	return self;
}

bool owner__dead(const struct vb_owner *o)
{
	if (o->pid <= 0)
		return false;
	uint64_t start = 0;
	int rc = read_stat(o->pid, &start);
	if (rc == -1)
		return true;
	if (rc < 0)
		return false;
	return o->start && start != o->start;
}

int owner__name(char *out, size_t size, const char *prefix, char sep)
{
	struct vb_owner me = owner__self();
	int n = snprintf(out, size, "%s%d%c%llu", prefix, (int)me.pid, sep,
			 (unsigned long long)me.start);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static const char *scan_number(const char *s, uint64_t *v)
{
	if (*s < '0' || *s > '9')
		return NULL;
	uint64_t x = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (x > (UINT64_MAX - 9) / 10)
			return NULL;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return s;
}

const char *owner__scan(const char *s, char sep, bool with_start, struct vb_owner *o)
{
	uint64_t pid = 0, start = 0;
	s = scan_number(s, &pid);
	if (!s || pid == 0 || pid > 0x3fffffff)
		return NULL;
	if (with_start && (*s != sep || !(s = scan_number(s + 1, &start))))
		return NULL;
	o->pid = (pid_t)pid;
	o->start = start;
	return s;
}
