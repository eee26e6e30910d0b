/* Inside src/fleet: the ssh layer (ssh.c) and the steps (fleet.c). */
#ifndef VB_FLEET_FLEET_INT_H
#define VB_FLEET_FLEET_INT_H

#include "fleet/fleet.h"

#define FLEET_ARGV_MAX 48

/* An ssh or scp command line; the strings it points to live here or in
 * the host and options it was built from. */
struct fleet_argv {
	const char *v[FLEET_ARGV_MAX];
	int n;
	char port[16], timeout[48], ctl[300];
};

/* ssh [options] host, or scp [options] (operands to add); master is the
 * ControlMaster option of the master itself, NULL for its clients. */
void fleet_argv__ssh(struct fleet_argv *a, const struct fleet_host *h, const struct fleet_opts *o,
		     bool scp, const char *master);
void fleet_argv__add(struct fleet_argv *a, const char *arg);

/* One remote command through the host's master. */
struct fleet_call {
	const char *what; /* for the reason: "virtbench run" */
	int timeout_ms;
	size_t max_output;
	bool cleanup; /* runs to its end after Ctrl-C */
};
/* 0 when it ran and exited 0; else -1 with the reason (ssh's own last line
 * when ssh failed, exit 255). r is filled either way (free it). */
int fleet__remote(struct fleet_host *h, const struct fleet_opts *o, const char *cmd,
		  const struct fleet_call *c, struct vb_proc_result *r, struct vb_err *err);

/* The host's ControlMaster: started from the main thread (it must die
 * with virtbench), then waited for from any thread until its socket is
 * there or it has ended (the reason: ssh's last line). */
int fleet__master_start(struct fleet_host *h, const struct fleet_opts *o, struct vb_err *err);
int fleet__master_wait(struct fleet_host *h, const struct fleet_opts *o, struct vb_err *err);
void fleet__master_stop(struct fleet_host *h);

/* Every step on every host (one at a time with o->serial); what each gave
 * is in its state and reason. -1 only when nothing could start. */
int fleet__hosts(struct fleet_host *hosts, int n, const struct fleet_opts *o, struct vb_err *err);

void fleet__last_line(const char *text, char *out, size_t size);

/* The pieces shared by a run's end (fleet_report.c) and `virtbench report`
 * of its directory (fleet_dir.c). */
void fleet__entry_of(const struct fleet_host *h, struct fleet_entry *e);
/* DIR/<host>/results.json read as untrusted input, its report rebuilt;
 * arch (when not NULL) gets the architecture its host block names. */
int fleet__host_report(const char *dir, const struct report_opts *ro, char *arch, size_t size,
		       struct vb_err *err);
/* compare of the entries with results into outdir/compare/, its tables on
 * stdout: 0 written, 1 fewer than two sets (said on stderr), -1 error. */
int fleet__compare(const char *outdir, const struct fleet_entry *es, int n,
		   const struct report_opts *ro, struct vb_err *err);
/* outdir/index.html: each host, its status and a link to its report, and
 * the comparison when there is one. */
int fleet__write_index(const char *outdir, const struct fleet_entry *es, int n, bool compared,
		       struct vb_err *err);

#endif
