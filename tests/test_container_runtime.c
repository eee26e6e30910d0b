/* The container runtimes end to end: the worker's modes, isolation seen
 * from inside, identical checksums natively and in every runtime, and no
 * leftovers (containers, images, cgroups, temp dirs, mounts) after
 * success, after failure and after a SIGINT in the middle of a run. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "container/container_bench.h"
#include "container/ct_cgroup.h"
#include "core/proc.h"
#include "testutil.h"
#include "worker/protocol.h"

static bool runc_ok(void)
{
	return geteuid() == 0 && vb_have("runc");
}

static long count_prefixed_lines(const char *text, const char *prefix)
{
	long n = 0;
	size_t pl = strlen(prefix);
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, prefix, pl))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static long count_lines(const char *text)
{
	long n = 0;
	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	return n;
}

struct counts {
	long runc, docker_containers, docker_images, cgroups, tmpdirs, mounts;
};

/* What virtbench process `pid` left: its names and labels carry its pid,
 * so runs of this suite elsewhere on the machine do not disturb the count. */
static void count_all_of(pid_t pid, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	char prefix[64], label[64], tmpprefix[64];
	snprintf(prefix, sizeof(prefix), "virtbench-%d-", (int)pid);
	snprintf(label, sizeof(label), "label=virtbench.pid=%d", (int)pid);
	snprintf(tmpprefix, sizeof(tmpprefix), "virtbench-ct.%d.", (int)pid);
	struct vb_proc_result r;
	if (runc_ok()) {
		char *argv[] = { "runc", "list", "-q", NULL };
		if (vb_run_ok(argv, &r))
			c->runc = count_prefixed_lines(r.out, prefix);
		proc__result_free(&r);
	}
	if (vb_docker_ok()) {
		char *ps[] = { "docker", "ps", "-aq", "--filter", label, NULL };
		if (vb_run_ok(ps, &r))
			c->docker_containers = count_lines(r.out);
		proc__result_free(&r);
		char *im[] = { "docker", "images", "-q", "--filter", label, NULL };
		if (vb_run_ok(im, &r))
			c->docker_images = count_lines(r.out);
		proc__result_free(&r);
	}
	struct cg_layout l;
	struct vb_err err = { 0 };
	if (ct_cgroup__detect(&l, &err) == 0)
		c->cgroups = ct_cgroup__count_prefix(&l, prefix);
	const char *tmp = getenv("TMPDIR");
	DIR *d = opendir(tmp && *tmp ? tmp : "/tmp");
	for (struct dirent *e; d && (e = readdir(d));)
		c->tmpdirs += !strncmp(e->d_name, tmpprefix, strlen(tmpprefix));
	if (d)
		closedir(d);
	struct mountinfo mi;
	assert_int_equal(mountinfo__read(MOUNTINFO_SELF, &mi, &err), 0);
	for (size_t i = 0; i < mi.n; i++) {
		const struct mount_entry *m = &mi.mounts[i];
		c->mounts += strstr(m->point, tmpprefix) || strstr(m->root, tmpprefix) ||
			     strstr(m->source, tmpprefix) || strstr(m->super_options, tmpprefix);
	}
	mountinfo__free(&mi);
}

static void count_all(struct counts *c)
{
	count_all_of(getpid(), c);
}

static void assert_same_counts(const struct counts *a, const struct counts *b)
{
	assert_int_equal(a->runc, b->runc);
	assert_int_equal(a->docker_containers, b->docker_containers);
	assert_int_equal(a->docker_images, b->docker_images);
	assert_int_equal(a->cgroups, b->cgroups);
	assert_int_equal(a->tmpdirs, b->tmpdirs);
	assert_int_equal(a->mounts, b->mounts);
}

