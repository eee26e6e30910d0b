#include "qemu/klog.h"

#include <ctype.h>
#include <string.h>

void qemu_klog__init(struct qemu_klog *k)
{
	memset(k, 0, sizeof(*k));
}

/* Parses "[ 1.234567]" at p (just after the '['); NULL if it is not one. */
static const char *stamp_at(const char *p, double *ts_ms)
{
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	double sec = 0;
	for (; isdigit((unsigned char)*p); p++)
		sec = sec * 10 + (*p - '0');
	if (*p != '.')
		return NULL;
	p++;
	double frac = 0, scale = 1;
	for (; isdigit((unsigned char)*p); p++) {
		frac = frac * 10 + (*p - '0');
		scale *= 10;
	}
	if (scale == 1 || *p != ']')
		return NULL;
	*ts_ms = (sec + frac / scale) * 1000.0;
	p++;
	return *p == ' ' ? p + 1 : p;
}

const char *qemu_klog__stamp(const char *line, double *ts_ms)
{
	/* Firmware output and terminal escapes ("\x1b[2J") may come first. */
	for (const char *p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		const char *text = stamp_at(p + 1, ts_ms);
		if (text)
			return text;
	}
	return NULL;
}

void qemu_klog__line(struct qemu_klog *k, const char *line, double arrival_ms)
{
	double ts;
	const char *text = qemu_klog__stamp(line, &ts);
	if (!text)
		return;
	k->lines++;
	/* Lines stamped 0 were logged before the kernel's clock ran; they only
	 * bound entry loosely, and a later line always bounds it better. */
	if (ts > 0) {
		double entry = arrival_ms - ts;
		if (!k->have_entry || entry < k->entry_ms)
			k->entry_ms = entry;
		k->have_entry = true;
	}
	if (!strncmp(text, "Run ", 4) && strstr(text, " as init process")) {
		k->done_ts_ms = ts;
		k->done_arrival_ms = arrival_ms;
		k->done_is_run = true;
		k->have_done = true;
	} else if (!k->done_is_run && !strncmp(text, "Freeing unused kernel", 21)) {
		k->done_ts_ms = ts;
		k->done_arrival_ms = arrival_ms;
		k->have_done = true;
	}
}

bool qemu_klog__done_ms(const struct qemu_klog *k, double *ms)
{
	if (!k->have_entry || !k->have_done)
		return false;
	*ms = k->done_arrival_ms;
	return true;
}
