/* `virtbench fleet run`: the steps of every host (see fleet.h). Steps that
 * wait on one program each (connect, prepare, copy, fetch, clean up) run on
 * a thread per host; the remote runs, which last, are spawned from the main
 * thread (PR_SET_PDEATHSIG follows the spawning thread) and followed there
 * in one poll loop that shows each host's progress. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/fileio.h"
#include "core/interrupt.h"
#include "core/result.h"
#include "core/owner.h"
#include "core/sweep.h"
#include "core/tmpdir.h"
#include "fleet/fleet_int.h"

#define RUN_LOG_MAX  (4u << 20)
/* The local dir of the ssh control sockets: "virtbench-ssh.<pid>.<start>"
 * (core/owner.h), so that the next command removes it after a SIGKILL. */
#define PREFIX_LOCAL "virtbench-ssh."

static pthread_mutex_t say_lock = PTHREAD_MUTEX_INITIALIZER;

static void say(const struct fleet_opts *o, const struct fleet_host *h, const char *fmt, ...)
	VB_PRINTF(3, 4);
static void say(const struct fleet_opts *o, const struct fleet_host *h, const char *fmt, ...)
{
	if (o->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&say_lock);
	fprintf(stderr, "[%s] ", h->t.name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&say_lock);
	va_end(ap);
}

/* The first reason is the one kept. */
static void skip(struct fleet_host *h, const struct fleet_opts *o, const char *fmt, ...)
	VB_PRINTF(3, 4);
static void skip(struct fleet_host *h, const struct fleet_opts *o, const char *fmt, ...)
{
	if (h->state == FLEET_SKIPPED)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->reason, sizeof(h->reason), fmt, ap);
	va_end(ap);
	h->state = FLEET_SKIPPED;
	say(o, h, "skipped: %s", h->reason);
}

