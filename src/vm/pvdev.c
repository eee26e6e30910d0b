/* The paravirtual device: the guest's commands (ENTERED, READY, START,
 * STOP, PANIC) on an I/O port or the MMIO page, and the ping that the exit
 * benchmark counts. Whatever the guest hands over (report address and
 * length, message) is read once into host memory and checked against guest
 * RAM: another vCPU of the same guest may be rewriting the mailbox meanwhile.
 * A bad request ends the VM with an error; it never reaches outside RAM. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "vm/vm_impl.h"

#define PANIC_MSG_MAX 200

/* One read of a field the guest may change under our feet. */
#define GUEST_READ(x) (*(const volatile __typeof__(x) *)&(x))

static enum vcpu_next pvdev__ready(struct vcpu *v)
{
	struct vm *vm = v->vm;
	pthread_mutex_lock(&vm->lock);
	if (!v->ready_once) {
		v->ready_once = true;
		if (++vm->nready == vm->nvcpus)
			vm->t.ready = clock__now_ns();
	}
	v->completed = v->posted;
	pthread_cond_broadcast(&vm->cond);
	while (!atomic_load(&vm->quit) && v->posted == v->completed)
		pthread_cond_wait(&vm->cond, &vm->lock);
	if (atomic_load(&vm->quit)) {
		pthread_mutex_unlock(&vm->lock);
		return VCPU_QUIT;
	}
	struct vm_request r = v->req;
	uint64_t seq = v->posted;
	pthread_mutex_unlock(&vm->lock);

	memset(&v->res, 0, sizeof(v->res));
	struct vb_mailbox *mb = v->mbox;
	mb->magic = VB_MAILBOX_MAGIC;
	mb->vcpu = v->index;
	mb->nvcpus = vm->nvcpus;
	mb->clock_mult = vm->clock_mult;
	mb->request = r.request;
	mb->seq = seq;
	memcpy(mb->arg, r.arg, sizeof(mb->arg));
	mb->stop = 0;
	mb->job = r.job;
	mb->res_gpa = mb->res_len = 0;
	mb->elapsed_ns = 0;
	memset(mb->value, 0, sizeof(mb->value));
	mb->msg_gpa = mb->msg_len = 0;
	return VCPU_CONTINUE;
}

static enum vcpu_next pvdev__stop(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct vm_vcpu_result *res = &v->res;
	res->host_stop = clock__now_ns();
	res->pio_pings = v->pio_pings;
	res->mmio_pings = v->mmio_pings;
	res->hlts = v->hlts;
	v->measuring = false;

	const struct vb_mailbox *mb = v->mbox;
	uint64_t gpa = GUEST_READ(mb->res_gpa), len = GUEST_READ(mb->res_len);
	res->guest_ns = GUEST_READ(mb->elapsed_ns);
	for (int i = 0; i < 4; i++)
		res->value[i] = GUEST_READ(mb->value[i]);
	if (len == 0)
		return VCPU_CONTINUE; /* nothing handed back */
	const void *src = vm__gpa_to_host(vm, gpa, len);
	if (len != sizeof(struct wl_report) || !src) {
		vm__fail(vm, 0,
			 "vCPU %u: the guest handed back a report of %llu bytes at 0x%llx, outside "
			 "guest memory or of the wrong size (expected %zu)",
			 v->index, (unsigned long long)len, (unsigned long long)gpa,
			 sizeof(struct wl_report));
		return VCPU_QUIT;
	}
	memcpy(&res->report, src, sizeof(res->report));
	res->has_report = true;
	return VCPU_CONTINUE;
}

static enum vcpu_next pvdev__panic(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t gpa = GUEST_READ(v->mbox->msg_gpa), len = GUEST_READ(v->mbox->msg_len);
	char msg[PANIC_MSG_MAX + 1] = "(no message)";
	const char *src = len && len <= PANIC_MSG_MAX ? vm__gpa_to_host(vm, gpa, len) : NULL;
	if (src) {
		for (uint64_t i = 0; i < len; i++) {
			char ch = src[i];
			msg[i] = ch >= 0x20 && ch < 0x7f ? ch : '?'; /* printable only */
		}
		msg[len] = 0;
	}
	vm__fail(vm, 0, "vCPU %u: the guest gave up: %s", v->index, msg);
	return VCPU_QUIT;
}

static enum vcpu_next pvdev__command(struct vcpu *v, uint32_t cmd)
{
	struct vm *vm = v->vm;
	switch (cmd) {
	case VB_CMD_ENTERED:
		pthread_mutex_lock(&vm->lock);
		if (!vm->t.entered)
			vm->t.entered = clock__now_ns();
		pthread_mutex_unlock(&vm->lock);
		return VCPU_CONTINUE;
	case VB_CMD_READY: return pvdev__ready(v);
	case VB_CMD_START:
		v->pio_pings = v->mmio_pings = v->hlts = 0;
		v->measuring = true;
		v->res.host_start = clock__now_ns();
		return VCPU_CONTINUE;
	case VB_CMD_STOP: return pvdev__stop(v);
	case VB_CMD_PANIC: return pvdev__panic(v);
	default:
		vm__fail(vm, 0, "vCPU %u: the guest sent an unknown command 0x%x to the device",
			 v->index, cmd);
		return VCPU_QUIT;
	}
}

enum vcpu_next pvdev__pio(struct vcpu *v, const struct vm_exit *x)
{
	if (x->is_write && x->addr == VB_PORT_PING) {
		v->pio_pings++;
		return VCPU_CONTINUE;
	}
	if (x->is_write && x->addr == VB_PORT_CMD && x->len == 4)
		return pvdev__command(v, (uint32_t)x->data);
	vm__fail(v->vm, 0, "vCPU %u: the guest %s port 0x%llx (%u bytes), which has no device",
		 v->index, x->is_write ? "wrote" : "read", (unsigned long long)x->addr, x->len);
	return VCPU_QUIT;
}

enum vcpu_next pvdev__mmio(struct vcpu *v, const struct vm_exit *x)
{
	struct vm *vm = v->vm;
	uint64_t off = x->addr - vm->mmio_gpa;
	if (x->addr >= vm->mmio_gpa && off < VB_GUEST_PAGE && x->is_write) {
		if (off == VB_MMIO_PING) {
			v->mmio_pings++;
			return VCPU_CONTINUE;
		}
		if (off == VB_MMIO_CMD && x->len == 4)
			return pvdev__command(v, (uint32_t)x->data);
	}
	vm__fail(vm, 0,
		 "vCPU %u: the guest %s guest-physical address 0x%llx (%u bytes), which has no "
		 "memory or device",
		 v->index, x->is_write ? "wrote" : "read", (unsigned long long)x->addr, x->len);
	return VCPU_QUIT;
}
