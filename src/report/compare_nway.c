/* The N-way table of compare: the rows of A in the order of the first pair,
 * and for each other set the row of the same result of A, found through an
 * index sorted by A's result (rows of one set only are in the pair tables). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/output.h"
#include "report/compare_nway.h"
#include "report/text.h"

struct nway_ref {
	const struct vb_result *a;
	const struct cmp_row *row;
};

static int ref_cmp(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct nway_ref *)x)->a;
	uintptr_t b = (uintptr_t)((const struct nway_ref *)y)->a;
	return a < b ? -1 : a > b;
}

static const struct cmp_row *find(const struct nway_ref *idx, size_t n, const struct vb_result *a)
{
	struct nway_ref key = { .a = a };
	const struct nway_ref *hit = bsearch(&key, idx, n, sizeof(*idx), ref_cmp);
	return hit ? hit->row : NULL;
}

static void pair_cells(const struct cmp_row *row, char *ratio, size_t rsize, char *verdict,
		       size_t vsize)
{
	snprintf(ratio, rsize, "-");
	snprintf(verdict, vsize, "missing");
	if (!row || !row->b)
		return;
	if (isfinite(row->ratio))
		snprintf(ratio, rsize, "%.3f", row->ratio);
	snprintf(verdict, vsize, "%s", row->text);
}

void compare__print_nway(const struct cmp_report *rep, FILE *f)
{
	size_t n = rep->ninputs;
	if (n < 3)
		return;
	struct nway_ref *idx[COMPARE_MAX_INPUTS] = { NULL };
	size_t nidx[COMPARE_MAX_INPUTS] = { 0 };
	for (size_t bi = 1; bi < n; bi++) {
		idx[bi] = calloc(rep->nrows + 1, sizeof(*idx[bi]));
		if (!idx[bi])
			goto out;
		for (size_t i = 0; i < rep->nrows; i++)
			if (rep->rows[i].bi == bi && rep->rows[i].a)
				idx[bi][nidx[bi]++] =
					(struct nway_ref){ rep->rows[i].a, &rep->rows[i] };
		qsort(idx[bi], nidx[bi], sizeof(*idx[bi]), ref_cmp);
	}
	const char *hdr[4 + 1 + 2 * (COMPARE_MAX_INPUTS - 1)] = { "benchmark", "platform", "config",
								  "metric", "A" };
	char names[COMPARE_MAX_INPUTS][2][16];
	size_t ncols = 5;
	for (size_t bi = 1; bi < n; bi++) {
		snprintf(names[bi][0], sizeof(names[bi][0]), "%c/A", rep->inputs[bi].letter);
		snprintf(names[bi][1], sizeof(names[bi][1]), "%c verdict", rep->inputs[bi].letter);
		hdr[ncols++] = names[bi][0];
		hdr[ncols++] = names[bi][1];
	}
	struct vb_table t;
	if (table__init(&t, hdr, ncols) < 0)
		goto out;
	fprintf(f, "\nAll sets against A = %s:\n", rep->inputs[0].label);
	for (size_t bi = 1; bi < n; bi++)
		fprintf(f, "%c = %s\n", rep->inputs[bi].letter, rep->inputs[bi].label);
	fputc('\n', f);
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cmp_row *first = &rep->rows[i];
		if (first->bi != 1 || !first->a)
			continue;
		const struct vb_result *a = first->a;
		char med[48], cells[COMPARE_MAX_INPUTS][2][192];
		const char *row[4 + 1 + 2 * (COMPARE_MAX_INPUTS - 1)] = { a->benchmark, a->platform,
									  first->config, a->metric,
									  med };
		text__qty(med, sizeof(med), a->stats.median, a->unit);
		size_t c = 5;
		for (size_t bi = 1; bi < n; bi++) {
			const struct cmp_row *r = bi == 1 ? first : find(idx[bi], nidx[bi], a);
			pair_cells(r, cells[bi][0], sizeof(cells[bi][0]), cells[bi][1],
				   sizeof(cells[bi][1]));
			row[c++] = cells[bi][0];
			row[c++] = cells[bi][1];
		}
		table__add_row(&t, row);
	}
	table__print(&t, f);
	table__free(&t);
out:
	for (size_t bi = 1; bi < n; bi++)
		free(idx[bi]);
}
