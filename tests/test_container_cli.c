/* `virtbench container` from the outside: help, usage errors, and the
 * faults a user meets (a runtime missing, a daemon that does not answer,
 * an image that does not exist): one clear line each, the other runtimes
 * still measured, the skip recorded in the results. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "container/ct.h"
#include "container/ct_cgroup.h"
#include "core/fileio.h"
#include "core/proc.h"
#include "testutil.h"

extern char **environ;

/* Runs virtbench with extra environment settings ("NAME=value", replacing). */
static void vb(char *const *args, const char *const *env_over, struct vb_proc_result *r)
{
	char *argv[32];
	size_t n = 0;
	argv[n++] = (char *)vb_binary();
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *envp[512];
	size_t ne = 0;
	for (char **e = environ; *e && ne < 480; e++) {
		bool replaced = false;
		for (size_t k = 0; env_over && env_over[k]; k++) {
			size_t kl = strcspn(env_over[k], "=");
			if (!strncmp(*e, env_over[k], kl + 1))
				replaced = true;
		}
		if (!replaced)
			envp[ne++] = *e;
	}
	for (size_t k = 0; env_over && env_over[k]; k++)
		envp[ne++] = (char *)env_over[k];
	envp[ne] = NULL;
	struct vb_proc_opts o = { .argv = argv, .envp = envp, .timeout_ms = 300000 };
	struct vb_err err = { 0 };
	if (proc__run(&o, r, &err) < 0)
		fail_msg("running virtbench: %s", err.msg);
}

static long lines_with(const char *text, const char *needle)
{
	long n = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)(len < 2047 ? len : 2047), p);
		n += strstr(line, needle) != NULL;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static bool docker_ok(void)
{
	char *p = proc__which("docker");
	free(p);
	if (!p)
		return false;
	char *argv[] = { "docker", "version", NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 20000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	bool ok = proc__run(&o, &r, &err) == 0 && r.exit_code == 0;
	proc__result_free(&r);
	return ok;
}

static json_t *parse_json(const char *out)
{
	json_error_t je;
	json_t *doc = json_loads(out, 0, &je);
	if (!doc)
		fail_msg("stdout is not JSON: %s", je.text);
	return doc;
}

/* The skip of platform in the JSON document, or NULL. */
static const char *skip_reason(json_t *doc, const char *platform)
{
	json_t *skips = json_object_get(doc, "skipped"), *s;
	size_t i;
	json_array_foreach (skips, i, s) {
		const char *p = json_string_value(json_object_get(s, "platform"));
		if (p && !strcmp(p, platform))
			return json_string_value(json_object_get(s, "reason"));
	}
	return NULL;
}

static bool has_result(json_t *doc, const char *platform, const char *metric)
{
	json_t *rs = json_object_get(doc, "results"), *r;
	size_t i;
	json_array_foreach (rs, i, r) {
		const char *p = json_string_value(json_object_get(r, "platform"));
		const char *m = json_string_value(json_object_get(r, "metric"));
		if (p && m && !strcmp(p, platform) && !strcmp(m, metric))
			return true;
	}
	return false;
}

static void test_help(void **state)
{
	(void)state;
	struct vb_proc_result r;
	char *a1[] = { "container", "--help", NULL };
	vb(a1, NULL, &r);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "density"));
	proc__result_free(&r);
	const char *subs[] = { "startup", "cpu", "memory", "density" };
	for (int i = 0; i < 4; i++) {
		char *a[] = { "container", (char *)subs[i], "--help", NULL };
		vb(a, NULL, &r);
		assert_int_equal(r.exit_code, 0);
		assert_non_null(strstr(r.out, "--runtime"));
		assert_non_null(strstr(r.out, "--keep-image"));
		assert_non_null(strstr(r.out, "--iterations"));
		proc__result_free(&r);
	}
	char *a2[] = { "container", NULL };
	vb(a2, NULL, &r);
	assert_int_equal(r.exit_code, 2);
	proc__result_free(&r);
}

