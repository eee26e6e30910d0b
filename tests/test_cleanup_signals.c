/* Nothing is left behind, whatever the signal. SIGINT and SIGTERM (once, or
 * twice so that the second lands in the clean-up) and SIGKILL are delivered
 * at points spread over `container startup` (built-in and runc, docker),
 * `vm boot --platform qemu --accel tcg`, `vm disk|net --platform qemu`, `vm
 * nested --accel tcg` (in the L1 guest's boot), `vm density` (with /dev/kvm)
 * and `run`; then what that process left is counted: processes, runc
 * containers, docker containers and images, cgroups in every hierarchy,
 * mounts and temp dirs. After SIGINT or SIGTERM nothing may be left at all;
 * after SIGKILL nothing once the next run's sweep has run. The counting is
 * this file's own (names, labels, /proc, the mount table), not the sweep's.
 * Also: memlat ends inside one long iteration on SIGINT, with the
 * interrupted status and a valid partial result. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "container/container_bench.h"
#include "core/clock.h"
#include "core/fileio.h"
#include "core/mountinfo.h"
#include "core/proc.h"
#include "core/sweep.h"
#include "nestedutil.h"
#include "qemu/qemu_bench.h"

static char tmpdir[256];

/* The runs under test, and the sweep here, use a TMPDIR of their own. */
static int setup(void **state)
{
	(void)state;
	/* Orphans of a killed run come here, where they are counted. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	return vb_tmpdir_enter(tmpdir, sizeof(tmpdir), "vbtest-signals");
}

static int teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(tmpdir);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool qemu_ok(void)
{
	glob_t g;
	bool kernel = glob("/boot/vmlinuz-*", 0, NULL, &g) == 0 && g.gl_pathc > 0 &&
		      access(g.gl_pathv[0], R_OK) == 0;
	if (kernel)
		globfree(&g);
	return kernel && (vb_have("qemu-system-x86_64") || vb_have("qemu-system-aarch64"));
}

/* ---- what one process left ---- */

enum {
	L_PROCS,
	L_CT_PROCS,
	L_RUNC,
	L_CONTAINERS,
	L_IMAGES,
	L_CGROUPS,
	L_MOUNTS,
	L_TMPDIRS,
	L_KINDS
};
static const char *const kind_names[L_KINDS] = { "processes",
						 "processes in its containers",
						 "runc container states",
						 "docker and podman containers",
						 "docker and podman images",
						 "cgroups",
						 "mounts",
						 "temp dirs" };
struct left {
	long n[L_KINDS];
};

static long total_of(const struct left *l)
{
	long t = 0;
	for (int k = 0; k < L_KINDS; k++)
		t += l->n[k];
	return t;
}

static void describe(const struct left *l, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int k = 0; k < L_KINDS; k++)
		if (l->n[k] && used < size)
			used += (size_t)snprintf(out + used, size - used, "%s%ld %s",
						 used ? ", " : "", l->n[k], kind_names[k]);
	if (!out[0])
		snprintf(out, size, "nothing");
}

/* Its names: container ids and cgroups, and the two temp dir kinds. */
struct tags {
	char id[48], ct[48], qemu[48], io[48], label[64];
};

static void tags_of(pid_t pid, struct tags *t)
{
	snprintf(t->id, sizeof(t->id), "virtbench-%d-", (int)pid);
	snprintf(t->ct, sizeof(t->ct), "virtbench-ct.%d.", (int)pid);
	snprintf(t->qemu, sizeof(t->qemu), "virtbench-qemu.%d.", (int)pid);
	snprintf(t->io, sizeof(t->io), "virtbench-io.%d.", (int)pid);
	snprintf(t->label, sizeof(t->label), "label=virtbench.pid=%d", (int)pid);
}

static bool names_it(const char *text, const struct tags *t)
{
	return strstr(text, t->id) || strstr(text, t->ct) || strstr(text, t->qemu) ||
	       strstr(text, t->io);
}

