/* `virtbench vm nested`: the microVM benchmarks one level down. An L1 Linux
 * guest is booted in QEMU with hardware virtualization passed through (or
 * emulated under TCG), virtbench runs inside it against the L1 /dev/kvm (its
 * microVMs are L2), and the same commands run on this host (L1 figures), so
 * that every metric gets its L2/L1 ratio. */
#ifndef VB_NESTED_H
#define VB_NESTED_H

#include <stdbool.h>

#include "core/err.h"
#include "core/result.h"
#include "measure/runner.h"

enum nested_accel { NESTED_ACCEL_AUTO, NESTED_ACCEL_KVM, NESTED_ACCEL_TCG };
enum nested_bench { NESTED_BOOT, NESTED_EXITS, NESTED_CPU, NESTED_MEMORY, NESTED_NBENCH };

struct nested_opts {
	const char *arch;      /* the L1 guest's: NULL for this host's, or "x86_64", "aarch64" */
	int accel;	       /* enum nested_accel */
	unsigned only;	       /* bits of enum nested_bench */
	const char *kernel;    /* L1 kernel; NULL: as the QEMU platform picks it */
	const char *qemu;      /* NULL: qemu-system-<arch> on PATH */
	const char *busybox;   /* static busybox for L1; NULL: /bin/busybox */
	const char *virtbench; /* static virtbench for L1; NULL: see nested_env.c */
	unsigned timeout_s;    /* the whole L1 run; 0: 900 */
	unsigned iterations;   /* per benchmark, at both levels */
	bool quiet;
};

void nested_opts__init(struct nested_opts *o);
int nested__run(const struct nested_opts *o, struct vb_result_set *s, struct vb_err *err);

/* A file of this host put into the L1 initramfs at dest (a path inside it,
 * without ".."); a directory goes in with all it holds. */
struct nested_extra {
	const char *src, *dest;
};

/* `virtbench vm nested-exec`: the same L1 guest with a script of its own
 * instead of the benchmark list (what tests/emulated/run-host.sh boots). */
#define NESTED_MAX_EXTRA 64
struct nested_exec_opts {
	struct nested_opts n;	/* arch, accel, kernel, qemu, busybox, virtbench, timeout */
	const char *script;	/* sourced by /init, which offers run NAME ARGS and limit */
	const char *out;	/* the files the guest printed, and console.log */
	const char *append;	/* more kernel arguments, or NULL */
	const char *expect_log; /* the console must say this, or NULL */
	unsigned smp;		/* 0: the architecture's */
	struct nested_extra extra[NESTED_MAX_EXTRA];
	unsigned nextra;
};
/* Boots, writes the files and the console log into out, prints one line per
 * command on stderr; an error when the guest did not finish, said no
 * expect_log, a command failed or a JSON file it wrote did not come out. */
int nested__exec(const struct nested_exec_opts *x, struct vb_err *err);

/* The parts, exposed for the tests. */

/* The shell lines that run each selected benchmark (sourced by the L1 /init),
 * and the same commands as argv arrays for the host run. */
struct nested_cmd {
	const char *name;     /* result file, e.g. "vm-boot.json" */
	const char *argv[20]; /* virtbench's arguments, NULL-terminated */
};
unsigned nested__commands(unsigned only, unsigned iterations, char iters[16],
			  struct nested_cmd *out, unsigned max);
/* The commands as the L1 /init sources them ("run NAME ARGS..." lines). */
char *nested__commands_script(const struct nested_cmd *c, unsigned n);

/* What the L1 guest printed on its console: files between VB-FILE-BEGIN
 * and VB-FILE-END (base64), each command's exit code (VB-RC). Untrusted:
 * every size is bounded. */
#define NESTED_MAX_FILES 64
struct nested_console {
	struct {
		char name[64];
		char *data;
		size_t len;
	} files[NESTED_MAX_FILES];
	unsigned nfiles;
	struct {
		char name[64];
		int rc;
		char error[160];     /* its last "virtbench: ..." line, defused */
		char t0[16], t1[16]; /* guest uptime at start and end, "" if not said */
	} rcs[NESTED_MAX_FILES];
	unsigned nrcs;
	unsigned nruns; /* VB-RUN lines: commands started */
	bool done;	/* VB-DONE seen */
	bool no_kvm;	/* VB-NOTE no /dev/kvm */
	char note[256]; /* the first VB-NOTE */
};
int nested_console__parse(const char *log, size_t len, struct nested_console *c,
			  struct vb_err *err);
void nested_console__free(struct nested_console *c);
const char *nested_console__file(const struct nested_console *c, const char *name, size_t *len);
/* Decodes base64 (whitespace ignored); returns the length or -1. */
long nested__base64_decode(const char *in, size_t len, unsigned char *out, size_t cap);

/* Gives every L2 result (config level=l2) the overhead against its L1 twin:
 * same benchmark, platform, metric and configuration but the level. */
void nested__pair_levels(struct vb_result_set *s);

#endif