static void test_usage_errors(void **state)
{
	(void)state;
	struct vb_proc_result r;
	struct {
		const char *opt, *val, *needle;
	} cases[] = {
		{ "--runtime", "bogus", "--runtime" },
		{ "--threads", "0", "--threads" },
		{ "--time", "-1", "--time" },
		{ "--counts", "x", "--counts" },
		{ "--memory-limit", "1K", "--memory-limit" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *a[] = { "container", "startup", (char *)cases[i].opt, (char *)cases[i].val,
			      NULL };
		vb(a, NULL, &r);
		assert_int_equal(r.exit_code, 2);
		assert_int_equal(lines_with(r.errout, "virtbench:"), 1);
		assert_int_equal(lines_with(r.errout, cases[i].needle), 1);
		assert_int_equal(r.out_len, 0);
		proc__result_free(&r);
	}
	char *a[] = { "container", "startup", "--frobnicate", NULL };
	vb(a, NULL, &r);
	assert_int_equal(r.exit_code, 2);
	assert_int_equal(lines_with(r.errout, "--frobnicate"), 1);
	proc__result_free(&r);
}

static void test_missing_runtime(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	/* No PATH: runc cannot be found; the built-in runtime needs nothing. */
	const char *env[] = { "PATH=/nonexistent", NULL };
	char *a[] = { "container",    "startup", "--runtime", "runc,builtin",
		      "--iterations", "1",	 "--warmup",  "0",
		      "--json",	      "--quiet", NULL };
	struct vb_proc_result r;
	vb(a, env, &r);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(lines_with(r.errout, "runc"), 1);
	assert_int_equal(lines_with(r.errout, "not found"), 1);
	json_t *doc = parse_json(r.out);
	const char *why = skip_reason(doc, "runc");
	assert_non_null(why);
	assert_non_null(strstr(why, "not found"));
	assert_true(has_result(doc, "container-builtin", "ready_ms"));
	assert_true(has_result(doc, "unshare-exec", "ready_ms"));
	json_decref(doc);
	proc__result_free(&r);
}

static void test_daemon_not_answering(void **state)
{
	(void)state;
	char *p = proc__which("docker");
	free(p);
	VB_REQUIRE(p != NULL, "the docker client");
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	const char *env[] = { "DOCKER_HOST=unix:///nonexistent/docker.sock", NULL };
	char *a[] = { "container",    "startup", "--runtime", "docker,builtin",
		      "--iterations", "1",	 "--warmup",  "0",
		      "--json",	      "--quiet", NULL };
	struct vb_proc_result r;
	vb(a, env, &r);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(lines_with(r.errout, "docker: skipped: daemon not answering"), 1);
	json_t *doc = parse_json(r.out);
	assert_non_null(skip_reason(doc, "docker"));
	assert_true(has_result(doc, "container-builtin", "ready_ms"));
	json_decref(doc);
	proc__result_free(&r);
}

static void test_image_missing(void **state)
{
	(void)state;
	VB_REQUIRE(docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	char *a[] = { "container",    "startup", "--runtime",
		      "docker",	      "--image", "virtbench-no-such-image:0",
		      "--iterations", "1",	 "--json",
		      "--quiet",      NULL };
	struct vb_proc_result r;
	vb(a, NULL, &r);
	assert_int_equal(r.exit_code, 1); /* nothing could be measured */
	assert_int_equal(lines_with(r.errout, "virtbench-no-such-image:0 does not exist"), 1);
	json_t *doc = parse_json(r.out);
	const char *why = skip_reason(doc, "docker");
	assert_non_null(why);
	assert_non_null(strstr(why, "does not exist locally"));
	json_decref(doc);
	proc__result_free(&r);
}

/* crun 1.8 refuses a hybrid cgroup layout (this development machine's):
 * one line naming crun and the layout, the built-in runtime still runs.
 * On other layouts crun is simply measured. */
static void test_crun_layout(void **state)
{
	(void)state;
	char *p = proc__which("crun");
	free(p);
	VB_REQUIRE(p != NULL, "crun");
	VB_REQUIRE(geteuid() == 0, "the built-in runtime measures as root here");
	struct cg_layout l;
	struct vb_err err = { 0 };
	assert_int_equal(ct_cgroup__detect(&l, &err), 0);
	char *a[] = { "container",    "startup", "--runtime", "crun,builtin",
		      "--iterations", "1",	 "--warmup",  "0",
		      "--json",	      "--quiet", NULL };
	struct vb_proc_result r;
	vb(a, NULL, &r);
	assert_int_equal(r.exit_code, 0);
	json_t *doc = parse_json(r.out);
	assert_true(has_result(doc, "container-builtin", "ready_ms"));
	const char *why = skip_reason(doc, "crun");
	if (l.mode == CGROUP_HYBRID && why) {
		assert_non_null(strstr(why, "hybrid cgroup layout"));
		assert_int_equal(lines_with(r.errout, "crun: skipped:"), 1);
	} else {
		assert_null(why);
		assert_true(has_result(doc, "crun", "ready_ms"));
	}
	json_decref(doc);
	proc__result_free(&r);
}

static bool image_exists(const char *ref)
{
	char *argv[] = { "docker", "image", "inspect", (char *)ref, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 20000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	bool ok = proc__run(&o, &r, &err) == 0 && r.exit_code == 0;
	proc__result_free(&r);
	return ok;
}

/* A user's image (static busybox, as `sleep` for the seed's method): the
 * worker is bind-mounted into it, and the image is left as it was. */
static void test_user_image(void **state)
{
	(void)state;
	VB_REQUIRE(docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	VB_REQUIRE(access("/bin/busybox", X_OK) == 0, "busybox-static");
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("virtbench-ctest", dir, sizeof(dir), &err), 0);
	char bin[4200], path[4300];
	snprintf(bin, sizeof(bin), "%s/bin", dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	char *cp[] = { "cp", "/bin/busybox", path, NULL };
	snprintf(path, sizeof(path), "%s/sleep", bin);
	struct vb_proc_opts o = { .argv = cp, .timeout_ms = 20000 };
	struct vb_proc_result r;
	assert_int_equal(proc__run(&o, &r, &err), 0);
	proc__result_free(&r);
	char *tar = NULL;
	size_t len = 0;
	assert_int_equal(ct_tar__rootfs(dir, &tar, &len, &err), 0);
	file__remove_tree(dir);
	const char *ref = "virtbench-userimg-test:1";
	char *imp[] = { "docker", "import", "-", (char *)ref, NULL };
	struct vb_proc_opts io = {
		.argv = imp, .timeout_ms = 120000, .stdin_data = tar, .stdin_len = len
	};
	assert_int_equal(proc__run(&io, &r, &err), 0);
	free(tar);
	assert_int_equal(r.exit_code, 0);
	proc__result_free(&r);

	char *a[] = { "container", "startup",	   "--runtime", "docker",   "--image",
		      (char *)ref, "--iterations", "1",		"--warmup", "0",
		      "--json",	   "--quiet",	   NULL };
	vb(a, NULL, &r);
	bool kept = image_exists(ref);
	char *rmi[] = { "docker", "rmi", "--force", (char *)ref, NULL };
	struct vb_proc_opts ro = { .argv = rmi, .timeout_ms = 60000 };
	struct vb_proc_result rr;
	proc__run(&ro, &rr, &err);
	proc__result_free(&rr);
	if (r.exit_code != 0)
		fail_msg("exit %d: %s", r.exit_code, r.errout);
	json_t *doc = parse_json(r.out);
	assert_true(has_result(doc, "docker", "ready_ms"));
	assert_true(has_result(doc, "docker-seed-method", "running_ms"));
	json_decref(doc);
	proc__result_free(&r);
	assert_true(kept);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_missing_runtime),
		cmocka_unit_test(test_daemon_not_answering),
		cmocka_unit_test(test_image_missing),
		cmocka_unit_test(test_crun_layout),
		cmocka_unit_test(test_user_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
