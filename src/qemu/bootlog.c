#include "qemu/bootlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qemu_bootlog__init(struct qemu_bootlog *b)
{
	memset(b, 0, sizeof(*b));
	qemu_klog__init(&b->klog);
}

/* "Up 45.67 seconds" at the end of cloud-init's final message. */
static bool up_seconds(const char *line, double *ms)
{
	const char *p = strstr(line, " Up ");
	if (!p)
		return false;
	char *end;
	double s = strtod(p + 4, &end);
	if (end == p + 4 || strncmp(end, " seconds", 8) || !(s >= 0 && s < 1e7))
		return false;
	*ms = s * 1000;
	return true;
}

/* What a boot that has stopped for good prints, by the firmware (SeaBIOS,
 * EDK2), the boot loader or the kernel: waiting out --timeout after it
 * would only hide the reason. */
static const char *const fatal_words[] = {
	"Kernel panic - not syncing",
	"grub rescue>",
	"No bootable device",
	"Boot failed: ",
	"error: file ",
};

static void note_fatal(struct qemu_bootlog *b, const char *line)
{
	if (b->fatal[0])
		return;
	for (size_t i = 0; i < sizeof(fatal_words) / sizeof(*fatal_words); i++) {
		const char *p = strstr(line, fatal_words[i]);
		if (!p)
			continue;
		size_t n = 0;
		for (; *p && n + 1 < sizeof(b->fatal); p++)
			if ((unsigned char)*p >= ' ' && (unsigned char)*p < 0x7f)
				b->fatal[n++] = *p;
		b->fatal[n] = '\0';
		return;
	}
}

void qemu_bootlog__console(struct qemu_bootlog *b, const char *line, double arrival_ms)
{
	note_fatal(b, line);
	bool blank = true;
	for (const char *p = line; *p && blank; p++)
		blank = (unsigned char)*p <= ' ';
	if (!blank && !b->have_output) {
		b->have_output = true;
		b->first_output_ms = arrival_ms;
	}
	qemu_klog__line(&b->klog, line, arrival_ms);
	if (!b->have_cloud_init_line && strstr(line, "Cloud-init v. ") &&
	    strstr(line, " finished at ")) {
		b->have_cloud_init_line = true;
		b->cloud_init_arrival_ms = arrival_ms;
		double up;
		if (!b->have_report && up_seconds(line, &up))
			b->cloud_init_up_ms = up;
	}
}

/* "key=<number>" in a record; false when absent or not a number. */
static bool field(const char *line, const char *key, double *v)
{
	size_t n = strlen(key);
	for (const char *p = strstr(line, key); p; p = strstr(p + 1, key)) {
		if (p[n] != '=' || (p > line && p[-1] != ' '))
			continue;
		char *end;
		*v = strtod(p + n + 1, &end);
		return end != p + n + 1 && (*end == ' ' || *end == '\0') && *v >= 0 && *v < 1e12;
	}
	return false;
}

bool qemu_bootlog__report(struct qemu_bootlog *b, const char *line)
{
	if (strncmp(line, "VBBOOT ", 7))
		return false;
	double init, up;
	if (!field(line, "cloud_init_up", &up))
		return false;
	b->have_report = true;
	/* "init_up=-": the guest's kernel log no longer holds the line. */
	b->have_init_up = field(line, "init_up", &init);
	b->init_up_ms = b->have_init_up ? init * 1000 : 0;
	b->cloud_init_up_ms = up * 1000;
	return true;
}

void qemu_bootlog__ready(struct qemu_bootlog *b, double arrival_ms, uint64_t up_ns)
{
	b->have_ready = true;
	b->ready_arrival_ms = arrival_ms;
	b->ready_up_ms = (double)up_ns / 1e6;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

int qemu_bootlog__phases(const struct qemu_bootlog *b, struct qemu_image_phases *p,
			 struct vb_err *err)
{
	memset(p, 0, sizeof(*p));
	if (!b->have_ready)
		return err__set(err, 0, "no ready record from the guest");
	if (!b->have_report)
		return err__set(err, 0,
				"the guest sent no boot report (VBBOOT) before its ready marker");
	p->ready_ms = b->ready_arrival_ms;
	p->kernel_entry_ms = b->ready_arrival_ms - b->ready_up_ms;
	if (b->klog.have_entry)
		p->kernel_entry_ms = min2(p->kernel_entry_ms, b->klog.entry_ms);
	if (p->kernel_entry_ms < 0)
		return err__set(err, 0,
				"the guest's uptime (%.0f ms) is longer than the boot (%.0f ms): "
				"its clock is not the kernel's",
				b->ready_up_ms, b->ready_arrival_ms);
	/* A silent boot loader: its phase ends where the kernel's begins. */
	p->loader_ms = b->have_output ? min2(b->first_output_ms, p->kernel_entry_ms)
				      : p->kernel_entry_ms;
	double done;
	bool have_done = qemu_klog__done_ms(&b->klog, &done);
	if (!have_done && !b->have_init_up)
		return err__set(err, 0,
				"neither the console nor the guest's kernel log showed the "
				"hand-over to init (\"Run /init as init process\")");
	p->init_ms = b->have_init_up ? p->kernel_entry_ms + b->init_up_ms : done;
	if (have_done)
		p->init_ms = min2(p->init_ms, done);
	p->cloud_init_ms = p->kernel_entry_ms + b->cloud_init_up_ms;
	if (b->have_cloud_init_line)
		p->cloud_init_ms = min2(p->cloud_init_ms, b->cloud_init_arrival_ms);
	/* The record is sent after both: a guest clock ahead of the host's
	 * cannot put them later than it. */
	p->cloud_init_ms = min2(p->cloud_init_ms, p->ready_ms);
	p->init_ms = min2(p->init_ms, p->cloud_init_ms);
	return 0;
}
