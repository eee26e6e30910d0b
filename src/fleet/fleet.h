/* `virtbench fleet run`: the suite on many hosts over OpenSSH. For each host,
 * through ssh and scp (spawned with core/proc.h, one connection per host
 * through a ControlMaster whose socket lies in a private local temp dir):
 * its architecture, a private remote temp dir, the matching static
 * virtbench and worker of `make dist` copied there, `virtbench run`, its
 * results.json fetched (bounded, read as untrusted input) into
 * DIR/<host>/, the remote temp dir removed; then `compare` of every host
 * that gave results, the first as baseline, into DIR/compare/. A host that
 * fails at any step is a skip with its reason; the others go on. */
#ifndef VB_FLEET_FLEET_H
#define VB_FLEET_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/proc.h"

#define FLEET_MAX_HOSTS 64
#define FLEET_NAME_MAX	100

/* One host as named on the command line or in an inventory. */
struct fleet_target {
	char name[FLEET_NAME_MAX + 1]; /* its results directory, DIR/<name>/ */
	char user[64];		       /* "" : as ssh's configuration says */
	char host[256];
	unsigned port; /* 0: as ssh's configuration says */
};

enum fleet_state { FLEET_PENDING, FLEET_DONE, FLEET_SKIPPED };

struct fleet_host {
	struct fleet_target t;
	enum fleet_state state;
	char reason[512]; /* why it was skipped */
	char arch[32];	  /* uname -m, as dist names it: x86_64, aarch64 */
	char rdir[256];	  /* the remote temp dir, "" when none was made */
	char ctl[256];	  /* the ControlMaster's socket */
	struct vb_proc master;
	bool master_up;
	double t0, seconds;
	char *log; /* what the remote run printed */
	size_t log_len;
};

struct fleet_opts {
	const char *outdir;	/* DIR */
	const char *dist;	/* holds <arch>/virtbench and <arch>/virtbench-worker */
	const char *ssh_config; /* ssh -F FILE, or NULL for the user's own */
	char **run_args;	/* passed to `virtbench run` as they are */
	int nrun_args;
	bool serial;
	bool quiet;
	bool no_gnuplot;
	double connect_timeout_s;
	double run_timeout_s; /* <= 0: none */
};

/* A host as its results directory shows it: from a run (fleet__run) or
 * from fleet.json (`virtbench report DIR`). */
struct fleet_entry {
	char name[FLEET_NAME_MAX + 1];
	char arch[32];
	char status[16]; /* "done", "skipped" */
	char reason[512];
	bool results; /* DIR/<name>/ holds its results, rendered */
};

/* "[user@]host[:port]" into t (name = the text as given). A usage error
 * when it could be read as an ssh option or holds characters that have no
 * place in a host name. */
int fleet__parse_target(const char *spec, struct fleet_target *t, struct vb_err *err);
/* Whether name can be a directory name under DIR. */
bool fleet__name_ok(const char *name);

/* Reads an inventory: one host a line ("[user@]host[:port]", optionally
 * after a name), or an Ansible INI inventory ("name ansible_host=...
 * ansible_port=... ansible_user=..." under [group] sections; :vars and
 * :children sections are skipped). Names not given: every host. Given:
 * each is a host or a group of the inventory, or a host spec. */
int fleet__inventory(const char *path, char *const *names, int nnames, struct fleet_target *out,
		     int max, int *n, struct vb_err *err);

/* A word quoted for a POSIX shell (the remote command line ssh sends). */
int fleet__shell_quote(const char *word, char *out, size_t size);

/* The whole run; returns the exit status: 0 when every host gave results
 * and the comparison was written, 1 otherwise (what worked is kept). */
int fleet__run(struct fleet_target *targets, int n, const struct fleet_opts *o);
/* Removes the local ssh control dirs of fleet runs whose owner is dead. */
struct sweep_tally;
void fleet__sweep(struct sweep_tally *t);

/* Where `make dist` put the binaries, seen from this program: $VIRTBENCH_DIST,
 * else dist/ next to it (build/dist for build/virtbench) or
 * ../lib/virtbench/dist when installed. */
int fleet__find_dist(char *out, size_t size, struct vb_err *err);

struct report_opts;

/* Whether DIR is the results directory of a fleet run: no results.json of
 * its own, and fleet.json or a DIR/<host>/results.json. */
bool fleet__is_results_dir(const char *dir);

/* `virtbench report DIR` of a fleet run's directory: each host's CSVs,
 * charts and report.html rebuilt from its results.json, the comparison of
 * the hosts with results (in fleet.json's order, else by name; the first
 * as baseline) into DIR/compare/, and DIR/index.html linking them all.
 * check_dir is asked about DIR's subdirectories before a file is written
 * there. 0 when everything was written; -1 with the first error (a host
 * whose results are refused is named there; the others are still
 * rendered). */
int fleet__report_dir(const char *dir, const struct report_opts *ro,
		      int (*check_dir)(const char *dir, struct vb_err *err), struct vb_err *err);

#endif
