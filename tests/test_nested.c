/* vm nested: what the L1 guest prints is untrusted (parsing, base64, names),
 * the module order from modules.dep, the commands the two levels share, and
 * one real nested run under TCG where QEMU and a kernel with KVM modules are
 * at hand. */
#include "testutil.h"

#include <glob.h>
#include <jansson.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host/host.h"
#include "nestedutil.h"
#include "nested/nested.h"
#include "nested/nested_l1.h"
#include "qemu/kmod.h"
#include "report/report.h"

static void test_base64(void **state)
{
	(void)state;
	unsigned char out[32];
	assert_int_equal(nested__base64_decode("aGVsbG8=\n", 9, out, sizeof(out)), 5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(nested__base64_decode("aGVs\r\nbG8h", 10, out, sizeof(out)), 6);
	assert_memory_equal(out, "hello!", 6);
	/* A byte outside the alphabet, data after padding, too little room. */
	assert_int_equal(nested__base64_decode("aGV*bG8=", 8, out, sizeof(out)), -1);
	assert_int_equal(nested__base64_decode("aGU=aGU=", 8, out, sizeof(out)), -1);
	assert_int_equal(nested__base64_decode("aGVsbG8=", 8, out, 3), -1);
}

static const char good_log[] = "[    0.000000] Linux version 6.1.0\r\n"
			       "VB-DMESG kvm: Nested Paging enabled\n"
			       "VB-RUN vm-boot.json\n"
			       "VB-RC info.json 0\n"
			       "VB-RC vm-boot.json 0 9.99 13.32\n"
			       "VB-RUN vm-cpu.json\n"
			       "virtbench: vm cpu: out of \x1b memory\n"
			       "VB-RC vm-cpu.json 3\n"
			       "VB-FILE-BEGIN vm-boot.json\n"
			       "eyJhIjoxfQo=\r\n"
			       "VB-FILE-END\n"
			       "VB-DONE\n";

static void test_console_parse(void **state)
{
	(void)state;
	struct nested_console c;
	struct vb_err err = { 0 };
	assert_int_equal(nested_console__parse(good_log, strlen(good_log), &c, &err), 0);
	assert_true(c.done);
	assert_false(c.no_kvm);
	assert_int_equal(c.nfiles, 1);
	size_t len;
	const char *f = nested_console__file(&c, "vm-boot.json", &len);
	assert_non_null(f);
	assert_int_equal(len, 8);
	assert_memory_equal(f, "{\"a\":1}\n", 8);
	assert_null(nested_console__file(&c, "vm-cpu.json", &len));
	assert_int_equal(c.nrcs, 3);
	assert_string_equal(c.rcs[2].name, "vm-cpu.json");
	assert_int_equal(c.rcs[2].rc, 3);
	assert_string_equal(c.rcs[2].error, "vm cpu: out of ? memory");
	assert_string_equal(c.rcs[1].error, "");
	/* The guest's uptime around a command, and the commands started. */
	assert_string_equal(c.rcs[1].t0, "9.99");
	assert_string_equal(c.rcs[1].t1, "13.32");
	assert_string_equal(c.rcs[0].t0, "");
	assert_int_equal(c.nruns, 2);
	nested_console__free(&c);
}

/* Each hostile console is refused as a whole: no partial file list. */
static void test_console_hostile(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"VB-FILE-BEGIN ../etc/passwd\naGk=\nVB-FILE-END\n",
		"VB-FILE-BEGIN .hidden\naGk=\nVB-FILE-END\n",
		"VB-FILE-BEGIN a b\naGk=\nVB-FILE-END\n",
		"VB-FILE-BEGIN x.json\nnot base64!\nVB-FILE-END\n",
		"VB-FILE-BEGIN x.json\naGk=\n",
		"VB-FILE-END\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nested_console c;
		struct vb_err err = { 0 };
		assert_int_equal(nested_console__parse(bad[i], strlen(bad[i]), &c, &err), -1);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(c.nfiles, 0);
	}
	/* More files than the limit. */
	char many[4096] = "";
	for (int i = 0; i <= NESTED_MAX_FILES; i++) {
		size_t n = strlen(many);
		snprintf(many + n, sizeof(many) - n, "VB-FILE-BEGIN f%d\naGk=\nVB-FILE-END\n", i);
	}
	struct nested_console c;
	struct vb_err err = { 0 };
	assert_int_equal(nested_console__parse(many, strlen(many), &c, &err), -1);
	/* A note with control bytes is shown defused. */
	const char note[] = "VB-NOTE no /dev/kvm \x1b[31mred\x07\nVB-DONE\n";
	assert_int_equal(nested_console__parse(note, sizeof(note) - 1, &c, &err), 0);
	assert_true(c.no_kvm);
	assert_null(strchr(c.note, '\x1b'));
	assert_null(strchr(c.note, '\x07'));
	assert_non_null(strstr(c.note, "?[31mred?"));
	nested_console__free(&c);
}

