/* ssh and scp for one host: argv arrays (never a local shell), BatchMode,
 * one connection per host through a ControlMaster that is our own child
 * (it dies with virtbench, even on SIGKILL, unlike a ControlPersist
 * daemon), its socket in the run's private temp dir; everything else
 * (keys, known hosts, proxies) as the user's ssh configuration says, or
 * the file of --ssh-config. Remote commands are one string for the remote
 * shell, every variable part single-quoted (fleet__shell_quote). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/interrupt.h"
#include "fleet/fleet_int.h"

void fleet_argv__ssh(struct fleet_argv *a, const struct fleet_host *h, const struct fleet_opts *o,
		     bool scp, const char *master)
{
	a->n = 0;
	a->v[a->n++] = scp ? "scp" : "ssh";
	if (o->ssh_config) {
		a->v[a->n++] = "-F";
		a->v[a->n++] = o->ssh_config;
	}
	snprintf(a->timeout, sizeof(a->timeout), "ConnectTimeout=%d",
		 (int)(o->connect_timeout_s + 0.5));
	snprintf(a->ctl, sizeof(a->ctl), "ControlPath=%s", h->ctl);
	const char *fixed[] = { "BatchMode=yes", a->timeout, a->ctl,
				master ? master : "ControlMaster=no",
				/* a host that vanishes ends the connection within ~20 s */
				"ServerAliveInterval=5", "ServerAliveCountMax=4" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		a->v[a->n++] = "-o";
		a->v[a->n++] = fixed[i];
	}
	if (scp)
		a->v[a->n++] = "-q";
	if (h->t.port) {
		snprintf(a->port, sizeof(a->port), "%u", h->t.port);
		a->v[a->n++] = scp ? "-P" : "-p";
		a->v[a->n++] = a->port;
	}
	if (!scp && h->t.user[0]) {
		a->v[a->n++] = "-l";
		a->v[a->n++] = h->t.user;
	}
	if (master) {
		/* The master alone: no command, never a background daemon. */
		a->v[a->n++] = "-N";
		a->v[a->n++] = "-o";
		a->v[a->n++] = "ControlPersist=no";
	}
	if (!scp)
		a->v[a->n++] = h->t.host;
	a->v[a->n] = NULL;
}

void fleet_argv__add(struct fleet_argv *a, const char *arg)
{
	if (a->n < FLEET_ARGV_MAX - 1) {
		a->v[a->n++] = arg;
		a->v[a->n] = NULL;
	}
}

/* The last line of what a program said on stderr, for a reason. */
void fleet__last_line(const char *text, char *out, size_t size)
{
	const char *end = text ? text + strlen(text) : NULL;
	out[0] = 0;
	if (!end)
		return;
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	size_t len = (size_t)(end - start);
	if (len >= size)
		len = size - 1;
	for (size_t i = 0; i < len; i++)
		out[i] = (start[i] >= 0x20 && start[i] < 0x7f) ? start[i] : '?';
	out[len] = 0;
}

int fleet__remote(struct fleet_host *h, const struct fleet_opts *o, const char *cmd,
		  const struct fleet_call *c, struct vb_proc_result *r, struct vb_err *err)
{
	struct fleet_argv a;
	fleet_argv__ssh(&a, h, o, false, NULL);
	fleet_argv__add(&a, cmd);
	struct vb_proc_opts po = {
		.argv = (char *const *)a.v,
		.timeout_ms = c->timeout_ms,
		.max_output = c->max_output,
		.cleanup = c->cleanup,
	};
	if (proc__run(&po, r, err) < 0)
		return -1;
	if (r->exit_code != 0) {
		char last[300];
		fleet__last_line(r->errout, last, sizeof(last));
		if (r->exit_code == 255)
			return err__set(err, 0, "ssh: %s", last[0] ? last : "connection failed");
		return err__set(err, 0, "%s: exit status %d%s%s", c->what, r->exit_code,
				last[0] ? ": " : "", last);
	}
	return 0;
}

int fleet__master_start(struct fleet_host *h, const struct fleet_opts *o, struct vb_err *err)
{
	struct fleet_argv a;
	fleet_argv__ssh(&a, h, o, false, "ControlMaster=yes");
	struct vb_proc_opts po = { .argv = (char *const *)a.v };
	if (proc__spawn(&po, &h->master, err) < 0)
		return -1;
	h->master_up = true;
	return 0;
}

static void drain(int fd, char *buf, size_t size, size_t *len)
{
	if (fd < 0)
		return;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ssize_t got;
	while (*len + 1 < size && (got = read(fd, buf + *len, size - 1 - *len)) > 0)
		*len += (size_t)got;
	buf[*len] = 0;
}

int fleet__master_wait(struct fleet_host *h, const struct fleet_opts *o, struct vb_err *err)
{
	char said[2048];
	size_t len = 0;
	said[0] = 0;
	double waited = 0, limit = o->connect_timeout_s + 5;
	for (;;) {
		struct stat st;
		if (lstat(h->ctl, &st) == 0 && S_ISSOCK(st.st_mode))
			return 0;
		int status;
		if (proc__exited(&h->master, &status)) {
			drain(h->master.err_fd, said, sizeof(said), &len);
			drain(h->master.out_fd, said, sizeof(said), &len);
			char last[300];
			fleet__last_line(said, last, sizeof(last));
			h->master_up = false;
			proc__stop(&h->master, 0);
			return err__set(err, 0, "cannot connect: %s",
					last[0] ? last : "ssh ended without saying why");
		}
		if (interrupt__pending())
			return err__set(err, EINTR, "connecting");
		if (waited > limit)
			return err__set(err, 0, "cannot connect: no connection after %.0f s",
					limit);
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		waited += 0.05;
	}
}

void fleet__master_stop(struct fleet_host *h)
{
	if (!h->master_up)
		return;
	proc__stop(&h->master, 2000);
	h->master_up = false;
}
