#include "host/klog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#define SYSLOG_ACTION_READ_ALL	  3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* Skips "<6>" and "[    0.329599] " prefixes. */
static const char *message_of(const char *line)
{
	if (line[0] == '<') {
		const char *e = strchr(line, '>');
		if (e && e - line < 6)
			line = e + 1;
	}
	if (line[0] == '[') {
		const char *e = strchr(line, ']');
		if (e)
			line = e + 1;
	}
	while (*line == ' ')
		line++;
	return line;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void scan_line(const char *msg, struct host_klog *f)
{
	const char *p;
	if ((p = strstr(msg, "Hypervisor detected: ")))
		hostfs__copy(f->hypervisor_detected, sizeof(f->hypervisor_detected),
			     p + strlen("Hypervisor detected: "));
	if (strstr(msg, "running under PVM") ||
	    strstr(msg, "Booting paravirtualized kernel on PVM") ||
	    !strcmp(f->hypervisor_detected, "PVM"))
		f->pvm_guest = true;
	if (starts(msg, "kvm-pvm:") && strstr(msg, "itself a kvm-pvm guest"))
		f->kvm_pvm_not_bound = true;
	if (starts(msg, "kvm [") || starts(msg, "kvm:")) {
		/* arch/arm64/kvm/arm.c, one of:
		 *   "Protected nVHE mode initialized successfully"
		 *   "VHE mode initialized successfully"
		 *   "Hyp mode (hVHE) initialized successfully" / "(nVHE)"
		 *   "Hyp mode initialized successfully" (before 6.4: nVHE) */
		if (strstr(msg, "Protected nVHE mode initialized"))
			hostfs__copy(f->arm_kvm_mode, sizeof(f->arm_kvm_mode), "protected");
		else if (strstr(msg, "VHE mode initialized") && !strstr(msg, "Hyp mode"))
			hostfs__copy(f->arm_kvm_mode, sizeof(f->arm_kvm_mode), "vhe");
		else if (strstr(msg, "Hyp mode (hVHE) initialized"))
			hostfs__copy(f->arm_kvm_mode, sizeof(f->arm_kvm_mode), "hvhe");
		else if (strstr(msg, "Hyp mode") && strstr(msg, "initialized successfully"))
			hostfs__copy(f->arm_kvm_mode, sizeof(f->arm_kvm_mode), "nvhe");
		else if (strstr(msg, "HYP mode not available"))
			hostfs__copy(f->arm_kvm_mode, sizeof(f->arm_kvm_mode), "none");
	}
	if ((p = strstr(msg, "CPU(s) started at EL")))
		hostfs__copy(f->arm_boot_el, sizeof(f->arm_boot_el),
			     p + strlen("CPU(s) started at "));
	if (strstr(msg, "KVM: hypervisor services detected"))
		f->arm_smccc_kvm = true;
	if (strstr(msg, "GICv4.1"))
		hostfs__copy(f->gic, sizeof(f->gic), "v4.1");
	else if (strstr(msg, "Using GICv4") && strcmp(f->gic, "v4.1"))
		hostfs__copy(f->gic, sizeof(f->gic), "v4");
	else if (starts(msg, "GICv3:") && !f->gic[0])
		hostfs__copy(f->gic, sizeof(f->gic), "v3");
	else if ((starts(msg, "GICv2") || starts(msg, "GIC: ")) && !f->gic[0])
		hostfs__copy(f->gic, sizeof(f->gic), "v2");
	if (strstr(msg, "FIRECK") || strstr(msg, "Firecracker"))
		f->firecracker = true;

	bool kvm_msg = starts(msg, "kvm:") || starts(msg, "kvm-pvm:") ||
		       starts(msg, "kvm_intel:") || starts(msg, "kvm_amd:") || starts(msg, "kvm [");
	if (kvm_msg && f->nkvm_lines < HOST_KLOG_MAX_KVM_LINES) {
		for (unsigned i = 0; i < f->nkvm_lines; i++)
			if (!strcmp(f->kvm_lines[i], msg))
				return;
		hostfs__copy(f->kvm_lines[f->nkvm_lines++], sizeof(f->kvm_lines[0]), msg);
	}
}

int host_klog__scan(const char *text, struct host_klog *f)
{
	memset(f, 0, sizeof(*f));
	f->readable = true;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : NULL;
		scan_line(message_of(line), f);
	}
	return 0;
}

int host_klog__read(const struct hostfs *fs, struct host_klog *f)
{
	char *text = NULL;
	if (fs->root && fs->root[0]) {
		text = hostfs__read_alloc(fs, "/dmesg.txt", 4 << 20, NULL);
	} else {
		int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
		if (size > 0 && size <= 64 << 20 && (text = malloc((size_t)size + 1))) {
			int n = klogctl(SYSLOG_ACTION_READ_ALL, text, size);
			if (n < 0) {
				free(text);
				text = NULL;
			} else {
				text[n] = '\0';
			}
		}
	}
	if (!text) {
		memset(f, 0, sizeof(*f));
		return -1;
	}
	host_klog__scan(text, f);
	free(text);
	return 0;
}
