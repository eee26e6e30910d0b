/* The disk and network workloads (src/worker/io.h): bytes moved equal the
 * bytes asked, the latency histogram holds one entry per operation, data
 * read back is checked, bad inputs are refused, and nothing is left behind
 * (test file, its directory) by the native command on success or failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "iodirs.h"

#include "container/container_bench.h"
#include "core/interrupt.h"
#include "core/owner.h"
#include "core/sweep.h"
#include "core/result.h"
#include "measure/iobench.h"
#include "native/native.h"
#include "worker/io.h"

#define MIB (1ull << 20)

static char tmp[1024];

static int setup(void **state)
{
	(void)state;
	return vb_tmpdir_enter(tmp, sizeof(tmp), "vb-test-io");
}

static int teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(tmp);
	return 0;
}

static unsigned entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			print_message("left in %s: %s\n", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static struct io_result *run(const struct io_params *p, int expect_rc)
{
	static struct io_result r;
	char why[256] = "";
	int rc = io__run(p, &r, why, sizeof(why));
	if (rc != expect_rc)
		fail_msg("io__run %s: rc %d, %s", io__test_name(p->test), rc, why);
	if (rc == 0)
		assert_int_equal(io_hist__total(&r.hist), r.hist.count);
	return &r;
}

static void test_hist(void **state)
{
	(void)state;
	/* Every value lands in the bucket whose range holds it. */
	for (uint64_t v = 0; v < 5000000; v = v * 3 / 2 + 1) {
		uint64_t lo, hi;
		io_hist__range(io_hist__bucket(v), &lo, &hi);
		assert_true(lo <= v && v <= hi);
		assert_true(io_hist__bucket(v) < IO_HIST_N);
	}
	assert_true(io_hist__bucket(UINT64_MAX) < IO_HIST_N);
	struct io_hist *h = malloc(sizeof(*h)), *g = malloc(sizeof(*g));
	io_hist__init(h);
	io_hist__init(g);
	for (uint64_t i = 1; i <= 1000; i++)
		io_hist__add(i <= 500 ? h : g, i * 1000);
	io_hist__merge(h, g);
	assert_int_equal(h->count, 1000);
	assert_int_equal(io_hist__total(h), 1000);
	assert_int_equal(h->min_ns, 1000);
	assert_int_equal(h->max_ns, 1000000);
	/* Within a bucket's width of the exact quantiles (500 us, 990 us). */
	uint64_t p50 = io_hist__quantile(h, 0.5), p99 = io_hist__quantile(h, 0.99);
	assert_true(p50 > 500000 * 0.98 && p50 < 500000 * 1.02);
	assert_true(p99 > 990000 * 0.98 && p99 < 990000 * 1.02);
	io_hist__init(g);
	assert_int_equal(io_hist__quantile(g, 0.5), 0);
	free(h);
	free(g);
}

static void make_file(char *path, size_t size, uint64_t bytes)
{
	snprintf(path, size, "%s/%s", tmp, IO_FILE_NAME);
	char why[256];
	if (io_disk__prepare(path, bytes, 1, why, sizeof(why)) < 0)
		fail_msg("prepare: %s", why);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((uint64_t)st.st_size, bytes);
}

