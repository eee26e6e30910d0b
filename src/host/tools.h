/* External tools a benchmark run may use, found on PATH, with versions
 * (each asked for `--version` through proc__run with a short timeout), and
 * whether the docker daemon answers. */
#ifndef VB_HOST_TOOLS_H
#define VB_HOST_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

#define TOOLS_MAX 12

struct host_tool {
	const char *name;
	bool found;
	char path[256];
	char version[64]; /* "7.2.22"; "" when it could not be read */
	char error[96];	  /* why the version is missing */
};

struct host_tools {
	struct host_tool tool[TOOLS_MAX];
	unsigned n;
	/* docker: the client is a tool, the daemon a service */
	bool docker_daemon;
	char docker_server_version[32];
	char docker_daemon_error[128];
	double probe_ms;
};

/* Extracts the version from a tool's `--version` output. */
void tools__parse_version(const char *output, char *out, size_t size);
/* Probes every tool; never fails (what is missing is recorded). */
void tools__probe(struct host_tools *out);
const struct host_tool *tools__find(const struct host_tools *t, const char *name);

#endif
