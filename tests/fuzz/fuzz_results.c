/* libFuzzer target for the results reader: `compare` and `report` read files
 * written on other machines, so any byte string must give either a result
 * set or an error, never a crash, a leak or undefined behaviour. A loaded
 * set is also written back, so the writer sees whatever the reader accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vb_result_set s;
	struct vb_err err = { 0 };
	if (result_set__load_buffer((const char *)data, size, &s, &err) == 0) {
		json_t *doc = result_set__to_json(&s);
		if (!doc)
			abort();
		/* What was accepted must be accepted again after a round trip. */
		struct vb_result_set again;
		if (result_set__from_json(doc, &again, &err) < 0)
			abort();
		if (again.nresults != s.nresults || again.nskips != s.nskips)
			abort();
		result_set__free(&again);
		json_decref(doc);
		result_set__free(&s);
	} else if (!err.msg[0]) {
		abort(); /* every rejection says why */
	}
	return 0;
}