static const char modules_dep[] = "kernel/virt/lib/irqbypass.ko:\n"
				  "kernel/arch/x86/kvm/kvm.ko: kernel/virt/lib/irqbypass.ko\n"
				  "kernel/arch/x86/kvm/kvm-amd.ko.xz: kernel/arch/x86/kvm/kvm.ko "
				  "kernel/virt/lib/irqbypass.ko\n"
				  "kernel/arch/x86/kvm/kvm-intel.ko: kernel/arch/x86/kvm/kvm.ko "
				  "kernel/virt/lib/irqbypass.ko\n";

/* Dependencies load first, in modprobe's order (from the end of the line);
 * '_' and '-' name the same module. */
static void test_module_order(void **state)
{
	(void)state;
	char paths[8][256];
	unsigned n;
	struct vb_err err = { 0 };
	assert_int_equal(kmod__order(modules_dep, "kvm_amd", paths, 8, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(paths[0], "kernel/virt/lib/irqbypass.ko");
	assert_string_equal(paths[1], "kernel/arch/x86/kvm/kvm.ko");
	assert_string_equal(paths[2], "kernel/arch/x86/kvm/kvm-amd.ko.xz");
	assert_int_equal(kmod__order(modules_dep, "kvm", paths, 8, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kmod__order(modules_dep, "kvm-amd", paths, 2, &n, &err), -1);
	assert_int_equal(kmod__order(modules_dep, "kvm-arm", paths, 8, &n, &err), -1);
	assert_non_null(strstr(err.msg, "kvm-arm"));
}

/* The two levels run the same words; the script is what /init sources. */
static void test_commands(void **state)
{
	(void)state;
	struct nested_cmd c[NESTED_NBENCH];
	char iters[16];
	unsigned n = nested__commands(1u << NESTED_BOOT | 1u << NESTED_MEMORY, 5, iters, c,
				      NESTED_NBENCH);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].name, "vm-boot.json");
	assert_string_equal(c[1].name, "vm-memory.json");
	assert_string_equal(c[0].argv[0], "vm");
	assert_string_equal(c[1].argv[1], "memory");
	char *s = nested__commands_script(c, n);
	assert_non_null(s);
	assert_non_null(strstr(s, "run info.json info --json\n"));
	assert_non_null(strstr(s, "run vm-boot.json vm boot --json -q"));
	assert_non_null(strstr(s, "--iterations 5"));
	assert_null(strstr(s, "vm-cpu.json"));
	free(s);
}

static void test_kernel_version(void **state)
{
	(void)state;
	char v[64];
	struct vb_err err = { 0 };
	assert_int_equal(
		nested_l1__kernel_version("/boot/vmlinuz-6.1.0-27-amd64", v, sizeof(v), &err), 0);
	assert_string_equal(v, "6.1.0-27-amd64");
	assert_int_equal(nested_l1__kernel_version("/tmp/bzImage", v, sizeof(v), &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
}

static void test_static_check(void **state)
{
	(void)state;
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "under qemu-user virtbench is a wrapper script");
	bool st = true;
	struct vb_err err = { 0 };
	assert_int_equal(nested_l1__is_static(vb_binary(), NULL, &st, &err), 0);
	assert_false(st); /* the build's virtbench links jansson dynamically */
	char path[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(path, sizeof(path), "%s/virtbench-static", b ? b : "build");
	if (access(path, X_OK) == 0) {
		assert_int_equal(nested_l1__is_static(path, NULL, &st, &err), 0);
		assert_true(st);
		/* This host's static binary is not the other architecture's. */
		assert_int_equal(nested_l1__is_static(path, "aarch64", &st, &err) +
					 nested_l1__is_static(path, "x86_64", &st, &err),
				 -1);
	}
	assert_int_equal(nested_l1__is_static("/etc/hostname", NULL, &st, &err), -1);
}

/* The initramfs holds busybox, virtbench, /init, the commands and the
 * modules in order, from a modules tree of the test's own. */
static void test_initramfs(void **state)
{
	(void)state;
	char dir[4096];
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-nested-test"), 0);
	char p[4200];
	snprintf(p, sizeof(p), "%s/6.1.0-t/kernel/arch/x86/kvm", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdirs(p, &err), 0);
	snprintf(p, sizeof(p), "%s/6.1.0-t/kernel/virt/lib", dir);
	assert_int_equal(file__mkdirs(p, &err), 0);
	const char dep[] = "kernel/arch/x86/kvm/kvm.ko: kernel/virt/lib/irqbypass.ko\n"
			   "kernel/arch/x86/kvm/kvm-amd.ko: kernel/arch/x86/kvm/kvm.ko "
			   "kernel/virt/lib/irqbypass.ko\n";
	const char *files[][2] = {
		{ "6.1.0-t/modules.dep", dep },
		{ "6.1.0-t/kernel/arch/x86/kvm/kvm.ko", "KVM-MODULE" },
		{ "6.1.0-t/kernel/arch/x86/kvm/kvm-amd.ko", "AMD-MODULE" },
		{ "6.1.0-t/kernel/virt/lib/irqbypass.ko", "BYPASS-MODULE" },
	};
	for (unsigned i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i][0]);
		assert_int_equal(file__write_atomic(p, files[i][1], strlen(files[i][1]), &err), 0);
	}
	/* Extra files (vm nested-exec --add): a file deep down, a directory. */
	char extra_dir[4200];
	snprintf(extra_dir, sizeof(extra_dir), "%s/6.1.0-t/kernel/virt", dir);
	const struct nested_extra extra[] = { { "/etc/hostname", "/lib/x86_64-t/libt.so.1" },
					      { extra_dir, "fixtures" } };
	struct nested_l1 l1 = { .busybox = "/etc/hostname",
				.virtbench = "/etc/hostname",
				.commands = "run info.json info --json\n",
				.module = "kvm-amd",
				.kernel_version = "6.1.0-t",
				.modules_root = dir,
				.extra = extra,
				.nextra = 2 };
	snprintf(p, sizeof(p), "%s/l1.cpio", dir);
	assert_int_equal(nested_l1__write_initramfs(p, &l1, &err), 0);
	char *cpio = NULL;
	size_t len = 0;
	assert_int_equal(file__read_all(p, 1 << 20, &cpio, &len, &err), 0);
	const char *want[] = { "bin/busybox",
			       "virtbench",
			       "init",
			       "commands.sh",
			       "mod/order",
			       "0.ko\n1.ko\n2.ko",
			       "lib/x86_64-t",
			       "lib/x86_64-t/libt.so.1",
			       "fixtures/lib/irqbypass.ko",
			       "TRAILER!!!" };
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_non_null(memmem(cpio, len, want[i], strlen(want[i])));
	/* Dependencies first: irqbypass, kvm, kvm-amd. */
	char *a = memmem(cpio, len, "BYPASS-MODULE", 13), *b2 = memmem(cpio, len, "KVM-MODULE", 10),
	     *c = memmem(cpio, len, "AMD-MODULE", 10);
	assert_true(a && b2 && c && a < b2 && b2 < c);
	free(cpio);
	/* A second write must not follow or replace what is there. */
	assert_int_equal(nested_l1__write_initramfs(p, &l1, &err), -1);
	/* A kernel without the module: one error naming it. */
	l1.module = "kvm-intel";
	snprintf(p, sizeof(p), "%s/l1b.cpio", dir);
	assert_int_equal(nested_l1__write_initramfs(p, &l1, &err), -1);
	assert_non_null(strstr(err.msg, "kvm-intel"));
	vb_tmpdir_leave(dir);
}

/* What `info` says of this host: nested guests possible. */
static bool nested_kvm_possible(void)
{
	struct vb_err err = { 0 };
	json_t *h = host__inspect_fast(&err);
	assert_non_null(h);
	json_t *ng = json_object_get(json_object_get(json_object_get(h, "virtualization"), "kvm"),
				     "nested_guests");
	bool possible = json_is_true(json_object_get(ng, "possible"));
	json_decref(h);
	return possible;
}

/* Where nested KVM is impossible, --accel kvm is one line naming the
 * reason and --accel tcg, exit 1. */
static void test_accel_kvm_refused(void **state)
{
	(void)state;
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "qemu-user runs the aarch64 binary on another kernel");
	bool possible = nested_kvm_possible();
	if (possible) {
		print_message("[  SKIP    ] nested KVM is possible here\n");
		skip();
	}
	char *argv[] = { (char *)vb_binary(), "vm", "nested", "--accel", "kvm", NULL };
	struct vb_proc_result r;
	assert_false(vb_run_ok(argv, &r));
	assert_int_equal(r.exit_code, 1);
	assert_non_null(strstr(r.errout, "--accel tcg"));
	assert_non_null(strstr(r.errout, "not possible"));
	assert_int_equal(r.out_len, 0);
	proc__result_free(&r);
}

