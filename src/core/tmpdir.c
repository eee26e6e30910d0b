#include "core/tmpdir.h"

#include "core/fileio.h"
#include "core/interrupt.h"

int tmpdir__make(const char *parent, const char *prefix, char *out, size_t size, int *abort_slot,
		 struct vb_err *err)
{
	*abort_slot = -1;
	interrupt__cleanup_enter();
	int rc = parent ? file__mkdtemp_in(parent, prefix, out, size, err)
			: file__mkdtemp(prefix, out, size, err);
	if (rc == 0) {
		const char *rm[] = { "rm", "-rf", "--one-file-system", out, NULL };
		*abort_slot = interrupt__run_on_abort(rm);
	} else {
		out[0] = '\0';
	}
	interrupt__cleanup_leave();
	return rc;
}
