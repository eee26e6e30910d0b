/* The built-in runtime, the tool's reference floor for an isolated process:
 * clone into new PID, mount, UTS, IPC and network namespaces (and a user
 * namespace when not root), the minimal root file system bind-mounted
 * read-only with /proc and three device nodes, pivot_root, a control group
 * per container, exec of the worker. No daemon, no helper process.
 *
 * Also here: the floor itself, unshare(2) of the same namespaces plus exec,
 * without root file system or control group. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/ct.h"
#include "core/clock.h"
#include "core/interrupt.h"

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)
#define HOSTNAME "virtbench"

/* Everything the child needs, prepared before the clone: between clone and
 * exec it only makes system calls (no allocation, no locks). */
struct child_plan {
	const char *rootfs;
	char proc[PATH_MAX];
	char devs[3][PATH_MAX];
	const char *worker; /* path to exec */
	char *argv[CT_MAX_ARGS + 2];
	int out_w, in_r, sync_r, setup_w;
	pid_t parent;	   /* us: gone before the child's prctl means give up */
	bool pivot;	   /* built-in: full set-up; floor: unshare + exec */
	bool sync_first;   /* user namespace: wait for the id maps first */
	int unshare_flags; /* floor */
	/* I/O modes (struct ct_start) */
	const char *volume;
	char volume_at[PATH_MAX];
	char overlay_opts[3 * PATH_MAX + 64];
	bool overlay, lo_up;
};

static const char *const dev_names[3] = { "null", "zero", "urandom" };

/* Writes "step: errno N" to the setup pipe and exits. */
static __attribute__((noreturn)) void child_fail(const struct child_plan *p, const char *step)
{
	int e = errno;
	char msg[160];
	size_t n = 0;
	for (const char *s = step; *s && n < sizeof(msg) - 40; s++)
		msg[n++] = *s;
	const char *es = strerrorname_np(e);
	msg[n++] = ':';
	msg[n++] = ' ';
	for (const char *s = es ? es : "error"; *s && n < sizeof(msg) - 2; s++)
		msg[n++] = *s;
	ssize_t rc = write(p->setup_w, msg, n);
	(void)rc;
	_exit(127);
}

static __attribute__((noreturn)) void child_main(const struct child_plan *p)
{
	char c;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Were we gone already, the signal would never come. In a new PID
	 * namespace getppid() is 0: that child waits on sync, whose EOF
	 * says the same. */
	if (!p->pivot && getppid() != p->parent)
		_exit(126);
	if (dup2(p->out_w, 1) < 0)
		child_fail(p, "stdout");
	if (p->in_r >= 0 ? dup2(p->in_r, 0) < 0 : false)
		child_fail(p, "stdin");
	if (p->sync_first && read(p->sync_r, &c, 1) != 1)
		_exit(126);
	if (!p->pivot) {
		if (unshare(p->unshare_flags) < 0)
			child_fail(p, "unshare");
		execve(p->worker, p->argv, (char *[]){ NULL });
		child_fail(p, "exec");
	}
	/* Nothing mounted here may reach the host's mount table. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(p, "making / private");
	if (p->overlay ? mount("overlay", p->rootfs, "overlay", 0, p->overlay_opts) < 0
		       : mount(p->rootfs, p->rootfs, NULL, MS_BIND, NULL) < 0)
		child_fail(p, "mounting the root file system");
	if (p->volume && mount(p->volume, p->volume_at, NULL, MS_BIND, NULL) < 0)
		child_fail(p, "bind-mounting the volume");
	if (p->lo_up) {
		struct ifreq ifr = { .ifr_name = "lo",
				     .ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING };
		int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sk < 0 || ioctl(sk, SIOCSIFFLAGS, &ifr) < 0)
			child_fail(p, "bringing lo up");
		close(sk);
	}
	if (mount("proc", p->proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_fail(p, "mounting /proc");
	for (int i = 0; i < 3; i++) {
		char host[32] = "/dev/";
		strcat(host, dev_names[i]);
		if (mount(host, p->devs[i], NULL, MS_BIND, NULL) < 0)
			child_fail(p, "binding a device node");
	}
	if (chdir(p->rootfs) < 0)
		child_fail(p, "chdir to the root file system");
	/* pivot_root(".", "."): the old root ends up stacked under the new
	 * one and is detached at once, without a put_old directory. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(p, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		child_fail(p, "detaching the old root");
	if (chdir("/") < 0)
		child_fail(p, "chdir /");
	/* Read-only, but for the overlay's writable root. */
	if (!p->overlay && mount(NULL, "/", NULL,
				 MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		child_fail(p, "remounting / read-only");
	if (sethostname(HOSTNAME, sizeof(HOSTNAME) - 1) < 0)
		child_fail(p, "sethostname");
	/* Wait until the parent has placed us in our control group. */
	if (!p->sync_first && read(p->sync_r, &c, 1) != 1)
		_exit(126);
	execve(CT_WORKER_IN_ROOT, p->argv, (char *[]){ NULL });
	child_fail(p, "exec " CT_WORKER_IN_ROOT);
}

/* fork-like clone: the child gets a copy of the address space and
 * continues here, so it can use the prepared plan on its own stack. */
static pid_t clone_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
}

static int write_map(pid_t pid, const char *file, const char *text, struct vb_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "open %s", path);
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	return n < 0 ? err__set(err, e, "write %s", path) : 0;
}

