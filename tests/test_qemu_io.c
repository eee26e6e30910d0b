/* Disk and network I/O in a real QEMU guest (TCG, so any host with QEMU
 * and a Debian kernel runs them), and --device:
 *   - one guest with a virtio-blk disk and a virtio-net NIC: the guest's
 *     worker finds the disk by its serial, reads exactly the bytes asked
 *     and every block is what the host wrote; a write run moves exactly
 *     the bytes asked; a stream to the guest's peer through the forwarded
 *     port delivers exactly the bytes asked;
 *   - as root, a guest on a tap device in a namespace of virtbench's own
 *     (net/peer_ns.h): the guest's worker streams exactly the bytes
 *     asked to our peer and makes exactly the transactions asked, and
 *     afterwards the namespace is held by no process and no tap is left;
 *   - `vm disk` and `vm net --platform qemu` end to end: every mode (the
 *     tap mode as root, its skip otherwise), the emulated mark, the note
 *     saying why vhost-net is not used, no process of ours left, and
 *     nothing left in TMPDIR or --dir;
 *   - `vm disk|net` on the microVM record why they are skipped;
 *   - --device refuses what is not a free block device (one line, exit 2,
 *     no results file) and runs on a loop device the test makes;
 *   - usage errors.
 * Six guest boots in all as root: about 60 s here under TCG, of which the
 * tap's two boots are about 20 s (four boots and 40 s without root). */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "net/peer_ns.h"
#include "core/fileio.h"
#include "core/proc.h"
#include "measure/wclient.h"
#include "qemu/qemu_arch.h"
#include "qemu/qemu_bench.h"
#include "qemu/session.h"
#include "worker/io.h"

static char tmpdir[256];
static char worker[4096];

static int setup(void **state)
{
	(void)state;
	return vb_tmpdir_enter(tmpdir, sizeof(tmpdir), "vbtest-qio");
}

static int teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(tmpdir);
	return 0;
}

static bool have_guest(void)
{
	bool kernel = vb_have_boot_kernel();
	const char *b = getenv("VB_BUILD");
	snprintf(worker, sizeof(worker), "%s/virtbench-worker", b ? b : "build");
	return kernel && vb_have(qemu_arch__get()->qemu_binary) && access(worker, X_OK) == 0;
}

#define REQUIRE_GUEST()                                                                            \
	VB_REQUIRE(have_guest(), "no QEMU, no readable /boot/vmlinuz-* or no static worker")

/* Entries of a directory besides . and .. (and `except`). */
static unsigned entries(const char *dir, const char *except)
{
	DIR *d = opendir(dir);
	unsigned n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (!except || strcmp(e->d_name, except)))
			n++;
	if (d)
		closedir(d);
	return n;
}

static struct wl_report guest_job(struct wclient *c, const struct wl_job *j)
{
	struct wl_report rep;
	struct vb_err err = { 0 };
	if (wclient__run_one(c, j, &rep, 120000, &err) < 0)
		fail_msg("guest job: %s", err.msg);
	return rep;
}

/* 3 MiB streamed to peer:port; to_rr makes it 50 transactions of 64 bytes. */
static struct wl_job stream_job(uint32_t peer, uint32_t port)
{
	return (struct wl_job){ .kind = WL_NET,
				.threads = 1,
				.io_test = IO_TCP_STREAM,
				.io_block = 128 << 10,
				.io_max_bytes = 3u << 20,
				.time_ns = 60000000000ull,
				.io_peer = peer,
				.io_port = port };
}

static void to_rr(struct wl_job *n)
{
	n->io_test = IO_TCP_RR;
	n->io_block = 64;
	n->io_max_bytes = 64 * 2 * 50;
}

/* A TCG guest of 1 vCPU and 512 MiB with these QEMU arguments and
 * modules; false, with the reason in err, when it does not boot. */
static bool guest_up(struct qemu_session *s, struct qemu_guest *g, const char *const *extra,
		     const char *const *mods, struct vb_err *err)
{
	static struct qemu_bench_opts o; /* the session keeps a pointer */
	qemu_bench__defaults(&o);
	o.accel = QEMU_ACCEL_TCG;
	o.worker = worker;
	o.modules = mods;
	if (session__open(s, &o, err) < 0)
		return false;
	s->extra_args = extra;
	struct vb_guest_config cfg = { 1, 512 };
	if (session__boot(s, &cfg, g, err) < 0) {
		session__close(s);
		return false;
	}
	return true;
}

