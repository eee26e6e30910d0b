/* Real QEMU guests (TCG, so they run on any host with QEMU and a kernel):
 * a boot reaches the marker with positive, ordered phases; the in-guest cpu
 * checksum equals the native one; a wrong kernel, a corrupt image, a guest
 * that never answers and a crashing QEMU each give their one-line error and
 * leave no process and no file behind. Each boot takes a few seconds. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/proc.h"
#include "qemu/qemu_arch.h"
#include "qemu/qemu_bench.h"
#include "qemu/session.h"

static char tmpdir[256];
static char worker[4096];

/* Every run gets a fresh TMPDIR, so leftovers are whatever is in it. */
static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	setenv("TMPDIR", "/tmp", 1);
	if (file__mkdtemp("vbtest-qemu", tmpdir, sizeof(tmpdir), &err) < 0)
		return -1;
	setenv("TMPDIR", tmpdir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(tmpdir);
	unsetenv("TMPDIR");
	return 0;
}

static bool have_qemu(void)
{
	char *q = proc__which(qemu_arch__get()->qemu_binary);
	bool found = q != NULL;
	free(q);
	return found;
}

static bool have_kernel(void)
{
	return vb_have_boot_kernel();
}

/* The worker the build made, next to the virtbench binary under test. */
static bool have_worker(void)
{
	const char *b = getenv("VB_BUILD");
	snprintf(worker, sizeof(worker), "%s/virtbench-worker", b ? b : "build");
	return access(worker, X_OK) == 0;
}

#define REQUIRE_GUEST()                                                                            \
	do {                                                                                       \
		VB_REQUIRE(have_qemu(), "QEMU (qemu-system-*) is not installed");                  \
		VB_REQUIRE(have_kernel(), "no readable /boot/vmlinuz-* (linux-image-*)");          \
		VB_REQUIRE(have_worker(), "the static worker was not built");                      \
	} while (0)

static void opts_small(struct qemu_bench_opts *o)
{
	qemu_bench__defaults(o);
	o->accel = QEMU_ACCEL_TCG;
	o->configs[0] = (struct vb_guest_config){ 1, 512 };
	o->nconfigs = 1;
	o->run.iterations = 1;
	o->run.warmup = 0;
	o->worker = worker;
}

static unsigned entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Processes whose command line mentions our TMPDIR: QEMU names its sockets
 * there, so a leftover QEMU shows up here. */
static unsigned processes_using(const char *needle)
{
	unsigned n = 0;
	DIR *d = opendir("/proc");
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
			continue;
		char path[300], buf[8192];
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (size_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = '\0';
		if (strstr(buf, needle))
			n++;
	}
	closedir(d);
	return n;
}

static void assert_nothing_left(void)
{
	assert_int_equal(entries_in(tmpdir), 0);
	assert_int_equal(processes_using(tmpdir), 0);
}

static double median_of(const struct vb_result_set *s, const char *bench, const char *platform,
			const char *metric)
{
	struct vb_result *r = result_set__find(s, bench, platform, metric);
	assert_non_null(r);
	assert_int_equal(r->nsamples, 1);
	return r->samples[0];
}

static void test_boot_phases(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	struct qemu_bench_opts o;
	opts_small(&o);
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	int rc = qemu_bench__boot(&o, &s, &err);
	if (rc < 0)
		fail_msg("boot failed: %s", err.msg);
	double qemu_ready = median_of(&s, "vm.boot", "qemu", "phase.qemu_ready_ms");
	double entry = median_of(&s, "vm.boot", "qemu", "phase.kernel_entry_ms");
	double done = median_of(&s, "vm.boot", "qemu", "phase.kernel_done_ms");
	double total = median_of(&s, "vm.boot", "qemu", "total_ms");
	double shutdown = median_of(&s, "vm.boot", "qemu", "phase.shutdown_ms");
	/* QEMU runs the guest while its monitor is still being greeted, so
	 * on a loaded host the kernel may speak first: no order between the
	 * two, only that each was seen. */
	assert_true(qemu_ready > 0);
	assert_true(entry > 0);
	assert_true(entry < done);
	/* Both can arrive in one read of the event loop. */
	assert_true(done <= total);
	assert_true(shutdown > 0);
	struct vb_result *r = result_set__find(&s, "vm.boot", "qemu", "total_ms");
	assert_string_equal(result__config(r, "accel"), "tcg");
	assert_string_equal(result__config(r, "vcpus"), "1");
	assert_string_equal(result__config(r, "memory_mb"), "512");
	assert_non_null(strstr(r->note, "emulated"));
	json_t *q = json_object_get(s.extra, "qemu");
	assert_string_equal(json_string_value(json_object_get(q, "accel")), "tcg");
	result_set__free(&s);
	assert_nothing_left();
}