static long lines_starting(const char *text, const char *prefix)
{
	long n = 0;
	size_t pl = strlen(prefix);
	for (const char *p = text; p && *p;) {
		n += !strncmp(p, prefix, pl) || (prefix[0] == '\0' && *p != '\n');
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* An orphan of the run, reparented here (we are its subreaper) and still
 * running: whatever its name. */
static bool our_orphan(const char *pid)
{
	char path[300], buf[1024];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (file__read_line(path, buf, sizeof(buf)) <= 0)
		return false;
	const char *p = strrchr(buf, ')');
	char state;
	int ppid;
	return p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && state != 'Z' &&
	       ppid == (int)getpid();
}

/* Processes whose command line names it (QEMU, runc, the docker client),
 * and with orphans any orphan of it. */
static long count_procs(const struct tags *t, bool orphans)
{
	long n = 0;
	DIR *d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (orphans && our_orphan(e->d_name)) {
			n++;
			continue;
		}
		char path[300], buf[8192];
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue; /* kernel thread or zombie */
		for (ssize_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = '\0';
		n += names_it(buf, t);
	}
	if (d)
		closedir(d);
	return n;
}

/* Every cgroup hierarchy, v1 and v2: the groups named after its
 * containers, and the processes still in them (once each, though a v1 host
 * lists a process in every hierarchy). */
static void count_cgroups(const struct mountinfo *mi, const struct tags *t, struct left *l)
{
	long seen[64];
	size_t nseen = 0;
	for (size_t i = 0; i < mi->n; i++) {
		const char *mnt = mi->mounts[i].point;
		if (!mountinfo__cgroup_version(&mi->mounts[i]))
			continue;
		DIR *d = opendir(mnt);
		for (struct dirent *e; d && (e = readdir(d));) {
			if (strncmp(e->d_name, t->id, strlen(t->id)))
				continue;
			l->n[L_CGROUPS]++;
			char procs[2048];
			snprintf(procs, sizeof(procs), "%s/%s/cgroup.procs", mnt, e->d_name);
			char *text = NULL;
			size_t len;
			struct vb_err err = { 0 };
			if (file__read_all(procs, 1 << 20, &text, &len, &err) < 0)
				continue;
			for (char *p = text; *p;) {
				long pid = strtol(p, &p, 10);
				bool known = false;
				for (size_t k = 0; k < nseen; k++)
					known = known || seen[k] == pid;
				if (pid > 0 && !known) {
					if (nseen < sizeof(seen) / sizeof(seen[0]))
						seen[nseen++] = pid;
					l->n[L_CT_PROCS]++;
				}
				while (*p == '\n')
					p++;
			}
			free(text);
		}
		if (d)
			closedir(d);
	}
}

/* Mounts that name one of the runs anywhere: where, what and from where. */
static void count_mounts(const struct mountinfo *mi, const struct tags *t, struct left *l)
{
	for (size_t i = 0; i < mi->n; i++) {
		const struct mount_entry *m = &mi->mounts[i];
		l->n[L_MOUNTS] += names_it(m->point, t) || names_it(m->root, t) ||
				  names_it(m->source, t) || names_it(m->super_options, t);
	}
}

static void reap_orphans(void);

/* Dying with virtbench takes a moment (the death signal is delivered, a
 * program ends): what is still there after 5 s did not die with it. */
static void wait_procs_gone(const struct tags *t)
{
	for (int i = 0; i < 100 && count_procs(t, true) > 0; i++) {
		sleep_ms(50);
		reap_orphans();
	}
}

static void count_left(pid_t pid, struct left *l)
{
	memset(l, 0, sizeof(*l));
	struct tags t;
	tags_of(pid, &t);
	wait_procs_gone(&t);
	l->n[L_PROCS] = count_procs(&t, true);
	struct vb_proc_result r;
	/* runc's state under its root: also what `runc list` cannot load (a
	 * runc killed while it made the container leaves a dir there). */
	DIR *state = opendir("/run/runc");
	for (struct dirent *e; state && (e = readdir(state));)
		l->n[L_RUNC] += !strncmp(e->d_name, t.id, strlen(t.id));
	if (state)
		closedir(state);
	static const char *const daemons[] = { "docker", "podman" };
	for (int k = 0; k < 2; k++) {
		if (k == 0 ? !vb_docker_ok() : !vb_have(daemons[k]))
			continue;
		char *ps[] = { (char *)daemons[k], "ps", "-aq", "--filter", t.label, NULL };
		if (vb_run_ok(ps, &r))
			l->n[L_CONTAINERS] += lines_starting(r.out, "");
		proc__result_free(&r);
		char *im[] = { (char *)daemons[k], "images", "-q", "--filter", t.label, NULL };
		if (vb_run_ok(im, &r))
			l->n[L_IMAGES] += lines_starting(r.out, "");
		proc__result_free(&r);
	}
	struct mountinfo mi;
	struct vb_err err = { 0 };
	assert_int_equal(mountinfo__read(MOUNTINFO_SELF, &mi, &err), 0);
	count_cgroups(&mi, &t, l);
	count_mounts(&mi, &t, l);
	mountinfo__free(&mi);
	const char *dirs[] = { tmpdir, "/tmp" };
	for (int i = 0; i < 2; i++) {
		DIR *d = opendir(dirs[i]);
		for (struct dirent *e; d && (e = readdir(d));)
			l->n[L_TMPDIRS] += !strncmp(e->d_name, t.ct, strlen(t.ct)) ||
					   !strncmp(e->d_name, t.qemu, strlen(t.qemu)) ||
					   !strncmp(e->d_name, t.io, strlen(t.io));
		if (d)
			closedir(d);
	}
}

/* ---- the runs ---- */

struct shot {
	int sig;
	int delay_ms;
	int again_ms; /* > 0: the same signal again this much later */
};

enum next { NEXT_SWEEP, NEXT_RUN };

static struct {
	unsigned runs, deliveries;
	struct left before_sweep; /* summed over every run */
	long after_sweep;
} totals;

static pid_t start(char *const *argv, const char *log)
{
	pid_t pid = fork();
	if (pid == 0) {
		int out = open("/dev/null", O_WRONLY);
		int er = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || er < 0)
			_exit(126);
		dup2(out, 1);
		dup2(er, 2);
		/* Its own group, as a shell starts a job: the signal is ours
		 * to send, to it alone. */
		setpgid(0, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits for pid; true when it ended within the hang guard. */
static bool wait_end(pid_t pid, int *status, int guard_ms)
{
	double end = clock__now_ms() + guard_ms;
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return true;
		if (clock__now_ms() > end)
			return false;
		sleep_ms(20);
	}
}

/* Orphans reparented here (we are a subreaper once proc.h has run). */
static void reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void sweep_like_the_next_run(void)
{
	struct sweep_tally t = { { 0 } };
	qemu__sweep(&t);
	container__sweep(&t);
}

/* The next run, for real: `container startup` of the built-in runtime
 * sweeps first and says what it removed in one line. */
static void next_run(bool expect_line)
{
	char log[300];
	snprintf(log, sizeof(log), "%s/next-run.log", tmpdir);
	char *argv[] = { (char *)vb_binary(), "container", "startup",  "--runtime", "builtin",
			 "--iterations",      "1",	   "--warmup", "0",	    NULL };
	int status;
	pid_t pid = start(argv, log);
	if (!wait_end(pid, &status, 120000)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("the next run did not end");
	}
	char *text = NULL;
	size_t len;
	struct vb_err err = { 0 };
	assert_int_equal(file__read_all(log, 1 << 20, &text, &len, &err), 0);
	long lines = 0;
	for (const char *p = text; (p = strstr(p, "removed what earlier runs")); p++)
		lines++;
	if (expect_line)
		assert_int_equal(lines, 1);
	else
		assert_true(lines <= 1);
	free(text);
}

static const char *sig_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGKILL";
}

static const char *outcome(unsigned sent, int status)
{
	if (!sent)
		return "had ended before";
	if (!WIFEXITED(status))
		return "killed";
	switch (WEXITSTATUS(status)) {
	case 0: return "exit 0 (done)";
	case 1: return "exit 1 (interrupted)";
	case 130: return "exit 130 (forced)";
	default: return "another exit status";
	}
}

/* after_child: each shot's delay counts from when a program naming the
 * run (its QEMU) is there, at most 60 s after the start. */
static void scenario_at(const char *what, char *const *argv, const struct shot *shots, size_t n,
			enum next next, bool after_child)
{
	char log[300];
	snprintf(log, sizeof(log), "%s/run.log", tmpdir);
	for (size_t i = 0; i < n; i++) {
		const struct shot *s = &shots[i];
		pid_t pid = start(argv, log);
		assert_true(pid > 0);
		int status = 0;
		unsigned sent = 0;
		if (after_child) {
			struct tags t;
			tags_of(pid, &t);
			int waited = 0;
			for (; waited < 60000 && !count_procs(&t, false); waited += 50)
				sleep_ms(50);
			if (waited >= 60000) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				fail_msg("%s: no program of the run after 60 s (see %s)", what,
					 log);
			}
		}
		sleep_ms(s->delay_ms);
		if (waitpid(pid, &status, WNOHANG) == 0 && kill(pid, s->sig) == 0) {
			sent++;
			if (s->again_ms) {
				sleep_ms(s->again_ms);
				sent += kill(pid, s->sig) == 0;
			}
		}
		bool ended = sent == 0 || wait_end(pid, &status, 120000);
		if (!ended) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			fail_msg("%s: still running 120 s after %s", what, sig_name(s->sig));
		}
		reap_orphans();
		struct left before, after;
		count_left(pid, &before);
		long left_kinds = total_of(&before);
		/* The line is certain only for temp dirs: they are in our TMPDIR,
		 * where no other run looks, while a run beside this one (make test
		 * runs suites side by side) may sweep containers and cgroups first. */
		if (next == NEXT_RUN && s->sig == SIGKILL)
			next_run(before.n[L_TMPDIRS] > 0);
		else
			sweep_like_the_next_run();
		count_left(pid, &after);
		char b[256], a[256];
		describe(&before, b, sizeof(b));
		describe(&after, a, sizeof(a));
		print_message("[ SIGNAL   ] %s: %s%s at %d ms -> %s; left %s; after the sweep %s\n",
			      what, sig_name(s->sig), s->again_ms ? " twice" : "", s->delay_ms,
			      outcome(sent, status), b, a);
		totals.runs++;
		totals.deliveries += sent;
		for (int k = 0; k < L_KINDS; k++)
			totals.before_sweep.n[k] += before.n[k];
		totals.after_sweep += total_of(&after);
		if (s->sig != SIGKILL && sent)
			assert_int_equal(left_kinds, 0);
		/* No program it started may survive its death, even a SIGKILL's.
		 * What runc had made inside a container may (runc's init waits
		 * for a start that never comes): the next run removes it. */
		assert_int_equal(before.n[L_PROCS], 0);
		if (s->sig != SIGKILL)
			assert_int_equal(before.n[L_CT_PROCS], 0);
		assert_int_equal(total_of(&after), 0);
		if (sent && s->sig != SIGKILL && WIFEXITED(status))
			assert_true(WEXITSTATUS(status) == 1 || WEXITSTATUS(status) == 130 ||
				    WEXITSTATUS(status) == 0);
	}
}

