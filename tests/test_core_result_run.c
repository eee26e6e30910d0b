/* Starting and finishing a result set, the one way every command and the
 * suite do it: start and finish times, the host block, what a failure part
 * way leaves (marked incomplete), a complete set whose command failed, and
 * a failure before anything finished (nothing printed, nothing saved). */
#include "testutil.h"

#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/result_run.h"

static char dir[256], path[300];

static int setup(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	if (file__mkdtemp("vb-setrun", dir, sizeof(dir), &err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	file__remove_tree(dir);
	return 0;
}

static json_t *fake_host(struct vb_err *err)
{
	(void)err;
	return json_pack("{s:s}", "hostname", "testhost");
}

static json_t *no_host(struct vb_err *err)
{
	return err__set(err, 0, "no host here"), NULL;
}

static void add_result(struct vb_result_set *s)
{
	struct vb_result *r = result__new("b", "native", "m", "ms", false);
	assert_non_null(r);
	result__add_sample(r, 1.0);
	result__finish(r);
	assert_int_equal(result_set__add(s, r), 0);
}

/* Finishes s with rc, stdout to /dev/null; the exit status. */
static int finish(struct vb_result_set *s, int rc)
{
	struct vb_err err = { 0 };
	if (rc)
		err__set(&err, 0, "it failed");
	struct vb_set_sink sink = { .json = true, .path = path };
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	int status = result_set__finish(s, &sink, rc, &err);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	return status;
}

static json_t *saved(void)
{
	json_error_t je;
	return json_load_file(path, 0, &je);
}

static void test_done(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__start(&s, fake_host, true);
	assert_true(s.started[0] != 0);
	assert_string_equal(json_string_value(json_object_get(s.host, "hostname")), "testhost");
	add_result(&s);
	assert_int_equal(finish(&s, 0), VB_EXIT_OK);
	assert_true(s.finished[0] != 0);
	json_t *doc = saved();
	assert_non_null(doc);
	assert_false(json_is_true(json_object_get(doc, "incomplete")));
	assert_string_equal(json_string_value(json_object_get(doc, "started")), s.started);
	json_decref(doc);
	result_set__free(&s);
}

/* One result, finished with rc: the file says whether it is incomplete. */
static void expect_saved(int rc, bool incomplete)
{
	struct vb_result_set s;
	result_set__start(&s, no_host, true); /* quiet: no warning, and no block */
	assert_null(s.host);
	add_result(&s);
	assert_int_equal(finish(&s, rc), VB_EXIT_FAILURE);
	json_t *doc = saved();
	assert_non_null(doc);
	assert_int_equal(json_is_true(json_object_get(doc, "incomplete")), incomplete);
	json_decref(doc);
	result_set__free(&s);
}

static void test_failed(void **state)
{
	(void)state;
	expect_saved(-1, true); /* part way: what finished, marked incomplete */
	expect_saved(1, false); /* complete, but the command failed */
}

static void test_nothing_finished(void **state)
{
	(void)state;
	struct vb_result_set s;
	result_set__start(&s, NULL, true);
	assert_int_equal(finish(&s, -1), VB_EXIT_FAILURE);
	assert_int_equal(access(path, F_OK), -1); /* nothing saved */
	result_set__free(&s);
	/* A skip is something to show. */
	result_set__start(&s, NULL, true);
	result_set__skip(&s, "b", "native", "why");
	assert_int_equal(finish(&s, -1), VB_EXIT_FAILURE);
	assert_int_equal(access(path, F_OK), 0);
	result_set__free(&s);
}

static void test_checkpoint(void **state)
{
	(void)state;
	struct vb_result_set s;
	struct vb_err err = { 0 };
	result_set__start(&s, NULL, true);
	s.incomplete = true;
	assert_int_equal(result_set__checkpoint(&s, path, &err), 0);
	assert_true(s.finished[0] != 0);
	json_t *doc = saved();
	assert_true(json_is_true(json_object_get(doc, "incomplete")));
	json_decref(doc);
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_finished, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint, setup, teardown),
	};
	return cmocka_run_group_tests_name("result set start and finish", tests, NULL, NULL);
}
