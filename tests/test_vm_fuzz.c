/* Hostile guests against a real /dev/kvm (src/vm/hostile.h, loaded through
 * the test hook vm_opts.test_image): random code pages, random port-I/O,
 * MMIO and memory accesses anywhere and of any width, self-modifying and
 * faulting code, the device protocol spoken wrongly, the device hammered
 * from every vCPU at once. Each VM must end by itself or within its
 * watchdog with a printable reason; the process must not crash or hang
 * (an alarm ends the suite naming the seed), must keep its descriptors,
 * threads and mappings, and the built-in guest booted after them must still
 * compute and count exactly.
 *
 * VB_FUZZ_SECONDS (default 20) bounds the random part; VB_FUZZ_SEED picks
 * its first seed (default: from the clock; the seed is printed, and
 * kind/seed/vCPUs/level reproduce a VM). The summary line gives the VMs,
 * guest exits, outcomes and the counts before and after. */
#include "vmutil.h"

#include <malloc.h>
#include <signal.h>

#include "core/clock.h"
#include "vm/hostile.h"
#include "vm/vm.h"

#define MEM_BYTES (8ull << 20)
#define IMAGE_CAP (16u << 10)
#define READY_MS  1000u
#define DONE_MS	  500u
#define MAX_VCPUS 4u
/* A VM that has not ended this long after its watchdog: the monitor hangs. */
#define HANG_S	  60u

/* ---- what the process holds ---- */

/* The mappings now, one line each without the inode's padding, for saying
 * which appeared when the count grew. */
static char *maps_text(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	assert_non_null(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	char line[512];
	while (fgets(line, sizeof(line), f))
		fputs(line, out);
	fclose(f);
	fclose(out);
	return buf;
}

static void print_new_maps(const char *before, const char *after)
{
	const char *p = after;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!strstr(before, line))
			print_message("vm_fuzz: new mapping: %s", line);
		p += n;
	}
}

/* mallinfo2 counts the freed blocks the C library keeps in each thread's
 * cache (tcache, up to 7 of each size) as in use, so the heap in use grows
 * by a few hundred bytes per new size until the cache is full: no leak, but
 * no exact count either. main runs the suite without that cache. */
#define NO_TCACHE "glibc.malloc.tcache_count=0"
#ifdef __SANITIZE_ADDRESS__
#define UNDER_ASAN true
#else
#define UNDER_ASAN false
#endif
static bool exact_heap(void)
{
	const char *t = getenv("GLIBC_TUNABLES");
	return t && strstr(t, NO_TCACHE);
}

struct holdings {
	unsigned fds, tasks, maps;
	size_t heap; /* bytes the C library's allocator has handed out */
};

static struct holdings holdings__now(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (struct holdings){ count_dir("/proc/self/fd"), count_dir("/proc/self/task"),
				  count_maps(NULL), mi.uordblks + mi.hblkhd };
}

static void holdings__assert_same(const struct holdings *before, const struct holdings *after)
{
	assert_int_equal(after->fds, before->fds);
	assert_int_equal(after->tasks, before->tasks);
	/* AddressSanitizer's allocator maps memory of its own as it goes,
	 * and is not the one mallinfo2 describes. */
	if (UNDER_ASAN)
		return;
	assert_int_equal(after->maps, before->maps);
	if (exact_heap())
		assert_int_equal(after->heap, before->heap);
}

/* ---- one hostile VM ---- */

struct hvm {
	enum vm_hostile_kind kind;
	uint64_t seed;
	unsigned vcpus;
	enum vm_priv priv;
};

/* How VMs ended, by the reason's words. */
static const char *const outcome_names[] = {
	"finished",	     "watchdog",	"crash",   "no-device",
	"bad-command",	     "bad-report",	"gave-up", "kvm-run",
	"kvm-could-not-run", "unexpected-exit", "other",
};
#define OUTCOMES (sizeof(outcome_names) / sizeof(outcome_names[0]))

static unsigned outcome_of(int rc, const char *msg)
{
	static const char *const needles[] = {
		NULL,
		"watchdog",
		"no handler for|triple|stopped itself",
		"has no device|no memory or device",
		"unknown command",
		"handed back a report",
		"gave up",
		"KVM_RUN",
		"KVM could not run",
		"unexpected exit",
	};
	if (rc == 0)
		return 0;
	for (unsigned i = 1; i < sizeof(needles) / sizeof(needles[0]); i++) {
		char alt[128];
		snprintf(alt, sizeof(alt), "%s", needles[i]);
		for (char *tok = strtok(alt, "|"); tok; tok = strtok(NULL, "|"))
			if (strstr(msg, tok))
				return i;
	}
	return OUTCOMES - 1;
}