static bool rdir_ok(const char *d)
{
	if (d[0] != '/' || !strstr(d, "/virtbench-fleet.") || strstr(d, ".."))
		return false;
	for (const char *p = d; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._/-", *p)))
			return false;
	return true;
}

/* "uname -m" and "mktemp -d" answered, one a line. */
static int read_prepare(struct fleet_host *h, const char *out, struct vb_err *err)
{
	char arch[64] = "", dir[256] = "";
	if (sscanf(out, "%63s %255s", arch, dir) != 2)
		return err__set(err, 0, "uname -m and mktemp -d did not answer as expected");
	if (!rdir_ok(dir))
		return err__set(err, 0, "mktemp -d answered an unexpected path");
	snprintf(h->rdir, sizeof(h->rdir), "%s", dir);
	if (!strcmp(arch, "arm64"))
		snprintf(arch, sizeof(arch), "aarch64");
	if (strcmp(arch, "x86_64") && strcmp(arch, "aarch64"))
		return err__set(err, 0,
				"architecture '%.40s': virtbench is built for x86_64 and "
				"aarch64 only",
				arch);
	snprintf(h->arch, sizeof(h->arch), "%s", arch);
	return 0;
}

static int copy_binaries(struct fleet_host *h, const struct fleet_opts *o, struct vb_err *err)
{
	char bin[4200], worker[4200], dest[700];
	snprintf(bin, sizeof(bin), "%s/%s/virtbench", o->dist, h->arch);
	snprintf(worker, sizeof(worker), "%s/%s/virtbench-worker", o->dist, h->arch);
	if (access(bin, R_OK) < 0 || access(worker, R_OK) < 0)
		return err__set(err, 0, "no %s build in %s (make dist builds it)", h->arch,
				o->dist);
	snprintf(dest, sizeof(dest), "%s%s%s:%s/", h->t.user, h->t.user[0] ? "@" : "", h->t.host,
		 h->rdir);
	struct fleet_argv a;
	fleet_argv__ssh(&a, h, o, true, NULL);
	fleet_argv__add(&a, bin);
	fleet_argv__add(&a, worker);
	fleet_argv__add(&a, dest);
	struct vb_proc_opts po = { .argv = (char *const *)a.v, .timeout_ms = 600000 };
	struct vb_proc_result r;
	int rc = proc__run(&po, &r, err);
	if (rc == 0 && r.exit_code != 0) {
		char last[300];
		fleet__last_line(r.errout, last, sizeof(last));
		rc = err__set(err, 0, "copying the binaries: scp exit status %d: %s", r.exit_code,
			      last);
	}
	proc__result_free(&r);
	return rc;
}

static void step_prepare(struct fleet_host *h, const struct fleet_opts *o)
{
	struct vb_err err = { 0 };
	if (h->state != FLEET_PENDING)
		return;
	if (fleet__master_wait(h, o, &err) < 0) {
		skip(h, o, "%s", err.msg);
		return;
	}
	struct fleet_call c = { .what = "uname -m; mktemp -d", .timeout_ms = 60000 };
	struct vb_proc_result r;
	int rc = fleet__remote(h, o,
			       "uname -m && mktemp -d \"${TMPDIR:-/tmp}/virtbench-fleet.XXXXXX\"",
			       &c, &r, &err);
	if (rc == 0)
		rc = read_prepare(h, r.out, &err);
	proc__result_free(&r);
	if (rc == 0) {
		say(o, h, "connected: %s; copying virtbench to %s", h->arch, h->rdir);
		rc = copy_binaries(h, o, &err);
	}
	if (rc < 0)
		skip(h, o, "%s", err.msg);
}

/* The remote results.json: a regular file, at most the reader's limit
 * plus one byte (so a larger one is seen as such), read by the same reader
 * as every results file before a byte of it is written here. */
static void step_fetch(struct fleet_host *h, const struct fleet_opts *o)
{
	struct vb_err err = { 0 };
	char q[600], cmd[1500], path[4400];
	fleet__shell_quote(h->rdir, q, sizeof(q));
	snprintf(cmd, sizeof(cmd),
		 "f=%s/results/results.json; if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then "
		 "head -c %u \"$f\"; else echo 'no regular results.json' >&2; exit 3; fi",
		 q, VB_MAX_FILE_BYTES + 1);
	struct fleet_call c = { .what = "fetching results.json",
				.timeout_ms = 600000,
				.max_output = VB_MAX_FILE_BYTES + 1 };
	struct vb_proc_result r;
	int rc = fleet__remote(h, o, cmd, &c, &r, &err);
	struct vb_result_set s;
	result_set__init(&s);
	if (rc == 0 && r.out_len > VB_MAX_FILE_BYTES)
		rc = err__set(&err, 0, "results.json refused: larger than %u bytes",
			      VB_MAX_FILE_BYTES);
	else if (rc == 0 && result_set__load_buffer(r.out, r.out_len, &s, &err) < 0)
		rc = err__wrap(&err, "results.json refused");
	else if (rc < 0)
		err__wrap(&err, "fetching results");
	result_set__free(&s);
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/%s/results.json", o->outdir, h->t.name);
		rc = file__write_atomic(path, r.out, r.out_len, &err);
	}
	proc__result_free(&r);
	if (rc < 0)
		skip(h, o, "%s", err.msg);
	else
		h->state = FLEET_DONE;
}

/* Stops what may still run there (a run cut short by Ctrl-C or a lost
 * connection: its pid, checked by its working directory) and removes the
 * remote temp dir. A clean-up step: a second Ctrl-C waits for it. */
static void step_cleanup(struct fleet_host *h, const struct fleet_opts *o)
{
	if (!h->rdir[0])
		return;
	char q[600], cmd[2000];
	fleet__shell_quote(h->rdir, q, sizeof(q));
	snprintf(cmd, sizeof(cmd),
		 "d=%s; p=$(cat \"$d/pid\" 2>/dev/null); case $p in ''|*[!0-9]*) p=;; esac; "
		 "if [ -n \"$p\" ] && [ \"$(readlink /proc/$p/cwd 2>/dev/null)\" = "
		 "\"$(cd \"$d\" && pwd -P)\" ]; then kill -TERM \"$p\" 2>/dev/null; i=0; "
		 "while [ $i -lt 600 ] && kill -0 \"$p\" 2>/dev/null; do sleep 0.1; "
		 "i=$((i+1)); done; kill -KILL \"$p\" 2>/dev/null; fi; rm -rf \"$d\"",
		 q);
	struct fleet_call c = { .what = "removing the remote temp dir",
				.timeout_ms = 90000,
				.cleanup = true };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	if (fleet__remote(h, o, cmd, &c, &r, &err) < 0) {
		say(o, h, "could not remove %s there: %s", h->rdir, err.msg);
		if (h->state == FLEET_SKIPPED) {
			size_t len = strlen(h->reason);
			snprintf(h->reason + len, sizeof(h->reason) - len, "; %s left there (%s)",
				 h->rdir, err.msg);
		}
	} else {
		h->rdir[0] = 0;
	}
	proc__result_free(&r);
}