static void scenario(const char *what, char *const *argv, const struct shot *shots, size_t n,
		     enum next next)
{
	scenario_at(what, argv, shots, n, next, false);
}

static void test_container_builtin_and_runc(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "root (cgroups, runc)");
	VB_REQUIRE(vb_have("runc"), "runc is not installed");
	char *argv[] = { (char *)vb_binary(), "container", "startup", "--runtime", "builtin,runc",
			 "--iterations",      "40",	   "-q",      NULL };
	static const struct shot shots[] = {
		{ SIGINT, 300, 0 },   { SIGTERM, 800, 0 },  { SIGKILL, 1200, 0 },
		{ SIGINT, 1700, 20 }, { SIGTERM, 2300, 5 }, { SIGKILL, 2800, 0 },
		{ SIGINT, 3400, 0 },
	};
	scenario("container startup builtin,runc", argv, shots, sizeof(shots) / sizeof(shots[0]),
		 NEXT_RUN);
}

/* `container disk` of these runtimes, its files under the test's TMPDIR. */
static void disk_argv(char **argv, const char *runtimes, const char *iterations)
{
	const char *a[] = { vb_binary(), "container",	 "disk",     "--runtime", runtimes,
			    "--dir",	 tmpdir,	 "--size",   "16M",	  "--time",
			    "0.05",	 "--iterations", iterations, "-q",	  NULL };
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		argv[i] = (char *)a[i];
}

