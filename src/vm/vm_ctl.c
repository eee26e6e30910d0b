/* The controller's side of a running VM: hand requests to vCPUs and wait
 * for them with a watchdog. The wait wakes up every few milliseconds to
 * notice Ctrl-C; a deadline that passes ends the VM (a guest that stops
 * answering cannot hold the benchmark). */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "vm/vm_impl.h"

#define POLL_NS (20ull * 1000 * 1000)

static void ts__from_ns(struct timespec *ts, uint64_t ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

static bool all_ready(const struct vm *vm)
{
	return vm->nready == vm->nvcpus;
}

static bool all_done(const struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vm->vcpu[i].completed != vm->vcpu[i].posted)
			return false;
	return true;
}

/* Waits under vm->lock until cond(vm), a failure, Ctrl-C or the deadline.
 * `what` names the wait in the watchdog's message. */
static int vm__wait(struct vm *vm, bool (*cond)(const struct vm *), unsigned timeout_ms,
		    const char *what, struct vb_err *err)
{
	uint64_t deadline = clock__now_ns() + (uint64_t)timeout_ms * 1000000ull;
	pthread_mutex_lock(&vm->lock);
	for (;;) {
		if (vm->failed) {
			*err = vm->fail_err;
			pthread_mutex_unlock(&vm->lock);
			return -1;
		}
		if (atomic_load(&vm->quit)) {
			pthread_mutex_unlock(&vm->lock);
			return err__set(err, 0, "the VM was ended");
		}
		if (cond(vm)) {
			pthread_mutex_unlock(&vm->lock);
			return 0;
		}
		uint64_t now = clock__now_ns();
		if (interrupt__pending() || now >= deadline) {
			pthread_mutex_unlock(&vm->lock);
			if (interrupt__pending())
				vm__fail(vm, 0, "interrupted");
			else
				vm__fail(vm, 0,
					 "watchdog: the guest did not %s within %u ms (it stopped "
					 "answering)",
					 what, timeout_ms);
			pthread_mutex_lock(&vm->lock);
			continue;
		}
		struct timespec ts;
		ts__from_ns(&ts, now + POLL_NS < deadline ? now + POLL_NS : deadline);
		pthread_cond_timedwait(&vm->cond, &vm->lock, &ts);
	}
}

int vm__wait_ready(struct vm *vm, unsigned timeout_ms, struct vb_err *err)
{
	return vm__wait(vm, all_ready, timeout_ms, "report ready", err);
}

int vm__wait_done(struct vm *vm, unsigned timeout_ms, struct vb_err *err)
{
	return vm__wait(vm, all_done, timeout_ms, "finish its request", err);
}

int vm__post(struct vm *vm, unsigned vcpu, const struct vm_request *r, struct vb_err *err)
{
	if (vcpu >= vm->nvcpus)
		return err__set(err, 0, "no vCPU %u", vcpu);
	struct vcpu *v = &vm->vcpu[vcpu];
	pthread_mutex_lock(&vm->lock);
	if (atomic_load(&vm->quit)) {
		pthread_mutex_unlock(&vm->lock);
		return vm->failed ? (*err = vm->fail_err, -1)
				  : err__set(err, 0, "the VM was ended");
	}
	if (v->posted != v->completed) {
		pthread_mutex_unlock(&vm->lock);
		return err__set(err, 0, "vCPU %u is still busy with its last request", vcpu);
	}
	v->req = *r;
	v->posted++;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

void vm__request_stop(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		__atomic_store_n(&vm->vcpu[i].mbox->stop, 1u, __ATOMIC_RELEASE);
}

int vm__empty_runs(struct vm *vm, uint64_t n, uint64_t *elapsed_ns, struct vb_err *err)
{
	struct vcpu *v = &vm->vcpu[0];
	if (v->thread_started)
		return err__set(err, 0, "empty KVM_RUN needs a vCPU that is not running");
	v->run->immediate_exit = 1;
	uint64_t t0 = clock__now_ns();
	for (uint64_t i = 0; i < n; i++) {
		if (ioctl(v->fd, KVM_RUN, 0) == 0 || errno != EINTR) {
			v->run->immediate_exit = 0;
			return err__set(err, errno,
					"KVM_RUN with immediate_exit did not return EINTR");
		}
	}
	*elapsed_ns = clock__now_ns() - t0;
	v->run->immediate_exit = 0;
	return 0;
}
