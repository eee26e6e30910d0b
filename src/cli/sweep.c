/* The start-of-run sweep of the commands that create containers, QEMU
 * guests or temp dirs: what runs that are gone left is removed first, and
 * said in one line on stderr (nothing when there was nothing). */
#include <stdio.h>

#include "cli/cli.h"
#include "container/container_bench.h"
#include "core/sweep.h"
#include "qemu/qemu_bench.h"

void cli__sweep(bool quiet)
{
	struct sweep_tally t = { { 0 } };
	qemu__sweep(&t);
	container__sweep(&t);
	char what[256];
	sweep__describe(&t, what, sizeof(what));
	if (what[0] && !quiet)
		fprintf(stderr,
			"virtbench: removed what earlier runs that did not end cleanly left: %s\n",
			what);
}
