/* Images by name, without a runtime: the names --image accepts and refuses
 * (docker's and podman's reference grammar), the list read from repeated
 * options, the skip text of a missing image, and the rows each image gets
 * in the seed's CSV files. */
#include "testutil.h"

#include <stdlib.h>

#include "cli/table.h"
#include "container/container_bench.h"
#include "core/fileio.h"
#include "core/names.h"
#include "core/result.h"
#include "report/family.h"
#include "report/report.h"

static void test_names_accepted(void **state)
{
	(void)state;
	static const char *const good[] = {
		"alpine",
		"ubuntu:20.04",
		"library/ubuntu:20.04",
		"virtbench-test/busybox-variant:1",
		"x/a__b.c-d---e/f_g:Tag_1.x-y",
		"localhost/alpine",
		"localhost:5000/team/app:v1",
		"registry.example.com/x/y",
		"alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"alpine:3.18@sha256:0123456789abcdef0123456789abcdef",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char why[160] = "";
		if (container_image__check(good[i], why, sizeof(why)) < 0)
			fail_msg("'%s' refused: %s", good[i], why);
	}
}

static void test_names_refused(void **state)
{
	(void)state;
	static const struct {
		const char *name, *why;
	} bad[] = {
		{ "", "is empty" },
		{ "Alpine", "is not an image name" },
		{ "-v", "is not an image name" },
		{ "--privileged", "is not an image name" },
		{ "a b", "is not an image name" },
		{ "a..b", "is not an image name" },
		{ "a___b", "is not an image name" },
		{ "a-", "is not an image name" },
		{ "a//b", "is not an image name" },
		{ "a/", "ends with '/'" },
		{ "alpine:", "empty tag" },
		{ "alpine:-x", "has a tag" },
		{ "alpine:a b", "has a tag" },
		{ ":latest", "no name before" },
		{ "localhost:5000/", "no name after" },
		{ "exa_mple.com/a", "registry" },
		{ "alpine@sha256:12", "shorter than 32" },
		{ "alpine@sha256", "algorithm:hex" },
		{ "alpine@sha256:0123456789ABCDEF0123456789abcdef0", "lower-case hex" },
		{ "a/b:1/c", "is not an image name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char why[160] = "";
		if (container_image__check(bad[i].name, why, sizeof(why)) == 0)
			fail_msg("'%s' accepted", bad[i].name);
		if (!strstr(why, bad[i].why))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].name, why, bad[i].why);
	}
	char longname[CT_IMAGE_NAME_MAX + 8];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	char why[160];
	assert_int_equal(container_image__check(longname, why, sizeof(why)), -1);
}

static void test_missing_text(void **state)
{
	(void)state;
	char out[256];
	container_image__missing("podman", "ubuntu:20.04", out, sizeof(out));
	assert_non_null(strstr(out, "ubuntu:20.04 is not on this host"));
	assert_non_null(strstr(out, "`podman pull ubuntu:20.04`"));
	assert_non_null(strstr(out, "never pulls"));
	assert_null(strchr(out, '\n'));
}

/* The command's --image option and a configuration as init fills it. */
struct parsed {
	struct cli_call call;
	const struct cli_opt *opt;
	void *cfg;
};

static int parse(const char *path, char **argv, int argc, struct parsed *p, struct vb_err *err)
{
	memset(p, 0, sizeof(*p));
	const struct cli_command *cmd = cli__find(path, &p->call);
	assert_non_null(cmd);
	for (unsigned i = 0; (p->opt = cli__option(cmd, i)); i++)
		if (!strcmp(p->opt->name, "image"))
			break;
	if (p->opt)
		assert_int_equal(p->opt->type, CLI_NAME_LIST);
	p->cfg = calloc(1, cmd->cfg_size);
	assert_non_null(p->cfg);
	if (cmd->init)
		cmd->init(p->cfg, cmd);
	int rc = cli__parse(p->cfg, argc, argv, &p->call, err);
	cli__call_free(&p->call);
	return rc;
}

