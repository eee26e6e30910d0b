#include "host/tools.h"

#include <ctype.h>
#include <pthread.h>
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

/* Each probe runs in its own thread, so the whole probe takes as long as
 * the slowest tool (a fresh exec costs 0.1-0.3 s on a busy guest), never
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

static void probe_version(struct host_tool *t)
{
	char *argv[] = { t->path, "--version", NULL };
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = VERSION_TIMEOUT_MS,
				  .max_output = 64 << 10,
				  .stderr_to_stdout = true };
	struct vb_proc_result r = { 0 };
	struct vb_err err = { 0 };
	if (proc__run(&o, &r, &err) < 0) {
		hostfs__copy(t->error, sizeof(t->error), err.msg[0] ? err.msg : "could not run");
	} else {
		tools__parse_version(r.out ? r.out : "", t->version, sizeof(t->version));
		if (!t->version[0])
			first_line(r.out, t->error, sizeof(t->error));
	}
	proc__result_free(&r);
}

static bool is_socket(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

/* The daemon is asked only when there is a socket to ask (or DOCKER_HOST
 * points elsewhere): without one the client would only report failure. */
static void probe_docker_daemon(struct host_tools *ts, const struct host_tool *docker)
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
		return;
	}
	char *argv[] = { (char *)docker->path, "version", "--format", "{{.Server.Version}}", NULL };
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = DOCKER_DAEMON_TIMEOUT_MS,
				  .max_output = 64 << 10 };
	struct vb_proc_result r = { 0 };
	struct vb_err err = { 0 };
	if (proc__run(&o, &r, &err) < 0) {
		hostfs__copy(ts->docker_daemon_error, sizeof(ts->docker_daemon_error),
			     r.timed_out ? "no answer within 3 s" : err.msg);
	} else if (r.exit_code != 0) {
		first_line(r.errout, ts->docker_daemon_error, sizeof(ts->docker_daemon_error));
		if (!ts->docker_daemon_error[0])
			snprintf(ts->docker_daemon_error, sizeof(ts->docker_daemon_error),
				 "docker version exited with %d", r.exit_code);
	} else {
		first_line(r.out, ts->docker_server_version, sizeof(ts->docker_server_version));
		ts->docker_daemon = ts->docker_server_version[0] != '\0';
	}
	proc__result_free(&r);
}

struct probe_job {
	struct host_tools *ts;
	struct host_tool *tool; /* NULL: the docker daemon */
	pthread_t thread;
	bool started;
};

static void *probe_thread(void *arg)
{
	struct probe_job *j = arg;
	if (j->tool)
		probe_version(j->tool);
	else
		probe_docker_daemon(j->ts, tools__find(j->ts, "docker"));
	return NULL;
}

void tools__probe(struct host_tools *ts)
{
	memset(ts, 0, sizeof(*ts));
	double t0 = clock__now_ms();
	struct probe_job jobs[TOOLS_MAX + 1];
	unsigned njobs = 0;
	for (unsigned i = 0; tool_names[i] && ts->n < TOOLS_MAX; i++) {
		struct host_tool *t = &ts->tool[ts->n++];
		t->name = tool_names[i];
		char *path = proc__which(t->name);
		if (!path)
			continue;
		t->found = true;
		hostfs__copy(t->path, sizeof(t->path), path);
		free(path);
		jobs[njobs++] = (struct probe_job){ .ts = ts, .tool = t };
	}
	const struct host_tool *docker = tools__find(ts, "docker");
	if (docker && docker->found)
		jobs[njobs++] = (struct probe_job){ .ts = ts, .tool = NULL };
	for (unsigned i = 0; i < njobs; i++)
		jobs[i].started = pthread_create(&jobs[i].thread, NULL, probe_thread, &jobs[i]) ==
				  0;
	for (unsigned i = 0; i < njobs; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		else
			probe_thread(&jobs[i]); /* no thread to be had: probe inline */
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
