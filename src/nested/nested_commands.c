/* The benchmarks of a nested run: the same virtbench arguments inside the L1
 * guest (L2 figures) and on this host (L1 figures). Sizes are small: under
 * TCG every L2 instruction is emulated twice over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/output.h"
#include "nested/nested.h"

static void set(struct nested_cmd *c, const char *name, const char *const *args)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	unsigned i = 0;
	for (; args[i] && i + 1 < sizeof(c->argv) / sizeof(c->argv[0]); i++)
		c->argv[i] = args[i];
	c->argv[i] = NULL;
}

unsigned nested__commands(unsigned only, unsigned iterations, char iters[16],
			  struct nested_cmd *out, unsigned max)
{
	snprintf(iters, 16, "%u", iterations ? iterations : 3);
	const char *boot[] = { "vm",	   "boot",     "--json", "-q",		 "--vcpus",
			       "1",	   "--memory", "64",	 "--iterations", iters,
			       "--warmup", "0",	       NULL };
	const char *exits[] = { "vm",	"exits",	"--json", "-q", "--min-time",
				"0.02", "--iterations", iters,	  NULL };
	const char *cpu[] = { "vm",	  "cpu", "--json", "-q",  "--vcpus",	  "1",
			      "--memory", "64",	 "--time", "0.2", "--iterations", iters,
			      "--warmup", "0",	 NULL };
	const char *mem[] = { "vm",	  "memory", "--json", "-q",  "--vcpus",	     "1",
			      "--memory", "64",	    "--time", "0.2", "--iterations", iters,
			      "--warmup", "0",	    NULL };
	const char *const *args[NESTED_NBENCH] = { boot, exits, cpu, mem };
	static const char *const names[NESTED_NBENCH] = { "vm-boot.json", "vm-exits.json",
							  "vm-cpu.json", "vm-memory.json" };
	unsigned n = 0;
	for (unsigned b = 0; b < NESTED_NBENCH && n < max; b++)
		if (only & (1u << b))
			set(&out[n++], names[b], args[b]);
	return n;
}

char *nested__commands_script(const struct nested_cmd *c, unsigned n)
{
	struct vb_buf b = { 0 };
	buf__printf(&b, "run info.json info --json\n");
	for (unsigned i = 0; i < n; i++) {
		buf__printf(&b, "run %s", c[i].name);
		/* Every argument is one of the fixed words above: nothing to quote. */
		for (unsigned j = 0; c[i].argv[j]; j++)
			buf__printf(&b, " %s", c[i].argv[j]);
		buf__printf(&b, "\n");
	}
	return b.data;
}
