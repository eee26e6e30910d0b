/* vCPU threads and THE exit loop: every exit of every vCPU is decoded and
 * dispatched here and nowhere else. A vCPU is pulled out of KVM_RUN by a
 * kick: immediate_exit is set first (so a kick that arrives just before the
 * ioctl is not lost) and then a signal that interrupts the ioctl. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#include "vm/exit.h"
#include "vm/vm_impl.h"

#ifdef __SANITIZE_ADDRESS__
#define VCPU_STACK_DEFAULT (512u << 10) /* the sanitizers want more */
#else
#define VCPU_STACK_DEFAULT (128u << 10)
#endif

static int kick_signal(void)
{
	return SIGRTMIN + 4;
}

static void kick__handler(int sig)
{
	(void)sig; /* its only job is to make KVM_RUN return EINTR */
}

static pthread_once_t kick_once = PTHREAD_ONCE_INIT;
static void kick__install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick__handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: KVM_RUN must come back */
	sigaction(kick_signal(), &sa, NULL);
}

int vcpu__create(struct vm *vm, unsigned index, struct vb_err *err)
{
	struct vcpu *v = &vm->vcpu[index];
	v->vm = vm;
	v->index = index;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)index);
	if (v->fd < 0)
		return err__set(err, errno, "KVM_CREATE_VCPU");
	fcntl(v->fd, F_SETFD, FD_CLOEXEC);
	void *p = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (p == MAP_FAILED)
		return err__set(err, errno, "mapping the vCPU's kvm_run");
	v->run = p;
	v->mbox = (struct vb_mailbox *)(vm->mem + VB_GUEST_MAILBOX_OFF +
					(uint64_t)index * VB_GUEST_PAGE);
	uint64_t base = arch__ram_base();
	struct vm_vcpu_boot b = {
		.entry = base + VB_GUEST_IMAGE_OFF,
		.stack_top =
			base + VB_GUEST_STACK_OFF + (uint64_t)(index + 1) * VB_GUEST_STACK_SIZE,
		.arg0 = vm__mailbox_gpa(vm, index),
		.arg1 = index,
		.priv = vm->opts.priv,
	};
	struct vm_arch_ctx c = { vm->kvm_fd, vm->vm_fd, vm->mem, vm->mem_size, vm->nvcpus };
	return arch__vcpu_init(&c, v->fd, index, &b, err);
}

static void vcpu__loop(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct kvm_run *run = v->run;
	for (;;) {
		if (atomic_load_explicit(&vm->quit, memory_order_acquire))
			return;
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			int e = errno;
			if (e == EINTR || e == EAGAIN) {
				run->immediate_exit = 0;
				continue; /* kicked: the loop head decides */
			}
			vm__fail(vm, e, "vCPU %u: KVM_RUN", v->index);
			return;
		}
		struct vm_exit x;
		vm_exit__decode(run, vm->run_size, &x);
		if (vcpu__handle_exit(v, &x) == VCPU_QUIT)
			return;
	}
}

static void *vcpu__main(void *arg)
{
	vcpu__loop(arg);
	return NULL;
}

int vcpu__start(struct vcpu *v, struct vb_err *err)
{
	pthread_once(&kick_once, kick__install);
	pthread_attr_t a;
	pthread_attr_init(&a);
	size_t stack = v->vm->opts.thread_stack ? v->vm->opts.thread_stack : VCPU_STACK_DEFAULT;
#ifdef __SANITIZE_ADDRESS__
	if (stack < VCPU_STACK_DEFAULT)
		stack = VCPU_STACK_DEFAULT;
#endif
	pthread_attr_setstacksize(&a, stack);
	/* Only the kick (and faults) reach a vCPU thread; Ctrl-C goes to the
	 * controller, which ends the VMs in order. */
	sigset_t mask;
	sigfillset(&mask);
	sigdelset(&mask, kick_signal());
	sigdelset(&mask, SIGSEGV);
	sigdelset(&mask, SIGBUS);
	sigdelset(&mask, SIGFPE);
	sigdelset(&mask, SIGILL);
	sigdelset(&mask, SIGABRT);
	pthread_attr_setsigmask_np(&a, &mask);
	/* Under the lock, which vm__fail kicks under: a vCPU started earlier
	 * that fails meanwhile sees this one either not started or started,
	 * never half. */
	pthread_mutex_lock(&v->vm->lock);
	int rc = pthread_create(&v->thread, &a, vcpu__main, v);
	if (rc == 0)
		v->thread_started = true;
	pthread_mutex_unlock(&v->vm->lock);
	pthread_attr_destroy(&a);
	if (rc != 0)
		return err__set(err, rc, "pthread_create");
	return 0;
}

void vcpu__kick(struct vcpu *v)
{
	if (!v->thread_started || !v->run)
		return;
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(v->thread, kick_signal());
}

void vm__kick_all(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vcpu__kick(&vm->vcpu[i]);
}

void vcpu__join(struct vcpu *v)
{
	if (!v->thread_started)
		return;
	pthread_join(v->thread, NULL);
	v->thread_started = false;
}

void vcpu__close(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->vm->run_size);
	v->run = NULL;
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}
