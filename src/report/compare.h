/* `virtbench compare`: aligns the results of several result sets (typically
 * an x86_64 and an aarch64 host) by benchmark, platform, metric and
 * configuration, and for each row pairs the first set (A) with another (B):
 * medians, ratio B/A, difference in percent with a 95% bootstrap interval,
 * a Mann-Whitney p-value and a verdict. Rows found in one set only are kept
 * as rows with one side missing. */
#ifndef VB_REPORT_COMPARE_H
#define VB_REPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/result.h"

/* Firecracker's A/B testing uses the same two thresholds: a difference
 * counts when p < 0.01 and it is at least 5% (below that, run-to-run noise
 * on shared machines makes it meaningless). */
#define COMPARE_ALPHA	   0.01
#define COMPARE_NOISE_PCT  5.0
#define COMPARE_MAX_INPUTS 8
/* Room for benchmark, platform, metric and a configuration of 1023 bytes. */
#define COMPARE_KEY_SIZE   1200

struct cmp_input {
	char path[1024]; /* the results.json that was read */
	char label[96];	 /* hostname-arch from the host block, else the directory */
	char letter;	 /* 'A', 'B', ... */
	struct vb_result_set set;
};

enum cmp_verdict {
	CMP_SAME,	  /* no significant difference */
	CMP_LOWER,	  /* B lower than A */
	CMP_HIGHER,	  /* B higher than A */
	CMP_INCONCLUSIVE, /* too few samples for p < 0.01 to be reachable */
	CMP_ONLY_A,	  /* the row exists in A only */
	CMP_ONLY_B,	  /* the row exists in B only */
	CMP_FLAGGED,	  /* platform, accelerator or emulation differ: no verdict */
};

struct cmp_row {
	const struct vb_result *a, *b; /* NULL on the missing side */
	size_t bi;		       /* index of the B input (1 ... ninputs-1) */
	char config[256];	       /* aligned configuration, "k=v k=v" */
	double ratio;		       /* median B / median A */
	double diff, diff_lo, diff_hi; /* (B - A) / A * 100, 95% interval */
	double p;		       /* Mann-Whitney two-sided p-value */
	enum cmp_verdict verdict;
	bool b_better;	/* with the metric's direction; LOWER/HIGHER only */
	size_t needed;	/* INCONCLUSIVE: samples a side a verdict would need */
	bool seed;	/* pairs the seed files' platforms of A and B (they differ) */
	char text[160]; /* "B lower by 12% ± 3% (better)", "no significant difference" */
};

struct cmp_report {
	struct cmp_input inputs[COMPARE_MAX_INPUTS];
	size_t ninputs;
	struct cmp_row *rows;
	size_t nrows, cap;
	size_t duplicates; /* rows seen twice in one set (the first one is used) */
};

/* Resolves a results directory or a results.json file, loads it (the core
 * reader validates the format) and checks that its figures make sense.
 * Errors name the file and the field. */
int compare__load(const char *arg, struct cmp_input *in, struct vb_err *err);
/* Semantic checks on a loaded set: not empty, samples present, numbers in a
 * plausible range. `file` prefixes every message. */
int compare__check_set(const struct vb_result_set *s, const char *file, struct vb_err *err);
/* The alignment key of a result: benchmark, platform, metric and the
 * configuration without provenance-only keys (compiler, versions). */
/* size must be at least COMPARE_KEY_SIZE. */
void compare__key(const struct vb_result *r, char *out, size_t size);
/* "k=v k=v" of the configuration used for alignment. */
void compare__config(const struct vb_result *r, char *out, size_t size);
/* True for configuration keys that record provenance, not the experiment. */
bool compare__provenance_key(const char *key);
/* Fills the statistics and the verdict of a row whose a and b are set. */
void compare__stats(struct cmp_row *row, char bletter);
/* The samples a side that a verdict needs when A has na and B nb: the
 * smallest n for which two fully separated groups of max(na, n) and
 * max(nb, n) samples reach p < COMPARE_ALPHA; 0 when na and nb suffice. */
size_t compare__needed_samples(size_t na, size_t nb);
/* Why a and b (of sets A and B) measure different things although their
 * rows align: platform, accelerator (kvm/tcg) or an emulated host
 * (`virtbench.emulated` on its kernel command line). Writes the reason and
 * returns true, or returns false. */
bool compare__mismatch(const struct vb_result_set *A, const struct vb_result *a,
		       const struct vb_result_set *B, const struct vb_result *b, char *why,
		       size_t size);
/* Whether r is a row of seed file k (report__seed_csvs: 0 vm_boot_times,
 * 1 hypervisor_overhead, 2-4 the container files) when the file holds
 * platform plat (report__seed_csv_platform; a container runtime's file
 * also holds its seed-method rows). */
bool compare__seed_row(const struct vb_result *r, size_t k, const char *plat);
/* Whether a reader of two hosts' seed file k puts a beside b: the same
 * guest size and threads (VM files), the same image, threads and start-up
 * method (container files). */
bool compare__seed_match(const struct vb_result *a, const struct vb_result *b, size_t k);
/* The value of `virtbench.emulated=` on a host block's kernel command line
 * ("qemu-tcg"), else "". */
void compare__host_emulated(const struct vb_result_set *s, char *out, size_t size);
/* The accelerator of a result: its accel key, else "tcg" or "kvm" for a VM
 * platform; "" for native and containers. */
void compare__accel(const struct vb_result *r, char *out, size_t size);
/* Builds every row from the loaded inputs (at least two). */
int compare__build(struct cmp_report *rep, struct vb_err *err);
void compare__free(struct cmp_report *rep);

#endif