/* The I/O modes: containers with an overlay root and a volume under --dir
 * (here the test's TMPDIR, which the next run sweeps), and a veth pair to a
 * namespace of virtbench's own (which end with the process). */
static void test_container_io(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "root (cgroups, the veth pair)");
	char *disk[16];
	disk_argv(disk, "builtin", "20");
	/* Opening the session (the start-of-run sweep asks docker and podman)
	 * takes seconds on a loaded machine: most shots come after it. */
	static const struct shot shots[] = {
		{ SIGINT, 500, 0 },    { SIGKILL, 9000, 0 },  { SIGTERM, 10000, 0 },
		{ SIGINT, 11000, 10 }, { SIGKILL, 12000, 0 },
	};
	scenario("container disk", disk, shots, sizeof(shots) / sizeof(shots[0]), NEXT_RUN);
	char *net[] = {
		(char *)vb_binary(), "container", "net", "--runtime", "builtin", "--time", "0.05",
		"--iterations",	     "20",	  "-q",	 NULL
	};
	scenario("container net", net, shots, sizeof(shots) / sizeof(shots[0]), NEXT_RUN);
	/* Nothing of the pair ever reaches the host's namespace. */
	assert_int_equal(access("/sys/class/net/vbpeer0", F_OK), -1);
	assert_int_equal(access("/sys/class/net/vbct0", F_OK), -1);
}

