/* The scripts `make run` goes through: scripts/with-dockerd.sh starts the
 * Docker daemon when `docker info` fails, runs the command with it
 * answering, stops it afterwards, passes the command's exit status on, and
 * leaves a daemon it did not start alone. A stand-in docker and dockerd on
 * PATH play the daemon: dockerd marks itself up in a file and removes the
 * mark when stopped (SIGTERM), docker answers while the mark is there. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/proc.h"

static char dir[256];

static void write_exec(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/bin/%s", dir, name);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(path, text, strlen(text), &err), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	if (file__mkdtemp("vbtest-dockerd", dir, sizeof(dir), &err) < 0)
		return -1;
	char bin[512], text[2048];
	snprintf(bin, sizeof(bin), "%s/bin", dir);
	if (mkdir(bin, 0755) < 0)
		return -1;
	snprintf(text, sizeof(text), "#!/bin/sh\n[ -e %s/up ]\n", dir);
	write_exec("docker", text);
	snprintf(text, sizeof(text),
		 "#!/bin/bash\n"
		 "touch %1$s/up; echo started >> %1$s/events\n"
		 "trap 'rm -f %1$s/up; echo stopped >> %1$s/events; exit 0' TERM\n"
		 "while :; do sleep 0.1; done\n",
		 dir);
	write_exec("dockerd", text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(dir);
	return 0;
}

/* Runs with-dockerd.sh with the stand-ins first on PATH; the exit status. */
static int with_dockerd(const char *command)
{
	char path[1024], log[512];
	snprintf(path, sizeof(path), "PATH=%s/bin:%s", dir, getenv("PATH"));
	snprintf(log, sizeof(log), "VB_DOCKERD_LOG=%s/log", dir);
	char *argv[] = { "env",		  path, log, "scripts/with-dockerd.sh", "sh", "-c",
			 (char *)command, NULL };
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 60000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	assert_int_equal(proc__run(&o, &r, &err), 0);
	int rc = r.exit_code;
	proc__result_free(&r);
	return rc;
}

static char *events(void)
{
	char path[512], *text = NULL;
	size_t len;
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/events", dir);
	if (file__read_all(path, 4096, &text, &len, &err) < 0)
		return strdup("");
	return text;
}

static void test_starts_and_stops_its_own(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "starting dockerd needs root");
	/* The command sees the daemon answering; its status comes back. */
	assert_int_equal(with_dockerd("docker info && exit 3"), 3);
	char *e = events();
	assert_string_equal(e, "started\nstopped\n");
	free(e);
	char up[512];
	snprintf(up, sizeof(up), "%s/up", dir);
	assert_int_not_equal(access(up, F_OK), 0);
}

static void test_leaves_a_running_one(void **state)
{
	(void)state;
	VB_REQUIRE(geteuid() == 0, "starting dockerd needs root");
	char up[512];
	snprintf(up, sizeof(up), "%s/up", dir);
	struct vb_err err = { 0 };
	assert_int_equal(file__write_atomic(up, "", 0, &err), 0);
	assert_int_equal(with_dockerd("docker info"), 0);
	char *e = events();
	assert_string_equal(e, ""); /* neither started nor stopped */
	free(e);
	assert_int_equal(access(up, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_starts_and_stops_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaves_a_running_one, setup, teardown),
	};
	return cmocka_run_group_tests_name("make run's scripts", tests, NULL, NULL);
}
