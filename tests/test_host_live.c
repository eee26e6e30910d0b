/* This machine inspected live, and `virtbench info` as a program: JSON on
 * stdout, the table, --help, and every usage error (exit 2, one line). */
#include "testutil.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/proc.h"
#include "host/host.h"

static const json_t *get(const json_t *j, const char *path)
{
	char key[64];
	while (j && *path) {
		size_t n = strcspn(path, ".");
		assert_true(n < sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path += n + (path[n] == '.');
	}
	return j;
}

static void test_live_fast(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	json_t *h = host__inspect_fast(&err);
	assert_non_null(h);
	struct utsname u;
	assert_int_equal(uname(&u), 0);
	assert_string_equal(json_string_value(get(h, "source")), "live");
	assert_string_equal(json_string_value(get(h, "arch")), u.machine);
	assert_string_equal(json_string_value(get(h, "kernel.release")), u.release);
	assert_true(json_is_null(get(h, "tools"))); /* the fast variant spawns nothing */
	assert_int_equal(json_integer_value(get(h, "cpu.online_cpus")),
			 sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(json_integer_value(get(h, "memory.total_bytes")) > 0);
	assert_non_null(json_string_value(get(h, "cpu.governor")));
	const char *verdict = json_string_value(get(h, "virtualization.verdict"));
	assert_non_null(verdict);
	assert_true(!strncmp(verdict, "bare metal: ", 12) || !strncmp(verdict, "guest: ", 7) ||
		    !strncmp(verdict, "nested: ", 8));

	/* /dev/kvm: present means it was asked; the answers follow the API. */
	bool present = access("/dev/kvm", F_OK) == 0;
	assert_int_equal(json_is_true(get(h, "virtualization.kvm.present")), present);
	if (present) {
		assert_true(json_is_true(get(h, "virtualization.kvm.probed")));
		if (json_is_true(get(h, "virtualization.kvm.openable"))) {
			assert_int_equal(
				json_integer_value(get(h, "virtualization.kvm.api_version")), 12);
			assert_true(json_integer_value(get(
					    h, "virtualization.kvm.capabilities.max_vcpus")) >= 1);
		}
	} else {
		assert_false(json_is_true(get(h, "virtualization.kvm.usable")));
		assert_true(strstr(verdict, "emulation") != NULL);
	}

	/* The cached view for other areas agrees with the block. */
	const struct host_caveats *c = host__caveats_live();
	assert_string_equal(c->kvm_flavour,
			    json_string_value(get(h, "virtualization.kvm.flavour")));
	assert_string_equal(host__kvm_flavour(), c->kvm_flavour);
	assert_int_equal(host__is_pvm(), c->pvm);
	assert_int_equal(c->kvm_usable, json_is_true(get(h, "virtualization.kvm.usable")));
	json_decref(h);
}

static void test_live_tools(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	json_t *h = host__inspect(&err);
	assert_non_null(h);
	const json_t *tools = get(h, "tools");
	assert_true(json_is_array(tools));
	assert_int_equal(json_array_size(tools), 9);
	size_t i;
	const json_t *t;
	json_array_foreach (tools, i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		assert_non_null(name);
		bool found = json_is_true(json_object_get(t, "found"));
		char *path = proc__which(name);
		assert_int_equal(found, path != NULL);
		free(path);
		if (found)
			assert_non_null(json_string_value(json_object_get(t, "path")));
		if (!strcmp(name, "docker") && found)
			assert_true(json_is_object(json_object_get(t, "daemon")));
	}
	json_decref(h);
}

struct run {
	int code;
	char *out, *err;
};

static struct run run_info(char *const *args)
{
	char *argv[16] = { (char *)vb_binary(), "info" };
	unsigned n = 2;
	for (; args && *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 30000 };
	struct vb_proc_result r = { 0 };
	struct vb_err err = { 0 };
	if (proc__run(&o, &r, &err) < 0)
		fail_msg("running %s: %s", argv[0], err.msg);
	struct run out = { r.exit_code, strdup(r.out ? r.out : ""),
			   strdup(r.errout ? r.errout : "") };
	proc__result_free(&r);
	return out;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_cli_json(void **state)
{
	(void)state;
	VB_REQUIRE(access(vb_binary(), X_OK) == 0, "the virtbench binary is not built");
	struct run r = run_info((char *[]){ "--json", "--no-tools", NULL });
	assert_int_equal(r.code, 0);
	json_error_t je;
	json_t *h = json_loads(r.out, 0, &je); /* exactly one document, nothing else */
	if (!h)
		fail_msg("not JSON: %s", je.text);
	/* A document of its own: the schema comes first. */
	assert_string_equal(json_object_iter_key(json_object_iter(h)), "schema");
	assert_string_equal(json_string_value(get(h, "schema")), VB_HOST_SCHEMA);
	assert_non_null(json_string_value(get(h, "arch_label")));
	assert_non_null(json_string_value(get(h, "virtualization.verdict")));
	json_decref(h);
	run_free(&r);

	r = run_info((char *[]){ "--root", (char *)fixture("intel-xeon"), "--json", NULL });
	assert_int_equal(r.code, 0);
	h = json_loads(r.out, 0, &je);
	assert_non_null(h);
	assert_string_equal(json_string_value(get(h, "cpu.vendor")), "Intel");
	json_decref(h);
	run_free(&r);
}

static void test_cli_table_and_output(void **state)
{
	(void)state;
	VB_REQUIRE(access(vb_binary(), X_OK) == 0, "the virtbench binary is not built");
	char dir[] = "/tmp/vb-host-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/host.json", dir);
	struct run r = run_info(
		(char *[]){ "--root", (char *)fixture("arm-neoverse-n1"), "-o", path, NULL });
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "Virtualization\n"));
	assert_non_null(strstr(r.out, "Neoverse-N1"));
	json_error_t je;
	json_t *h = json_load_file(path, 0, &je);
	assert_non_null(h);
	assert_string_equal(json_string_value(get(h, "arch_label")), "Arm (aarch64)");
	json_decref(h);
	unlink(path);
	rmdir(dir);
	run_free(&r);

	r = run_info((char *[]){ "--help", NULL });
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "Usage: virtbench info"));
	run_free(&r);
}

static void test_cli_usage_errors(void **state)
{
	(void)state;
	VB_REQUIRE(access(vb_binary(), X_OK) == 0, "the virtbench binary is not built");
	static const struct {
		char *args[3];
		const char *names;
	} cases[] = {
		{ { "--bogus", NULL }, "'--bogus'" }, { { "extra", NULL }, "'extra'" },
		{ { "--root", NULL }, "--root" },     { { "-o", NULL }, "-o" },
		{ { "--root", "", NULL }, "--root" }, { { "--json=1", NULL }, "--json" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r = run_info(cases[i].args);
		assert_int_equal(r.code, 2);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, cases[i].names));
		/* one line */
		char *nl = strchr(r.err, '\n');
		assert_non_null(nl);
		assert_int_equal(nl[1], '\0');
		run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_fast),
		cmocka_unit_test(test_live_tools),
		cmocka_unit_test(test_cli_json),
		cmocka_unit_test(test_cli_table_and_output),
		cmocka_unit_test(test_cli_usage_errors),
	};
	return cmocka_run_group_tests_name("host live", tests, NULL, NULL);
}
