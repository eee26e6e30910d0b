/* What kind of KVM this host has, probed once: whether a VM can be made at
 * all, whether guest kernel-level code runs natively or is emulated (kvm_pvm
 * runs guest user code natively and emulates guest kernel code, so a short
 * register loop timed at both levels tells them apart), and whether CPUID
 * from guest user level reaches KVM. */
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/bench_impl.h"

#define PROBE_LOOP     20000
#define EMULATED_RATIO 8.0 /* native: ~1; kvm_pvm: ~100 or more */

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vm_env env_cache;

int vm_bench__available(struct vb_err *err)
{
	int fd;
	if (vm__open_kvm(&fd, err) < 0)
		return -1;
	close(fd);
	return 0;
}

static void env__module(struct vm_env *e)
{
	static const char *const mods[] = { "kvm_amd", "kvm_intel", "kvm_pvm", "kvm_arm" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/sys/module/%s", mods[i]);
		if (stat(path, &st) == 0) {
			snprintf(e->module, sizeof(e->module), "%s", mods[i]);
			return;
		}
	}
}

/* Guest-clock ns of the spin loop at one privilege level. */
static int env__spin(enum vm_priv priv, uint64_t *ns, uint64_t *khz, struct vb_err *err)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.mem_bytes = 16 * MIB_;
	o.priv = priv;
	struct vm *vm;
	if (vmb__up(&o, &vm, err) < 0)
		return -1;
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_SPIN;
	r.arg[0] = PROBE_LOOP;
	int rc = vmb__run_all(vm, &r, 20000, err);
	if (rc == 0) {
		*ns = vm__result(vm, 0)->guest_ns;
		*khz = vm__counter_khz(vm);
	}
	vm__destroy(vm, NULL);
	return rc;
}

static int env__cpuid(int *intercepted, struct vb_err *err)
{
	struct vm_opts o;
	vm_opts__init(&o);
	o.mem_bytes = 16 * MIB_;
	struct vm *vm;
	if (vmb__up(&o, &vm, err) < 0)
		return -1;
	struct vm_request r;
	memset(&r, 0, sizeof(r));
	r.request = VB_REQ_EXITS;
	r.arg[0] = VB_EXITT_INKERNEL;
	r.arg[1] = 1;
	int rc = vmb__run_all(vm, &r, 20000, err);
	if (rc == 0)
		*intercepted = vm__result(vm, 0)->value[0] ? 1 : 0;
	vm__destroy(vm, NULL);
	return rc;
}

int vm_bench__env(struct vm_env *out, struct vb_err *err)
{
	pthread_mutex_lock(&env_lock);
	if (env_cache.probed) {
		*out = env_cache;
		pthread_mutex_unlock(&env_lock);
		return 0;
	}
	struct vm_env e;
	memset(&e, 0, sizeof(e));
	e.cpuid_intercepted = -1;
	env__module(&e);
	uint64_t user_ns = 0, kern_ns = 0, khz = 0;
	int rc = env__spin(VM_PRIV_USER, &user_ns, &e.counter_khz, err);
	if (rc == 0) {
		/* Only the user-level VM is essential: the kernel-level and CPUID
		 * probes describe the host, and a host where they fail still runs
		 * every benchmark but HLT. */
		struct vb_err soft = { 0 };
		if (env__spin(VM_PRIV_KERNEL, &kern_ns, &khz, &soft) == 0 && user_ns) {
			e.cpl0_known = true;
			e.cpl0_ratio = (double)kern_ns / (double)user_ns;
			e.cpl0_emulated = e.cpl0_ratio > EMULATED_RATIO;
		}
		if (env__cpuid(&e.cpuid_intercepted, &soft) < 0)
			e.cpuid_intercepted = -1;
		e.probed = true;
		env_cache = e;
		*out = e;
	}
	pthread_mutex_unlock(&env_lock);
	return rc < 0 ? err__wrap(err, "probing KVM") : 0;
}

void vm_bench__annotate(struct vb_result_set *s)
{
	struct vm_env env;
	struct vb_err err = { 0 };
	if (vm_bench__env(&env, &err) < 0)
		return;
	if (!s->extra)
		s->extra = json_object();
	json_t *m = json_object();
	if (!s->extra || !m) {
		json_decref(m);
		return;
	}
	json_object_set_new(m, "kvm_cpl0",
			    json_string(!env.cpl0_known	    ? "unknown"
					: env.cpl0_emulated ? "emulated"
							    : "native"));
	json_object_set_new(m, "cpl0_ratio", json_real(env.cpl0_ratio));
	json_object_set_new(m, "cpuid_exits",
			    env.cpuid_intercepted < 0 ? json_null()
						      : json_boolean(env.cpuid_intercepted));
	json_object_set_new(m, "guest_counter_khz", json_integer((json_int_t)env.counter_khz));
	if (env.module[0])
		json_object_set_new(m, "kvm_module", json_string(env.module));
	if (s->host && json_is_object(s->host))
		json_object_set(s->host, "kvm_cpl0", json_object_get(m, "kvm_cpl0"));
	json_object_set_new(s->extra, "microvm", m);
}