/* One guest, both devices, the jobs sent one by one. */
static void test_guest_jobs(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	const uint64_t size = 16u << 20;
	char raw[512], why[256], drive[700], netdev[300];
	snprintf(raw, sizeof(raw), "%s/disk.raw", tmpdir);
	/* The host writes the pattern; the guest must read exactly it. */
	assert_int_equal(io_disk__prepare(raw, size, 1, why, sizeof(why)), 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	snprintf(drive, sizeof(drive), "file=%s,if=none,id=d,format=raw,cache=none,aio=threads",
		 raw);
	snprintf(netdev, sizeof(netdev),
		 "user,id=n,restrict=on,net=10.253.253.0/24,host=10.253.253.1,"
		 "hostfwd=tcp:127.0.0.1:%u-10.253.253.2:7000",
		 ntohs(a.sin_port));
	const char *extra[] = { "-drive",  drive,  "-device", "virtio-blk-pci,drive=d,serial=tq",
				"-netdev", netdev, "-device", "virtio-net-pci,netdev=n",
				NULL };
	static const char *const mods[] = { "virtio_pci", "virtio_blk", "virtio_net", NULL };
	struct qemu_session s;
	struct qemu_guest g;
	struct vb_err err = { 0 };
	if (!guest_up(&s, &g, extra, mods, &err))
		fail_msg("%s", err.msg);
	struct wclient c;
	qemu_guest__client(&g, &c);

	struct wl_job j = { .kind = WL_DISK,
			    .threads = 1,
			    .io_test = IO_SEQ_READ,
			    .io_depth = 1,
			    .io_direct = 1,
			    .io_block = 1 << 20,
			    .io_file_size = size,
			    .io_max_bytes = 5u << 20,
			    .time_ns = 60000000000ull,
			    .io_dev = IO_DEV_SERIAL,
			    .io_dir = "tq" };
	struct wl_report r = guest_job(&c, &j);
	assert_int_equal(r.bytes, 5u << 20);
	assert_int_equal(r.io_bad_blocks, 0);
	assert_int_equal(r.io_direct, 1);
	assert_int_equal(r.checksum, io_disk__seq_checksum(size, 5u << 20));
	j.io_test = IO_RAND_WRITE;
	j.io_depth = 8;
	j.io_block = 4096;
	j.io_max_bytes = 1u << 20;
	r = guest_job(&c, &j);
	assert_int_equal(r.bytes, 1u << 20);
	j.io_test = IO_RAND_READ;
	r = guest_job(&c, &j);
	assert_int_equal(r.bytes, 1u << 20);
	assert_int_equal(r.io_bad_blocks, 0); /* the writes kept the pattern */
	/* A serial no disk has: the worker says so, and serves on. */
	j.io_dir = "nosuch";
	struct vb_err e2 = { 0 };
	assert_int_equal(wclient__run_one(&c, &j, &r, 60000, &e2), -1);
	assert_non_null(strstr(e2.msg, "no block device with serial nosuch"));

	/* The guest's peer, reached from the host through the forward. */
	struct wl_job p = {
		.kind = WL_NET, .threads = 1, .io_peer = IO_NET_LINK_CONTAINER, .io_port = 7000
	};
	guest_job(&c, &p);
	struct wl_job n = stream_job(INADDR_LOOPBACK, ntohs(a.sin_port));
	assert_int_equal(io__run_job(&n, NULL, &r, why, sizeof(why)), 0);
	assert_int_equal(r.bytes, 3u << 20);
	to_rr(&n);
	assert_int_equal(io__run_job(&n, NULL, &r, why, sizeof(why)), 0);
	assert_int_equal(r.events, 50);
	p.io_port = 0; /* stop: the peer's counts come back */
	r = guest_job(&c, &p);
	assert_int_equal(r.bytes, 3u << 20);

	assert_int_equal(session__halt(&s, &g, &err), 0);
	session__close(&s);
	unlink(raw);
	assert_int_equal(entries(tmpdir, NULL), 0);
}

/* Whether any process's network namespace is the one with inode ino. */
static bool ns_held(ino_t ino)
{
	DIR *d = opendir("/proc");
	bool held = false;
	for (struct dirent *e; d && !held && (e = readdir(d));) {
		char path[300];
		struct stat st;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		held = stat(path, &st) == 0 && st.st_ino == ino;
	}
	if (d)
		closedir(d);
	return held;
}

/* A guest whose NIC is a tap in our namespace; its worker is the client. */
static void test_guest_tap(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	VB_REQUIRE(geteuid() == 0 && access("/dev/net/tun", F_OK) == 0,
		   "a tap device in a namespace needs root and /dev/net/tun");
	struct peer_ns tn;
	int tap;
	struct vb_err err = { 0 };
	if (peer_ns__tap(&tn, &tap, &err) < 0)
		fail_msg("%s", err.msg);
	struct stat nst;
	assert_int_equal(fstat(tn.peer_ns, &nst), 0);
	assert_int_equal(access("/sys/class/net/vbtap0", F_OK), -1); /* not the host's */
	char netdev[100];
	snprintf(netdev, sizeof(netdev), "tap,id=n,fd=%d,vhost=off", tap);
	const char *extra[] = { "-netdev", netdev, "-device", "virtio-net-pci,netdev=n", NULL };
	static const char *const mods[] = { "virtio_pci", "virtio_net", NULL };
	struct qemu_session s;
	struct qemu_guest g;
	assert_int_equal(fcntl(tap, F_SETFD, 0), 0); /* QEMU inherits it */
	bool up = guest_up(&s, &g, extra, mods, &err);
	close(tap);
	if (!up) {
		peer_ns__close(&tn);
		fail_msg("%s", err.msg);
	}
	struct wclient c;
	qemu_guest__client(&g, &c);
	struct wl_job n = stream_job(IO_NET_LINK_PEER, tn.peer.port);
	struct wl_report r = guest_job(&c, &n);
	assert_int_equal(r.bytes, 3u << 20);
	to_rr(&n);
	r = guest_job(&c, &n);
	assert_int_equal(r.events, 50);
	assert_int_equal(session__halt(&s, &g, &err), 0);
	session__close(&s);
	peer_ns__close(&tn);
	/* The peer's own counts: what the guest sent arrived, every byte. */
	assert_int_equal(tn.peer.received, 3u << 20);
	assert_int_equal(tn.peer.served, 50);
	assert_false(ns_held(nst.st_ino));
	assert_int_equal(access("/sys/class/net/vbtap0", F_OK), -1);
	assert_int_equal(entries(tmpdir, NULL), 0);
}

/* The parent pid of /proc/<pid>, or -1. */
static pid_t parent_of(const char *pid)
{
	char path[300], buf[1024];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	int ppid;
	char state;
	return p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 ? (pid_t)ppid : -1;
}

/* Whether a process of ours runs the binary at path: a peer or child the
 * run left over, which as an orphan has this test (a subreaper, proc.h) for
 * its parent. Other runs of the same binary beside this one (make test runs
 * suites side by side) are not ours. */
static bool runs_binary(const char *path)
{
	char want[4096], exe[4096], link[300];
	if (!realpath(path, want))
		return false;
	DIR *d = opendir("/proc");
	bool found = false;
	for (struct dirent *e; d && !found && (e = readdir(d));) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(link, sizeof(link), "/proc/%s/exe", e->d_name);
		ssize_t n = readlink(link, exe, sizeof(exe) - 1);
		if (n <= 0)
			continue;
		exe[n] = '\0';
		found = !strcmp(exe, want) && parent_of(e->d_name) == getpid();
	}
	if (d)
		closedir(d);
	return found;
}