static void test_cpu_checksum_matches_native(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	struct qemu_bench_opts o;
	opts_small(&o);
	o.work_ms = 200;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	int rc = qemu_bench__cpu(&o, &s, &err);
	if (rc < 0)
		fail_msg("vm cpu failed: %s", err.msg);
	struct vb_result *g = result_set__find(&s, "vm.cpu", "qemu", "events_per_sec");
	struct vb_result *n = result_set__find(&s, "vm.cpu", "native", "events_per_sec");
	assert_non_null(g);
	assert_non_null(n);
	/* sysbench's count of primes below 10000, on both sides. */
	assert_string_equal(result__config(g, "checksum"), "1228");
	assert_string_equal(result__config(n, "checksum"), "1228");
	assert_true(g->samples[0] > 0 && n->samples[0] > 0);
	assert_true(g->has_overhead);
	result_set__free(&s);
	assert_nothing_left();
}

/* --time is seconds, as everywhere: 0.2 runs for 200 ms on both sides. */
static void test_cli_time_in_seconds(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	char *argv[] = { (char *)vb_binary(),
			 "vm",
			 "cpu",
			 "--platform",
			 "qemu",
			 "--vcpus",
			 "1",
			 "--memory",
			 "512",
			 "--accel",
			 "tcg",
			 "--time",
			 "0.2",
			 "--iterations",
			 "1",
			 "--warmup",
			 "0",
			 "--worker",
			 worker,
			 "-q",
			 "--json",
			 NULL };
	struct vb_proc_opts po = { .argv = argv, .timeout_ms = 300000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&po, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("exit %d: %s", r.exit_code, r.errout);
	json_error_t je;
	json_t *doc = json_loads(r.out, 0, &je);
	assert_non_null(doc);
	assert_true(strlen(json_string_value(json_object_get(doc, "started"))) > 0);
	size_t i, n = 0;
	json_t *res;
	json_array_foreach (json_object_get(doc, "results"), i, res) {
		json_t *cfg = json_object_get(res, "config");
		assert_string_equal(json_string_value(json_object_get(cfg, "time_ms")), "200");
		n++;
	}
	assert_int_equal(n, 2); /* qemu and native */
	json_decref(doc);
	proc__result_free(&r);
	assert_nothing_left();
}

static void expect_failure(struct qemu_bench_opts *o, const char *want)
{
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	assert_int_equal(qemu_bench__boot(o, &s, &err), -1);
	if (!strstr(err.msg, want))
		fail_msg("expected \"%s\" in: %s", want, err.msg);
	assert_null(strchr(err.msg, '\n'));
	result_set__free(&s);
	assert_nothing_left();
}

static void test_wrong_kernel(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	struct qemu_bench_opts o;
	opts_small(&o);
	o.kernel = "/nonexistent/vmlinuz-0";
	expect_failure(&o, "kernel /nonexistent/vmlinuz-0: No such file or directory");
}

static void test_corrupt_image(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	char *img_tool = proc__which("qemu-img");
	bool have_img = img_tool != NULL;
	free(img_tool);
	VB_REQUIRE(have_img, "qemu-img (qemu-utils) is not installed");
	/* Outside TMPDIR, which must stay empty. */
	char path[] = "/tmp/vbtest-corrupt-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char junk[] = "QFI\xfb this is not a qcow2 header at all";
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	close(fd);
	struct qemu_bench_opts o;
	opts_small(&o);
	o.image = path;
	expect_failure(&o, "not a disk image");
	/* A raw file without a partition table is no disk either. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	close(fd);
	expect_failure(&o, "not a disk image");
	unlink(path);
}

static bool have_qemu_img(void)
{
	char *p = proc__which("qemu-img");
	bool found = p != NULL;
	free(p);
	return found;
}

/* A well-formed qcow2 disk of 64 MiB holding nothing. */
static void blank_qcow2(const char *path)
{
	char *tool = proc__which("qemu-img");
	assert_non_null(tool);
	char *argv[] = { tool, "create", "-q", "-f", "qcow2", (char *)path, "64M", NULL };
	struct vb_proc_opts po = { .argv = argv, .timeout_ms = 30000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&po, &r, &err), 0);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);
	free(tool);
}

/* A well-formed disk without a boot loader: the firmware gives up, and the
 * error says the image did not boot instead of showing an empty log. */
static void test_unbootable_image(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	VB_REQUIRE(have_qemu_img(), "qemu-img (qemu-utils) is not installed");
	char img[64];
	snprintf(img, sizeof(img), "/tmp/vbtest-blank-%d.qcow2", (int)getpid());
	blank_qcow2(img);
	struct qemu_bench_opts o;
	opts_small(&o);
	o.image = img;
	o.timeout_s = 120;
	expect_failure(&o, "the image did not boot: nothing on the serial console before the "
			   "firmware gave up");
	unlink(img);
}

static void test_guest_never_answers(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	struct qemu_bench_opts o;
	opts_small(&o);
	/* The worker announces a marker the host is not waiting for, then
	 * waits for commands forever. */
	o.append = "vb.marker=not-the-one";
	o.timeout_s = 4;
	expect_failure(&o, "never printed its ready marker within 4 s");
}