/* The L2 results of a nested run's JSON: each marked with its level and
 * accelerator (accel: the L1 guest's); returns how many L2 results of vm.boot
 * there are, and in *l1 how many of the host's own (L1) twins. */
static size_t level_results(const char *json, const char *accel, size_t *l1)
{
	json_error_t je;
	json_t *doc = json_loads(json, 0, &je);
	assert_non_null(doc);
	size_t i, l2 = 0;
	*l1 = 0;
	json_t *res;
	json_array_foreach (json_object_get(doc, "results"), i, res) {
		json_t *cfg = json_object_get(res, "config");
		const char *level = json_string_value(json_object_get(cfg, "level"));
		assert_non_null(level);
		bool boot =
			!strcmp(json_string_value(json_object_get(res, "benchmark")), "vm.boot");
		if (!strcmp(level, "l2")) {
			assert_string_equal(json_string_value(json_object_get(cfg, "nested_accel")),
					    accel);
			if (!strcmp(accel, "tcg"))
				assert_non_null(
					strstr(json_string_value(json_object_get(res, "note")),
					       "emulated"));
			l2 += boot;
		} else if (!strcmp(level, "l1")) {
			*l1 += boot;
		}
	}
	json_decref(doc);
	return l2;
}

static size_t l2_results(const char *json)
{
	size_t l1;
	return level_results(json, "tcg", &l1);
}

