/* The seed's five CSV files, same names and header lines, filled with
 * figures measured inside the guest and the container (the seed's own
 * "hypervisor overhead" was host throughput beside an idle VM). Each row
 * holds medians; the intervals are in results.csv and the extra files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/fileio.h"
#include "report/family.h"
#include "report/report.h"
#include "report/text.h"

#define VM_RULE                                                                                    \
	"QEMU when it ran with KVM (the seed's set-up), else the microVM, else QEMU under TCG"
#define CT_RULE "docker (the seed's runtime), else podman, runc, crun, the built-in runtime"

const struct report_csv report__seed_csvs[REPORT_SEED_CSVS] = {
	{ "vm_boot_times.csv", "vcpus,memory_mb,boot_time_seconds", VM_RULE },
	{ "hypervisor_overhead.csv",
	  "vcpus,memory_mb,native_events_per_sec,vm_events_per_sec,overhead_percent", VM_RULE },
	{ "container_startup_times.csv", "image,startup_time_seconds", CT_RULE },
	{ "container_cpu_performance.csv",
	  "image,threads,native_events_per_sec,container_events_per_sec,overhead_percent",
	  CT_RULE },
	{ "container_memory_performance.csv",
	  "image,threads,native_speed_mib_sec,container_speed_mib_sec,overhead_percent", CT_RULE },
};

int report__save(const char *dir, const char *name, const struct vb_buf *b, struct vb_err *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return file__write_atomic(path, b->data ? b->data : "", b->len, err);
}

static int row(struct vb_buf *b, const char *const *f, size_t n)
{
	return csv__row(b, f, n);
}

/* "alpine", "virtbench-worker": the seed's image column holds the image's
 * name alone, as the seed wrote it; the runtime is beside it in results.csv
 * and the other CSVs of virtbench's own (platform, config). A result with
 * no image names its platform. */
/* The image's name as the seed wrote it. Where a runtime was also timed by
 * the seed's method, that row keeps the bare name and virtbench's own
 * first-instruction row says which it is, so no two rows read the same. */
static void image_label(const struct vb_result_set *s, const struct vb_result *r, char *out,
			size_t size)
{
	const char *img = result__config(r, VB_CFG_IMAGE);
	char seed[48];
	snprintf(seed, sizeof(seed), "%s-seed-method", r->platform);
	bool twin = false;
	for (size_t i = 0; !twin && i < s->nresults; i++)
		twin = !strcmp(s->results[i]->platform, seed);
	snprintf(out, size, "%s%s", img && *img ? img : r->platform,
		 twin ? " (first instruction)" : "");
}

/* The results seed file k is made of, whatever their platform. */
static bool in_file(const struct vb_result *r, size_t k)
{
	switch (k) {
	case 0: return family__is_boot_total(r);
	case 1:
		return r->view.kind == VB_PK_VM && r->view.family == FAM_CPU &&
		       family__is_throughput(r);
	case 2: return r->view.kind == VB_PK_CONTAINER && family__is_startup_main(r);
	default:
		return r->view.kind == VB_PK_CONTAINER &&
		       r->view.family == (k == 3 ? FAM_CPU : FAM_MEMORY) &&
		       family__is_throughput(r);
	}
}

const char *report__seed_csv_platform(const struct vb_result_set *s, size_t k)
{
	static const enum family fam[REPORT_SEED_CSVS] = { FAM_BOOT, FAM_CPU, FAM_STARTUP, FAM_CPU,
							   FAM_MEMORY };
	if (k >= REPORT_SEED_CSVS)
		return NULL;
	return k < 2 ? family__seed_vm_platform(s, fam[k])
		     : family__seed_container_platform(s, fam[k]);
}

static int vm_boot(const struct vb_result_set *s, const char *plat, struct vb_buf *b)
{
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || !in_file(r, 0))
			continue;
		char v[32], m[32], t[32];
		text__csvnum(v, sizeof(v), r->view.vcpus);
		text__csvnum(m, sizeof(m), r->view.memory_mib);
		fmt__num(t, sizeof(t), family__seconds(r->stats.median, r->unit));
		const char *f[] = { v, m, t };
		if (row(b, f, 3) < 0)
			return -1;
	}
	return 0;
}

/* One row of an overhead file: native median, virtual median, overhead. */
static void overhead_cells(const struct vb_result_set *s, const struct vb_result *r, char *nat,
			   char *virt, char *ov, size_t size)
{
	const struct vb_result *base = r->view.baseline;
	struct vb_overhead o;
	fmt__num(nat, size, base ? base->stats.median : NAN);
	fmt__num(virt, size, r->stats.median);
	fmt__num(ov, size, family__overhead(r, &o) ? o.percent : NAN);
}