static int map_ids(pid_t pid, struct vb_err *err)
{
	char m[64];
	snprintf(m, sizeof(m), "0 %u 1\n", (unsigned)geteuid());
	if (write_map(pid, "uid_map", m, err) < 0 || write_map(pid, "setgroups", "deny", err) < 0)
		return -1;
	snprintf(m, sizeof(m), "0 %u 1\n", (unsigned)getegid());
	return write_map(pid, "gid_map", m, err);
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static int start_common(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
			bool pivot, struct vb_err *err)
{
	struct ct_env *e = d->env;
	ct_env__next_id(e, in->id, sizeof(in->id));
	struct child_plan p = {
		.rootfs = e->rootfs, .pivot = pivot, .in_r = -1, .parent = getpid()
	};
	p.worker = pivot ? CT_WORKER_IN_ROOT : e->rootfs_worker;
	if (ct__path(p.proc, sizeof(p.proc), e->rootfs, "/proc", err) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		char rel[32] = "/dev/";
		strcat(rel, dev_names[i]);
		if (ct__path(p.devs[i], sizeof(p.devs[i]), e->rootfs, rel, err) < 0)
			return -1;
	}
	p.argv[0] = (char *)CT_WORKER_IN_ROOT;
	int na = 1;
	for (; s->args && s->args[na - 1] && na < CT_MAX_ARGS; na++)
		p.argv[na] = (char *)s->args[na - 1];
	p.argv[na] = NULL;
	p.sync_first = d->userns && pivot;
	p.lo_up = s->lo_up;
	p.volume = s->volume;
	if (s->volume && ct__path(p.volume_at, sizeof(p.volume_at), e->rootfs, CT_IO_DIR, err) < 0)
		return -1;
	if (s->overlay) {
		p.overlay = true;
		int n = snprintf(p.overlay_opts, sizeof(p.overlay_opts),
				 "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", e->rootfs,
				 s->overlay, s->overlay);
		if (n < 0 || (size_t)n >= sizeof(p.overlay_opts))
			return err__set(err, ENAMETOOLONG, "overlay options");
	}
	unsigned long flags = NS_FLAGS | (d->userns ? CLONE_NEWUSER : 0);
	p.unshare_flags = (int)flags;

	int out[2] = { -1, -1 }, inp[2] = { -1, -1 }, sync[2] = { -1, -1 }, setup[2] = { -1, -1 };
	int rc = -1;
	/* sync is a socket pair: a child that died early gives EPIPE on
	 * send(MSG_NOSIGNAL), not a SIGPIPE that would end virtbench. */
	if (pipe2(out, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0 ||
	    pipe2(setup, O_CLOEXEC) < 0 || (s->keep_stdin && pipe2(inp, O_CLOEXEC) < 0)) {
		err__set(err, errno, "pipe");
		goto out;
	}
	p.out_w = out[1];
	p.in_r = inp[0];
	p.sync_r = sync[0];
	p.setup_w = setup[1];
	/* The clock starts before anything of the container exists; the
	 * control group is made while the child sets up its mounts. */
	in->t_spawn_ns = clock__now_ns();
	pid_t pid = clone_fork(pivot ? flags : 0);
	if (pid == 0)
		child_main(&p);
	if (pid < 0) {
		err__set(err, errno, "clone");
		goto out;
	}
	in->pid = pid;
	in->created = true;
	ct_live__add(d, in);
	close_fd(&out[1]);
	close_fd(&inp[0]);
	close_fd(&sync[0]);
	close_fd(&setup[1]);
	in->out_fd = out[0];
	out[0] = -1;
	in->in_fd = inp[1];
	inp[1] = -1;
	in->setup_fd = setup[0];
	setup[0] = -1;
	vbp__reader_init(&in->rd, in->out_fd);
	in->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if ((d->userns && pivot && map_ids(pid, err) < 0) ||
	    (d->use_cgroups && pivot &&
	     (ct_cgroup__create(&d->cg, in->id, &e->limits, &in->cg, err) < 0 ||
	      ct_cgroup__attach(&in->cg, pid, err) < 0))) {
		close_fd(&sync[1]); /* the child sees EOF and ends */
		goto out;
	}
	/* The floor's child never waits: it is off to unshare and exec. */
	if (pivot && send(sync[1], "g", 1, MSG_NOSIGNAL) != 1) {
		err__set(err, errno, "starting the container");
		goto out;
	}
	rc = 0;
out:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&inp[0]);
	close_fd(&inp[1]);
	close_fd(&sync[0]);
	close_fd(&sync[1]);
	close_fd(&setup[0]);
	close_fd(&setup[1]);
	return rc;
}

static int builtin_open(struct ct_driver *d, struct vb_err *err)
{
	d->userns = geteuid() != 0;
	d->use_cgroups = false;
	if (!d->userns) {
		if (ct_cgroup__detect(&d->cg, err) < 0)
			return -1;
		d->use_cgroups = true;
		snprintf(d->note, sizeof(d->note), "cgroup %s",
			 mountinfo__cgroup_layout_name(d->cg.mode));
	} else {
		if (d->env->limits.cpus > 0 || d->env->limits.memory_bytes)
			return err__set(err, EPERM, "CPU and memory limits need root");
		snprintf(d->note, sizeof(d->note), "user namespace, no cgroup (not root)");
	}
	/* One container proves the kernel lets us (namespaces may be off). */
	struct ct_inst in;
	ct_inst__init(&in);
	const char *args[] = { "--once", "kind=noop", NULL };
	struct ct_start s = { .args = args };
	int rc = start_common(d, &s, &in, true, err);
	if (rc == 0)
		rc = ct_inst__wait_ready(&in, 10000, err);
	if (rc == 0)
		rc = ct_inst__wait_exit(&in, 10000, err);
	ct_inst__kill(&in);
	d->ops->teardown(d, &in, NULL);
	return rc;
}

static int builtin_start(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
			 struct vb_err *err)
{
	return start_common(d, s, in, true, err);
}

static int builtin_teardown(struct ct_driver *d, struct ct_inst *in, struct vb_err *err)
{
	(void)d;
	interrupt__cleanup_enter();
	ct_inst__kill(in);
	int rc = ct_cgroup__destroy(&in->cg);
	int e = errno;
	/* Only now: the forced exit removes what is still registered. */
	ct_live__remove(in);
	in->created = false;
	interrupt__cleanup_leave();
	if (rc < 0)
		return err__set(err, e, "removing the control group of %s", in->id);
	return 0;
}

static void builtin_close(struct ct_driver *d)
{
	(void)d;
}

const struct ct_ops ct_builtin_ops = {
	.open = builtin_open,
	.start = builtin_start,
	.teardown = builtin_teardown,
	.close = builtin_close,
};

static int floor_open(struct ct_driver *d, struct vb_err *err)
{
	d->userns = geteuid() != 0;
	snprintf(d->note, sizeof(d->note), "unshare(2) of the same namespaces + exec");
	return 0;
}

static int floor_start(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
		       struct vb_err *err)
{
	return start_common(d, s, in, false, err);
}

const struct ct_ops ct_floor_ops = {
	.open = floor_open,
	.start = floor_start,
	.teardown = builtin_teardown,
	.close = builtin_close,
};