/* Runs vm nested with the accelerator and args after the common ones; its
 * stdout. Nothing of the L1 guest may be left in the private TMPDIR. */
static char *nested_run_accel(const char *accel, char **extra)
{
	char dir[4096];
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-nested-run"), 0);
	char *argv[32] = { (char *)vb_binary(),
			   "vm",
			   "nested",
			   (char *)"--accel",
			   (char *)accel,
			   "--only",
			   "boot",
			   "--iterations",
			   "1",
			   "--json",
			   "-q" };
	unsigned n = 11;
	for (unsigned i = 0; extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 600000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("vm nested exited %d: %s", r.exit_code, r.errout);
	char *out = r.out;
	r.out = NULL;
	proc__result_free(&r);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("TMPDIR");
	return out;
}

static char *nested_run(char **extra)
{
	return nested_run_accel("tcg", extra);
}

/* One real nested run of this host's architecture: the L1 guest under TCG
 * boots, loads KVM, runs the microVM's boot benchmark against its own
 * /dev/kvm, and the L2 results come back marked. */
static void test_tcg_run(void **state)
{
	(void)state;
	VB_REQUIRE_NESTED();
	char *extra[] = { NULL };
	char *out = nested_run(extra);
	assert_true(l2_results(out) > 0);
	free(out);
}

/* Real nested KVM, where this host offers it (`info`: nested guests
 * possible): the L1 guest runs on KVM, the microVM inside it on the L1's
 * KVM, and both levels' boot figures come back. Elsewhere a skip, also
 * under CI=true: the host decides, not the test. */
static void test_kvm_run(void **state)
{
	(void)state;
	bool possible = nested_kvm_possible();
	if (!possible || getenv("VB_QEMU_USER")) {
		print_message("[  SKIP    ] nested KVM is not possible here (virtbench info)\n");
		skip();
	}
	VB_REQUIRE_NESTED();
	char *extra[] = { NULL };
	char *out = nested_run_accel("kvm", extra);
	size_t l1 = 0;
	assert_true(level_results(out, "kvm", &l1) > 0);
	assert_true(l1 > 0);
	free(out);
}

/* An aarch64 L1 guest on an x86_64 host, from what `make test` fetches and
 * builds for the emulated arm64 host: the kernel, busybox and the static
 * aarch64 virtbench. */
static void test_tcg_run_aarch64(void **state)
{
	(void)state;
	struct utsname u;
	assert_int_equal(uname(&u), 0);
	if (strcmp(u.machine, "x86_64") || getenv("VB_QEMU_USER")) {
		print_message("[  SKIP    ] the aarch64 L1 guest is checked from x86_64 hosts\n");
		skip();
	}
	glob_t g;
	bool kernel = glob("build-emul/arm64/kernel/boot/vmlinuz-*", 0, NULL, &g) == 0;
	VB_REQUIRE(kernel && access("build-emul/arm64/busybox/bin/busybox", X_OK) == 0 &&
			   access("build-arm64/virtbench", X_OK) == 0 &&
			   vb_have("qemu-system-aarch64"),
		   "the arm64 kernel, busybox and build (make cross-arm64 emulated-arm64)");
	if (!vb_plain_build()) {
		globfree(&g);
		print_message("[  SKIP    ] no virtbench-static (the plain build runs this)\n");
		skip();
	}
	char kopt[4200];
	snprintf(kopt, sizeof(kopt), "%s", g.gl_pathv[0]);
	globfree(&g);
	char *extra[] = { "--arch",	 "aarch64",
			  "--kernel",	 kopt,
			  "--busybox",	 "build-emul/arm64/busybox/bin/busybox",
			  "--virtbench", "build-arm64/virtbench",
			  NULL };
	char *out = nested_run(extra);
	assert_true(l2_results(out) > 0);
	free(out);
}

/* Another architecture's L1 guest without its parts: one line, exit 2. */
static void test_foreign_arch_needs_parts(void **state)
{
	(void)state;
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "under qemu-user virtbench is a wrapper script");
	struct utsname u;
	assert_int_equal(uname(&u), 0);
	char *other = strcmp(u.machine, "x86_64") ? "x86_64" : "aarch64";
	char *argv[] = { (char *)vb_binary(), "vm", "nested", "--arch", other, NULL };
	struct vb_proc_result r;
	assert_false(vb_run_ok(argv, &r));
	assert_int_equal(r.exit_code, 2);
	assert_non_null(strstr(r.errout, "--kernel"));
	proc__result_free(&r);
	char *argv2[] = { (char *)vb_binary(), "vm",  "nested", "--arch", other,
			  "--accel",	       "kvm", NULL };
	assert_false(vb_run_ok(argv2, &r));
	assert_int_equal(r.exit_code, 2);
	assert_non_null(strstr(r.errout, "only under TCG"));
	proc__result_free(&r);
}