static void step_finish(struct fleet_host *h, const struct fleet_opts *o)
{
	if (h->state == FLEET_PENDING)
		step_fetch(h, o);
	step_cleanup(h, o);
}

/* ---- a step on every host, one thread each ---- */

struct step_job {
	struct fleet_host *h;
	const struct fleet_opts *o;
	void (*fn)(struct fleet_host *h, const struct fleet_opts *o);
};

static void *step_thread(void *arg)
{
	struct step_job *j = arg;
	j->fn(j->h, j->o);
	return NULL;
}

static void each_host(struct fleet_host **hs, int n, const struct fleet_opts *o,
		      void (*fn)(struct fleet_host *h, const struct fleet_opts *o))
{
	struct step_job jobs[FLEET_MAX_HOSTS];
	pthread_t tids[FLEET_MAX_HOSTS];
	bool started[FLEET_MAX_HOSTS] = { false };
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct step_job){ hs[i], o, fn };
		started[i] = n > 1 && pthread_create(&tids[i], NULL, step_thread, &jobs[i]) == 0;
		if (!started[i])
			fn(hs[i], o);
	}
	for (int i = 0; i < n; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
}

/* ---- the remote runs, from the main thread ---- */

struct run_io {
	struct fleet_host *h;
	struct vb_proc p;
	bool running, out_eof, err_eof;
	char line[512];
	size_t line_len;
	double next_note;
};

static void log_add(struct fleet_host *h, const char *buf, size_t len)
{
	if (h->log_len + len > RUN_LOG_MAX)
		len = RUN_LOG_MAX - h->log_len;
	char *p = realloc(h->log, h->log_len + len + 1);
	if (!p)
		return;
	memcpy(p + h->log_len, buf, len);
	h->log = p;
	h->log_len += len;
	p[h->log_len] = 0;
}

/* What the remote run says on stderr, a line at a time with the host
 * first; control characters from there are not passed to the terminal. */
static void show_lines(struct run_io *io, const struct fleet_opts *o, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];
		if (ch == '\n' || ch == '\r' || io->line_len + 1 >= sizeof(io->line)) {
			io->line[io->line_len] = 0;
			if (io->line_len)
				say(o, io->h, "%s", io->line);
			io->line_len = 0;
			if (ch == '\n' || ch == '\r')
				continue;
		}
		io->line[io->line_len++] = (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '?';
	}
}

static bool read_fd(struct run_io *io, const struct fleet_opts *o, int fd, bool is_err)
{
	char buf[8192];
	ssize_t got = read(fd, buf, sizeof(buf));
	if (got < 0)
		return errno == EINTR || errno == EAGAIN;
	if (got == 0)
		return false;
	log_add(io->h, buf, (size_t)got);
	if (is_err)
		show_lines(io, o, buf, (size_t)got);
	return true;
}

/* The remote side of a run, after "d=<the remote temp dir>; ". virtbench
 * runs in the background with its pid in $d/pid (the clean-up step stops
 * it when the run is cut short), and a watcher reads the session's stdin,
 * the pipe this side holds open for the whole run. Its end while virtbench
 * still runs in $d means this side is gone (killed, even by SIGKILL, or cut
 * off) and no tty there sends a SIGHUP: the watcher stops the run and
 * removes $d itself. After a run that ended, stdin ends with the session
 * and the watcher finds nothing to do. Nothing there keeps its working
 * directory in $d but virtbench. */
#define RUN_HEAD "cd / || exit 125; exec 3<&0; (cd \"$d\" && exec ./virtbench run -o \"$d/results\""
#define RUN_TAIL                                                                                   \
	") </dev/null 3<&- & p=$!; echo $p > \"$d/pid\"; "                                         \
	"(cat <&3 >/dev/null 2>&1; "                                                               \
	"[ \"$(readlink /proc/$p/cwd)\" = \"$(cd \"$d\" && pwd -P)\" ] || exit 0; "                \
	"kill -TERM $p; i=0; "                                                                     \
	"while [ $i -lt 300 ] && kill -0 $p 2>/dev/null; do sleep 0.1; i=$((i+1)); done; "         \
	"kill -KILL $p 2>/dev/null; rm -rf \"$d\") </dev/null >/dev/null 2>&1 & exec 3<&-; "       \
	"wait $p"