static int hypervisor(const struct vb_result_set *s, const char *plat, struct vb_buf *b)
{
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || !in_file(r, 1))
			continue;
		char v[32], m[32], nat[32], vm[32], ov[32];
		text__csvnum(v, sizeof(v), r->view.vcpus);
		text__csvnum(m, sizeof(m), r->view.memory_mib);
		overhead_cells(s, r, nat, vm, ov, sizeof(nat));
		const char *f[] = { v, m, nat, vm, ov };
		if (row(b, f, 5) < 0)
			return -1;
	}
	return 0;
}

static int startup(const struct vb_result_set *s, const char *plat, struct vb_buf *b)
{
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!family__platform_is(r, plat) || !in_file(r, 2))
			continue;
		char img[256], t[32];
		image_label(s, r, img, sizeof(img));
		fmt__num(t, sizeof(t), family__seconds(r->stats.median, r->unit));
		const char *f[] = { img, t };
		if (row(b, f, 2) < 0)
			return -1;
	}
	return 0;
}

static int container_perf(const struct vb_result_set *s, size_t k, const char *plat,
			  struct vb_buf *b)
{
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!family__platform_is(r, plat) || !in_file(r, k))
			continue;
		char img[256], th[32], nat[32], ct[32], ov[32];
		image_label(s, r, img, sizeof(img));
		text__csvnum(th, sizeof(th), r->view.threads);
		overhead_cells(s, r, nat, ct, ov, sizeof(nat));
		const char *f[] = { img, th, nat, ct, ov };
		if (row(b, f, 5) < 0)
			return -1;
	}
	return 0;
}

/* Seed file k holding plat's rows only. */
static int fill(const struct vb_result_set *s, size_t k, const char *plat, struct vb_buf *b)
{
	if (buf__printf(b, "%s\n", report__seed_csvs[k].header) < 0)
		return -1;
	switch (k) {
	case 0: return vm_boot(s, plat, b);
	case 1: return hypervisor(s, plat, b);
	case 2: return startup(s, plat, b);
	default: return container_perf(s, k, plat, b);
	}
}

static int save(const char *dir, const char *name, const struct vb_result_set *s, size_t k,
		const char *plat, struct vb_err *err)
{
	struct vb_buf b = { 0 };
	if (fill(s, k, plat, &b) < 0) {
		buf__free(&b);
		return err__set(err, ENOMEM, "%s: out of memory", name);
	}
	int rc = report__save(dir, name, &b, err);
	buf__free(&b);
	return rc;
}

size_t report__seed_csv_copies(const struct vb_result_set *s, size_t k,
			       const char *out[REPORT_MAX_COPIES])
{
	size_t n = 0;
	for (size_t i = 0; k < REPORT_SEED_CSVS && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (!in_file(r, k))
			continue;
		bool seen = false;
		for (size_t j = 0; j < n; j++)
			seen |= family__platform_is(r, out[j]);
		/* docker-seed-method goes with docker's own copy. */
		for (size_t j = 0; !seen && j < s->nresults; j++) {
			const struct vb_result *o = s->results[j];
			seen = o != r && in_file(o, k) &&
			       strlen(o->platform) < strlen(r->platform) &&
			       family__platform_is(r, o->platform);
		}
		if (!seen && n < REPORT_MAX_COPIES)
			out[n++] = r->platform;
	}
	return n;
}

void report__seed_csv_copy_name(size_t k, const char *plat, char *out, size_t size)
{
	char slug[64];
	text__slug(slug, sizeof(slug), plat);
	const char *name = report__seed_csvs[k].name;
	size_t stem = strlen(name) - strlen(".csv");
	snprintf(out, size, "%.*s.%s.csv", (int)stem, name, slug);
}

int report__write_seed_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err)
{
	if (family__require_linked(s, err) < 0)
		return -1;
	for (size_t k = 0; k < REPORT_SEED_CSVS; k++) {
		if (save(dir, report__seed_csvs[k].name, s, k, report__seed_csv_platform(s, k),
			 err) < 0)
			return -1;
		const char *plats[REPORT_MAX_COPIES];
		size_t n = report__seed_csv_copies(s, k, plats);
		for (size_t p = 0; p < n; p++) {
			char name[128];
			report__seed_csv_copy_name(k, plats[p], name, sizeof(name));
			if (save(dir, name, s, k, plats[p], err) < 0)
				return -1;
		}
	}
	return 0;
}
