/* The real cloud image that `make test` builds and boots once under TCG
 * (tests/cloud-boot.sh): the boot reached cloud-init's end, with every
 * phase present, in order, on one timeline from QEMU's spawn. Reads the
 * results file the boot wrote (build/cloud/results/, or $VB_CLOUD_RESULTS);
 * without it, or when the Debian archive could not be reached to build the
 * image, the suite skips (a failure under CI=true). */
#include "testutil.h"

#include <sys/stat.h>

#include "core/fileio.h"
#include "core/names.h"
#include "core/result.h"

static const char *results_dir(void)
{
	const char *d = getenv("VB_CLOUD_RESULTS");
	return d ? d : "build/cloud/results";
}

static double one_sample(const struct vb_result_set *s, const char *metric)
{
	struct vb_result *r = result_set__find(s, VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, metric);
	if (!r)
		fail_msg("no %s in the cloud image's boot", metric);
	assert_int_equal(r->nsamples, 1);
	return r->samples[0];
}

static void test_cloud_image_boot(void **state)
{
	(void)state;
	char path[4200], *skip = NULL;
	size_t len;
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/skip", results_dir());
	if (file__read_all(path, 4096, &skip, &len, &err) == 0) {
		VB_REQUIRE(false, skip);
		free(skip);
		return;
	}
	snprintf(path, sizeof(path), "%s/boot.json", results_dir());
	struct stat st;
	VB_REQUIRE(stat(path, &st) == 0,
		   "no cloud image boot to check (make test runs tests/cloud-boot.sh)");
	struct vb_result_set s;
	if (result_set__load(path, &s, &err) < 0)
		fail_msg("%s", err.msg);
	double ready = one_sample(&s, VB_METRIC_PHASE_QEMU_READY_MS);
	double loader = one_sample(&s, VB_METRIC_PHASE_LOADER_MS);
	double entry = one_sample(&s, VB_METRIC_PHASE_KERNEL_ENTRY_MS);
	double init = one_sample(&s, VB_METRIC_PHASE_KERNEL_DONE_MS);
	double cloud = one_sample(&s, VB_METRIC_PHASE_CLOUD_INIT_MS);
	double total = one_sample(&s, VB_METRIC_TOTAL_MS);
	double shutdown = one_sample(&s, VB_METRIC_PHASE_SHUTDOWN_MS);
	/* The firmware runs after QMP answers; GRUB writes before the kernel
	 * starts (the built image's grub.cfg echoes), cloud-init ends after
	 * init starts, and the ready record comes last. */
	assert_true(ready > 0);
	assert_true(ready < loader);
	assert_true(loader < entry);
	assert_true(entry < init);
	assert_true(init < cloud);
	assert_true(cloud <= total);
	assert_true(shutdown > 0);
	struct vb_result *r =
		result_set__find(&s, VB_BENCH_VM_BOOT, VB_PLATFORM_QEMU, VB_METRIC_TOTAL_MS);
	assert_string_equal(result__config(r, "accel"), "tcg");
	assert_non_null(strstr(result__config(r, "guest"), "debian-12-genericcloud-"));
	result_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloud_image_boot),
	};
	return cmocka_run_group_tests_name("cloud image boot", tests, NULL, NULL);
}