/* vm nested-exec: the script and the results directory are required, and
 * --add takes SRC:DEST with DEST inside the initramfs; one line, exit 2. */
static void test_exec_usage(void **state)
{
	(void)state;
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "under qemu-user virtbench is a wrapper script");
	char *cases[][8] = {
		{ "--out", "/tmp/x", NULL },
		{ "--exec", "/etc/hostname", "--add", "/etc/hostname", NULL },
		{ "--exec", "/etc/hostname", "--add", "/etc/hostname:../x", NULL },
		{ "--exec", "/etc/hostname", "--add", ":/x", NULL },
	};
	const char *says[] = { "--exec SCRIPT", "SRC:DEST", "outside the initramfs", "SRC:DEST" };
	for (unsigned i = 0; i < 4; i++) {
		char *argv[12] = { (char *)vb_binary(), "vm", "nested-exec" };
		for (unsigned j = 0; cases[i][j]; j++)
			argv[3 + j] = cases[i][j];
		struct vb_proc_result r;
		assert_false(vb_run_ok(argv, &r));
		assert_int_equal(r.exit_code, 2);
		if (!strstr(r.errout, says[i]))
			fail_msg("case %u: %s", i, r.errout);
		proc__result_free(&r);
	}
}

/* A stand-in QEMU that prints the console in $VB_FAKE_CONSOLE, as the
 * guest would have. */