struct tally {
	unsigned vms;
	uint64_t exits;
	unsigned outcomes[OUTCOMES];
	uint64_t max_end_ms; /* longest from start to destroyed */
};

/* The VM the alarm names when the monitor hangs. */
static volatile struct hvm current;

static void on_alarm(int sig)
{
	(void)sig;
	char msg[200];
	int n = snprintf(msg, sizeof(msg),
			 "test_vm_fuzz: the monitor hung on %s seed %llu (%u vCPUs, %s level)\n",
			 vm_hostile__name(current.kind), (unsigned long long)current.seed,
			 current.vcpus, current.priv == VM_PRIV_KERNEL ? "kernel" : "user");
	if (write(2, msg, (size_t)n) < 0)
		_exit(3);
	_exit(3);
}

/* Runs image (made for h) to its end; the reason lands in *err. */
static int hvm__run_image(const struct hvm *h, const uint8_t *img, size_t len, struct tally *t,
			  struct vb_err *err_out)
{
	current = *h;
	struct vm_opts o;
	vm_opts__init(&o);
	o.vcpus = h->vcpus;
	o.mem_bytes = MEM_BYTES;
	o.priv = h->priv;
	o.test_image = img;
	o.test_image_len = len;
	struct vm *vm = NULL;
	struct vb_err err = { 0 };
	alarm(HANG_S);
	uint64_t t0 = clock__now_ns();
	/* Creating and starting depend on nothing the guest does. */
	if (vm__create(&o, &vm, &err) < 0 || vm__start(vm, &err) < 0)
		fail_msg("%s seed %llu: %s", vm_hostile__name(h->kind), (unsigned long long)h->seed,
			 err.msg);
	int rc = vm__wait_ready(vm, READY_MS, &err);
	uint64_t rng = h->seed ^ 0x5eed;
	for (int round = 0; rc == 0 && round < 2; round++) {
		for (unsigned i = 0; rc == 0 && i < h->vcpus; i++) {
			struct vm_request r;
			memset(&r, 0, sizeof(r));
			r.request = (uint32_t)(vm_hostile__rand(&rng) % 5);
			r.arg[0] = vm_hostile__rand(&rng) % 4;
			r.arg[1] = vm_hostile__rand(&rng) % 100;
			rc = vm__post(vm, i, &r, &err);
		}
		if (rc == 0)
			rc = vm__wait_done(vm, DONE_MS, &err);
	}
	if (rc < 0) {
		if (!err.msg[0])
			fail_msg("%s seed %llu: the VM ended without a reason",
				 vm_hostile__name(h->kind), (unsigned long long)h->seed);
		for (const char *c = err.msg; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				fail_msg("%s seed %llu: unprintable reason: %s",
					 vm_hostile__name(h->kind), (unsigned long long)h->seed,
					 err.msg);
	}
	unsigned outcome = outcome_of(rc, err.msg);
	t->outcomes[outcome]++;
	uint64_t exits = vm__exits(vm);
	t->exits += exits;
	vm__destroy(vm, NULL);
	alarm(0);
	uint64_t ms = (clock__now_ns() - t0) / 1000000;
	if (getenv("VB_FUZZ_VERBOSE") || outcome == OUTCOMES - 1) {
		struct mallinfo2 mi = mallinfo2();
		print_message("vm_fuzz: %s seed %llu, %u vCPUs, %s level: %s after %llu exits, "
			      "%llu ms (heap %zu): %s\n",
			      vm_hostile__name(h->kind), (unsigned long long)h->seed, h->vcpus,
			      h->priv == VM_PRIV_KERNEL ? "kernel" : "user", outcome_names[outcome],
			      (unsigned long long)exits, (unsigned long long)ms,
			      mi.uordblks + mi.hblkhd, err.msg);
	}
	if (ms > t->max_end_ms)
		t->max_end_ms = ms;
	t->vms++;
	*err_out = err;
	return rc;
}

static void hvm__run(const struct hvm *h, struct tally *t)
{
	static uint8_t img[IMAGE_CAP];
	size_t len = vm_hostile__image(h->kind, h->seed, MEM_BYTES, img, sizeof(img));
	struct vb_err err;
	hvm__run_image(h, img, len, t, &err);
}

/* ---- the built-in guest still works ---- */

static void canary(void)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.mem_bytes = MEM_BYTES;
	struct vm *vm = NULL;
	struct vb_err err = { 0 };
	if (vm__create(&o, &vm, &err) < 0 || vm__start(vm, &err) < 0 ||
	    vm__wait_ready(vm, 20000, &err) < 0)
		fail_msg("the built-in guest after hostile ones: %s", err.msg);
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_EXITS;
	r.arg[0] = arch__exit_how(VB_EXITT_PIO) ? VB_EXITT_PIO : VB_EXITT_MMIO;
	r.arg[1] = 100;
	r.arg[2] = arch__mmio_gpa(MEM_BYTES);
	assert_int_equal(vm__post(vm, 0, &r, &err), 0);
	if (vm__wait_done(vm, 60000, &err) < 0)
		fail_msg("the built-in guest's exits after hostile ones: %s", err.msg);
	const struct vm_vcpu_result *res = vm__result(vm, 0);
	assert_int_equal(r.arg[0] == VB_EXITT_PIO ? res->pio_pings : res->mmio_pings, 100);