static json_t *run_json(char *const *argv)
{
	struct vb_proc_result r;
	bool ok = vb_run_ok(argv, &r);
	if (!ok)
		fail_msg("%s %s: exit %d: %s", argv[1], argv[2], r.exit_code,
			 r.errout ? r.errout : "");
	json_t *j = json_loads(r.out, 0, NULL);
	proc__result_free(&r);
	assert_non_null(j);
	return j;
}

static const char *cfg_of(json_t *res, const char *key)
{
	return json_string_value(json_object_get(json_object_get(res, "config"), key));
}

/* How many results have this platform and mode; each qemu one must carry
 * the emulated mark. */
static unsigned count_mode(json_t *set, const char *platform, const char *mode)
{
	json_t *rs = json_object_get(set, "results"), *res;
	size_t i;
	unsigned n = 0;
	json_array_foreach (rs, i, res) {
		if (strcmp(json_string_value(json_object_get(res, "platform")), platform) ||
		    strcmp(cfg_of(res, "mode"), mode))
			continue;
		n++;
		if (!strcmp(platform, "qemu")) {
			const char *note = json_string_value(json_object_get(res, "note"));
			assert_non_null(note);
			assert_non_null(strstr(note, "emulated"));
		}
	}
	return n;
}

static const char *skip_reason(json_t *set, const char *platform)
{
	json_t *sk = json_object_get(set, "skipped"), *k;
	size_t i;
	json_array_foreach (sk, i, k)
		if (!strcmp(json_string_value(json_object_get(k, "platform")), platform))
			return json_string_value(json_object_get(k, "reason"));
	return NULL;
}

