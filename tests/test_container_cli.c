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
#include "core/owner.h"
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

/* Whether a result of platform and metric ran image (its config). */
static bool has_image_result(json_t *doc, const char *platform, const char *metric,
			     const char *image)
{
	json_t *rs = json_object_get(doc, "results"), *r;
	size_t i;
	json_array_foreach (rs, i, r) {
		const char *p = json_string_value(json_object_get(r, "platform"));
		const char *m = json_string_value(json_object_get(r, "metric"));
		const char *img =
			json_string_value(json_object_get(json_object_get(r, "config"), "image"));
		if (p && m && img && !strcmp(p, platform) && !strcmp(m, metric) &&
		    !strcmp(img, image))
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
		/* Image names: empty, an empty item, upper case, an option, a space. */
		{ "--image", "", "--image: the list is empty" },
		{ "--image", "alpine,,ubuntu", "--image: item 2" },
		{ "--image", "Alpine", "'Alpine' is not an image name" },
		{ "--image", "-v", "'-v' is not an image name" },
		{ "--image", "ubuntu:20.04 x", "'ubuntu:20.04 x' has a tag" },
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
	char *a[] = { "container",
		      "startup",
		      "--runtime",
		      "docker",
		      "--image",
		      "virtbench-no-such-image:0",
		      "--iterations",
		      "1",
		      "--warmup",
		      "0",
		      "--json",
		      "--quiet",
		      NULL };
	struct vb_proc_result r;
	vb(a, NULL, &r);
	/* The worker's image is measured all the same. */
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(
		lines_with(r.errout, "fetch it with `docker pull virtbench-no-such-image:0`"), 1);
	json_t *doc = parse_json(r.out);
	const char *why = skip_reason(doc, "docker");
	assert_non_null(why);
	assert_non_null(strstr(why, "is not on this host; fetch it with `docker pull "
				    "virtbench-no-such-image:0`"));
	assert_true(has_image_result(doc, "docker", "ready_ms", "virtbench-worker"));
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

static bool image_exists(const char *prog, const char *ref)
{
	char *argv[] = { (char *)prog, "image", "inspect", (char *)ref, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 20000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	bool ok = proc__run(&o, &r, &err) == 0 && r.exit_code == 0;
	proc__result_free(&r);
	return ok;
}

/* A root file system of static busybox copies, named as the applets they
 * run (`sleep` for the seed's method), as an uncompressed tar. */
static void busybox_tar(const char *const *files, char **tar, size_t *len)
{
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("virtbench-ctest", dir, sizeof(dir), &err), 0);
	for (size_t i = 0; files[i]; i++) {
		char path[4300];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
		char *cp[] = { "cp", "/bin/busybox", path, NULL };
		struct vb_proc_opts o = { .argv = cp, .timeout_ms = 20000 };
		struct vb_proc_result r;
		assert_int_equal(proc__run(&o, &r, &err), 0);
		assert_int_equal(r.exit_code, 0);
		proc__result_free(&r);
	}
	assert_int_equal(ct_tar__rootfs(dir, tar, len, &err), 0);
	file__remove_tree(dir);
}

/* `prog import` of tar as ref, labelled as virtbench's own with this
 * process as owner: should the test die, the next run's sweep removes it. */
static void import_image(const char *prog, const char *ref, const char *tar, size_t len)
{
	struct vb_owner me = owner__self();
	char pid[64], start[64];
	snprintf(pid, sizeof(pid), "LABEL virtbench.pid=%d", (int)me.pid);
	snprintf(start, sizeof(start), "LABEL virtbench.start=%llu", (unsigned long long)me.start);
	/* One label a --change: podman reads "LABEL a=1 b=2" as one label. */
	char *imp[] = { (char *)prog, "import", "--change", "LABEL virtbench=1", "--change", pid,
			"--change",   start,	"-",	    (char *)ref,	 NULL };
	struct vb_proc_opts io = {
		.argv = imp, .timeout_ms = 120000, .stdin_data = tar, .stdin_len = len
	};
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&io, &r, &err), 0);
	if (r.exit_code != 0)
		fail_msg("%s import %s: %s", prog, ref, r.errout);
	proc__result_free(&r);
}