/* The disk and net modes of runc, docker and podman: runc's overlay mounted
 * inside its container, volumes under --dir, runc's veth pair, the
 * containers of both daemons and their images. Opening the three runtimes
 * (two image imports, podman's set-up) takes 10 to 20 s on a loaded
 * machine: the signals come when the containers are up or measured (about
 * 30 s a run). */
static void test_container_io_runtimes(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "root (runc, the daemons)");
	VB_REQUIRE(vb_docker_ok() || vb_have("podman") || vb_have("runc"),
		   "runc, docker or podman");
	char *disk[16];
	disk_argv(disk, "runc,docker,podman", "200");
	static const struct shot sigint[] = { { SIGINT, 20000, 0 } };
	scenario("container disk runc,docker,podman", disk, sigint, 1, NEXT_SWEEP);
	/* net: runc's veth pair and peer namespace, the daemons' containers
	 * with the peer inside (none) or on 127.0.0.1 (host). */
	char *net[] = { (char *)vb_binary(),
			"container",
			"net",
			"--runtime",
			"runc,docker,podman",
			"--time",
			"0.05",
			"--iterations",
			"200",
			"-q",
			NULL };
	static const struct shot net_shots[] = { { SIGINT, 20000, 0 }, { SIGKILL, 20000, 0 } };
	scenario("container net runc,docker,podman", net, net_shots, 2, NEXT_SWEEP);
}

