/* The isolation check: what the worker can see of the machine. A container
 * with its own PID, UTS, mount and network namespaces shows PID 1, its own
 * hostname, only the mounts of its root filesystem and only lo. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "worker/worker.h"

static uint64_t count_lines(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	uint64_t n = 0;
	int c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Interface names from the kernel (netlink through if_nameindex, which
 * needs no /proc or /sys in the container). */
static void list_netifs(struct vbp_facts *f)
{
	struct if_nameindex *ifs = if_nameindex();
	if (!ifs)
		return;
	size_t used = 0;
	for (struct if_nameindex *p = ifs; p->if_index; p++) {
		size_t len = strlen(p->if_name);
		f->netifs_n++;
		if (used + len + 2 > sizeof(f->netifs))
			continue;
		if (used)
			f->netifs[used++] = ',';
		memcpy(f->netifs + used, p->if_name, len + 1);
		used += len;
	}
	if_freenameindex(ifs);
}

int worker__write_facts(int fd)
{
	struct vbp_facts f = { .pid = getpid(), .ppid = getppid() };
	if (gethostname(f.hostname, sizeof(f.hostname)) < 0)
		f.hostname[0] = '\0';
	f.hostname[sizeof(f.hostname) - 1] = '\0';
	for (char *c = f.hostname; *c; c++)
		if (*c <= ' ' || *c == '=' || *c >= 0x7f)
			*c = '_';
	f.mounts = count_lines("/proc/self/mounts");
	list_netifs(&f);
	char line[VBP_LINE_MAX];
	int n = vbp__format_facts(line, sizeof(line), &f);
	return n < 0 ? -1 : vbp__write_all(fd, line, (size_t)n);
}
