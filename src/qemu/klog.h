/* Kernel phases from the guest's console. The kernel stamps every printk
 * line with its own clock ("[    1.754908] Run /init as init process"),
 * which starts at zero close to kernel entry. Each line's host arrival time
 * minus its stamp is an upper bound of when that clock started, measured on
 * the host's clock from QEMU's spawn; the smallest such bound over all lines
 * is the estimate of kernel entry (serial output only ever lags). Kernel
 * done is when the hand-over line ("Run /init as init process") arrived:
 * once the serial console is registered the kernel writes each line to the
 * UART as it logs it, so arrival is the moment itself, whereas the guest's
 * clock can run at another rate than the host's under emulation. */
#ifndef VB_QEMU_KLOG_H
#define VB_QEMU_KLOG_H

#include <stdbool.h>

struct qemu_klog {
	bool have_entry, have_done;
	double entry_ms;	/* kernel entry, ms after QEMU's spawn */
	double done_ts_ms;	/* guest stamp of the hand-over to user space */
	double done_arrival_ms; /* its arrival, ms after QEMU's spawn */
	bool done_is_run;	/* from "Run /init" (preferred) rather than "Freeing unused" */
	unsigned lines;		/* stamped lines seen */
};

void qemu_klog__init(struct qemu_klog *k);
/* Feeds one console line (without newline) that arrived at arrival_ms. */
void qemu_klog__line(struct qemu_klog *k, const char *line, double arrival_ms);
/* Parses a leading "[ seconds.micros]" stamp (after any control bytes).
 * Returns the text after it and sets *ts_ms, or NULL. */
const char *qemu_klog__stamp(const char *line, double *ts_ms);
/* Kernel done on the host clock; false if unknown. */
bool qemu_klog__done_ms(const struct qemu_klog *k, double *ms);

#endif