/* `vm CMD --platform qemu` under TCG, one short iteration, as JSON. */
static json_t *run_vm(const char *cmd, const char *const *more)
{
	char *argv[40] = { (char *)vb_binary(),
			   "vm",
			   (char *)cmd,
			   "--platform",
			   "qemu",
			   "--accel",
			   "tcg",
			   "--worker",
			   worker,
			   "--time",
			   "0.2",
			   "--iterations",
			   "1",
			   "--warmup",
			   "0",
			   "--json",
			   "-q" };
	unsigned n = 17;
	for (; *more && n < 39; more++)
		argv[n++] = (char *)*more;
	argv[n] = NULL;
	return run_json(argv);
}

static void test_vm_disk(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/d", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	const char *more[] = { "--size", "16M", "--tests", "seq_read,rand_write", "--depth", "8",
			       "--dir",	 dir,	NULL };
	json_t *set = run_vm("disk", more);
	/* seq_read (1 metric) and rand_write at depth 8 (3) per platform. */
	assert_int_equal(count_mode(set, "native", "host"), 4);
	assert_int_equal(count_mode(set, "qemu", "virtio-blk,cache=none,aio=io_uring"), 4);
	assert_int_equal(count_mode(set, "qemu", "virtio-blk,cache=none,aio=threads"), 4);
	json_decref(set);
	assert_int_equal(entries(dir, NULL), 0);
	assert_int_equal(entries(tmpdir, "d"), 0);
	rmdir(dir);
}

static void test_vm_net(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	const char *more[] = { "--tests", "tcp_stream,tcp_stream_rx,tcp_crr", NULL };
	json_t *set = run_vm("net", more);
	/* stream, stream_rx (1 metric each) and crr (2). */
	assert_int_equal(count_mode(set, "native", "loopback"), 4);
	assert_int_equal(count_mode(set, "qemu", "virtio-net,user"), 4);
	bool vhost = access("/dev/vhost-net", F_OK) == 0;
	const char *mode = qemu_bench__tap_mode(vhost);
	const char *why = skip_reason(set, "qemu");
	if (geteuid() == 0) {
		assert_null(why);
		assert_int_equal(count_mode(set, "qemu", mode), 4);
		if (!vhost) { /* the note says why the mode is without it */
			json_t *rs = json_object_get(set, "results"), *res;
			size_t i;
			json_array_foreach (rs, i, res)
				if (!strcmp(cfg_of(res, "mode"), mode))
					assert_non_null(strstr(
						json_string_value(json_object_get(res, "note")),
						"without vhost-net: /dev/vhost-net"));
		}
	} else {
		assert_non_null(why);
		assert_non_null(strstr(why, mode));
		assert_non_null(strstr(why, "needs root"));
	}
	json_decref(set);
	assert_false(runs_binary(vb_binary())); /* the peer ended with the run */
	assert_int_equal(access("/sys/class/net/vbtap0", F_OK), -1);
	assert_int_equal(entries(tmpdir, NULL), 0);
}

static void test_microvm_skips(void **state)
{
	(void)state;
	for (int net = 0; net < 2; net++) {
		char *argv[] = {
			(char *)vb_binary(), "vm", net ? "net" : "disk", "--json", "-q", NULL
		};
		json_t *set = run_json(argv);
		const char *why = skip_reason(set, "microvm");
		assert_non_null(why);
		assert_non_null(strstr(why, "no kernel"));
		json_decref(set);
	}
}

/* What `native disk --device dev` says on stderr (owned), with its exit
 * code and whether it wrote a results file. */
static char *refusal(const char *dev, const char *size, int *code, bool *wrote)
{
	char out[300];
	snprintf(out, sizeof(out), "%s/r.json", tmpdir);
	char *argv[] = { (char *)vb_binary(), "native", "disk", "--device", (char *)dev, "--size",
			 (char *)size,	      "--time", "0.05", "-o",	    out,	 NULL };
	struct vb_proc_result r;
	vb_run_ok(argv, &r);
	*code = r.exit_code;
	*wrote = access(out, F_OK) == 0;
	char *text = strdup(r.errout ? r.errout : "");
	proc__result_free(&r);
	return text;
}

