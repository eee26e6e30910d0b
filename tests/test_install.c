/* virtbench installed as a tool: `make install` into a temporary DESTDIR
 * puts every part in its place and the installed binary runs from there,
 * finding its worker relative to itself (nothing of the build tree is
 * reachable from it); `make uninstall` removes it all again. The Debian
 * package that `make deb` left in build/deb (make test makes it first)
 * holds the same and its binary runs from a `dpkg-deb -x` root. */
#include "testutil.h"

#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/completion.h"
#include "cli/man.h"
#include "core/version.h"
#include "qemu/qemu_arch.h"

/* A private TMPDIR holding the DESTDIR (install/) and the unpacked
 * package (deb/). */
static char tmp[256], root[300], deb_root[300];

/* Runs argv for at most timeout_s; its result in r (free it). */
static int run(char *const *argv, int timeout_s, struct vb_proc_result *r)
{
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = timeout_s * 1000 };
	struct vb_err err = { 0 };
	memset(r, 0, sizeof(*r));
	if (proc__run(&o, r, &err) < 0)
		fail_msg("%s: %s", argv[0], err.msg);
	return r->exit_code;
}

/* make TARGET of the build under test (its flavour: the sanitizers when
 * this suite has them) with DESTDIR=root PREFIX=/usr. */
static int make(const char *target, struct vb_proc_result *r)
{
	char b[300], destdir[320];
	const char *build = getenv("VB_BUILD");
	snprintf(b, sizeof(b), "B=%s", build ? build : "build");
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", root);
#if defined(__SANITIZE_ADDRESS__)
	char *san = "SAN=1";
#else
	char *san = "SAN=0";
#endif
	char *argv[] = { "make",  "-s",		 "--no-print-directory", b,   san,
			 destdir, "PREFIX=/usr", (char *)target,	 NULL };
	return run(argv, 600, r);
}

static int setup(void **state)
{
	(void)state;
	/* A make around this suite (make test) must not lend it its jobs. */
	unsetenv("MAKEFLAGS");
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	unsetenv("VIRTBENCH_WORKER");
	if (vb_tmpdir_enter(tmp, sizeof(tmp), "vb-install") < 0)
		return -1;
	snprintf(root, sizeof(root), "%s/install", tmp);
	snprintf(deb_root, sizeof(deb_root), "%s/deb", tmp);
	struct vb_proc_result r;
	int rc = make("install", &r);
	if (rc != 0)
		fprintf(stderr, "make install: exit %d\n%s%s", rc, r.out, r.errout);
	proc__result_free(&r);
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(tmp);
	return 0;
}