static void test_disk_bytes_and_checksum(void **state)
{
	(void)state;
	char path[4096];
	make_file(path, sizeof(path), 8 * MIB);
	struct io_params p = { .test = IO_SEQ_READ,
			       .depth = 1,
			       .direct = 1,
			       .file_size = 8 * MIB,
			       .max_bytes = 8 * MIB,
			       .path = path };
	struct io_result *r = run(&p, 0);
	assert_int_equal(r->bytes, 8 * MIB);
	assert_int_equal(r->ops, 8);
	assert_int_equal(r->bad_blocks, 0);
	assert_int_equal(r->checksum, io_disk__seq_checksum(8 * MIB, 8 * MIB));
	assert_int_not_equal(r->checksum, 0);
	/* Past the end the read wraps to the start. */
	p.max_bytes = 11 * MIB;
	r = run(&p, 0);
	assert_int_equal(r->bytes, 11 * MIB);
	assert_int_equal(r->checksum, io_disk__seq_checksum(8 * MIB, 11 * MIB));

	/* Random reads and writes at depth 1 and 32, through every engine. */
	for (uint32_t test = IO_RAND_READ; test <= IO_RAND_WRITE; test++) {
		for (uint32_t depth = 1; depth <= 32; depth += 31) {
			p = (struct io_params){ .test = test,
						.depth = depth,
						.direct = 1,
						.file_size = 8 * MIB,
						.max_bytes = MIB,
						.path = path };
			r = run(&p, 0);
			assert_int_equal(r->bytes, MIB);
			assert_int_equal(r->ops, MIB / 4096);
			assert_int_equal(r->hist.count, MIB / 4096);
			assert_int_equal(r->bad_blocks, 0);
			assert_int_equal(r->engine, depth > 1 ? IO_ENGINE_URING : IO_ENGINE_SYNC);
		}
	}
	/* Writes keep the pattern: a whole pass still reads back right. */
	p = (struct io_params){ .test = IO_SEQ_WRITE,
				.depth = 1,
				.direct = 1,
				.file_size = 8 * MIB,
				.max_bytes = 3 * MIB,
				.path = path };
	r = run(&p, 0);
	assert_int_equal(r->bytes, 3 * MIB);
	p = (struct io_params){ .test = IO_FSYNC,
				.depth = 1,
				.file_size = 8 * MIB,
				.max_bytes = 5 * 4096,
				.path = path };
	r = run(&p, 0);
	assert_int_equal(r->ops, 5);
	assert_int_equal(r->hist.count, 5);
	p = (struct io_params){ .test = IO_SEQ_READ,
				.depth = 1,
				.direct = 1,
				.file_size = 8 * MIB,
				.max_bytes = 8 * MIB,
				.path = path };
	r = run(&p, 0);
	assert_int_equal(r->bad_blocks, 0);
	assert_int_equal(r->checksum, io_disk__seq_checksum(8 * MIB, 8 * MIB));

	/* A block changed behind the workload's back is found. */
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "garbage!", 8, 5 * 4096), 8);
	fsync(fd);
	close(fd);
	r = run(&p, 0);
	assert_int_equal(r->bad_blocks, 1);
	assert_int_not_equal(r->checksum, io_disk__seq_checksum(8 * MIB, 8 * MIB));
	unlink(path);
}

static void test_disk_time_bound(void **state)
{
	(void)state;
	char path[4096];
	make_file(path, sizeof(path), 4 * MIB);
	struct io_params p = { .test = IO_RAND_READ,
			       .depth = 32,
			       .direct = 1,
			       .file_size = 4 * MIB,
			       .time_ns = 50000000,
			       .path = path };
	struct io_result *r = run(&p, 0);
	assert_true(r->ops > 0);
	assert_int_equal(r->bytes, r->ops * 4096);
	assert_int_equal(r->hist.count, r->ops);
	/* Stopped (Ctrl-C) before it starts: nothing done, no failure. */
	volatile uint32_t stop = 1;
	p.stop = &stop;
	p.depth = 1;
	r = run(&p, 0);
	assert_int_equal(r->ops, 0);
	unlink(path);
}

static void test_net_bytes(void **state)
{
	(void)state;
	struct io_params p = { .test = IO_TCP_STREAM,
			       .block = 128 << 10,
			       .max_bytes = 8 * MIB + 5 };
	struct io_result *r = run(&p, 0);
	assert_int_equal(r->bytes, 8 * MIB + 5);
	assert_int_equal(r->hist.count, r->ops);
	p.test = IO_TCP_STREAM_RX;
	p.max_bytes = 4 * MIB;
	r = run(&p, 0);
	assert_int_equal(r->bytes, 4 * MIB);
	/* 100 round trips of 64 bytes each way. */
	p = (struct io_params){ .test = IO_TCP_RR, .block = 64, .max_bytes = 100 * 128 };
	r = run(&p, 0);
	assert_int_equal(r->ops, 100);
	assert_int_equal(r->bytes, 100 * 128);
	assert_int_equal(r->hist.count, 100);
	assert_true(r->hist.min_ns > 0);
	p = (struct io_params){ .test = IO_TCP_CRR, .block = 1, .max_bytes = 50 * 2 };
	r = run(&p, 0);
	assert_int_equal(r->ops, 50);
	assert_int_equal(r->hist.count, 50);
}