/* What --image holds after parsing, as it would be typed. */
static void images_of(const char *path, char **argv, int argc, const char *want)
{
	struct parsed p;
	struct vb_err err = { 0 };
	if (parse(path, argv, argc, &p, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	char got[1024];
	int rc = cli_opt__format(p.opt, p.cfg, got, sizeof(got));
	if (!want)
		assert_int_equal(rc, -1);
	else if (rc != 0 || strcmp(got, want))
		fail_msg("%s: --image holds '%s', expected '%s'", path, got, want);
	free(p.cfg);
}

static void test_list_and_repeats(void **state)
{
	(void)state;
	static const char *const cmds[] = { "container startup", "container cpu",
					    "container memory", "run" };
	for (size_t i = 0; i < 4; i++) {
		char *none[] = { "x", NULL };
		images_of(cmds[i], none, 1, NULL);
		char *one[] = { "x", "--image", "alpine,ubuntu:20.04", NULL };
		images_of(cmds[i], one, 3, "alpine,ubuntu:20.04");
		/* Repeated: each adds; a name given again counts once. */
		char *rep[] = { "x",	   "--image", "alpine", "--image=ubuntu:20.04,alpine",
				"--image", "busybox", NULL };
		images_of(cmds[i], rep, 6, "alpine,ubuntu:20.04,busybox");
	}
}

static void test_list_refused(void **state)
{
	(void)state;
	static const struct {
		const char *val, *msg;
	} bad[] = {
		{ "", "--image: the list is empty" },
		{ ",alpine", "--image: item 1 of ',alpine' is empty" },
		{ "alpine,", "--image: item 2 of 'alpine,' is empty" },
		{ "alpine,,busybox", "--image: item 2" },
		{ "alpine,Ubuntu", "--image: 'Ubuntu' is not an image name" },
		{ "alpine,-v", "--image: '-v' is not an image name" },
		{ "alpine,$(id)", "--image: '$(id)' is not an image name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "x", "--image", (char *)bad[i].val, NULL };
		struct parsed p;
		struct vb_err err = { 0 };
		assert_int_equal(parse("container startup", argv, 3, &p, &err), -1);
		free(p.cfg);
		assert_int_equal(err.status, VB_EXIT_USAGE);
		assert_null(strchr(err.msg, '\n'));
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("'%s': '%s' does not start with '%s'", bad[i].val, err.msg,
				 bad[i].msg);
	}
	/* More names than there is room for. */
	char list[CT_MAX_IMAGES * 8 + 8] = "";
	for (unsigned i = 0; i <= CT_MAX_IMAGES; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%si%u", i ? "," : "",
			 i);
	char *argv[] = { "x", "--image", list, NULL };
	struct parsed p;
	struct vb_err err = { 0 };
	assert_int_equal(parse("run", argv, 3, &p, &err), -1);
	free(p.cfg);
	assert_non_null(strstr(err.msg, "more than 16 names"));
	/* density measures the worker's image only. */
	char *d[] = { "x", "--image", "alpine", NULL };
	assert_int_equal(parse("container density", d, 3, &p, &err), -1);
	free(p.cfg);
	assert_non_null(strstr(err.msg, "is not an option of 'container density'"));
}

/* A container result of runtime and image, 8 samples around v. */
static void add(struct vb_result_set *s, const char *bench, const char *platform,
		const char *metric, const char *image, double v)
{
	struct vb_result *r = result__new(bench, platform, metric, "ms", false);
	assert_non_null(r);
	result__set_config(r, VB_CFG_IMAGE, "%s", image);
	result__set_config(r, VB_CFG_RUNTIME, "%s", platform);
	for (int i = 0; i < 8; i++)
		assert_int_equal(result__add_sample(r, v * (1 + 0.001 * i)), 0);
	result__finish(r);
	assert_int_equal(result_set__add(s, r), 0);
}

/* The text of file name in dir. */
static char *read_in(const char *dir, const char *name)
{
	char path[4200], *text = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (file__read_all(path, 1 << 20, &text, &len, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

/* Each image its own row of container_startup_times.csv, named as the seed
 * named it; the runtime is in virtbench's own results.csv beside it. */
static void test_rows_per_image(void **state)
{
	(void)state;
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-images", dir, sizeof(dir), &err), 0);
	struct vb_result_set s;
	result_set__init(&s);
	add(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER_SEED, VB_METRIC_RUNNING_MS, "alpine",
	    300);
	add(&s, VB_BENCH_CONTAINER_STARTUP, VB_PLATFORM_DOCKER_SEED, VB_METRIC_RUNNING_MS,
	    "ubuntu:20.04", 400);
	assert_int_equal(family__link(&s), 0);
	assert_int_equal(report__write_seed_csvs(&s, dir, &err), 0);
	assert_int_equal(report__write_extra_csvs(&s, dir, &err), 0);
	char *text = read_in(dir, "container_startup_times.csv");
	assert_non_null(strstr(text, "\nalpine,0.3"));
	assert_non_null(strstr(text, "\nubuntu:20.04,0.4"));
	assert_null(strstr(text, "docker"));
	free(text);
	text = read_in(dir, "results.csv");
	assert_non_null(strstr(text, "image=alpine runtime=" VB_PLATFORM_DOCKER_SEED));
	assert_non_null(strstr(text, "image=ubuntu:20.04 runtime=" VB_PLATFORM_DOCKER_SEED));
	free(text);
	result_set__free(&s);
	file__remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_accepted), cmocka_unit_test(test_names_refused),
		cmocka_unit_test(test_missing_text),   cmocka_unit_test(test_list_and_repeats),
		cmocka_unit_test(test_list_refused),   cmocka_unit_test(test_rows_per_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