	r = cpu_request(1, 5, 5000);
	assert_int_equal(vm__post(vm, 0, &r, &err), 0);
	if (vm__wait_done(vm, 60000, &err) < 0)
		fail_msg("the built-in guest's workload after hostile ones: %s", err.msg);
	struct wl_clock clk = { mono, NULL };
	struct wl_report want;
	wl__run(&r.job, &clk, &want);
	assert_true(res->has_report);
	assert_int_equal(res->report.checksum, want.checksum);
	assert_int_equal(res->report.events, want.events);
	vm__destroy(vm, NULL);
}

/* ---- tests ---- */

static void setup_alarm(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

static void print_tally(const char *what, const struct tally *t, const struct holdings *before,
			const struct holdings *after)
{
	char out[512];
	size_t n = 0;
	for (unsigned i = 0; i < OUTCOMES; i++)
		if (t->outcomes[i])
			n += (size_t)snprintf(out + n, sizeof(out) - n, " %s %u", outcome_names[i],
					      t->outcomes[i]);
	print_message("vm_fuzz %s %s: %u VMs, %llu guest exits, longest %llu ms to end;%s; "
		      "fds %u -> %u, threads %u -> %u, mappings %u -> %u, heap %zu -> %zu bytes\n",
		      arch__name(), what, t->vms, (unsigned long long)t->exits,
		      (unsigned long long)t->max_end_ms, out, before->fds, after->fds,
		      before->tasks, after->tasks, before->maps, after->maps, before->heap,
		      after->heap);
}

/* A VM of the most vCPUs and the built-in guest first: one-time set-up of
 * the process (and the C library's cache of as many thread stacks) is not
 * a leak. */
static void warm_up(void)
{
	struct tally t = { 0 };
	struct hvm first = { VM_HOSTILE_HAMMER, 0, MAX_VCPUS, VM_PRIV_USER };
	hvm__run(&first, &t);
	canary();
}

/* Every kind at fixed seeds, on 1 and several vCPUs, at both levels. */
static void test_each_kind_ends_with_reason(void **state)
{
	(void)state;
	REQUIRE_KVM();
	setup_alarm();
	warm_up();
	struct holdings before = holdings__now();
	struct tally t = { 0 };
	for (unsigned k = 0; k < VM_HOSTILE_KINDS; k++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct hvm h = { k, seed, seed == 2 ? 3 : 1,
					 seed == 3 ? VM_PRIV_KERNEL : VM_PRIV_USER };
			hvm__run(&h, &t);
		}
	canary();
	struct holdings after = holdings__now();
	print_tally("fixed seeds", &t, &before, &after);
	assert_int_equal(t.vms, VM_HOSTILE_KINDS * 3);
	holdings__assert_same(&before, &after);
}

/* An access the device cannot take (x86: repeated port I/O; arm64: a store
 * with write-back to the device page, which KVM has no syndrome for) ends
 * the VM naming the port or address and why, not with a bare "KVM_RUN:
 * Function not implemented" as arm64 did before KVM_CAP_ARM_NISV_TO_USER
 * was enabled. */
static void test_undecodable_access_named(void **state)
{
	(void)state;
	REQUIRE_KVM();
	setup_alarm();
	static uint8_t img[IMAGE_CAP];
	uint64_t mmio = arch__mmio_gpa(MEM_BYTES);
	struct vm_hostile_buf b = { img, 0, sizeof(img), arch__ram_base() + VB_GUEST_IMAGE_OFF,
				    mmio };
	memset(img, 0, sizeof(img));
	arch__hostile_prologue(&b);
	arch__hostile_port(&b, VB_PORT_CMD + 8, 1, true, 0, 2 | 1 << 2); /* x86: rep outsb, 2 */
	arch__hostile_jump(&b, b.len);
	struct hvm h = { VM_HOSTILE_ACCESSES, 0, 1, VM_PRIV_USER };
	struct tally t = { 0 };
	struct vb_err err;
	assert_int_equal(hvm__run_image(&h, img, b.len, &t, &err), -1);
	char want[96];
	if (arch__exit_how(VB_EXITT_PIO)) /* KVM hands string I/O over one at a time */
		snprintf(want, sizeof(want), "port 0x%x", VB_PORT_CMD + 8);
	else
		snprintf(want, sizeof(want),
			 "address 0x%llx): an access to no memory that KVM "
			 "cannot decode",
			 (unsigned long long)(mmio + VB_PORT_CMD + 8));
	if (!strstr(err.msg, want) || strstr(err.msg, "KVM_RUN"))
		fail_msg("expected '%s' in: %s", want, err.msg);
}

static unsigned env_uint(const char *name, unsigned def)
{
	const char *v = getenv(name);
	return v && *v ? (unsigned)strtoul(v, NULL, 10) : def;
}

/* Random kinds, seeds, vCPU counts and levels for VB_FUZZ_SECONDS; nothing
 * left behind and the built-in guest unaffected. */
static void test_random_guests_leave_nothing_behind(void **state)
{
	(void)state;
	REQUIRE_KVM();
	setup_alarm();
	unsigned seconds = env_uint("VB_FUZZ_SECONDS", 20);
	const char *s = getenv("VB_FUZZ_SEED");
	uint64_t rng = s && *s ? strtoull(s, NULL, 0) : clock__now_ns();
	print_message("vm_fuzz: VB_FUZZ_SEED=%llu, %u s\n", (unsigned long long)rng, seconds);

	warm_up();
	/* The text first, so that both counts include it. */
	char *maps_before = maps_text();
	struct holdings before = holdings__now();
	struct tally t = { 0 };

	uint64_t end = clock__now_ns() + (uint64_t)seconds * 1000000000ull;
	while (clock__now_ns() < end) {
		struct hvm h;
		h.kind = (enum vm_hostile_kind)(vm_hostile__rand(&rng) % VM_HOSTILE_KINDS);
		h.seed = vm_hostile__rand(&rng);
		h.vcpus = 1 + (unsigned)(vm_hostile__rand(&rng) % MAX_VCPUS);
		if (h.kind == VM_HOSTILE_HAMMER && h.vcpus == 1)
			h.vcpus = MAX_VCPUS; /* every vCPU at once */
		h.priv = vm_hostile__rand(&rng) % 4 == 0 ? VM_PRIV_KERNEL : VM_PRIV_USER;
		hvm__run(&h, &t);
		if (t.vms % 16 == 0)
			canary();
	}
	canary();
	struct holdings after = holdings__now();
	print_tally("random", &t, &before, &after);
	char *maps_after = maps_text();
	if (after.maps != before.maps)
		print_new_maps(maps_before, maps_after);
	free(maps_before);
	free(maps_after);
	holdings__assert_same(&before, &after);
	assert_true(t.vms > 0);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!UNDER_ASAN && !exact_heap()) {
		const char *t = getenv("GLIBC_TUNABLES");
		char old[256], tunables[512];
		snprintf(old, sizeof(old), "%s", t ? t : "");
		snprintf(tunables, sizeof(tunables), "%s%s" NO_TCACHE, old, t ? ":" : "");
		setenv("GLIBC_TUNABLES", tunables, 1);
		execv("/proc/self/exe", argv);
		/* No exec: on without the exact heap count. */
		if (t)
			setenv("GLIBC_TUNABLES", old, 1);
		else
			unsetenv("GLIBC_TUNABLES");
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind_ends_with_reason),
		cmocka_unit_test(test_undecodable_access_named),
		cmocka_unit_test(test_random_guests_leave_nothing_behind),
	};
	return cmocka_run_group_tests_name("vm_fuzz", tests, NULL, NULL);
}
