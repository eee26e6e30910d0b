/* The check of the disk and net options (io_opts.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/io_opts.h"

int cli_io__prepare(const struct cli_common *com, struct iobench_opts *o, unsigned files,
		    char *dirbuf, size_t size, struct vb_err *err)
{
	o->run = com->run;
	if (!o->tests)
		return err__usage(err, "--tests: name at least one test");
	if (o->net)
		return 0;
	if (o->size % (1 << 20))
		return err__usage(err, "--size: %" PRIu64 " bytes is not a multiple of 1 MiB",
				  o->size);
	if (o->device)
		return iobench__check_device("--device", o->device, o->size, err);
	if (!o->dir) {
		/* Where the results go: the directory of -o FILE. */
		const char *out = com->output;
		snprintf(dirbuf, size, "%s", out && strcmp(out, "-") ? out : "");
		char *slash = strrchr(dirbuf, '/');
		if (!slash)
			snprintf(dirbuf, size, ".");
		else
			slash[slash == dirbuf] = '\0';
		o->dir = dirbuf;
	}
	return iobench__check_dir("--dir", o->dir, o->size * files, err);
}