static void test_net_peer_counts(void **state)
{
	(void)state;
	char why[256];
	struct io_peer peer;
	assert_int_equal(io_peer__start(&peer, INADDR_LOOPBACK, why, sizeof(why)), 0);
	struct io_params p = { .test = IO_TCP_STREAM,
			       .block = 4096,
			       .max_bytes = MIB,
			       .peer = peer.addr,
			       .port = peer.port };
	run(&p, 0);
	p = (struct io_params){ .test = IO_TCP_RR,
				.block = 1,
				.max_bytes = 2 * 10,
				.peer = peer.addr,
				.port = peer.port };
	run(&p, 0);
	pid_t pid = peer.pid;
	assert_true(pid > 0);
	io_peer__stop(&peer);
	assert_int_equal(kill(pid, 0), -1); /* the peer process is gone, reaped */
	assert_int_equal(errno, ESRCH);
	assert_int_equal(peer.received, MIB);
	assert_int_equal(peer.served, 10);
	io_peer__stop(&peer); /* twice is harmless */
}

static void test_bad_inputs(void **state)
{
	(void)state;
	char why[256];
	/* Never an address outside loopback and the namespaces' link. */
	assert_false(io__addr_allowed(0x08080808));
	assert_false(io__addr_allowed(0xc0a80001));
	assert_false(io__addr_allowed(0));
	assert_true(io__addr_allowed(INADDR_LOOPBACK));
	assert_true(io__addr_allowed(0x7f000002));
	assert_true(io__addr_allowed(IO_NET_LINK_PEER));
	struct io_peer peer;
	assert_int_equal(io_peer__start(&peer, 0x08080808, why, sizeof(why)), -1);
	io_peer__stop(&peer);
	struct io_params p = {
		.test = IO_TCP_RR, .block = 1, .max_bytes = 2, .peer = 0x08080808, .port = 80
	};
	run(&p, -1);
	p.peer = INADDR_LOOPBACK;
	p.max_bytes = 0; /* unbounded */
	run(&p, -1);
	p = (struct io_params){ .test = IO_TCP_RR, .block = 0, .max_bytes = 2 };
	run(&p, -1);
	p = (struct io_params){ .test = 77 };
	run(&p, -1);
	p = (struct io_params){ .test = IO_RAND_READ, .depth = 1, .file_size = MIB };
	run(&p, -1); /* no file */
	char path[4096];
	snprintf(path, sizeof(path), "%s/x", tmp);
	assert_int_equal(io_disk__prepare(path, MIB + 1, 1, why, sizeof(why)), -1);
	assert_int_equal(access(path, F_OK), -1);
	make_file(path, sizeof(path), 2 * MIB);
	p = (struct io_params){ .test = IO_RAND_READ,
				.depth = 0,
				.file_size = 2 * MIB,
				.max_bytes = 4096,
				.path = path };
	run(&p, -1);
	p.depth = 1;
	p.max_bytes = 100; /* not whole blocks */
	run(&p, -1);
	unlink(path);
	/* A directory that is not one, or is missing. */
	struct vb_err err = { 0 };
	assert_int_equal(iobench__check_dir("--dir", "/nonexistent/x", MIB, &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	err = (struct vb_err){ 0 };
	assert_int_equal(iobench__check_dir("--dir", "/etc/hostname", MIB, &err), -1);
	err = (struct vb_err){ 0 };
	assert_int_equal(iobench__check_dir("--dir", tmp, 1ull << 50, &err), -1);
	assert_non_null(strstr(err.msg, "free"));
	err = (struct vb_err){ 0 };
	assert_int_equal(iobench__check_dir("--dir", tmp, MIB, &err), 0);
}

/* The command: usage errors with one line and exit 2, nothing written. */
static void expect_usage(char *const *argv, const char *word)
{
	struct vb_proc_result r;
	assert_false(vb_run_ok(argv, &r));
	if (r.exit_code != 2 || !strstr(r.errout, word))
		fail_msg("exit %d, stderr: %s", r.exit_code, r.errout);
	const char *nl = strchr(r.errout, '\n');
	assert_true(nl && !nl[1]); /* one line */
	proc__result_free(&r);
}

static void test_cli_errors(void **state)
{
	(void)state;
	const char *vb = vb_binary();
	char sub[4096];
	snprintf(sub, sizeof(sub), "%s/d", tmp);
	assert_int_equal(mkdir(sub, 0755), 0);
	char *big[] = { (char *)vb, "native", "disk", "--dir", sub, "--size", "1000T", NULL };
	expect_usage(big, "--size");
	char *odd[] = { (char *)vb, "native", "disk", "--dir", sub, "--size", "17000000", NULL };
	expect_usage(odd, "1 MiB");
	char *none[] = { (char *)vb, "native", "disk", "--dir", "/nonexistent", NULL };
	expect_usage(none, "--dir");
	char *tests[] = { (char *)vb, "native", "net", "--tests", "udp", NULL };
	expect_usage(tests, "--tests");
	assert_int_equal(entries(sub), 0);
	if (geteuid() == 0) {
		/* A read-only file system and a full one. */
		assert_int_equal(mount("tmpfs", sub, "tmpfs", MS_RDONLY, "size=64m"), 0);
		char *ro[] = { (char *)vb, "native", "disk", "--dir", sub, "--size", "16M", NULL };
		expect_usage(ro, "read-only");
		assert_int_equal(umount(sub), 0);
		assert_int_equal(mount("tmpfs", sub, "tmpfs", 0, "size=32m"), 0);
		char *full[] = { (char *)vb, "native", "disk", "--dir", sub, "--size", "64M", NULL };
		expect_usage(full, "free");
		assert_int_equal(entries(sub), 0);
		assert_int_equal(umount(sub), 0);
	}
	rmdir(sub);
}

/* The native benchmark leaves its directory empty, measured or stopped. */
static void test_native_cleanup(void **state)
{
	(void)state;
	struct iobench_opts o;
	iobench_opts__init(&o, false);
	o.dir = tmp;
	o.size = 16 * MIB;
	o.time_s = 0.02;
	o.run.warmup = 0;
	o.run.iterations = 1;
	o.tests = (1u << IOB_SEQ_READ) | (1u << IOB_RAND_READ);
	o.depths[0] = 4;
	o.ndepths = 1;
	struct vb_result_set set, *s = &set;
	result_set__init(s);
	struct vb_err err = { 0 };
	if (native__bench_io(&o, s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s->nresults, 4); /* seq MiB/s; rand IOPS, p50, p99 */
	for (size_t i = 0; i < s->nresults; i++) {
		assert_string_equal(s->results[i]->benchmark, "disk");
		assert_string_equal(result__config(s->results[i], "mode"), "host");
		assert_true(s->results[i]->nsamples == 1);
	}
	assert_int_equal(entries(tmp), 0);
	result_set__free(s);
	/* Interrupted: the run ends, and still nothing stays. */
	result_set__init(s);
	interrupt__set(true);
	err = (struct vb_err){ 0 };
	assert_int_equal(native__bench_io(&o, s, &err), -1);
	interrupt__set(false);
	assert_int_equal(entries(tmp), 0);
	result_set__free(s);
	/* Network: mode loopback, every test once. */
	iobench_opts__init(&o, true);
	o.time_s = 0.02;
	o.run.warmup = 0;
	o.run.iterations = 1;
	result_set__init(s);
	err = (struct vb_err){ 0 };
	if (native__bench_io(&o, s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s->nresults, 1 + 1 + 3 * 2 + 2);
	assert_string_equal(result__config(s->results[0], "mode"), "loopback");
	result_set__free(s);
}

/* A directory a killed run left is removed by the next sweep of its --dir;
 * a live run's stays. */
static void test_sweep(void **state)
{
	(void)state;
	char gone[1200], mine[1200];
	iodirs_make(tmp, gone, sizeof(gone), mine, sizeof(mine));
	char file[1300];
	snprintf(file, sizeof(file), "%s/" IO_FILE_NAME, gone);
	assert_int_equal(close(open(file, O_CREAT | O_WRONLY, 0600)), 0);
	struct sweep_tally t = { { 0 } };
	iobench__sweep(tmp, &t);
	assert_int_equal(t.n[SWEEP_TMPDIR], 1);
	assert_int_equal(access(gone, F_OK), -1);
	assert_int_equal(access(mine, F_OK), 0);
	rmdir(mine);
}

/* Descriptors of network namespaces this process holds. */
static unsigned netns_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char p[300], l[64];
		snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
		ssize_t k = readlink(p, l, sizeof(l) - 1);
		if (k > 0) {
			l[k] = '\0';
			n += !strncmp(l, "net:[", 5);
		}
	}
	closedir(d);
	return n;
}

static const char *cfg(const struct vb_result *r, const char *key)
{
	const char *v = result__config(r, key);
	return v ? v : "";
}

/* The modes one runtime was measured in, in order ("overlay,volume"),
 * from the results of one metric; "" when none. */
static void modes_of(const struct vb_result_set *set, const char *platform, const char *metric,
		     char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < set->nresults; i++) {
		const struct vb_result *r = set->results[i];
		if (strcmp(r->platform, platform) || strcmp(r->metric, metric))
			continue;
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s", n ? "," : "", cfg(r, "mode"));
	}
}

/* The skip of a platform whose reason contains `word` ("" for any). */
static const char *skip_of(const struct vb_result_set *set, const char *platform, const char *word)
{
	for (size_t i = 0; i < set->nskips; i++)
		if (!strcmp(set->skips[i].platform, platform) && set->skips[i].reason[0] &&
		    strstr(set->skips[i].reason, word))
			return set->skips[i].reason;
	return NULL;
}

/* Every result moved something (a median above zero), says its runtime and
 * mode, and carries an overhead unless it is the native baseline. */
static void check_results(const struct vb_result_set *set, bool net, unsigned iterations)
{
	for (size_t i = 0; i < set->nresults; i++) {
		const struct vb_result *r = set->results[i];
		bool native = !strcmp(r->platform, "native");
		assert_string_equal(r->benchmark, net ? "container.net" : "container.disk");
		assert_true(r->has_overhead == !native);
		assert_int_equal(r->nsamples, iterations);
		assert_true(r->stats.median > 0);
		assert_string_equal(cfg(r, "runtime"), native ? "none" : r->platform);
		assert_true(cfg(r, "mode")[0] != '\0');
	}
}

/* Containers whose labels name this process, as `program ps` lists them. */
static long own_containers(const char *program)
{
	if (!vb_have(program) || (!strcmp(program, "docker") && !vb_docker_ok()))
		return 0;
	char label[64];
	snprintf(label, sizeof(label), "label=virtbench.pid=%d", (int)getpid());
	char *argv[] = { (char *)program, "ps", "-aq", "--filter", label, NULL };
	struct vb_proc_result r;
	long n = 0;
	if (vb_run_ok(argv, &r))
		for (const char *c = r.out ? r.out : "", *nl; (nl = strchr(c, '\n')); c = nl + 1)
			n++;
	else
		fail_msg("%s ps: exit %d", program, r.exit_code);
	proc__result_free(&r);
	return n;
}

static void io_small(struct iobench_opts *o, bool net)
{
	iobench_opts__init(o, net);
	o->dir = tmp;
	o->size = 16 * MIB;
	o->time_s = 0.02;
	o->run.warmup = 0;
	o->run.iterations = 2;
	o->tests = net ? (1u << IOB_RR) | (1u << IOB_STREAM) : (1u << IOB_RAND_READ);
	o->msg_sizes[0] = 64;
	o->nmsg_sizes = 1;
	o->depths[0] = 8;
	o->ndepths = 1;
}

/* container_bench__io into set (result_set__free it), checked. */
static void run_io(const struct container_opts *co, const struct iobench_opts *o,
		   struct vb_result_set *set)
{
	result_set__init(set);
	struct vb_err err = { 0 };
	if (container_bench__io(co, o, set, &err) < 0)
		fail_msg("%s", err.msg);
	check_results(set, o->net, o->run.iterations);
}

/* The built-in runtime's and runc's modes: every result says its runtime
 * and mode, the containers' carry an overhead, and nothing is left: no
 * directory under --dir or in TMPDIR, no namespace descriptor, no
 * interface of the pair in the host's namespace. runc, when it cannot run
 * here, is a skip with its reason. */
static void test_container_modes(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "root (the built-in runtime's cgroups, the veth pair)");
	struct container_opts co;
	container_opts__init(&co, false);
	co.runtimes = (1u << CT_RT_BUILTIN) | (1u << CT_RT_RUNC);
	co.quiet = co.silent = true;
	for (int net = 0; net < 2; net++) {
		struct iobench_opts o;
		io_small(&o, net);
		unsigned fds = netns_fds();
		struct vb_result_set set;
		run_io(&co, &o, &set);
		const char *metric = net ? "gbit_per_sec" : "iops";
		const char *modes = net ? "loopback,veth" : "overlay,volume";
		char seen[128];
		modes_of(&set, "native", metric, seen, sizeof(seen));
		assert_string_equal(seen, net ? "loopback" : "host");
		modes_of(&set, "container-builtin", metric, seen, sizeof(seen));
		assert_string_equal(seen, modes);
		modes_of(&set, "runc", metric, seen, sizeof(seen));
		if (!seen[0])
			assert_non_null(skip_of(&set, "runc", ""));
		else
			assert_string_equal(seen, modes);
		for (size_t i = 0; !net && i < set.nresults; i++)
			assert_string_equal(cfg(set.results[i], "engine"), "io_uring");
		result_set__free(&set);
		assert_int_equal(entries(tmp), 0);
		assert_int_equal(netns_fds(), fds);
		assert_int_equal(access("/sys/class/net/vbpeer0", F_OK), -1);
		assert_int_equal(access("/sys/class/net/vbct0", F_OK), -1);
	}
}

