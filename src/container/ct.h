/* Internal interface of the container area: one driver per runtime (the
 * built-in runtime, the unshare+exec floor, runc/crun, docker/podman), all
 * starting the same static worker and measured to the same point: the
 * worker's VBREADY timestamp (its CLOCK_MONOTONIC, the host's clock, as no
 * time namespace is used). */
#ifndef VB_CONTAINER_CT_H
#define VB_CONTAINER_CT_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "container/ct_cgroup.h"
#include "core/err.h"
#include "core/owner.h"
#include "core/proc.h"
#include "measure/rates.h"
#include "measure/wclient.h"
#include "worker/protocol.h"

#define CT_ID_MAX	  64
#define CT_MAX_ARGS	  32
#define CT_WORKER_IN_ROOT "/virtbench-worker"
#define CT_ID_PREFIX	  "virtbench-"
/* The run's temp dir: virtbench-ct.<pid>.<start>.XXXXXX */
#define CT_TMP_PREFIX	  "virtbench-ct."

/* Shared by every driver of one benchmark run. */
struct ct_env {
	char tmpdir[PATH_MAX];	      /* private temp dir: rootfs, bundles, tar */
	char rootfs[PATH_MAX];	      /* tmpdir/rootfs: the worker, /proc, /dev */
	char worker[PATH_MAX];	      /* the host's virtbench-worker */
	char rootfs_worker[PATH_MAX]; /* rootfs/virtbench-worker */
	bool keep_image;
	bool hold_image;	 /* container_opts.hold_image */
	struct cg_limits limits; /* optional cpu/memory limits */
	unsigned seq;		 /* container names: virtbench-<pid>-<start>-<seq> */
	char pid_label[48];	 /* virtbench.pid=<pid>: whose container or image */
	char start_label[48];	 /* virtbench.start=<start>: the pid's start time */
	char worker_hash[24];	 /* FNV-1a of the worker: an image holding it is reused */
	int later_slot;		 /* forced-exit removal of tmpdir */
};

/* One started container. */
struct ct_inst {
	char id[CT_ID_MAX];
	uint64_t t_spawn_ns; /* host CLOCK_MONOTONIC just before the runtime starts */
	uint64_t t_ready_ns; /* the worker's VBREADY timestamp (0 until read) */
	uint64_t t_exit_ns;  /* host clock when the runtime process was seen gone */
	int out_fd;	     /* the worker's records (its stdout, through the runtime) */
	int in_fd;	     /* its stdin when asked for, else -1 */
	int err_fd;	     /* the runtime's stderr, or -1 */
	int pidfd;	     /* the process whose exit ends the run */
	pid_t pid;
	bool exited;
	int status; /* waitpid status once exited */
	struct vbp_reader rd;
	char errbuf[512]; /* the runtime's stderr, kept for error messages */
	size_t errlen;
	/* driver state */
	struct vb_proc proc;  /* external runtimes */
	struct cg_group cg;   /* built-in runtime */
	int setup_fd;	      /* built-in: child's setup-failure report */
	bool created;	      /* needs teardown */
	bool removed_by_exit; /* the runtime removes it itself on exit */
};

/* What to start. */
struct ct_start {
	const char *const *args; /* worker arguments after its path, NULL-ended */
	bool keep_stdin;	 /* give the worker a stdin pipe (serve mode) */
	/* The I/O modes (ct_bench_io.c). */
	const char *volume;  /* host directory bind-mounted read-write at CT_IO_DIR */
	const char *overlay; /* host directory with upper/ and work/: built-in, the
			      * root on overlayfs over the rootfs; runc/crun,
			      * CT_IO_DIR on overlayfs over the rootfs's */
	bool lo_up;	     /* built-in: bring the container's loopback up */
	const char *network; /* docker/podman: --network (NULL: none) */
};
/* Where a container's disk tests run (a directory of the rootfs). */
#define CT_IO_DIR "/vbio"

struct ct_driver;

struct ct_ops {
	/* Checks the runtime can run here and prepares what it needs once
	 * (bundle, image). On failure err holds the skip reason. */
	int (*open)(struct ct_driver *d, struct vb_err *err);
	int (*start)(struct ct_driver *d, const struct ct_start *s, struct ct_inst *in,
		     struct vb_err *err);
	/* Removes the stopped container (after ct_inst__wait_exit). */
	int (*teardown)(struct ct_driver *d, struct ct_inst *in, struct vb_err *err);
	/* Undoes open: bundle dir, image. Safe to call twice. */
	void (*close)(struct ct_driver *d);
};

