/* The start-of-run sweep of the commands that create containers, QEMU
 * guests or temp dirs: what runs that are gone left is removed first, and
 * said in one line on stderr (nothing when there was nothing). */
#include <stdio.h>

#include "cli/cli.h"
#include "container/container_bench.h"
#include "core/sweep.h"
#include "fleet/fleet.h"
#include "measure/iobench.h"
#include "qemu/qemu_bench.h"

static void say(const struct sweep_tally *t, bool quiet)
{
	char what[256];
	sweep__describe(t, what, sizeof(what));
	if (what[0] && !quiet)
		fprintf(stderr,
			"virtbench: removed what earlier runs that did not end cleanly left: %s\n",
			what);
}

static void sweep_all(struct sweep_tally *t)
{
	qemu__sweep(t);
	container__sweep(t);
	iobench__sweep(sweep__tmp(), t);
	fleet__sweep(t);
}

void cli__sweep(bool quiet)
{
	struct sweep_tally t = { { 0 } };
	sweep_all(&t);
	say(&t, quiet);
}

void cli__sweep_run(const char *dir, bool quiet)
{
	struct sweep_tally t = { { 0 } };
	sweep_all(&t);
	iobench__sweep(dir, &t);
	say(&t, quiet);
}

void cli__sweep_io(const char *dir, bool quiet)
{
	struct sweep_tally t = { { 0 } };
	iobench__sweep(dir, &t);
	say(&t, quiet);
}
