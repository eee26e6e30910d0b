/* What the benchmarks of one process share, against a podman stand-in that
 * needs no podman, root or daemon (it logs each call and runs the worker
 * itself): podman's options are chosen with trial containers once per
 * podman version, a held worker image is imported once and removed by
 * container__release_images, and every container stops without a grace
 * period. */
#include "testutil.h"

#include <sys/stat.h>

#include "container/container_bench.h"
#include "core/names.h"
#include "measure/wclient.h"

static char dir[4096]; /* the stand-in, its log and its image */

/* Like Debian 12's podman on a host that withholds CAP_SYS_RESOURCE and has
 * a hybrid cgroup layout: its defaults fail (nofile), so do its limits
 * lowered (crun), and runc works. `run` execs the worker with what follows
 * the image. */
static const char fake_podman[] =
	"#!/bin/sh\n"
	"echo \"$*\" >>\"$FAKE_DIR/log\"\n"
	"case $1 in\n"
	"version) echo \"$FAKE_VERSION\" ;;\n"
	"image) [ -f \"$FAKE_DIR/image\" ] || { echo 'Error: no such image' >&2; exit 125; }\n"
	"  cat \"$FAKE_DIR/image\" ;;\n"
	"import) w=- p=- s=-\n"
	"  for a; do case $a in\n"
	"    'LABEL virtbench.worker='*) w=${a#*=} ;;\n"
	"    'LABEL virtbench.pid='*) p=${a#*=} ;;\n"
	"    'LABEL virtbench.start='*) s=${a#*=} ;;\n"
	"  esac; done\n"
	"  cat >/dev/null\n"
	"  echo \"sha256:fake $w $p $s -\" >\"$FAKE_DIR/image\"\n"
	"  echo sha256:fake ;;\n"
	"rmi) rm -f \"$FAKE_DIR/image\" ;;\n"
	"inspect) echo 'true running' ;;\n"
	"run) shift; runc=0 ulimit=0 detach=0\n"
	"  while [ $# -gt 0 ] && [ \"$1\" != sha256:fake ]; do\n"
	"    case $1 in --runtime) runc=1 ;; --ulimit) ulimit=1 ;; -d) detach=1 ;; esac\n"
	"    shift\n"
	"  done\n"
	"  shift\n"
	"  if [ $runc = 0 ] && [ $ulimit = 0 ]; then\n"
	"    echo 'Error: OCI runtime error: crun: setrlimit `RLIMIT_NOFILE`: Operation not "
	"permitted' >&2; exit 126\n"
	"  fi\n"
	"  if [ $runc = 0 ]; then\n"
	"    echo 'Error: OCI runtime error: crun: cgroups in hybrid mode not supported' >&2\n"
	"    exit 126\n"
	"  fi\n"
	"  [ $detach = 1 ] && { echo fakecontainer; exit 0; }\n"
	"  exec \"$FAKE_WORKER\" \"$@\" ;;\n"
	"esac\n"
	"exit 0\n";

static void write_exe(const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct vb_err err = { 0 };
	if (file__write_atomic(path, text, strlen(text), &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(chmod(path, 0755), 0);
}

static char old_path[8192];

static int fake_setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	if (file__mkdtemp("vb-ct-reuse", dir, sizeof(dir), &err) < 0)
		return -1;
	write_exe("podman", fake_podman);
	write_exe("runc", "#!/bin/sh\nexit 0\n"); /* podman's alternative exists */
	char worker[4096];
	if (wclient__find_worker(NULL, worker, sizeof(worker), &err) < 0)
		fail_msg("%s", err.msg);
	snprintf(old_path, sizeof(old_path), "%s", getenv("PATH") ? getenv("PATH") : "");
	char path[8192 + 4200];
	snprintf(path, sizeof(path), "%s:%s", dir, old_path);
	setenv("PATH", path, 1);
	setenv("FAKE_DIR", dir, 1);
	setenv("FAKE_WORKER", worker, 1);
	setenv("FAKE_VERSION", "4.3.1", 1);
	return 0;
}

static int fake_teardown(void **state)
{
	(void)state;
	setenv("PATH", old_path, 1);
	file__remove_tree(dir);
	return 0;
}

/* Lines of the log that start with prefix and hold has (when not NULL). */
static unsigned calls_with(const char *prefix, const char *has)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/log", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[4096];
	unsigned n = 0;
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, prefix, strlen(prefix)) && (!has || strstr(line, has));
	fclose(f);
	return n;
}

static unsigned calls(const char *prefix)
{
	return calls_with(prefix, NULL);
}

/* One start-up benchmark of podman alone, one iteration a method; returns
 * the podman row's note. */
static void startup(char *note, size_t size)
{
	struct container_opts o;
	container_opts__init(&o, false);
	o.runtimes = 1u << CT_RT_PODMAN;
	o.run.iterations = 1;
	o.run.warmup = 0;
	o.quiet = o.silent = true;
	o.hold_image = true;
	struct vb_result_set s;
	result_set__init(&s);
	struct vb_err err = { 0 };
	if (container_bench__startup(&o, &s, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < s.nskips; i++)
		print_message("skip: %s %s\n", s.skips[i].platform, s.skips[i].reason);
	const struct vb_result *r = result_set__find(&s, VB_BENCH_CONTAINER_STARTUP,
						     VB_PLATFORM_PODMAN, VB_METRIC_READY_MS);
	assert_non_null(r);
	assert_non_null(result_set__find(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_PODMAN_SEED,
					 VB_METRIC_RUNNING_MS));
	snprintf(note, size, "%s", r->note);
	result_set__free(&s);
}

static void test_choice_and_image_shared(void **state)
{
	(void)state;
	char first[256], second[256], third[256];
	/* Three trials (defaults, --ulimit, --runtime runc), then one run a
	 * method. */
	startup(first, sizeof(first));
	assert_int_equal(calls("run "), 3 + 2);
	assert_non_null(strstr(first, "--ulimit nofile="));
	assert_non_null(strstr(first, "--runtime runc"));
	assert_int_equal(calls("import "), 1);
	/* `rm --force` kills at once: the seed method's worker, PID 1 there,
	 * ignores SIGTERM, and podman's default stop timeout is 10 s. */
	assert_int_equal(calls_with("run ", " --stop-timeout 0 "), calls("run "));

	/* The same podman: no trial, the same options and note, and the held
	 * image runs as it is. */
	startup(second, sizeof(second));
	assert_int_equal(calls("run "), 5 + 2);
	assert_string_equal(second, first);
	assert_int_equal(calls("import "), 1);
	assert_int_equal(calls("rmi "), 0);

	/* Another podman version is asked anew. */
	setenv("FAKE_VERSION", "4.9.0", 1);
	startup(third, sizeof(third));
	assert_int_equal(calls("run "), 7 + 3 + 2);
	assert_string_equal(third, first);

	container__release_images();
	assert_int_equal(calls("rmi "), 1);
	struct stat st;
	char path[4200];
	snprintf(path, sizeof(path), "%s/image", dir);
	assert_int_equal(stat(path, &st), -1);
	/* Nothing is held any more. */
	container__release_images();
	assert_int_equal(calls("rmi "), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_choice_and_image_shared, fake_setup,
						fake_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
