/* The paths a command line names for writing, checked while it is read:
 * one line and exit 2 before anything runs, instead of a benchmark whose
 * results are then lost, or a device or / written over. */
#include <string.h>

#include "cli/cli.h"
#include "core/outpath.h"

static int usage(struct vb_err *err, const char *what)
{
	if (what)
		err__wrap(err, "%s", what);
	err->status = VB_EXIT_USAGE;
	return -1;
}

int cli__check_output(const char *path, struct vb_err *err)
{
	if (path && !strcmp(path, "-"))
		return 0; /* stdout */
	return outpath__check_file(path, err) < 0 ? usage(err, "--output") : 0;
}

int cli__check_results_dir(const char *what, const char *dir, struct vb_err *err)
{
	return outpath__check_dir(dir, err) < 0 ? usage(err, what) : 0;
}
