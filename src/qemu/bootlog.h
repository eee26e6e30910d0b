/* The phases of a cloud image's boot, from what reaches the host: the
 * serial console (the boot loader's first words, the kernel's printk lines,
 * cloud-init's final message) and the report the NoCloud seed sends on the
 * protocol port once cloud-init has finished (image.h):
 *   VBBOOT init_up=<s, or -> cloud_init_up=<s>
 * (the kernel log's stamp of "Run /init as init process", the uptime
 * cloud-init wrote into boot-finished)
 * followed by VBREADY with the guest's uptime. Both carry the guest
 * kernel's own clock (uptime since the kernel's clock started), which a
 * shell reads exactly, whereas a line that goes through journald to the
 * console arrives late; serial output only ever lags, so each phase is the
 * earlier of its arrival and its guest-clock time mapped onto the host's
 * timeline (kernel entry + uptime), and kernel entry itself is the smallest
 * arrival-minus-uptime over every stamped line and the ready record. */
#ifndef VB_QEMU_BOOTLOG_H
#define VB_QEMU_BOOTLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "qemu/klog.h"

struct qemu_bootlog {
	struct qemu_klog klog;
	bool have_output; /* anything on the console */
	double first_output_ms;
	bool have_cloud_init_line; /* "Cloud-init v. ... finished at ..." */
	double cloud_init_arrival_ms;
	bool have_report; /* the seed's VBBOOT record */
	bool have_init_up;
	double init_up_ms, cloud_init_up_ms;
	bool have_ready;
	double ready_arrival_ms, ready_up_ms;
	/* The first console line that says the boot cannot go on (a kernel
	 * panic, GRUB's rescue prompt, no bootable device), else "". */
	char fatal[160];
};

/* Every phase in ms after QEMU's spawn. */
struct qemu_image_phases {
	double loader_ms;	/* the boot loader's first output (kernel entry if it is silent) */
	double kernel_entry_ms; /* the kernel's clock starts */
	double init_ms;		/* the kernel hands over to PID 1 */
	double cloud_init_ms;	/* cloud-init's final stage has finished */
	double ready_ms;	/* the ready record arrived */
};

void qemu_bootlog__init(struct qemu_bootlog *b);
/* One console line (without newline) that arrived at arrival_ms. */
void qemu_bootlog__console(struct qemu_bootlog *b, const char *line, double arrival_ms);
/* A protocol line before the ready record; false when it is no VBBOOT. */
bool qemu_bootlog__report(struct qemu_bootlog *b, const char *line);
/* The ready record: its arrival and the guest's uptime in it. */
void qemu_bootlog__ready(struct qemu_bootlog *b, double arrival_ms, uint64_t up_ns);
/* The phases, or -1 with what is missing. */
int qemu_bootlog__phases(const struct qemu_bootlog *b, struct qemu_image_phases *p,
			 struct vb_err *err);

#endif