static const char fake_qemu[] = "#!/bin/sh\ncat \"$VB_FAKE_CONSOLE\"\n";

static const char console_ok[] = "[    0.5] Linux version 6.1.0\r\n"
				 "VB-DMESG SVM: kvm: Nested Paging enabled\r\n"
				 "VB-RUN a.json: virtbench info --json\n"
				 "VB-RC a.json 0 1.00 2.00\n"
				 "VB-FILE-BEGIN a.json\n"
				 "eyJhIjoxfQo=\n"
				 "VB-FILE-END\n"
				 "VB-DONE\n";
/* A command that failed, one that never ended, a JSON file missing. */
static const char console_bad[] = "VB-RUN a.json: virtbench info --json\n"
				  "VB-RC a.json 0 1.00 2.00\n"
				  "VB-RUN b.txt: virtbench vm boot\n"
				  "virtbench: vm boot: no \x1b /dev/kvm\n"
				  "VB-RC b.txt 3 2.00 3.00\n"
				  "VB-RUN c.txt: virtbench info\n"
				  "VB-DONE\n";

static int exec_fake(const char *dir, const char *console, const char *expect,
		     struct vb_proc_result *r)
{
	char qemu[4200], con[4200], script[4200], out[4200], kernel[512];
	snprintf(qemu, sizeof(qemu), "%s/qemu", dir);
	snprintf(con, sizeof(con), "%s/console", dir);
	snprintf(script, sizeof(script), "%s/script.sh", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(qemu, fake_qemu, strlen(fake_qemu), &err), 0);
	assert_int_equal(chmod(qemu, 0755), 0);
	assert_int_equal(file__write_atomic(con, console, strlen(console), &err), 0);
	assert_int_equal(file__write_atomic(script, "run a.json info --json\n", 23, &err), 0);
	assert_true(vb_kvm_modules_kernel(kernel, sizeof(kernel)));
	setenv("VB_FAKE_CONSOLE", con, 1);
	char *argv[] = { (char *)vb_binary(), "vm", "nested-exec", "--accel", "tcg", "--qemu", qemu,
			 "--kernel", kernel,
			 /* Any static program: the stand-in QEMU runs nothing. */
			 "--virtbench", "/bin/busybox", "--exec", script, "--out", out, "--add",
			 "/etc/hostname:/etc/hostname", "--expect-log", (char *)expect, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 120000 };
	assert_int_equal(proc__run(&o, r, &err), 0);
	unsetenv("VB_FAKE_CONSOLE");
	return r->exit_code;
}

/* vm nested-exec around a stand-in QEMU: the files come out through the
 * console parser into --out with the console log (no CRs), one line per
 * command goes to stderr, and a failed command, one that never ended, a
 * missing JSON file or a console without the --expect-log text is exit 1
 * with every reason on one line. Nothing of the L1 guest is left. */
static void test_exec_fake_qemu(void **state)
{
	(void)state;
	VB_REQUIRE(!getenv("VB_QEMU_USER"), "under qemu-user virtbench is a wrapper script");
	VB_REQUIRE(vb_have_kvm_modules_kernel(), "no /boot/vmlinuz-* with modules (linux-image-*)");
	VB_REQUIRE(access("/bin/busybox", X_OK) == 0, "no /bin/busybox (busybox-static)");
	char dir[4096], p[4200];
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-nested-exec"), 0);
	struct vb_proc_result r;
	assert_int_equal(exec_fake(dir, console_ok, "Nested Paging enabled", &r), 0);
	assert_non_null(strstr(r.errout, "  a.json: rc 0, 1.00 s .. 2.00 s (guest uptime)"));
	char *text = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	snprintf(p, sizeof(p), "%s/out/a.json", dir);
	assert_int_equal(file__read_all(p, 1 << 20, &text, &len, &err), 0);
	assert_string_equal(text, "{\"a\":1}\n");
	free(text);
	snprintf(p, sizeof(p), "%s/out/console.log", dir);
	assert_int_equal(file__read_all(p, 1 << 20, &text, &len, &err), 0);
	assert_non_null(strstr(text, "VB-DONE"));
	assert_null(strchr(text, '\r'));
	free(text);
	proc__result_free(&r);

	assert_int_equal(exec_fake(dir, console_ok, "VHE mode initialized", &r), 1);
	assert_non_null(strstr(r.errout, "never said 'VHE mode initialized'"));
	proc__result_free(&r);

	assert_int_equal(exec_fake(dir, console_bad, "VB-DONE", &r), 1);
	assert_non_null(strstr(r.errout, "'b.txt' exited 3: vm boot: no ? /dev/kvm"));
	assert_non_null(strstr(r.errout, "a.json not copied out"));
	assert_non_null(strstr(r.errout, "2 of 3 commands finished"));
	proc__result_free(&r);

	/* The L1 guest's directory went with the run. */
	snprintf(p, sizeof(p), "%s/out", dir);
	assert_int_equal(file__remove_tree(p), 0);
	const char *names[] = { "qemu", "console", "script.sh" };
	for (unsigned i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		assert_int_equal(unlink(p), 0);
	}
	assert_int_equal(rmdir(dir), 0);
	unsetenv("TMPDIR");
}