/* Exit 2, one line on stderr saying `says`, and no results file. */
static void assert_refused(char *text, int code, bool wrote, const char *says)
{
	assert_int_equal(code, 2);
	assert_false(wrote);
	if (!strstr(text, says))
		fail_msg("expected \"%s\" in: %s", says, text);
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	free(text);
}

static void refused(const char *dev, const char *size, const char *says)
{
	int code;
	bool wrote;
	char *text = refusal(dev, size, &code, &wrote);
	assert_refused(text, code, wrote, says);
}

/* The block device under the root file system, for the mounted case. */
static bool root_device(char *out, size_t size)
{
	struct stat st;
	char path[128], line[256];
	if (stat("/", &st) < 0)
		return false;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major(st.st_dev),
		 minor(st.st_dev));
	FILE *f = fopen(path, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, size, "/dev/%s", line + 8);
			found = true;
		}
	if (f)
		fclose(f);
	struct stat b;
	return found && stat(out, &b) == 0 && S_ISBLK(b.st_mode);
}

static void test_device_refusals(void **state)
{
	(void)state;
	refused("/dev/null", "16M", "not a block device");
	refused("/nonexistent-device", "16M", "No such file");
	char root[300];
	if (root_device(root, sizeof(root)))
		refused(root, "16M", "mounted on /");
}

/* Runs argv (with input on stdin), which must exit 0. */
static void must_run(char *const *argv, const char *input)
{
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = 60000,
				  .stdin_data = input,
				  .stdin_len = input ? strlen(input) : 0 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	int rc = proc__run(&o, &r, &err);
	if (rc < 0 || r.exit_code != 0)
		fail_msg("%s: %s", argv[0], rc < 0 ? err.msg : r.errout ? r.errout : "");
	proc__result_free(&r);
}

/* A 32 MiB file under tmpdir as a loop device (with a partition table
 * from the sfdisk script `label`, when given, partitions scanned): its
 * path into img, the device into dev. False, with nothing left, when no
 * loop device is free. */
static bool loop_attach(const char *name, const char *label, char *img, size_t img_size, char *dev,
			size_t dev_size)
{
	snprintf(img, img_size, "%s/%s", tmpdir, name);
	int fd = open(img, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 32 << 20), 0);
	close(fd);
	if (label) {
		char *sfdisk[] = { "sfdisk", "--quiet", img, NULL };
		must_run(sfdisk, label);
	}
	char *attach[] = { "losetup",	       "--find", "--show", label ? "--partscan" : img,
			   label ? img : NULL, NULL };
	struct vb_proc_result r;
	bool ok = vb_run_ok(attach, &r);
	if (ok)
		snprintf(dev, dev_size, "%.*s", (int)strcspn(r.out, "\n"), r.out);
	else
		unlink(img);
	proc__result_free(&r);
	return ok;
}

static void test_device_loop(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0 && vb_have("losetup") && access("/dev/loop-control", F_OK) == 0,
		   "loop devices need root, losetup and /dev/loop-control");
	char img[300], out[300], dev[64];
	snprintf(out, sizeof(out), "%s/l.json", tmpdir);
	if (!loop_attach("loop.img", NULL, img, sizeof(img), dev, sizeof(dev)))
		skip(); /* no free loop device */
	struct vb_proc_result r;
	char *argv[] = { (char *)vb_binary(),
			 "native",
			 "disk",
			 "--device",
			 dev,
			 "--size",
			 "16M",
			 "--time",
			 "0.05",
			 "--iterations",
			 "1",
			 "--tests",
			 "seq_read,rand_write",
			 "-q",
			 "-o",
			 out,
			 NULL };
	bool ok = vb_run_ok(argv, &r);
	char *why = r.errout ? strdup(r.errout) : NULL;
	proc__result_free(&r);
	refused(dev, "64M", "smaller than --size");
	char *detach[] = { "losetup", "-d", dev, NULL };
	assert_true(vb_run_ok(detach, &r));
	proc__result_free(&r);
	if (!ok)
		fail_msg("native disk --device %s: %s", dev, why ? why : "");
	free(why);
	json_error_t je;
	json_t *set = json_load_file(out, 0, &je);
	assert_non_null(set);
	assert_int_equal(count_mode(set, "native", "device"), 7); /* depths 1 and 32 */
	json_decref(set);
	unlink(out);
	unlink(img);
}

