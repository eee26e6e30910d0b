/* `vm nested-exec`: the L1 guest of a nested run with a script of its own.
 * The emulated hosts of the tests (tests/emulated/run-host.sh) are this
 * command, so they check the very initramfs, /init, boot and console
 * parser that `vm nested` uses. The files come out through the untrusted
 * console parser and are written atomically. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/output.h"
#include "nested/nested.h"
#include "nested/nested_arch.h"
#include "nested/nested_l1.h"

#define SCRIPT_MAX (1u << 20)

/* The console as a file, without the CRs of the serial line. */
static int write_log(const char *dir, const char *log, size_t len, struct vb_err *err)
{
	cleanup_free char *clean = malloc(len + 1);
	if (!clean)
		return err__set(err, ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (log[i] != '\r')
			clean[n++] = log[i];
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/console.log", dir);
	return file__write_atomic(path, clean, n, err);
}

static int write_files(const char *dir, const struct nested_console *c, struct vb_err *err)
{
	for (unsigned i = 0; i < c->nfiles; i++) {
		char path[PATH_MAX];
		if (!strcmp(c->files[i].name, "console.log"))
			return err__set(err, 0, "the guest printed a file named console.log");
		snprintf(path, sizeof(path), "%s/%s", dir, c->files[i].name);
		if (file__write_atomic(path, c->files[i].data, c->files[i].len, err) < 0)
			return -1;
	}
	return 0;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

/* Every command's line on stderr, and what went wrong into why. */
static void verdict(const struct nested_exec_opts *x, const struct vb_proc_result *r,
		    const struct nested_console *c, struct vb_buf *why)
{
	for (unsigned i = 0; i < c->nrcs; i++)
		fprintf(stderr, "  %s: rc %d, %s s .. %s s (guest uptime)\n", c->rcs[i].name,
			c->rcs[i].rc, c->rcs[i].t0[0] ? c->rcs[i].t0 : "?",
			c->rcs[i].t1[0] ? c->rcs[i].t1 : "?");
	if (r->timed_out)
		buf__printf(why, "; timed out after %u s", x->n.timeout_s);
	else if (r->exit_code != 0)
		buf__printf(why, "; qemu exited %d", r->exit_code);
	if (!c->done)
		buf__printf(why, "; the guest did not finish (no VB-DONE)");
	if (c->no_kvm)
		buf__printf(why, "; no /dev/kvm in the guest");
	if (x->expect_log && !memmem(r->out, r->out_len, x->expect_log, strlen(x->expect_log)))
		buf__printf(why, "; the console never said '%s'", x->expect_log);
	for (unsigned i = 0; i < c->nrcs; i++) {
		size_t len;
		if (c->rcs[i].rc != 0)
			buf__printf(why, "; '%s' exited %d%s%s", c->rcs[i].name, c->rcs[i].rc,
				    c->rcs[i].error[0] ? ": " : "", c->rcs[i].error);
		else if (ends_with(c->rcs[i].name, ".json") &&
			 !nested_console__file(c, c->rcs[i].name, &len))
			buf__printf(why, "; %s not copied out", c->rcs[i].name);
	}
	if (c->nruns == 0 || c->nruns != c->nrcs)
		buf__printf(why, "; %u of %u commands finished", c->nrcs, c->nruns);
}

int nested__exec(const struct nested_exec_opts *x, struct vb_err *err)
{
	const struct nested_arch *a = nested_arch__find(x->n.arch);
	if (!a)
		return err__usage(err, "--arch %s: not an architecture virtbench knows", x->n.arch);
	struct nested_host v = { 0 };
	bool kvm = false;
	if ((x->n.accel != NESTED_ACCEL_TCG && nested_host__inspect(&v, err) < 0) ||
	    nested__pick_accel(&x->n, a, &v, &kvm, err) < 0)
		return -1;
	cleanup_free char *script = NULL;
	size_t script_len = 0;
	if (file__read_all(x->script, SCRIPT_MAX, &script, &script_len, err) < 0)
		return err__wrap(err, "--exec");
	if (strlen(script) != script_len)
		return err__usage(err, "--exec %s: a script with a NUL byte", x->script);
	if (file__mkdirs(x->out, err) < 0)
		return err__wrap(err, "--out");
	struct nested_boot b = { .arch = a, .kvm = kvm, .abort_slot = -1 };
	struct vb_proc_result r = { 0 };
	struct nested_console c = { 0 };
	int rc = nested_boot__prepare(&b, &x->n, &v, script, x->extra, x->nextra, err);
	if (rc == 0 && nested_boot__run(&b, &x->n, x->append, x->smp, &r, err) < 0)
		rc = r.timed_out ? 0 : -1; /* a guest that hung: its console still tells why */
	const char *log = r.out ? r.out : "";
	if (rc == 0)
		rc = write_log(x->out, log, r.out_len, err);
	if (rc == 0 && nested_console__parse(log, r.out_len, &c, err) < 0)
		rc = err__wrap(err, "the guest's console");
	if (rc == 0)
		rc = write_files(x->out, &c, err);
	if (rc == 0) {
		struct vb_buf why = { 0 };
		verdict(x, &r, &c, &why);
		if (why.len)
			rc = err__set(err, 0, "%s (console log %s/console.log)", why.data + 2,
				      x->out);
		buf__free(&why);
	}
	nested_console__free(&c);
	proc__result_free(&r);
	nested_boot__close(&b);
	return rc;
}