struct ct_driver {
	const char *name;    /* the platform name in results */
	const char *program; /* runc, crun, docker, podman; NULL for built-in */
	const struct ct_ops *ops;
	struct ct_env *env;
	bool open;
	/* driver-private */
	char bundle[PATH_MAX];
	char config_args[VBP_LINE_MAX]; /* args the bundle's config.json holds */
	char image[256];		/* image run by docker/podman */
	bool image_built;		/* we imported it: remove on close */
	char image_id[80];		/* sha256:... of the image we imported */
	int later_slot;			/* forced-exit removal of the image, or -1 */
	bool user_image;		/* --image: the worker is bind-mounted */
	const struct ct_driver *base;	/* --image: the runtime's own driver */
	char oci_runtime[16];		/* podman: its --runtime, "" for its default */
	char ulimit[2][48];		/* podman: --ulimit nofile=, nproc=; "" for its own */
	struct cg_layout cg;		/* built-in, runc/crun: the host's cgroup layout */
	bool have_cg;			/* runc/crun: cg was found */
	bool use_cgroups;		/* built-in: place containers (root only) */
	bool userns;			/* built-in/floor: new user namespace (not root) */
	char note[256];			/* caveat recorded with the results */
	bool has_keep;			/* oci: `run --keep` exists (runc yes, crun 1.8 no) */
};

/* Drivers. */
extern const struct ct_ops ct_builtin_ops, ct_floor_ops, ct_oci_ops, ct_docker_ops;

/* The environment: temp dir with the rootfs. ct_env__close removes it. */
int ct_env__open(struct ct_env *e, const char *worker, struct vb_err *err);
void ct_env__close(struct ct_env *e);
/* out = a followed by b; an error when it does not fit. */
int ct__path(char *out, size_t size, const char *a, const char *b, struct vb_err *err);
/* Next unique container id: virtbench-<pid>-<start>-<n> (core/owner.h). */
void ct_env__next_id(struct ct_env *e, char *out, size_t size);
/* The owner a container id (or cgroup name) carries; false when the name
 * is not one of ours. */
bool ct__id_owner(const char *id, struct vb_owner *o);
/* Instance helpers shared by the drivers. */
void ct_inst__init(struct ct_inst *in);
/* The worker protocol client over the instance's records (no commands:
 * a container's worker takes its job from its command line). */
void ct_inst__client(struct ct_inst *in, struct wclient *c);
/* Starts the runtime's command (its start time is t_spawn_ns) with pipes
 * for the worker protocol; keep_stdin leaves the worker's stdin open. */
int ct_inst__spawn(struct ct_inst *in, char *const *argv, bool keep_stdin, struct vb_err *err);
/* Reads records until VBREADY; fills t_ready_ns. */
int ct_inst__wait_ready(struct ct_inst *in, int timeout_ms, struct vb_err *err);
/* Reads one run's VBRESULT records until VBDONE into the batch (a new run
 * of it) and computes its rates. */
int ct_inst__read_results(struct ct_inst *in, struct rates_batch *b, struct rates *out,
			  int timeout_ms, struct vb_err *err);
/* Waits for the runtime process to end (pidfd), reaps it, sets t_exit_ns. */
int ct_inst__wait_exit(struct ct_inst *in, int timeout_ms, struct vb_err *err);
/* Kills and reaps whatever of the instance still runs; closes its fds. */
void ct_inst__kill(struct ct_inst *in);
/* Drains the runtime's stderr into errbuf (non-blocking). */
void ct_inst__drain_err(struct ct_inst *in);
/* Appends the last line of the runtime's stderr to err, if any. */
void ct_inst__wrap_stderr(struct ct_inst *in, struct vb_err *err);

/* Runs a clean-up command to its end (or timeout) even while Ctrl-C is
 * pending, and a second Ctrl-C waits for it (vb_proc_opts.cleanup). */
int ct__run_cleanup(char *const *argv, int timeout_ms, struct vb_proc_result *r,
		    struct vb_err *err);