static struct vb_result *level_result(const char *level, const char *vcpus, double base)
{
	struct vb_result *r = result__new("vm.boot", "microvm", "ready_ms", "ms", false);
	assert_non_null(r);
	assert_int_equal(result__set_config(r, "vcpus", "%s", vcpus), 0);
	assert_int_equal(result__set_config(r, "level", "%s", level), 0);
	assert_int_equal(result__set_config(r, "nested_accel", "%s",
					    strcmp(level, "l1") ? "kvm" : "host"),
			 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(result__add_sample(r, base + i % 3), 0);
	result__finish(r);
	return r;
}

/* An L2 figure twice its L1 twin carries +100% (a time: higher is worse);
 * one without a twin of the same configuration carries nothing; L1
 * results are never given an overhead. */
static void test_pair_levels(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, level_result("l1", "1", 10)), 0);
	assert_int_equal(result_set__add(&s, level_result("l2", "1", 20)), 0);
	assert_int_equal(result_set__add(&s, level_result("l2", "2", 30)), 0);
	nested__pair_levels(&s);
	assert_false(s.results[0]->has_overhead);
	assert_true(s.results[1]->has_overhead);
	assert_true(s.results[1]->overhead.percent > 90 && s.results[1]->overhead.percent < 110);
	assert_true(s.results[1]->overhead.ci_low <= s.results[1]->overhead.percent);
	assert_true(s.results[1]->overhead.ci_high >= s.results[1]->overhead.percent);
	assert_false(s.results[2]->has_overhead);
	result_set__free(&s);
}

/* report.html's nested section: each L2 figure with its L1 twin and the
 * overhead; a set without L2 figures has no such section. */
static void test_report_section(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, level_result("l1", "1", 10)), 0);
	assert_int_equal(result_set__add(&s, level_result("l2", "1", 20)), 0);
	struct vb_buf b = { 0 };
	nested__pair_levels(&s);
	assert_int_equal(report__nested_html(&b, &s), 0);
	assert_non_null(b.data);
	assert_non_null(strstr(b.data, "Nested virtualization"));
	assert_non_null(strstr(b.data, "vm.boot microvm ready_ms"));
	assert_non_null(strstr(b.data, "<td>kvm</td>"));
	assert_non_null(strstr(b.data, "%"));
	buf__free(&b);
	result_set__free(&s);
	result_set__init(&s);
	assert_int_equal(result_set__add(&s, level_result("l1", "1", 10)), 0);
	struct vb_buf e = { 0 };
	assert_int_equal(report__nested_html(&e, &s), 0);
	assert_true(e.len == 0);
	buf__free(&e);
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_console_parse),
		cmocka_unit_test(test_console_hostile),
		cmocka_unit_test(test_module_order),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test(test_static_check),
		cmocka_unit_test(test_initramfs),
		cmocka_unit_test(test_accel_kvm_refused),
		cmocka_unit_test(test_kvm_run),
		cmocka_unit_test(test_pair_levels),
		cmocka_unit_test(test_report_section),
		cmocka_unit_test(test_foreign_arch_needs_parts),
		cmocka_unit_test(test_exec_usage),
		cmocka_unit_test(test_exec_fake_qemu),
		cmocka_unit_test(test_tcg_run),
		cmocka_unit_test(test_tcg_run_aarch64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
