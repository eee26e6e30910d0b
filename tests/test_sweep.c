/* The start-of-run sweep: an owner is dead when its pid is gone or now
 * belongs to a process started at another time; only a dead owner's things
 * go (temp dirs, a QEMU still running from one, cgroups, docker images not
 * kept on purpose), and a live owner's are never touched. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/container_bench.h"
#include "container/ct.h"
#include "core/fileio.h"
#include "core/owner.h"
#include "core/proc.h"
#include "core/sweep.h"
#include "qemu/qemu_bench.h"

static char tmpdir[256];

/* A private TMPDIR: the sweep only sees what each test puts there. */
static int setup(void **state)
{
	(void)state;
	return vb_tmpdir_enter(tmpdir, sizeof(tmpdir), "vbtest-sweep");
}

static int teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(tmpdir);
	return 0;
}

/* An owner that existed and is gone: a child, reaped. */
static struct vb_owner dead_owner(void)
{
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t kid = fork();
	if (kid == 0) {
		char c;
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	close(go[0]);
	struct vb_owner o;
	assert_int_equal(owner__of(kid, &o), 0);
	assert_int_equal(write(go[1], "x", 1), 1);
	close(go[1]);
	assert_int_equal(waitpid(kid, NULL, 0), kid);
	return o;
}

static void test_owner_liveness(void **state)
{
	(void)state;
	struct vb_owner me = owner__self();
	assert_int_equal(me.pid, getpid());
	assert_true(me.start > 0);
	assert_false(owner__dead(&me));
	struct vb_owner reused = { me.pid, me.start + 1 }; /* our pid, another process */
	assert_true(owner__dead(&reused));
	struct vb_owner legacy = { me.pid, 0 }; /* no start recorded: the pid decides */
	assert_false(owner__dead(&legacy));
	struct vb_owner gone = dead_owner();
	assert_true(owner__dead(&gone));
	/* A zombie holds nothing: it counts as gone. */
	pid_t z = fork();
	if (z == 0)
		_exit(0);
	struct vb_owner zo = { z, 0 };
	for (int i = 0; i < 1000 && !owner__dead(&zo); i++)
		usleep(1000);
	assert_true(owner__dead(&zo));
	waitpid(z, NULL, 0);
}

static void test_names_carry_the_owner(void **state)
{
	(void)state;
	struct vb_owner o;
	assert_true(ct__id_owner("virtbench-123-4567-8", &o));
	assert_int_equal(o.pid, 123);
	assert_int_equal(o.start, 4567);
	assert_true(ct__id_owner("virtbench-123-8", &o)); /* older versions */
	assert_int_equal(o.pid, 123);
	assert_int_equal(o.start, 0);
	assert_false(ct__id_owner("virtbench-cgtest-1", &o));
	assert_false(ct__id_owner("virtbench-123", &o));
	assert_false(ct__id_owner("virtbench-1-2-3-4", &o));
	assert_false(ct__id_owner("virtbench--1-2", &o));
	assert_false(ct__id_owner("docker-123-4", &o));
	char name[64];
	assert_int_equal(owner__name(name, sizeof(name), "x.", '.'), 0);
	const char *rest = owner__scan(name + 2, '.', true, &o);
	assert_non_null(rest);
	assert_int_equal(*rest, '\0');
	assert_int_equal(o.pid, getpid());
	assert_int_equal(o.start, owner__self().start);
}

/* A stand-in for QEMU: a process whose command line names dir. */
static pid_t fake_guest(const char *dir)
{
	char log[512];
	snprintf(log, sizeof(log), "%s/log", dir);
	int fd = open(log, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	pid_t p = fork();
	if (p == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execlp("tail", "tail", "-f", log, (char *)NULL);
		_exit(127);
	}
	/* Until exec has happened, its command line is ours. */
	char want[600];
	snprintf(want, sizeof(want), "tail");
	for (int i = 0; i < 2000; i++) {
		char path[64], comm[64] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)p);
		if (file__read_line(path, comm, sizeof(comm)) > 0 && !strcmp(comm, want))
			break;
		usleep(1000);
	}
	return p;
}