/* The last informative line of a program's output into out. */
void ct__last_line(const char *text, char *out, size_t size);
/* Runs a command; non-zero exit is an error carrying its stderr's last line. */
int ct__run(char *const *argv, int timeout_ms, struct vb_proc_result *r, struct vb_err *err);

/* runc/crun as root keep a container's state in /run/<program>/<id>; a
 * runtime killed while it made the container leaves that dir without the
 * state.json its `delete` needs. Removes the dir; true when there was one. */
bool ct_oci__remove_state_dir(const char *program, const char *id);

/* The process 1 of a running runc/crun container (`<runtime> state`). */
int ct_oci__pid(const struct ct_driver *d, const char *id, pid_t *pid, struct vb_err *err);

/* The OCI bundle's config.json for the worker with these arguments. */
json_t *ct_oci__config(const struct ct_env *e, const char *const *args);

/* Writes the worker rootfs as an uncompressed tar (for `docker import`). */
int ct_tar__rootfs(const char *rootfs, char **out, size_t *len, struct vb_err *err);

/* An image as `<prog> image inspect --format CT_IMAGE_FORMAT` describes
 * it: its ID and virtbench labels ("" when absent). */
struct image_info {
	char id[80], worker[40], pid[16], start[24], keep[8];
};
#define CT_IMAGE_FORMAT                                                                            \
	"{{.Id}} {{with .Config.Labels}}"                                                          \
	"{{or (index . \"virtbench.worker\") \"-\"}} {{or (index . \"virtbench.pid\") \"-\"}} "    \
	"{{or (index . \"virtbench.start\") \"-\"}} {{or (index . \"virtbench.keep\") \"-\"}}"     \
	"{{else}}- - - -{{end}}"
/* One line of that output; false when it is not one. */
bool ct_docker__image_line(const char *line, struct image_info *ii);
/* The run that made the image, from its labels; false when unlabelled. */
bool ct_docker__image_owner(const struct image_info *ii, struct vb_owner *o);

/* Opens a driver of a user's image: d->base is the runtime's open driver,
 * d->image the name. A missing image fails with the command that would
 * fetch it. */
int ct_docker__open_named(struct ct_driver *d, struct vb_err *err);

/* The seed's start-up definition: `run -d`, then `inspect` until Running. */
int ct_docker__seed_startup(struct ct_driver *d, double *ms, struct vb_err *err);

/* The runtimes of one benchmark run. drv[CT_RT_*] are the container
 * runtimes; floor is the unshare+exec floor; native runs the worker with no
 * container at all (the identical-code baseline). */
#define CT_NDRV 5
struct container_opts;
struct vb_result_set;
struct ct_session {
	struct ct_env env;
	struct ct_driver drv[CT_NDRV];
	bool usable[CT_NDRV];
	struct ct_driver floor, native;
	/* docker/podman with each --image that is here: per runtime, in the
	 * order of o->images (their base is drv[CT_RT_DOCKER] or PODMAN). */
	struct ct_driver *named;
	unsigned nnamed;
};
/* Opens the environment and every runtime of o->runtimes; those that
 * cannot run are recorded in out as skips of `benchmark` (and named on
 * stderr unless silent). Fails only when nothing can be prepared at all. */
int ct_session__open(struct ct_session *s, const struct container_opts *o, const char *benchmark,
		     struct vb_result_set *out, struct vb_err *err);
void ct_session__close(struct ct_session *s);
extern const struct ct_ops ct_native_ops;

/* One container from start to removal: ready, results (when b is not NULL:
 * one run's reports into b, their rates into *rates), exit, teardown. Times
 * in ms (NULL: not wanted). A non-zero exit is an error. */
int ct__run_once(struct ct_driver *d, const char *const *args, int timeout_ms,
		 struct rates_batch *b, struct rates *rates, double *ready_ms, double *exit_ms,
		 double *teardown_ms, struct vb_err *err);
/* The worker's arguments for a job: "--once" and the VBRUN fields, in buf. */
int ct__job_args(const struct wl_job *job, bool hist, char *buf, size_t size, const char **args,
		 size_t cap);

/* Emergency clean-up registry (second Ctrl-C): names of live containers. */
void ct_live__add(const struct ct_driver *d, const struct ct_inst *in);
void ct_live__remove(const struct ct_inst *in);

#endif