static int spawn_run(struct run_io *io, const struct fleet_opts *o, struct vb_err *err)
{
	struct fleet_host *h = io->h;
	char q[600];
	fleet__shell_quote(h->rdir, q, sizeof(q));
	size_t size = strlen(q) + sizeof(RUN_HEAD) + sizeof(RUN_TAIL) + 16;
	for (int i = 0; i < o->nrun_args; i++)
		size += 4 * strlen(o->run_args[i]) + 3;
	char *cmd = malloc(size);
	if (!cmd)
		return err__set(err, ENOMEM, "run command");
	size_t used = (size_t)snprintf(cmd, size, "d=%s; " RUN_HEAD, q);
	for (int i = 0; i < o->nrun_args; i++) {
		cmd[used++] = ' ';
		fleet__shell_quote(o->run_args[i], cmd + used, size - used);
		used += strlen(cmd + used);
	}
	snprintf(cmd + used, size - used, "%s", RUN_TAIL);
	struct fleet_argv a;
	fleet_argv__ssh(&a, h, o, false, NULL);
	fleet_argv__add(&a, cmd);
	/* Its stdin: a pipe held open until the run ends here (see RUN_HEAD). */
	struct vb_proc_opts po = { .argv = (char *const *)a.v, .stdin_data = "" };
	int rc = proc__spawn(&po, &io->p, err);
	free(cmd);
	if (rc == 0)
		io->running = true;
	return rc;
}

static void end_run(struct run_io *io, const struct fleet_opts *o)
{
	struct fleet_host *h = io->h;
	int status = proc__stop(&io->p, 1000);
	io->running = false;
	if (io->line_len)
		show_lines(io, o, "\n", 1);
	if (h->state != FLEET_PENDING)
		return;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == 0) {
		say(o, h, "run done in %.1f s", clock__now_s() - h->t0);
		return;
	}
	char last[300];
	fleet__last_line(h->log, last, sizeof(last));
	if (code == 255)
		skip(h, o, "connection lost during the run: %s", last);
	else
		skip(h, o, "virtbench run failed (exit status %d): %s", code, last);
}

static void run_all(struct fleet_host **hs, int n, const struct fleet_opts *o)
{
	struct run_io ios[FLEET_MAX_HOSTS];
	memset(ios, 0, sizeof(ios));
	int running = 0;
	double t_start = clock__now_s();
	for (int i = 0; i < n; i++) {
		ios[i].h = hs[i];
		ios[i].p.pid = 0;
		ios[i].p.in_fd = ios[i].p.out_fd = ios[i].p.err_fd = -1;
		if (hs[i]->state != FLEET_PENDING)
			continue;
		struct vb_err err = { 0 };
		if (spawn_run(&ios[i], o, &err) < 0) {
			skip(hs[i], o, "%s", err.msg);
			continue;
		}
		ios[i].next_note = t_start + 30;
		say(o, hs[i], "running virtbench run%s",
		    o->nrun_args ? " with the given options" : "");
		running++;
	}
	while (running > 0) {
		struct pollfd pfd[2 * FLEET_MAX_HOSTS];
		int who[2 * FLEET_MAX_HOSTS], np = 0;
		double now = clock__now_s();
		for (int i = 0; i < n; i++) {
			struct run_io *io = &ios[i];
			if (!io->running)
				continue;
			if (io->out_eof && io->err_eof) {
				int status;
				if (proc__exited(&io->p, &status)) {
					end_run(io, o);
					running--;
					continue;
				}
			}
			if (o->run_timeout_s > 0 && now - io->h->t0 > o->run_timeout_s) {
				skip(io->h, o, "virtbench run still running after %.0f s",
				     o->run_timeout_s);
				end_run(io, o);
				running--;
				continue;
			}
			if (now >= io->next_note) {
				say(o, io->h, "running (%.0f s)", now - io->h->t0);
				io->next_note = now + 30;
			}
			if (!io->out_eof) {
				pfd[np] = (struct pollfd){ .fd = io->p.out_fd, .events = POLLIN };
				who[np++] = 2 * i;
			}
			if (!io->err_eof) {
				pfd[np] = (struct pollfd){ .fd = io->p.err_fd, .events = POLLIN };
				who[np++] = 2 * i + 1;
			}
		}
		if (interrupt__pending()) {
			for (int i = 0; i < n; i++)
				if (ios[i].running) {
					skip(ios[i].h, o, "interrupted");
					end_run(&ios[i], o);
				}
			break;
		}
		if (running <= 0)
			break;
		if (poll(pfd, (nfds_t)np, np ? 200 : 50) <= 0)
			continue;
		for (int k = 0; k < np; k++) {
			if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			struct run_io *io = &ios[who[k] / 2];
			bool is_err = who[k] % 2;
			if (!read_fd(io, o, pfd[k].fd, is_err))
				*(is_err ? &io->err_eof : &io->out_eof) = true;
		}
	}
}