static void write_pidfile(const char *dir, pid_t pid, uint64_t start)
{
	char path[512], text[64];
	snprintf(path, sizeof(path), "%s/qemu-%d.pid", dir, (int)pid);
	snprintf(text, sizeof(text), "%d %llu\n", (int)pid, (unsigned long long)start);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, text, strlen(text), &err), 0);
}

static void make_qemu_dir(char *out, size_t size, const struct vb_owner *o, const char *tag)
{
	snprintf(out, size, "%s/virtbench-qemu.%d.%llu.%s", tmpdir, (int)o->pid,
		 (unsigned long long)o->start, tag);
	assert_int_equal(mkdir(out, 0700), 0);
}

/* Ended (a zombie of ours, or reaped), seen through a pidfd. */
static bool ended(pid_t p, int wait_ms)
{
	int fd = (int)syscall(SYS_pidfd_open, p, 0);
	if (fd < 0)
		return errno == ESRCH;
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	bool gone = poll(&pf, 1, wait_ms) == 1;
	close(fd);
	return gone;
}

static void test_qemu_of_a_dead_owner(void **state)
{
	(void)state;
	struct vb_owner dead = dead_owner(), me = owner__self();
	char d_dead[512], d_live[512], d_kept[512], d_other[512];
	make_qemu_dir(d_dead, sizeof(d_dead), &dead, "aaaaaa");
	make_qemu_dir(d_live, sizeof(d_live), &me, "bbbbbb");
	make_qemu_dir(d_kept, sizeof(d_kept), &dead, "cccccc");
	make_qemu_dir(d_other, sizeof(d_other), &dead, "dddddd");
	pid_t g_dead = fake_guest(d_dead), g_live = fake_guest(d_live), g_kept = fake_guest(d_kept);
	pid_t g_other = fake_guest(d_kept); /* its command line names another dir */
	struct vb_owner o;
	assert_int_equal(owner__of(g_dead, &o), 0);
	write_pidfile(d_dead, g_dead, o.start);
	assert_int_equal(owner__of(g_live, &o), 0);
	write_pidfile(d_live, g_live, o.start);
	assert_int_equal(owner__of(g_kept, &o), 0);
	write_pidfile(d_kept, g_kept, o.start + 7); /* its pid since reused: not it */
	assert_int_equal(owner__of(g_other, &o), 0);
	write_pidfile(d_other, g_other, o.start);
	char keep[600];
	snprintf(keep, sizeof(keep), "%s/%s", d_kept, SWEEP_KEEP_MARKER);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(keep, "", 0, &err), 0);

	struct sweep_tally t = { { 0 } };
	qemu__sweep(&t);
	assert_true(ended(g_dead, 10000));
	assert_false(ended(g_live, 0));
	assert_false(ended(g_kept, 0));
	assert_false(ended(g_other, 0));
	assert_int_equal(access(d_dead, F_OK), -1);
	assert_int_equal(access(d_other, F_OK), -1);
	assert_int_equal(access(d_live, F_OK), 0);
	assert_int_equal(access(d_kept, F_OK), 0); /* --keep */
	assert_int_equal(t.n[SWEEP_PROCESS], 1);
	assert_int_equal(t.n[SWEEP_TMPDIR], 2);
	char line[256];
	sweep__describe(&t, line, sizeof(line));
	assert_string_equal(line, "1 process, 2 temp dirs");
	pid_t all[] = { g_dead, g_live, g_kept, g_other };
	for (int i = 0; i < 4; i++) {
		kill(all[i], SIGKILL);
		waitpid(all[i], NULL, 0);
	}
}

static void test_nothing_to_say(void **state)
{
	(void)state;
	struct sweep_tally t = { { 0 } };
	char line[64] = "x";
	sweep__describe(&t, line, sizeof(line));
	assert_string_equal(line, "");
}

/* Mounts under a dead run's dir go, deepest first, also where the path has
 * a blank (mountinfo writes it as \040); a sibling whose name merely
 * starts the same stays. */
