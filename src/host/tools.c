#include "host/tools.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/proc.h"
#include "host/hostfs.h"

static const char *const tool_names[] = {
	"qemu-system-x86_64", "qemu-system-aarch64", "runc",	"crun", "docker", "podman",
	"sysbench",	      "stress-ng",	     "gnuplot", NULL,
};

/* The probes run side by side, so the whole probe takes as long as the
 * slowest tool (a fresh exec costs 0.1-0.3 s on a busy guest), never
 * longer than the largest timeout. */
#define VERSION_TIMEOUT_MS	 1500
#define DOCKER_DAEMON_TIMEOUT_MS 3000

static void token_at(const char *p, char *out, size_t size)
{
	size_t n = 0;
	while (p[n] && !isspace((unsigned char)p[n]) && p[n] != ',' && p[n] != ')' && p[n] != '(')
		n++;
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

void tools__parse_version(const char *output, char *out, size_t size)
{
	out[0] = '\0';
	char line[256];
	size_t len = strcspn(output, "\n");
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	memcpy(line, output, len);
	line[len] = '\0';

	const char *p = strstr(line, "version ");
	if (p) {
		p += strlen("version ");
	} else {
		/* "sysbench 1.0.20", "gnuplot 5.4 patchlevel 4": the first word
		 * that starts with a digit. */
		for (p = line; *p; p++)
			if (isdigit((unsigned char)*p) && (p == line || p[-1] == ' '))
				break;
	}
	if (!*p)
		return;
	token_at(p, out, size);
	const char *pl = strstr(p, "patchlevel ");
	if (pl) {
		char lvl[16];
		token_at(pl + strlen("patchlevel "), lvl, sizeof(lvl));
		size_t ol = strlen(out);
		if (lvl[0] && ol + 1 + strlen(lvl) < size)
			snprintf(out + ol, size - ol, ".%s", lvl);
	}
}

/* First line of a program's error output, for the record. */
static void first_line(const char *s, char *out, size_t size)
{
	while (s && isspace((unsigned char)*s))
		s++;
	size_t n = s ? strcspn(s, "\n") : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

static void version_opts(struct host_tool *t, char **argv, struct vb_proc_opts *o)
{
	argv[0] = t->path;
	argv[1] = "--version";
	argv[2] = NULL;
	*o = (struct vb_proc_opts){ .argv = argv,
				    .timeout_ms = VERSION_TIMEOUT_MS,
				    .max_output = 64 << 10,
				    .stderr_to_stdout = true };
}

static void version_result(struct host_tool *t, bool ran, const struct vb_proc_result *r,
			   const struct vb_err *err)
{
	if (!ran) {
		hostfs__copy(t->error, sizeof(t->error), err->msg[0] ? err->msg : "could not run");
	} else {
		tools__parse_version(r->out ? r->out : "", t->version, sizeof(t->version));
		if (!t->version[0])
			first_line(r->out, t->error, sizeof(t->error));
	}
}

static bool is_socket(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

/* The daemon is asked only when there is a socket to ask (or DOCKER_HOST
 * points elsewhere): without one the client would only report failure.
 * false: nothing to ask, and the error says so. */
static bool daemon_opts(struct host_tools *ts, const struct host_tool *docker, char **argv,
			struct vb_proc_opts *o)
{
	const char *dh = getenv("DOCKER_HOST");
	char rootless[256] = "";
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg)
		snprintf(rootless, sizeof(rootless), "%.200s/docker.sock", xdg);
	if (!(dh && dh[0]) && !is_socket("/var/run/docker.sock") &&
	    !(rootless[0] && is_socket(rootless))) {
		hostfs__copy(ts->docker_daemon_error, sizeof(ts->docker_daemon_error),
			     "not running (no /var/run/docker.sock)");
		return false;
	}
	argv[0] = (char *)docker->path;
	argv[1] = "version";
	argv[2] = "--format";
	argv[3] = "{{.Server.Version}}";
	argv[4] = NULL;
	*o = (struct vb_proc_opts){ .argv = argv,
				    .timeout_ms = DOCKER_DAEMON_TIMEOUT_MS,
				    .max_output = 64 << 10 };
	return true;
}

static void daemon_result(struct host_tools *ts, bool ran, const struct vb_proc_result *r,
			  const struct vb_err *err)
{
	if (!ran) {
		hostfs__copy(ts->docker_daemon_error, sizeof(ts->docker_daemon_error),
			     r->timed_out ? "no answer within 3 s" : err->msg);
	} else if (r->exit_code != 0) {
		first_line(r->errout, ts->docker_daemon_error, sizeof(ts->docker_daemon_error));
		if (!ts->docker_daemon_error[0])
			snprintf(ts->docker_daemon_error, sizeof(ts->docker_daemon_error),
				 "docker version exited with %d", r->exit_code);
	} else {
		first_line(r->out, ts->docker_server_version, sizeof(ts->docker_server_version));
		ts->docker_daemon = ts->docker_server_version[0] != '\0';
	}
}

void tools__probe(struct host_tools *ts)
{
	memset(ts, 0, sizeof(*ts));
	double t0 = clock__now_ms();
	/* One program per tool found, and the daemon's question. */
	struct vb_proc_opts opts[TOOLS_MAX + 1];
	struct host_tool *of[TOOLS_MAX + 1]; /* NULL: the daemon's */
	char *argv[TOOLS_MAX + 1][5];
	size_t n = 0;
	for (unsigned i = 0; tool_names[i] && ts->n < TOOLS_MAX; i++) {
		struct host_tool *t = &ts->tool[ts->n++];
		t->name = tool_names[i];
		char *path = proc__which(t->name);
		if (!path)
			continue;
		t->found = true;
		hostfs__copy(t->path, sizeof(t->path), path);
		free(path);
		version_opts(t, argv[n], &opts[n]);
		of[n++] = t;
	}
	const struct host_tool *docker = tools__find(ts, "docker");
	if (docker && docker->found && daemon_opts(ts, docker, argv[n], &opts[n]))
		of[n++] = NULL;
	struct vb_proc_result r[TOOLS_MAX + 1];
	struct vb_err errs[TOOLS_MAX + 1];
	memset(errs, 0, sizeof(errs));
	if (n)
		proc__run_all(opts, r, errs, n);
	for (size_t i = 0; i < n; i++) {
		bool ran = !errs[i].msg[0];
		if (of[i])
			version_result(of[i], ran, &r[i], &errs[i]);
		else
			daemon_result(ts, ran, &r[i], &errs[i]);
		proc__result_free(&r[i]);
	}
	ts->probe_ms = clock__now_ms() - t0;
}

const struct host_tool *tools__find(const struct host_tools *ts, const char *name)
{
	for (unsigned i = 0; i < ts->n; i++)
		if (!strcmp(ts->tool[i].name, name))
			return &ts->tool[i];
	return NULL;
}