/* A target used in place (io_dev 1: a raw file here, a block device with
 * --device): filled with the pattern when large enough, read back
 * exactly, and left where it was by the removal job. */
static void test_disk_in_place(void **state)
{
	(void)state;
	char path[1100], why[256];
	snprintf(path, sizeof(path), "%s/raw", tmp);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(2 * MIB)), 0);
	close(fd);
	struct wl_job j = { .kind = WL_DISK,
			    .threads = 1,
			    .io_direct = 1,
			    .io_file_size = 4 * MIB,
			    .io_dev = IO_DEV_PATH,
			    .io_dir = path };
	struct wl_report r;
	assert_int_equal(io__run_job(&j, NULL, &r, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "smaller than the test size"));
	j.io_file_size = 2 * MIB;
	assert_int_equal(io__run_job(&j, NULL, &r, why, sizeof(why)), 0);
	j.io_test = IO_SEQ_READ;
	j.io_block = MIB;
	j.io_max_bytes = 3 * MIB;
	j.time_ns = 60000000000ull;
	assert_int_equal(io__run_job(&j, NULL, &r, why, sizeof(why)), 0);
	assert_int_equal(r.bytes, 3 * MIB);
	assert_int_equal(r.io_bad_blocks, 0);
	assert_int_equal(r.checksum, io_disk__seq_checksum(2 * MIB, 3 * MIB));
	j.io_test = IO_NONE;
	j.io_file_size = 0;
	assert_int_equal(io__run_job(&j, NULL, &r, why, sizeof(why)), 0);
	assert_int_equal(access(path, F_OK), 0);
	j.io_dev = 7;
	assert_int_equal(io__run_job(&j, NULL, &r, why, sizeof(why)), -1);
	unlink(path);
}