static void test_unmount_under(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "mounting needs root");
	char dir[512], outer[600], inner[640], sibling[600];
	snprintf(dir, sizeof(dir), "%s/dead run", tmpdir);
	snprintf(outer, sizeof(outer), "%s/m", dir);
	snprintf(inner, sizeof(inner), "%s/n", outer);
	snprintf(sibling, sizeof(sibling), "%s/dead runner", tmpdir);
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdirs(outer, &err), 0);
	assert_int_equal(file__mkdirs(sibling, &err), 0);
	assert_int_equal(mount("vbtest", outer, "tmpfs", 0, "size=64k"), 0);
	assert_int_equal(mkdir(inner, 0700), 0);
	assert_int_equal(mount("vbtest", inner, "tmpfs", 0, "size=64k"), 0);
	assert_int_equal(mount("vbtest", sibling, "tmpfs", 0, "size=64k"), 0);

	unsigned gone = sweep__unmount_under(dir);
	int sibling_left = umount2(sibling, MNT_DETACH);
	if (gone != 2) { /* leave nothing mounted whatever went wrong */
		umount2(inner, MNT_DETACH);
		umount2(outer, MNT_DETACH);
	}
	assert_int_equal(gone, 2);
	assert_int_equal(sibling_left, 0);
	assert_int_equal(sweep__unmount_under(dir), 0);
}

static void test_container_dirs_and_cgroups(void **state)
{
	(void)state;
	struct vb_owner dead = dead_owner(), me = owner__self();
	char d[4][512];
	snprintf(d[0], sizeof(d[0]), "%s/virtbench-ct.%d.%llu.aaaaaa", tmpdir, (int)dead.pid,
		 (unsigned long long)dead.start);
	snprintf(d[1], sizeof(d[1]), "%s/virtbench-ct-%d.bbbbbb", tmpdir, (int)dead.pid);
	snprintf(d[2], sizeof(d[2]), "%s/virtbench-ct.%d.%llu.cccccc", tmpdir, (int)me.pid,
		 (unsigned long long)me.start);
	snprintf(d[3], sizeof(d[3]), "%s/virtbench-ct-%d.dddddd", tmpdir, (int)me.pid);
	for (int i = 0; i < 4; i++)
		assert_int_equal(mkdir(d[i], 0700), 0);
	/* Groups named after containers, in every hierarchy, when we may. */
	struct cg_layout l;
	struct vb_err err = { 0 };
	bool cg = geteuid() == 0 && ct_cgroup__detect(&l, &err) == 0;
	char dead_id[64], live_id[64];
	snprintf(dead_id, sizeof(dead_id), "virtbench-%d-%llu-0", (int)dead.pid,
		 (unsigned long long)dead.start);
	snprintf(live_id, sizeof(live_id), "virtbench-%d-%llu-0", (int)me.pid,
		 (unsigned long long)me.start);
	unsigned made = 0;
	for (unsigned i = 0; cg && i < l.nall; i++) {
		char p[600];
		snprintf(p, sizeof(p), "%s/%s", l.all[i], dead_id);
		made += mkdir(p, 0755) == 0;
		snprintf(p, sizeof(p), "%s/%s", l.all[i], live_id);
		mkdir(p, 0755);
	}
	/* runc's state dir of a container a killed runc was making. */
	char st_dead[128], st_live[128];
	snprintf(st_dead, sizeof(st_dead), "/run/runc/%s", dead_id);
	snprintf(st_live, sizeof(st_live), "/run/runc/%s", live_id);
	bool runc_root = geteuid() == 0 && (mkdir("/run/runc", 0700) == 0 || errno == EEXIST);
	if (runc_root) {
		assert_int_equal(mkdir(st_dead, 0711), 0);
		assert_int_equal(mkdir(st_live, 0711), 0);
	}
	if (cg)
		assert_true(made > 0); /* the dead owner's groups are there to go */
	struct sweep_tally t = { { 0 } };
	container__sweep(&t);
	if (runc_root) {
		assert_int_equal(access(st_dead, F_OK), -1);
		assert_int_equal(access(st_live, F_OK), 0);
		rmdir(st_live);
	}
	assert_int_equal(access(d[0], F_OK), -1);
	assert_int_equal(access(d[1], F_OK), -1);
	assert_int_equal(access(d[2], F_OK), 0);
	assert_int_equal(access(d[3], F_OK), 0);
	/* Temp dirs are in our TMPDIR alone, so all of them are ours to count;
	 * cgroups, runc states and images are global, and a run beside this
	 * one (make test runs suites side by side) may remove the dead owner's
	 * first: for those, what is gone and what stays is checked. */
	assert_true(t.n[SWEEP_TMPDIR] >= 2);
	if (cg) {
		assert_int_equal(ct_cgroup__count_prefix(&l, dead_id), 0);
		assert_int_equal(ct_cgroup__count_prefix(&l, live_id), (int)l.nall);
		for (unsigned i = 0; i < l.nall; i++) {
			char p[600];
			snprintf(p, sizeof(p), "%s/%s", l.all[i], live_id);
			rmdir(p);
		}
	}
}