/* ---- one batch of hosts through every step ---- */

static void save_log(struct fleet_host *h, const struct fleet_opts *o)
{
	if (!h->log_len)
		return;
	char path[4400];
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s/run.log", o->outdir, h->t.name);
	file__write_atomic(path, h->log, h->log_len, &err);
}

static void batch(struct fleet_host **hs, int n, const struct fleet_opts *o)
{
	for (int i = 0; i < n; i++) {
		struct fleet_host *h = hs[i];
		struct vb_err err = { 0 };
		h->t0 = clock__now_s();
		if (interrupt__pending())
			skip(h, o, "interrupted");
		else if (fleet__master_start(h, o, &err) < 0)
			skip(h, o, "%s", err.msg);
		else
			say(o, h, "connecting");
	}
	each_host(hs, n, o, step_prepare);
	if (interrupt__pending())
		for (int i = 0; i < n; i++)
			skip(hs[i], o, "interrupted");
	run_all(hs, n, o);
	if (interrupt__pending())
		for (int i = 0; i < n; i++)
			skip(hs[i], o, "interrupted");
	each_host(hs, n, o, step_finish);
	for (int i = 0; i < n; i++) {
		fleet__master_stop(hs[i]);
		save_log(hs[i], o);
		hs[i]->seconds = clock__now_s() - hs[i]->t0;
	}
}

int fleet__hosts(struct fleet_host *hosts, int n, const struct fleet_opts *o, struct vb_err *err)
{
	char ctldir[200], prefix[64];
	int abort_slot;
	if (owner__name(prefix, sizeof(prefix), PREFIX_LOCAL, '.') < 0 ||
	    tmpdir__make(NULL, prefix, ctldir, sizeof(ctldir), &abort_slot, err) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char dir[4400];
		snprintf(dir, sizeof(dir), "%s/%s", o->outdir, hosts[i].t.name);
		if (file__mkdirs(dir, err) < 0) {
			file__remove_tree(ctldir);
			interrupt__cancel_run(abort_slot);
			return -1;
		}
	}
	struct fleet_host *all[FLEET_MAX_HOSTS];
	for (int i = 0; i < n; i++) {
		all[i] = &hosts[i];
		/* short: a unix socket's path has room for 107 bytes */
		snprintf(hosts[i].ctl, sizeof(hosts[i].ctl), "%.200s/%d", ctldir, i);
	}
	if (o->serial)
		for (int i = 0; i < n; i++)
			batch(&all[i], 1, o);
	else
		batch(all, n, o);
	file__remove_tree(ctldir);
	interrupt__cancel_run(abort_slot);
	return 0;
}

static bool ctldir_owner(const char *name, struct vb_owner *o)
{
	if (strncmp(name, PREFIX_LOCAL, strlen(PREFIX_LOCAL)))
		return false;
	const char *p = owner__scan(name + strlen(PREFIX_LOCAL), '.', true, o);
	return p && *p == '.';
}

void fleet__sweep(struct sweep_tally *t)
{
	/* The ssh processes went with their SIGKILLed owner (PR_SET_PDEATHSIG):
	 * only their sockets' directory is left. */
	sweep__tmpdirs(ctldir_owner, NULL, NULL, t);
}