static void remove_image(const char *prog, const char *ref)
{
	char *rmi[] = { (char *)prog, "rmi", "--force", (char *)ref, NULL };
	struct vb_proc_opts ro = { .argv = rmi, .timeout_ms = 60000 };
	struct vb_proc_result rr;
	struct vb_err err = { 0 };
	proc__run(&ro, &rr, &err);
	proc__result_free(&rr);
}

/* Two local images by name (static busybox in /bin, and a variant with it
 * in /usr/bin), given as a list and again in a repeated --image: each is
 * measured once, in rows of its own, by docker and by podman where podman
 * runs here (else its skip carries podman's reason); the worker is
 * bind-mounted for the first instruction, the image's own `sleep` serves
 * the seed's method, and the images are left as they were. */
static void test_named_images(void **state)
{
	(void)state;
	VB_REQUIRE(docker_ok(), "a docker daemon that answers (scripts/start-dockerd.sh)");
	VB_REQUIRE(access("/bin/busybox", X_OK) == 0, "busybox-static");
	char *podman = proc__which("podman");
	free(podman);
	char ref[2][64];
	snprintf(ref[0], sizeof(ref[0]), "virtbench-test-busybox:%d", (int)getpid());
	snprintf(ref[1], sizeof(ref[1]), "virtbench-test/busybox-variant:%d", (int)getpid());
	static const char *const files[2][3] = { { "bin/sleep", "bin/true", NULL },
						 { "usr/bin/sleep", "etc/variant", NULL } };
	const char *progs[] = { "docker", podman ? "podman" : NULL };
	for (int k = 0; k < 2; k++) {
		char *tar = NULL;
		size_t len = 0;
		busybox_tar(files[k], &tar, &len);
		for (int p = 0; p < 2 && progs[p]; p++)
			import_image(progs[p], ref[k], tar, len);
		free(tar);
	}
	char list[160];
	snprintf(list, sizeof(list), "%s,%s", ref[0], ref[1]);
	char *a[] = { "container",    "startup", "--runtime", podman ? "docker,podman" : "docker",
		      "--image",      list,	 "--image",   ref[0],
		      "--json",	      "--quiet", "--warmup",  "0",
		      "--iterations", "1",	 NULL };
	struct vb_proc_result r;
	vb(a, NULL, &r);
	bool kept[2][2] = { { false } };
	for (int k = 0; k < 2; k++)
		for (int p = 0; p < 2 && progs[p]; p++) {
			kept[p][k] = image_exists(progs[p], ref[k]);
			remove_image(progs[p], ref[k]);
		}
	if (r.exit_code != 0)
		fail_msg("exit %d: %s", r.exit_code, r.errout);
	json_t *doc = parse_json(r.out);
	static const char *const plat[2][2] = { { "docker", "docker-seed-method" },
						{ "podman", "podman-seed-method" } };
	for (int p = 0; p < 2 && progs[p]; p++) {
		const char *why = skip_reason(doc, plat[p][0]);
		if (p == 1 && why && !has_result(doc, "podman", "ready_ms")) {
			/* podman does not run here: its own reason, one line. */
			assert_true(strlen(why) > 10 && !strchr(why, '\n'));
			continue;
		}
		if (why)
			fail_msg("%s skipped: %s", plat[p][0], why);
		const char *imgs[] = { "virtbench-worker", ref[0], ref[1] };
		for (int k = 0; k < 3; k++) {
			if (!has_image_result(doc, plat[p][0], "ready_ms", imgs[k]) ||
			    !has_image_result(doc, plat[p][1], "running_ms", imgs[k]))
				fail_msg("%s: no rows of image %s", plat[p][0], imgs[k]);
		}
		assert_true(kept[p][0] && kept[p][1]);
	}
	/* Named twice, measured once: 3 images x (ready, exit, teardown). */
	json_t *rs = json_object_get(doc, "results"), *x;
	size_t i, n = 0;
	json_array_foreach (rs, i, x)
		n += !strcmp(json_string_value(json_object_get(x, "platform")), "docker");
	assert_int_equal(n, 9);
	json_decref(doc);
	proc__result_free(&r);
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
		cmocka_unit_test(test_named_images),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
