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

const struct report_csv report__seed_csvs[REPORT_SEED_CSVS] = {
	{ "vm_boot_times.csv", "vcpus,memory_mb,boot_time_seconds" },
	{ "hypervisor_overhead.csv",
	  "vcpus,memory_mb,native_events_per_sec,vm_events_per_sec,overhead_percent" },
	{ "container_startup_times.csv", "image,startup_time_seconds" },
	{ "container_cpu_performance.csv",
	  "image,threads,native_events_per_sec,container_events_per_sec,overhead_percent" },
	{ "container_memory_performance.csv",
	  "image,threads,native_speed_mib_sec,container_speed_mib_sec,overhead_percent" },
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
static void image_label(const struct vb_result *r, char *out, size_t size)
{
	const char *img = result__config(r, VB_CFG_IMAGE);
	snprintf(out, size, "%s", img && *img ? img : r->platform);
}

static int vm_boot(const struct vb_result_set *s, struct vb_buf *b)
{
	const char *plat = family__seed_vm_platform(s, FAM_BOOT);
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || !family__is_boot_total(r))
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

static int hypervisor(const struct vb_result_set *s, struct vb_buf *b)
{
	const char *plat = family__seed_vm_platform(s, FAM_CPU);
	for (size_t i = 0; plat && i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (strcmp(r->platform, plat) || r->view.family != FAM_CPU ||
		    !family__is_throughput(r))
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

static int startup(const struct vb_result_set *s, struct vb_buf *b)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.kind != VB_PK_CONTAINER || !family__is_startup_main(r))
			continue;
		char img[256], t[32];
		image_label(r, img, sizeof(img));
		fmt__num(t, sizeof(t), family__seconds(r->stats.median, r->unit));
		const char *f[] = { img, t };
		if (row(b, f, 2) < 0)
			return -1;
	}
	return 0;
}

static int container_perf(const struct vb_result_set *s, enum family fam, struct vb_buf *b)
{
	for (size_t i = 0; i < s->nresults; i++) {
		const struct vb_result *r = s->results[i];
		if (r->view.kind != VB_PK_CONTAINER || r->view.family != fam ||
		    !family__is_throughput(r))
			continue;
		char img[256], th[32], nat[32], ct[32], ov[32];
		image_label(r, img, sizeof(img));
		text__csvnum(th, sizeof(th), r->view.threads);
		overhead_cells(s, r, nat, ct, ov, sizeof(nat));
		const char *f[] = { img, th, nat, ct, ov };
		if (row(b, f, 5) < 0)
			return -1;
	}
	return 0;
}

int report__write_seed_csvs(const struct vb_result_set *s, const char *dir, struct vb_err *err)
{
	if (family__require_linked(s, err) < 0)
		return -1;
	for (size_t k = 0; k < REPORT_SEED_CSVS; k++) {
		struct vb_buf b = { 0 };
		int rc = buf__printf(&b, "%s\n", report__seed_csvs[k].header);
		if (rc == 0) {
			switch (k) {
			case 0: rc = vm_boot(s, &b); break;
			case 1: rc = hypervisor(s, &b); break;
			case 2: rc = startup(s, &b); break;
			case 3: rc = container_perf(s, FAM_CPU, &b); break;
			default: rc = container_perf(s, FAM_MEMORY, &b); break;
			}
		}
		if (rc < 0) {
			buf__free(&b);
			return err__set(err, ENOMEM, "%s: out of memory",
					report__seed_csvs[k].name);
		}
		rc = report__save(dir, report__seed_csvs[k].name, &b, err);
		buf__free(&b);
		if (rc < 0)
			return -1;
	}
	return 0;
}