/* docker import of an empty root file system with these labels. */
static void import_image(const char *name, const char *labels)
{
	static char empty_tar[10240];
	char change[256];
	snprintf(change, sizeof(change), "LABEL virtbench=1 %s", labels);
	char *argv[] = { "docker", "import", "--change", change, "-", (char *)name, NULL };
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = 60000,
				  .stdin_data = empty_tar,
				  .stdin_len = sizeof(empty_tar) };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
}

/* `docker <verb> name`; true when it exited 0. */
static bool docker_on(const char *verb, const char *name)
{
	char *argv[] = { "docker", (char *)verb, (char *)name, NULL };
	struct vb_proc_result r;
	bool ok = vb_run_ok(argv, &r);
	proc__result_free(&r);
	return ok;
}

static bool image_exists(const char *name)
{
	return docker_on("inspect", name);
}

static void rmi(const char *name)
{
	docker_on("rmi", name);
}

static void test_docker_images_of_dead_owners(void **state)
{
	(void)state;
	VB_REQUIRE(vb_docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	struct vb_owner dead = dead_owner(), me = owner__self();
	char l_dead[96], l_live[96], l_kept[160], l_reused[96];
	snprintf(l_dead, sizeof(l_dead), "virtbench.pid=%d virtbench.start=%llu", (int)dead.pid,
		 (unsigned long long)dead.start);
	snprintf(l_live, sizeof(l_live), "virtbench.pid=%d virtbench.start=%llu", (int)me.pid,
		 (unsigned long long)me.start);
	snprintf(l_kept, sizeof(l_kept), "%s virtbench.keep=1", l_dead);
	snprintf(l_reused, sizeof(l_reused), "virtbench.pid=%d virtbench.start=%llu", (int)me.pid,
		 (unsigned long long)me.start + 3);
	char n_dead[64], n_live[64], n_kept[64], n_reused[64];
	snprintf(n_dead, sizeof(n_dead), "vbtest-sweep-dead:%d", (int)getpid());
	snprintf(n_live, sizeof(n_live), "vbtest-sweep-live:%d", (int)getpid());
	snprintf(n_kept, sizeof(n_kept), "vbtest-sweep-kept:%d", (int)getpid());
	snprintf(n_reused, sizeof(n_reused), "vbtest-sweep-reused:%d", (int)getpid());
	import_image(n_dead, l_dead);
	import_image(n_live, l_live);
	import_image(n_kept, l_kept);
	import_image(n_reused, l_reused);
	struct sweep_tally t = { { 0 } };
	container__sweep(&t);
	bool dead_gone = !image_exists(n_dead), reused_gone = !image_exists(n_reused);
	bool live_kept = image_exists(n_live), kept_kept = image_exists(n_kept);
	rmi(n_dead);
	rmi(n_live);
	rmi(n_kept);
	rmi(n_reused);
	assert_true(dead_gone);
	assert_true(reused_gone);
	assert_true(live_kept);
	assert_true(kept_kept); /* the tally: see test_container_dirs_and_cgroups */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_liveness),
		cmocka_unit_test(test_names_carry_the_owner),
		cmocka_unit_test(test_nothing_to_say),
		cmocka_unit_test_setup_teardown(test_unmount_under, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_of_a_dead_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_container_dirs_and_cgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docker_images_of_dead_owners, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
