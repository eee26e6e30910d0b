/* The guest's C side: a loop that asks the monitor for a request, runs it
 * and hands back what it measured. Runs at the lowest privilege level
 * (CPL3 / EL0) with interrupts off and no exception handlers, so it keeps to
 * plain computation and the device accesses in garch.h. */
#include "garch.h"
#include "vm/guest/abi.h"
#include "workload/workload.h"

/* entry.S writes these as literals before any C runs. */
_Static_assert(VB_CMD_ENTERED == 0x56420001, "entry.S command value");
_Static_assert(VB_PORT_CMD == 0x510, "entry.S port");

void guest_main(struct vb_mailbox *mb);

struct gclock {
	uint64_t mult;
};

static uint64_t gclock__ns(void *ctx)
{
	const struct gclock *c = ctx;
	return (uint64_t)(((unsigned __int128)garch__counter() * c->mult) >> 32);
}

__attribute__((noreturn)) static void guest__panic(struct vb_mailbox *mb, const char *msg)
{
	uint64_t n = 0;
	while (msg[n])
		n++;
	mb->msg_gpa = (uint64_t)(uintptr_t)msg;
	mb->msg_len = n;
	for (;;)
		garch__cmd(VB_CMD_PANIC);
}

static void guest__workload(struct vb_mailbox *mb, struct gclock *clk)
{
	struct wl_job job = mb->job;
	struct wl_clock wc = { gclock__ns, clk };
	struct wl_report rep;
	if (job.kind == WL_MEMLAT && job.buf && job.buf_size >= 64) /* as vmb__prepare */
		wl_memlat__build_until(job.buf, job.buf_size / 64, 64, VB_MEMLAT_SEED + job.thread,
				       job.stop);
	garch__cmd(VB_CMD_START);
	uint64_t t0 = gclock__ns(clk);
	wl__run(&job, &wc, &rep);
	mb->elapsed_ns = gclock__ns(clk) - t0;
	mb->res_gpa = (uint64_t)(uintptr_t)&rep;
	mb->res_len = sizeof(rep);
	garch__cmd(VB_CMD_STOP);
}

static void guest__exits(struct vb_mailbox *mb, struct gclock *clk)
{
	uint64_t kind = mb->arg[0], n = mb->arg[1];
	volatile uint8_t *mmio = (volatile uint8_t *)(uintptr_t)(mb->arg[2] + VB_MMIO_PING);
	if (kind == VB_EXITT_INKERNEL)
		mb->value[0] = garch__inkernel_is_intercepted();
	garch__cmd(VB_CMD_START);
	uint64_t t0 = gclock__ns(clk);
	switch (kind) {
	case VB_EXITT_NONE:
		for (uint64_t i = 0; i < n; i++)
			__asm__ volatile("" ::: "memory");
		break;
	case VB_EXITT_PIO:
		for (uint64_t i = 0; i < n; i++)
			garch__ping_pio();
		break;
	case VB_EXITT_MMIO:
		for (uint64_t i = 0; i < n; i++)
			*mmio = 0;
		break;
	case VB_EXITT_INKERNEL:
		for (uint64_t i = 0; i < n; i++)
			garch__inkernel_exit();
		break;
	case VB_EXITT_HLT:
		for (uint64_t i = 0; i < n; i++)
			garch__halt();
		break;
	case VB_EXITT_MMIO_KERNEL:
		for (uint64_t i = 0; i < n; i++)
			garch__mmio_kernel_exit();
		break;
	default: guest__panic(mb, "unknown exit test");
	}
	mb->elapsed_ns = gclock__ns(clk) - t0;
	garch__cmd(VB_CMD_STOP);
}

/* A loop of register-only instructions: the privilege probe times it at
 * user and at kernel level. */
static void guest__spin(struct vb_mailbox *mb, struct gclock *clk)
{
	uint64_t n = mb->arg[0], x = 1;
	garch__cmd(VB_CMD_START);
	uint64_t t0 = gclock__ns(clk);
	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("" : "+r"(x));
	mb->elapsed_ns = gclock__ns(clk) - t0;
	mb->value[0] = x;
	garch__cmd(VB_CMD_STOP);
}

void guest_main(struct vb_mailbox *mb)
{
	for (;;) {
		garch__cmd(VB_CMD_READY);
		struct gclock clk = { *(volatile uint64_t *)&mb->clock_mult };
		switch (*(volatile uint32_t *)&mb->request) {
		case VB_REQ_WORKLOAD: guest__workload(mb, &clk); break;
		case VB_REQ_EXITS: guest__exits(mb, &clk); break;
		case VB_REQ_SPIN: guest__spin(mb, &clk); break;
		case VB_REQ_CRASH: garch__crash();
		case VB_REQ_HANG:
			for (;;)
				garch__relax();
		case VB_REQ_BAD_REPORT:
			garch__cmd(VB_CMD_START);
			mb->res_gpa = ~0ull - 64;
			mb->res_len = sizeof(struct wl_report);
			garch__cmd(VB_CMD_STOP);
			break;
		case VB_REQ_PANIC:
			if (mb->arg[0]) {
				mb->msg_gpa = mb->arg[1];
				mb->msg_len = mb->arg[2];
				garch__cmd(VB_CMD_PANIC);
			}
			guest__panic(mb, "test panic\twith\x01"
					 "control characters");
		case VB_REQ_BAD_CMD: garch__cmd(0x0badc0de); break;
		default: guest__panic(mb, "unknown request");
		}
	}
}