static void test_container_docker(void **state)
{
	(void)state;
	VB_REQUIRE(vb_docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	char *argv[] = { (char *)vb_binary(), "container", "startup", "--runtime", "docker",
			 "--iterations",      "10",	   "-q",      NULL };
	/* The image import is in the first second or two, the containers after. */
	static const struct shot shots[] = {
		{ SIGINT, 600, 0 },   { SIGKILL, 1400, 0 }, { SIGTERM, 2300, 0 },
		{ SIGINT, 3200, 40 }, { SIGKILL, 4200, 0 },
	};
	scenario("container startup docker", argv, shots, sizeof(shots) / sizeof(shots[0]),
		 NEXT_SWEEP);
}

static void test_qemu_boot(void **state)
{
	(void)state;
	VB_REQUIRE(qemu_ok(), "QEMU and a readable /boot/vmlinuz-*");
	char *argv[] = {
		(char *)vb_binary(), "vm", "boot",     "--platform", "qemu", "--accel", "tcg",
		"--iterations",	     "3",  "--warmup", "0",	     "-q",   NULL
	};
	static const struct shot shots[] = {
		{ SIGINT, 400, 0 },   { SIGKILL, 1500, 0 }, { SIGTERM, 3000, 0 },
		{ SIGKILL, 4500, 0 }, { SIGINT, 2200, 10 },
	};
	scenario("vm boot qemu tcg", argv, shots, sizeof(shots) / sizeof(shots[0]), NEXT_SWEEP);
}

/* vm disk and vm net on QEMU once a guest's QEMU runs: the guests (one a
 * disk mode), the raw file's directory under --dir and the QEMU work dirs go
 * with the signal, or after a SIGKILL with the next run's sweep (a real
 * run: the raw file's directory is the I/O sweep's, not the QEMU one's). */
static void test_qemu_io(void **state)
{
	(void)state;
	VB_REQUIRE(qemu_ok(), "QEMU and a readable /boot/vmlinuz-*");
	/* vm disk|net --platform qemu --accel tcg, short, quiet; disk in --dir. */
	char *disk[] = { (char *)vb_binary(),
			 "vm",
			 "disk",
			 "--platform",
			 "qemu",
			 "--accel",
			 "tcg",
			 "--time",
			 "0.05",
			 "--iterations",
			 "3",
			 "-q",
			 "--dir",
			 tmpdir,
			 "--size",
			 "16M",
			 NULL };
	static const struct shot shots[] = {
		{ SIGINT, 300, 0 },
		{ SIGKILL, 1000, 0 },
		{ SIGTERM, 2000, 0 },
	};
	scenario_at("vm disk qemu tcg", disk, shots, sizeof(shots) / sizeof(shots[0]), NEXT_RUN,
		    true);
	char *net[16];
	memcpy(net, disk, 12 * sizeof(*net)); /* up to -q */
	net[2] = "net";
	net[12] = NULL;
	static const struct shot net_shots[] = { { SIGINT, 500, 0 } };
	scenario_at("vm net qemu tcg", net, net_shots, 1, NEXT_SWEEP, true);
}

/* vm nested during the L1 guest's boot (its QEMU runs): the QEMU and the
 * directory with the initramfs go with the signal, or with the next run's
 * sweep after a SIGKILL. One benchmark, one iteration: the run never gets
 * far, the boot under TCG takes longer than any shot. */
static void test_vm_nested(void **state)
{
	(void)state;
	const char *missing = vb_nested_missing();
	VB_REQUIRE(!missing, missing);
	/* This suite runs in the sanitizer build, which has no static binary:
	 * the guest gets the plain build's, the signals go to this build's. */
	char l1[4096];
	VB_REQUIRE(vb_static_virtbench(l1, sizeof(l1)),
		   "no virtbench-static (make build/virtbench-static)");
	char *argv[] = {
		(char *)vb_binary(), "vm", "nested",	   "--accel", "tcg", "--only", "boot",
		"--virtbench",	     l1,   "--iterations", "1",	      "-q",  NULL
	};
	static const struct shot shots[] = {
		{ SIGINT, 300, 0 },
		{ SIGTERM, 1500, 0 },
		{ SIGKILL, 800, 0 },
		{ SIGINT, 500, 10 },
	};
	scenario_at("vm nested tcg", argv, shots, sizeof(shots) / sizeof(shots[0]), NEXT_SWEEP,
		    true);
}

static void test_vm_density(void **state)
{
	(void)state;
	VB_REQUIRE_KVM(access("/dev/kvm", R_OK | W_OK) == 0);
	char *argv[] = { (char *)vb_binary(), "vm", "density", "-q", NULL };
	static const struct shot shots[] = {
		{ SIGINT, 500, 0 },
		{ SIGTERM, 1500, 0 },
		{ SIGKILL, 2500, 0 },
	};
	scenario("vm density", argv, shots, sizeof(shots) / sizeof(shots[0]), NEXT_SWEEP);
}

static void test_run(void **state)
{
	(void)state;
	char out[300];
	snprintf(out, sizeof(out), "%s/results", tmpdir);
	char *with_qemu[] = { (char *)vb_binary(),
			      "run",
			      "--quick",
			      "--only",
			      "qemu.boot,container.startup",
			      "-o",
			      out,
			      "-q",
			      NULL };
	char *containers[] = { (char *)vb_binary(),
			       "run",
			       "--quick",
			       "--only",
			       "container.startup",
			       "-o",
			       out,
			       "-q",
			       NULL };
	static const struct shot early[] = { { SIGTERM, 1500, 0 }, { SIGKILL, 5000, 0 } };
	static const struct shot later[] = { { SIGINT, 3000, 0 } };
	scenario("run", with_qemu, early, 2, NEXT_SWEEP);
	scenario("run (containers)", containers, later, 1, NEXT_SWEEP);
}

/* Waits until pid has used secs of CPU time (user + system), at most
 * limit_ms of wall time; false if it did not (or ended). */
static bool cpu_seconds_reached(pid_t pid, double secs, int limit_ms)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	long hz = sysconf(_SC_CLK_TCK);
	for (int waited = 0; waited < limit_ms; waited += 20) {
		FILE *f = fopen(path, "r");
		if (!f)
			return false;
		char buf[1024];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* Fields after the command name (which may hold spaces). */
		const char *p = strrchr(buf, ')');
		unsigned long ut = 0, st = 0;
		if (p &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
			   &st) == 2 &&
		    (double)(ut + st) / (double)hz >= secs)
			return true;
		sleep_ms(20);
	}
	return false;
}