/* A mounted partition, and swap on the device itself, each refused on the
 * whole device: a 32 MiB loop device with a DOS label and two partitions,
 * the first ext2 and mounted. Everything is undone before any assertion. */
static void test_device_in_use(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0 && vb_have("losetup") && vb_have("sfdisk") &&
			   vb_have("mkfs.ext2") && access("/dev/loop-control", F_OK) == 0,
		   "needs root, losetup, sfdisk, mkfs.ext2 and /dev/loop-control");
	char img[300], mnt[300], dev[64], part[80];
	snprintf(mnt, sizeof(mnt), "%s/mnt", tmpdir);
	if (!loop_attach("parts.img", "label: dos\n,12M\n,\n", img, sizeof(img), dev, sizeof(dev)))
		skip(); /* no free loop device */
	struct vb_proc_result r = { 0 };
	snprintf(part, sizeof(part), "%sp1", dev);
	/* Some kernels ignore --partscan on a new loop device; partx asks again. */
	char *partx[] = { "partx", "--add", dev, NULL };
	if (access(part, F_OK) < 0 && vb_have("partx") && vb_run_ok(partx, &r))
		for (int i = 0; i < 20 && access(part, F_OK) < 0; i++)
			usleep(100000);
	proc__result_free(&r);
	char *mkfs[] = { "mkfs.ext2", "-q", part, NULL };
	bool mounted = vb_run_ok(mkfs, &r) && mkdir(mnt, 0700) == 0;
	proc__result_free(&r);
	char *mount_argv[] = { "mount", part, mnt, NULL };
	mounted = mounted && vb_run_ok(mount_argv, &r);
	proc__result_free(&r);
	int code[2] = { 0, 0 };
	bool wrote[2] = { false, false };
	char *said[2] = { NULL, NULL };
	if (mounted)
		said[0] = refusal(dev, "16M", &code[0], &wrote[0]);
	char *umount_argv[] = { "umount", mnt, NULL };
	bool unmounted = !mounted || vb_run_ok(umount_argv, &r);
	if (mounted)
		proc__result_free(&r);
	/* Swap on the whole device (its label goes): only where swapon works. */
	char *mkswap[] = { "mkswap", dev, NULL }, *swapon[] = { "swapon", dev, NULL };
	bool swapping = unmounted && vb_run_ok(mkswap, &r);
	proc__result_free(&r);
	swapping = swapping && vb_run_ok(swapon, &r);
	proc__result_free(&r);
	if (swapping) {
		said[1] = refusal(dev, "16M", &code[1], &wrote[1]);
		char *swapoff[] = { "swapoff", dev, NULL };
		must_run(swapoff, NULL);
	}
	char *detach[] = { "losetup", "-d", dev, NULL };
	must_run(detach, NULL);
	rmdir(mnt);
	unlink(img);
	if (said[0])
		assert_refused(said[0], code[0], wrote[0], "p1 is mounted on");
	if (said[1])
		assert_refused(said[1], code[1], wrote[1], "swap is on it");
	assert_true(mounted);
	assert_true(unmounted);
}

static void usage(char *const *argv, const char *says)
{
	struct vb_proc_result r;
	assert_false(vb_run_ok(argv, &r));
	assert_int_equal(r.exit_code, 2);
	assert_non_null(r.errout);
	assert_non_null(strstr(r.errout, says));
	proc__result_free(&r);
}

static void test_usage(void **state)
{
	(void)state;
	char *two[] = { (char *)vb_binary(), "vm",  "disk", "--platform", "qemu",
			"--vcpus",	     "1,2", NULL };
	usage(two, "one guest");
	char *size[] = {
		(char *)vb_binary(), "vm", "net", "--platform", "qemu", "--size", "16M", NULL
	};
	usage(size, "--size");
	char *dev[] = { (char *)vb_binary(), "vm",	  "disk", "--platform", "qemu",
			"--device",	     "/dev/null", NULL };
	usage(dev, "--device");
	char *mb[] = { (char *)vb_binary(), "vm", "disk", "--platform", "qemu", "--size",
		       "17000000",	    NULL };
	usage(mb, "1 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guest_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_tap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_net, setup, teardown),
		cmocka_unit_test(test_microvm_skips),
		cmocka_unit_test_setup_teardown(test_device_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_in_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