static const char *worker_path(void)
{
	static char path[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(path, sizeof(path), "%s/virtbench-worker", b ? b : "build");
	return path;
}

static void opts(struct container_opts *o, unsigned runtimes)
{
	container_opts__init(o, false);
	o->runtimes = runtimes;
	o->quiet = true;
	o->silent = true;
	o->run.iterations = 1;
	o->run.warmup = 0;
	o->keep_image = false;
}

static unsigned available_runtimes(void)
{
	unsigned m = 0;
	if (geteuid() == 0)
		m |= 1u << CT_RT_BUILTIN;
	if (runc_ok())
		m |= 1u << CT_RT_RUNC;
	if (vb_docker_ok())
		m |= 1u << CT_RT_DOCKER;
	return m;
}

/* ---- the worker on its own ---- */

static void test_worker_modes(void **state)
{
	(void)state;
	struct vb_proc_result r;
	char *once[] = { (char *)worker_path(), "--once", "kind=noop", NULL };
	assert_true(vb_run_ok(once, &r));
	assert_int_equal(count_lines(r.out), 1);
	struct vbp_msg m;
	assert_int_equal(vbp__parse(r.out, &m, NULL), 0);
	assert_int_equal(m.type, VBP_READY);
	assert_true(m.ready.ts_ns > 0);
	proc__result_free(&r);

	/* Serve mode: commands on stdin, records on stdout. */
	const char cmds[] = "VBRUN kind=cpu threads=2 max_events=50 cpu_max_prime=1000\n"
			    "VBFOO\n"
			    "VBEXIT\n";
	char *serve[] = { (char *)worker_path(), "--marker", "t1", NULL };
	struct vb_proc_opts o = { .argv = serve,
				  .timeout_ms = 30000,
				  .stdin_data = cmds,
				  .stdin_len = sizeof(cmds) - 1 };
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(count_prefixed_lines(r.out, "VBREADY "), 1);
	assert_non_null(strstr(r.out, "marker=t1"));
	assert_int_equal(count_prefixed_lines(r.out, "VBRESULT thread="), 2);
	assert_int_equal(count_prefixed_lines(r.out, "VBDONE status=0"), 1);
	assert_int_equal(count_prefixed_lines(r.out, "VBERROR "), 1); /* VBFOO */
	proc__result_free(&r);

	char *bad[] = { (char *)worker_path(), "--ready-fd", "x", NULL };
	struct vb_proc_opts ob = { .argv = bad, .timeout_ms = 30000 };
	assert_int_equal(proc__run(&ob, &r, &err), 0);
	assert_int_equal(r.exit_code, 2);
	proc__result_free(&r);

	char *facts[] = { (char *)worker_path(), "--facts", NULL };
	assert_true(vb_run_ok(facts, &r));
	const char *fl = strstr(r.out, "VBFACTS ");
	assert_non_null(fl);
	assert_int_equal(vbp__parse(fl, &m, NULL), 0);
	assert_true(m.facts.pid > 1);
	proc__result_free(&r);
}

/* ---- isolation ---- */

static void facts_in(enum ct_runtime rt, struct vbp_facts *f)
{
	struct container_opts o;
	opts(&o, 1u << rt);
	o.keep_image = true; /* one image for the whole suite: removed at its end */
	char line[VBP_LINE_MAX];
	struct vb_err err = { 0 };
	if (container_bench__facts(rt, &o, line, sizeof(line), &err) < 0)
		fail_msg("%s: %s", container_runtime__name(rt), err.msg);
	struct vbp_msg m;
	assert_int_equal(vbp__parse(line, &m, NULL), 0);
	assert_int_equal(m.type, VBP_FACTS);
	*f = m.facts;
}

static void test_builtin_isolates(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	struct vbp_facts f;
	facts_in(CT_RT_BUILTIN, &f);
	assert_int_equal(f.pid, 1);
	assert_int_equal(f.ppid, 0);
	assert_string_equal(f.hostname, "virtbench");
	/* /, /proc and the three device nodes: nothing of the host's. */
	assert_int_equal(f.mounts, 5);
	assert_string_equal(f.netifs, "lo");
	assert_int_equal(f.netifs_n, 1);
}

static void test_runc_isolates(void **state)
{
	(void)state;
	VB_REQUIRE(runc_ok(), "runc and root");
	struct vbp_facts f;
	facts_in(CT_RT_RUNC, &f);
	assert_int_equal(f.pid, 1);
	assert_string_equal(f.hostname, "virtbench");
	assert_string_equal(f.netifs, "lo");
}

static void test_docker_isolates(void **state)
{
	(void)state;
	VB_REQUIRE(vb_docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	struct vbp_facts f;
	facts_in(CT_RT_DOCKER, &f);
	assert_int_equal(f.pid, 1);
	assert_string_equal(f.netifs, "lo");
}

/* ---- the same work everywhere ---- */

static void job_reports(int rt, const struct wl_job *job, bool hist, struct wl_report *reps,
			unsigned *n)
{
	struct container_opts o;
	opts(&o, rt >= 0 ? 1u << rt : 0);
	o.keep_image = true; /* one image for the whole suite: removed at its end */
	struct vb_err err = { 0 };
	if (container_bench__run_job(rt, &o, job, hist, reps, 8, n, &err) < 0)
		fail_msg("%s: %s", container_runtime__name(rt), err.msg);
}

static void checksums_match(int rt)
{
	struct wl_job cpu = {
		.kind = WL_CPU, .threads = 2, .max_events = 200, .cpu_max_prime = 10000
	};
	struct wl_job mem = { .kind = WL_MEMORY,
			      .threads = 2,
			      .mem_oper = WL_MEM_WRITE,
			      .mem_sysbench = 1,
			      .mem_block_size = 1024,
			      .mem_total_size = 4 << 20,
			      .buf_size = 1024 };
	const struct wl_job *jobs[] = { &cpu, &mem };
	for (int k = 0; k < 2; k++) {
		struct wl_report nat[8], in[8];
		unsigned nn = 0, ni = 0;
		job_reports(CT_RT_NATIVE, jobs[k], k == 1, nat, &nn);
		job_reports(rt, jobs[k], k == 1, in, &ni);
		assert_int_equal(nn, 2);
		assert_int_equal(ni, 2);
		for (unsigned t = 0; t < 2; t++) {
			assert_true(nat[t].events > 0);
			assert_true(nat[t].events == in[t].events);
			assert_true(nat[t].checksum == in[t].checksum);
			assert_true(nat[t].bytes == in[t].bytes);
		}
	}
}

static void test_checksum_builtin(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	checksums_match(CT_RT_BUILTIN);
}

static void test_checksum_runc(void **state)
{
	(void)state;
	VB_REQUIRE(runc_ok(), "runc and root");
	checksums_match(CT_RT_RUNC);
}

static void test_checksum_docker(void **state)
{
	(void)state;
	VB_REQUIRE(vb_docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	checksums_match(CT_RT_DOCKER);
}

/* ---- no leftovers ---- */

static void test_no_leftovers_after_success(void **state)
{
	(void)state;
	unsigned rts = available_runtimes();
	VB_REQUIRE(rts, "root, runc or docker");
	struct counts before, after;
	count_all(&before);
	struct container_opts o;
	opts(&o, rts);
	struct vb_result_set set;
	result_set__init(&set);
	struct vb_err err = { 0 };
	if (container_bench__startup(&o, &set, &err) < 0)
		fail_msg("%s", err.msg);
	for (int i = 0; i < CT_RT_COUNT; i++)
		if (rts & (1u << i))
			assert_non_null(result_set__find(&set, "container.startup",
							 container_runtime__platform(i),
							 "ready_ms"));
	assert_non_null(result_set__find(&set, "container.startup", "unshare-exec", "ready_ms"));
	if (rts & (1u << CT_RT_DOCKER))
		assert_non_null(result_set__find(&set, "container.startup", "docker-seed-method",
						 "running_ms"));
	result_set__free(&set);
	count_all(&after);
	assert_same_counts(&before, &after);
}

static void test_no_leftovers_after_failure(void **state)
{
	(void)state;
	unsigned rts = available_runtimes();
	VB_REQUIRE(rts, "root, runc or docker");
	struct counts before, after;
	count_all(&before);
	/* A worker that cannot start in a container (dynamically linked, and
	 * the root file system has no loader): every runtime fails. */
	setenv("VIRTBENCH_WORKER", "/bin/false", 1);
	struct container_opts o;
	opts(&o, rts);
	struct vb_result_set set;
	result_set__init(&set);
	struct vb_err err = { 0 };
	int rc = container_bench__startup(&o, &set, &err);
	unsetenv("VIRTBENCH_WORKER");
	assert_int_equal(rc, 0);
	for (int i = 0; i < CT_RT_COUNT; i++)
		if (rts & (1u << i))
			assert_null(result_set__find(&set, "container.startup",
						     container_runtime__platform(i), "ready_ms"));
	unsigned nsk = 0;
	for (size_t i = 0; i < set.nskips; i++)
		nsk += strcmp(set.skips[i].platform, "unshare-exec") != 0;
	assert_true(nsk >= (unsigned)__builtin_popcount(rts));
	result_set__free(&set);
	count_all(&after);
	assert_same_counts(&before, &after);
}

static bool more_than(const struct counts *now, const struct counts *before)
{
	return now->runc > before->runc || now->docker_containers > before->docker_containers ||
	       now->cgroups > before->cgroups;
}

static void test_no_leftovers_after_sigint(void **state)
{
	(void)state;
	unsigned rts = available_runtimes();
	VB_REQUIRE(rts, "root, runc or docker");
	struct counts before = { 0 }, now;
	char list[64] = "";
	for (int i = 0; i < CT_RT_COUNT; i++)
		if (rts & (1u << i))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 list[0] ? "," : "", container_runtime__name(i));
	char *argv[] = {
		(char *)vb_binary(), "container", "density", "--runtime", list, "--counts", "4",
		"--iterations",	     "1000",	  "--quiet", NULL
	};
	struct vb_proc_opts o = { .argv = argv };
	struct vb_proc p;
	struct vb_err err = { 0 };
	assert_int_equal(proc__spawn(&o, &p, &err), 0);
	/* Wait until containers exist, then interrupt in the middle. */
	bool seen = false;
	for (int i = 0; i < 600 && !seen; i++) {
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
		count_all_of(p.pid, &now);
		seen = more_than(&now, &before);
		int st;
		if (proc__exited(&p, &st))
			break;
	}
	assert_true(seen);
	kill(p.pid, SIGINT);
	int status = -1;
	for (int i = 0; i < 1200; i++) {
		if (proc__exited(&p, &status))
			break;
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
	}
	bool exited = proc__exited(&p, &status);
	pid_t pid = p.pid;
	proc__stop(&p, 0);
	assert_true(exited);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	count_all_of(pid, &now);
	assert_same_counts(&before, &now);
}

/* The image the isolation and checksum tests kept (it carries our pid). */
static int remove_kept_image(void **state)
{
	(void)state;
	if (!vb_docker_ok())
		return 0;
	char label[64];
	snprintf(label, sizeof(label), "label=virtbench.pid=%d", (int)getpid());
	char *im[] = { "docker", "images", "-q", "--filter", label, NULL };
	struct vb_proc_result r;
	if (vb_run_ok(im, &r)) {
		char *save = NULL;
		for (char *id = strtok_r(r.out, "\n", &save); id;
		     id = strtok_r(NULL, "\n", &save)) {
			char *rmi[] = { "docker", "rmi", "--force", id, NULL };
			struct vb_proc_result rr;
			vb_run_ok(rmi, &rr);
			proc__result_free(&rr);
		}
	}
	proc__result_free(&r);
	return 0;
}

int main(void)
{
	/* The leftover checks run first, while no image is kept. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worker_modes),
		cmocka_unit_test(test_no_leftovers_after_success),
		cmocka_unit_test(test_no_leftovers_after_failure),
		cmocka_unit_test(test_no_leftovers_after_sigint),
		cmocka_unit_test(test_builtin_isolates),
		cmocka_unit_test(test_runc_isolates),
		cmocka_unit_test(test_docker_isolates),
		cmocka_unit_test(test_checksum_builtin),
		cmocka_unit_test(test_checksum_runc),
		cmocka_unit_test(test_checksum_docker),
	};
	return cmocka_run_group_tests(tests, NULL, remove_kept_image);
}