static void test_qemu_crash(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	/* A stand-in that answers --version like QEMU, then dies of SIGSEGV. */
	char path[] = "/tmp/vbtest-fakeqemu-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char script[] =
		"#!/bin/sh\n"
		"if [ \"$1\" = --version ]; then echo 'QEMU emulator version 9.9.9'; exit 0; fi\n"
		"echo 'qemu: something went badly wrong' >&2\n"
		"kill -SEGV $$\n";
	assert_int_equal(write(fd, script, sizeof(script) - 1), (ssize_t)(sizeof(script) - 1));
	fchmod(fd, 0755);
	close(fd);
	struct qemu_bench_opts o;
	opts_small(&o);
	o.qemu = path;
	expect_failure(&o, "QEMU was killed by signal 11");
	unlink(path);
}

static void test_accel_auto(void **state)
{
	(void)state;
	REQUIRE_GUEST();
	struct qemu_bench_opts o;
	opts_small(&o);
	o.accel = QEMU_ACCEL_AUTO;
	struct qemu_accel_info info;
	struct vb_err err = { 0 };
	if (qemu_bench__accel(&o, &info, &err) < 0)
		fail_msg("accel: %s", err.msg);
	assert_true(!strcmp(info.accel, "kvm") || !strcmp(info.accel, "tcg"));
	assert_true(info.reason[0] != '\0');
	assert_true(info.detect_ms >= 0);
	assert_nothing_left();
}

/* A stand-in for QEMU that answers --version, counts its other starts in
 * a file, and aborts as QEMU does where KVM cannot run the guest (a nested
 * host: "failed to set MSR"). */
static void fake_kvm_qemu(char *path, const char *count)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char script[512];
	int n = snprintf(
		script, sizeof(script),
		"#!/bin/sh\n"
		"if [ \"$1\" = --version ]; then echo 'QEMU emulator version 9.9.9'; exit 0; fi\n"
		"echo x >> %s\n"
		"echo 'qemu: error: failed to set MSR 0x10a to 0x0' >&2\n"
		"kill -ABRT $$\n",
		count);
	assert_int_equal(write(fd, script, (size_t)n), n);
	fchmod(fd, 0755);
	close(fd);
}

static unsigned lines_in(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned n = 0;
	for (int c; (c = fgetc(f)) != EOF;)
		n += c == '\n';
	fclose(f);
	return n;
}

static int kvm_always_usable(char *why, size_t size)
{
	(void)why, (void)size;
	return 0;
}

/* --accel auto with a cloud image boots that image under KVM once per
 * image and process: a KVM that cannot run it (QEMU aborts) means TCG, with
 * the reason; the same image again asks no second test boot, another image
 * does. --accel kvm failing names --accel tcg. */
static void test_accel_auto_image(void **state)
{
	(void)state;
	VB_REQUIRE(have_qemu_img(), "qemu-img (qemu-utils) is not installed");
	/* An aarch64 image boot needs the host's UEFI firmware, which an x86_64
	 * host running the aarch64 build under qemu-user does not have. */
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "qemu-user: no aarch64 UEFI firmware on this host");
	char count[] = "/tmp/vbtest-count-XXXXXX", qemu[] = "/tmp/vbtest-kvmqemu-XXXXXX";
	char img[2][64];
	int cfd = mkstemp(count);
	assert_true(cfd >= 0);
	close(cfd);
	fake_kvm_qemu(qemu, count);
	for (int i = 0; i < 2; i++) {
		snprintf(img[i], sizeof(img[i]), "/tmp/vbtest-img%d-%d.qcow2", i, (int)getpid());
		blank_qcow2(img[i]);
	}
	int (*saved)(char *, size_t) = accel__kvm_usable;
	accel__kvm_usable = kvm_always_usable;
	struct qemu_bench_opts o;
	opts_small(&o);
	o.qemu = qemu;
	o.accel = QEMU_ACCEL_AUTO;
	o.image = img[0];
	struct qemu_accel_info info;
	struct vb_err err = { 0 };
	if (qemu_bench__accel(&o, &info, &err) < 0)
		fail_msg("accel: %s", err.msg);
	assert_string_equal(info.accel, "tcg");
	assert_non_null(strstr(info.reason, "KVM test boot of the image failed"));
	if (!strstr(info.reason, "signal 6"))
		fail_msg("reason: %s", info.reason);
	assert_int_equal(lines_in(count), 1);
	/* Cached for the image; another one is tried anew. */
	assert_int_equal(qemu_bench__accel(&o, &info, &err), 0);
	assert_string_equal(info.accel, "tcg");
	assert_int_equal(lines_in(count), 1);
	o.image = img[1];
	assert_int_equal(qemu_bench__accel(&o, &info, &err), 0);
	assert_int_equal(lines_in(count), 2);
	/* Asked for KVM, the failure says what to do instead. */
	o.accel = QEMU_ACCEL_KVM;
	expect_failure(&o, "--accel tcg");
	accel__kvm_usable = saved;
	unlink(count);
	unlink(qemu);
	unlink(img[0]);
	unlink(img[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wrong_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbootable_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accel_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accel_auto_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_phases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_checksum_matches_native, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_time_in_seconds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_never_answers, setup, teardown),
	};
	return cmocka_run_group_tests_name("qemu guests", tests, NULL, NULL);
}