/* One memlat iteration of 10^12 loads (minutes at any speed): SIGINT ends
 * it, and what it measured until then is saved as an incomplete result. */
static void test_memlat_stops_inside_an_iteration(void **state)
{
	(void)state;
	char out[300], log[300];
	snprintf(out, sizeof(out), "%s/memlat.json", tmpdir);
	snprintf(log, sizeof(log), "%s/memlat.log", tmpdir);
	char *argv[] = { (char *)vb_binary(),
			 "native",
			 "memlat",
			 "--min-size",
			 "64K",
			 "--max-size",
			 "64K",
			 "--pages",
			 "4k",
			 "--loads",
			 "1000000000000",
			 "--iterations",
			 "1",
			 "--warmup",
			 "0",
			 "-q",
			 "-o",
			 out,
			 NULL };
	pid_t pid = start(argv, log);
	/* Inside the iteration: once it has spent a second of CPU (setting up a
	 * 64 KiB cycle takes microseconds), whatever the machine's load. */
	assert_true(cpu_seconds_reached(pid, 1.0, 120000));
	assert_int_equal(kill(pid, SIGINT), 0);
	totals.deliveries++;
	int status;
	/* A guard against a hang, not a time limit: 10^12 loads take far longer. */
	if (!wait_end(pid, &status, 120000)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("memlat ignored SIGINT inside its iteration");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1); /* interrupted */
	json_error_t je;
	json_t *doc = json_load_file(out, 0, &je);
	assert_non_null(doc);
	assert_true(json_is_true(json_object_get(doc, "incomplete")));
	json_t *results = json_object_get(doc, "results");
	assert_int_equal(json_array_size(results), 1);
	json_t *r = json_array_get(results, 0);
	assert_string_equal(json_string_value(json_object_get(r, "metric")), "ns_per_load");
	json_t *samples = json_object_get(r, "samples");
	assert_int_equal(json_array_size(samples), 1);
	double ns = json_number_value(json_array_get(samples, 0));
	assert_true(ns > 0 && ns < 1e6);
	json_decref(doc);
}

static void test_totals(void **state)
{
	(void)state;
	char b[256];
	describe(&totals.before_sweep, b, sizeof(b));
	print_message("[ SIGNAL   ] %u runs, %u signals delivered; left before the sweep "
		      "(SIGKILL only may): %s; after it: %ld\n",
		      totals.runs, totals.deliveries, b, totals.after_sweep);
	assert_int_equal(totals.after_sweep, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memlat_stops_inside_an_iteration, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_container_builtin_and_runc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_io_runtimes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_docker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_density, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run, setup, teardown),
		cmocka_unit_test(test_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