/* crun, docker and podman: each is measured in its modes (docker and
 * podman: the writable layer and a volume; --network none and host, the
 * bridge a skip saying why) or, where it cannot run here (crun 1.8 on a
 * hybrid cgroup layout, a daemon that does not answer), a skip with its
 * reason; afterwards no container of this process and nothing under --dir. */
static void test_container_runtimes(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "root (runc, crun, the daemons)");
	struct container_opts co;
	container_opts__init(&co, false);
	co.runtimes = (1u << CT_RT_CRUN) | (1u << CT_RT_DOCKER) | (1u << CT_RT_PODMAN);
	co.quiet = co.silent = true;
	static const char *const rts[] = { "crun", "docker", "podman" };
	for (int net = 0; net < 2; net++) {
		struct iobench_opts o;
		io_small(&o, net);
		o.tests = net ? 1u << IOB_RR : 1u << IOB_SEQ_READ;
		struct vb_result_set set;
		run_io(&co, &o, &set);
		const char *metric = net ? "p50_us" : "mib_per_sec";
		for (int k = 0; k < 3; k++) {
			char seen[128];
			modes_of(&set, rts[k], metric, seen, sizeof(seen));
			print_message("[ MODES    ] %s %s: %s\n", net ? "net" : "disk", rts[k],
				      seen[0] ? seen : "skipped");
			if (!seen[0]) {
				assert_non_null(skip_of(&set, rts[k], ""));
				continue;
			}
			bool daemon = k > 0;
			assert_string_equal(seen, net	   ? daemon ? "none,host" : "loopback,veth"
						  : daemon ? "layer,volume"
							   : "overlay,volume");
			if (net && daemon)
				assert_non_null(skip_of(&set, rts[k], "bridge mode: "));
		}
		result_set__free(&set);
		assert_int_equal(entries(tmp), 0);
		assert_int_equal(own_containers("docker"), 0);
		assert_int_equal(own_containers("podman"), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_disk_bytes_and_checksum),
		cmocka_unit_test(test_disk_time_bound),
		cmocka_unit_test(test_disk_in_place),
		cmocka_unit_test(test_net_bytes),
		cmocka_unit_test(test_net_peer_counts),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_native_cleanup),
		cmocka_unit_test(test_container_modes),
		cmocka_unit_test(test_container_runtimes),
		cmocka_unit_test(test_sweep),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