static void assert_file(const char *dir, const char *rel, mode_t mode)
{
	char path[600];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (lstat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		fail_msg("%s: not installed as a regular file", rel);
	if ((sb.st_mode & 07777) != mode)
		fail_msg("%s: mode %04o, not %04o", rel, (unsigned)(sb.st_mode & 07777),
			 (unsigned)mode);
}

static char *file_text(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot be read", path);
	char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	assert_true(n >= 0);
	return text;
}

static void test_installed_files(void **state)
{
	(void)state;
	assert_file(root, "usr/bin/virtbench", 0755);
	assert_file(root, "usr/lib/virtbench/virtbench-worker", 0755);
#if !defined(__SANITIZE_ADDRESS__)
	assert_file(root, "usr/lib/virtbench/virtbench-static", 0755);
#endif
	assert_file(root, "usr/share/bash-completion/completions/virtbench", 0644);
	assert_file(root, "usr/share/doc/virtbench/README.md", 0644);
	char name[64], rel[128];
	size_t pages = 0;
	for (size_t i = 0; man__name(i, name, sizeof(name)); i++, pages++) {
		snprintf(rel, sizeof(rel), "usr/share/man/man1/%s.1", name);
		assert_file(root, rel, 0644);
	}
	assert_int_equal(pages, 9); /* virtbench(1) and one per command, fleet included */
	/* The completion is the one the tables make. */
	char *want = NULL, path[600];
	size_t len;
	FILE *f = open_memstream(&want, &len);
	assert_non_null(f);
	completion__write_bash(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/usr/share/bash-completion/completions/virtbench", root);
	char *got = file_text(path);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* virtbench of the tree at dir with args; the exit code, output in r. */
static int vb_in(const char *dir, const char *const *args, int timeout_s, struct vb_proc_result *r)
{
	char bin[400], *argv[24];
	int n = 0;
	snprintf(bin, sizeof(bin), "%s/usr/bin/virtbench", dir);
	argv[n++] = bin;
	for (; *args && n < 23; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return run(argv, timeout_s, r);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void expect_ok(const char *dir, const char *const *args, const char *want)
{
	struct vb_proc_result r;
	int rc = vb_in(dir, args, 120, &r);
	if (rc != 0 || !strstr(r.out, want))
		fail_msg("%s/usr/bin/virtbench %s ...: exit %d, \"%s\" %s\n%s", dir, args[0], rc,
			 want, strstr(r.out, want) ? "printed" : "not printed", r.errout);
	proc__result_free(&r);
}

/* info, a native run and a container start of the binary installed at dir. */
static void runs_from(const char *dir)
{
	expect_ok(dir, ARGS("--version"), "virtbench " VB_VERSION "\n");
	expect_ok(dir, ARGS("info", "--no-tools"), "Virtualization");
	expect_ok(dir,
		  ARGS("native", "cpu", "--time", "0.1", "--iterations", "1", "--warmup", "0", "-q",
		       "--json"),
		  "\"events_per_sec\"");
	/* The container's program is the installed worker: nothing else is
	 * within reach of the installed binary. */
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	expect_ok(dir,
		  ARGS("container", "startup", "--runtime", "builtin", "--iterations", "1",
		       "--warmup", "0", "-q", "--json"),
		  "\"ready_ms\"");
}

static void test_installed_runs(void **state)
{
	(void)state;
	runs_from(root);
}

/* The microVM's guest is linked into virtbench: without /dev/kvm it stops
 * at KVM, with one it boots. */
static void test_installed_vm_boot(void **state)
{
	(void)state;
	struct vb_proc_result r;
	int rc = vb_in(root,
		       ARGS("vm", "boot", "--iterations", "1", "--warmup", "0", "-q", "--json"),
		       120, &r);
	if (rc == 0)
		assert_non_null(strstr(r.out, "\"total_ms\""));
	else if (rc != 1 || !strstr(r.errout, "/dev/kvm") || strstr(r.errout, "worker"))
		fail_msg("vm boot: exit %d: %s", rc, r.errout);
	proc__result_free(&r);
}

/* A QEMU guest's /init is the installed worker. Once, without the
 * sanitizers: the boot itself runs under them in test_qemu_boot. */
#if !defined(__SANITIZE_ADDRESS__)
static void test_installed_qemu_guest(void **state)
{
	(void)state;
	char *q = proc__which(qemu_arch__get()->qemu_binary);
	VB_REQUIRE(q != NULL, "QEMU (qemu-system-*) is not installed");
	free(q);
	glob_t g;
	bool kernel = glob("/boot/vmlinuz-*", 0, NULL, &g) == 0 && access(g.gl_pathv[0], R_OK) == 0;
	if (kernel)
		globfree(&g);
	VB_REQUIRE(kernel, "no readable /boot/vmlinuz-* (linux-image-*)");
	struct vb_proc_result r;
	int rc = vb_in(root,
		       ARGS("vm", "boot", "--platform", "qemu", "--accel", "tcg", "--vcpus", "1",
			    "--iterations", "1", "--warmup", "0", "-q", "--json"),
		       300, &r);
	if (rc != 0 || !strstr(r.out, "\"total_ms\""))
		fail_msg("vm boot --platform qemu: exit %d: %s", rc, r.errout);
	proc__result_free(&r);
}
#endif

/* Regular files under dir, counted (symlinks too). */
static unsigned files_under(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[1024];
		struct stat sb;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			n += files_under(path);
		else
			n++;
	}
	closedir(d);
	return n;
}

static void test_uninstall(void **state)
{
	(void)state;
	assert_true(files_under(root) >= 12);
	struct vb_proc_result r;
	int rc = make("uninstall", &r);
	if (rc != 0)
		fail_msg("make uninstall: exit %d: %s", rc, r.errout);
	proc__result_free(&r);
	assert_int_equal(files_under(root), 0);
}

/* ---- the Debian package ---- */

static char deb[512];

static bool find_deb(void)
{
	char pattern[128];
	struct vb_proc_result r;
	char *argv[] = { "dpkg", "--print-architecture", NULL };
	if (!vb_have("dpkg") || !vb_run_ok(argv, &r)) {
		proc__result_free(&r);
		return false;
	}
	r.out[strcspn(r.out, "\n")] = 0;
	snprintf(pattern, sizeof(pattern), "build/deb/virtbench_%s_%s.deb", VB_VERSION, r.out);
	proc__result_free(&r);
	snprintf(deb, sizeof(deb), "%s", pattern);
	return access(deb, R_OK) == 0;
}

static char *dpkg_deb(const char *what, const char *field)
{
	char *argv[] = { "dpkg-deb", (char *)what, deb, (char *)field, NULL };
	return vb_run_stdout(argv, false);
}

static void test_deb_contents(void **state)
{
	(void)state;
	VB_REQUIRE(find_deb(), "no package in build/deb (make deb; make test makes it)");
	char *list = dpkg_deb("-c", NULL);
	static const char *const want[] = {
		"./usr/bin/virtbench\n",
		"./usr/lib/virtbench/virtbench-worker\n",
		"./usr/lib/virtbench/virtbench-static\n",
		"./usr/share/man/man1/virtbench.1.gz\n",
		"./usr/share/man/man1/virtbench-vm.1.gz\n",
		"./usr/share/bash-completion/completions/virtbench\n",
		"./usr/share/doc/virtbench/README.md\n",
		"./usr/share/doc/virtbench/copyright\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (!strstr(list, want[i]))
			fail_msg("%s lacks %.*s", deb, (int)strlen(want[i]) - 1, want[i]);
	free(list);
	char *version = dpkg_deb("-f", "Version"), *depends = dpkg_deb("-f", "Depends");
	assert_string_equal(version, VB_VERSION "\n");
	/* From the libraries the binary links (shlibs), not written by hand. */
	assert_non_null(strstr(depends, "libjansson4"));
	assert_non_null(strstr(depends, "libc6"));
	free(version);
	free(depends);
}

static void test_deb_runs(void **state)
{
	(void)state;
	VB_REQUIRE(find_deb(), "no package in build/deb (make deb; make test makes it)");
	char *argv[] = { "dpkg-deb", "-x", deb, deb_root, NULL };
	free(vb_run_stdout(argv, false));
	runs_from(deb_root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_files),
		cmocka_unit_test(test_installed_runs),
		cmocka_unit_test(test_installed_vm_boot),
#if !defined(__SANITIZE_ADDRESS__)
		cmocka_unit_test(test_installed_qemu_guest),
#endif
		cmocka_unit_test(test_uninstall),
		cmocka_unit_test(test_deb_contents),
		cmocka_unit_test(test_deb_runs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
