/* Hostile guest programs from a seed (see hostile.h): what to do and in
 * which order; the architecture emits the instructions. */
#include <stddef.h>
#include <string.h>

#include "vm/arch.h"
#include "vm/guest/abi.h"
#include "vm/hostile.h"

static const char *const kind_names[VM_HOSTILE_KINDS] = {
	[VM_HOSTILE_RANDOM] = "random-bytes",
	[VM_HOSTILE_ACCESSES] = "random-accesses",
	[VM_HOSTILE_PROTOCOL] = "bad-protocol",
	[VM_HOSTILE_HAMMER] = "hammer",
};

const char *vm_hostile__name(enum vm_hostile_kind kind)
{
	return kind < VM_HOSTILE_KINDS ? kind_names[kind] : "?";
}

uint64_t vm_hostile__rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Whether the architecture has I/O ports (where not, arch__hostile_port
 * makes a store the hypervisor cannot decode, which ends the VM). */
static bool has_ports(void)
{
	return arch__exit_how(VB_EXITT_PIO) != NULL;
}

struct gen {
	struct vm_hostile_buf b;
	uint64_t rng;
	uint64_t ram_base, mem_size;
};

static uint64_t rnd(struct gen *g, uint64_t n)
{
	return n ? vm_hostile__rand(&g->rng) % n : vm_hostile__rand(&g->rng);
}

/* An address: in RAM, in the architecture's tables, in the code, at the
 * device, just past RAM, in some vCPU's mailbox, or anywhere at all. */
static uint64_t gen__addr(struct gen *g)
{
	switch (rnd(g, 8)) {
	case 7:
		return g->ram_base + VB_GUEST_MAILBOX_OFF + rnd(g, 4) * VB_GUEST_PAGE +
		       offsetof(struct vb_mailbox, res_gpa) + rnd(g, 6) * 8;
	case 0: return g->ram_base + rnd(g, g->mem_size);
	case 1: return g->ram_base + rnd(g, VB_GUEST_IMAGE_OFF);
	case 2: return g->b.code_gpa + rnd(g, g->b.cap);
	case 3: return g->b.mmio_gpa + rnd(g, VB_GUEST_PAGE);
	case 4: return g->b.mmio_gpa + (rnd(g, 2) ? VB_MMIO_CMD : VB_MMIO_PING);
	case 5: return g->ram_base + g->mem_size + rnd(g, 1ull << 24);
	default: return rnd(g, 0) >> rnd(g, 64);
	}
}

/* Mostly one of the five commands, at times one past them or anything. */
static uint32_t gen__cmd(struct gen *g)
{
	switch (rnd(g, 16)) {
	case 0: return (uint32_t)rnd(g, 0);
	case 1: return VB_CMD_PANIC + 1;
	default: return VB_CMD_ENTERED + (uint32_t)rnd(g, 5);
	}
}

static const unsigned mailbox_fields[] = {
	offsetof(struct vb_mailbox, res_gpa),	 offsetof(struct vb_mailbox, res_len),
	offsetof(struct vb_mailbox, msg_gpa),	 offsetof(struct vb_mailbox, msg_len),
	offsetof(struct vb_mailbox, elapsed_ns), offsetof(struct vb_mailbox, value),
	offsetof(struct vb_mailbox, magic),	 offsetof(struct vb_mailbox, job),
};

/* A value for a mailbox field: a plausible report or message, a length
 * that overflows, or garbage. */
static uint64_t gen__field_value(struct gen *g)
{
	switch (rnd(g, 6)) {
	case 0: return sizeof(struct wl_report);
	case 1: return g->ram_base + rnd(g, g->mem_size);
	case 2: return g->ram_base + g->mem_size - rnd(g, 256);
	case 3: return ~0ull - rnd(g, 4096);
	case 4: return rnd(g, 256);
	default: return rnd(g, 0);
	}
}

static void gen__mailbox(struct gen *g)
{
	unsigned f = mailbox_fields[rnd(g, sizeof(mailbox_fields) / sizeof(mailbox_fields[0]))];
	arch__hostile_mailbox(&g->b, f & ~7u, gen__field_value(g));
}

static const unsigned widths[] = { 1, 2, 4, 8, 16 };

/* One random step of a random-accesses program. */
static void gen__step(struct gen *g)
{
	switch (rnd(g, 8)) {
	case 0: arch__hostile_cmd(&g->b, gen__cmd(g), rnd(g, 2)); break;
	case 1:
	case 2:
		arch__hostile_access(&g->b, gen__addr(g), widths[rnd(g, 5)], rnd(g, 3) != 0,
				     rnd(g, 0));
		break;
	case 3: {
		uint16_t port = rnd(g, 2) ? (uint16_t)(VB_PORT_CMD + rnd(g, 4))
					  : (uint16_t)rnd(g, 0);
		arch__hostile_port(&g->b, port, widths[rnd(g, 3)], rnd(g, 3) != 0, rnd(g, 0),
				   (unsigned)rnd(g, 0));
		break;
	}
	case 4: gen__mailbox(g); break;
	case 5:
		/* Self-modifying: a store into the code ahead or behind. */
		arch__hostile_access(&g->b, g->b.code_gpa + rnd(g, g->b.len + 256),
				     widths[rnd(g, 4)], true, rnd(g, 0));
		break;
	case 6:
		if (rnd(g, 4))
			arch__hostile_special(&g->b, rnd(g, 0));
		else
			arch__hostile_branch(&g->b, gen__addr(g));
		break;
	default:
		/* A ping, the exit the benchmarks count. */
		if (rnd(g, 2) && has_ports())
			arch__hostile_port(&g->b, VB_PORT_PING, 1, true, 0, 0);
		else
			arch__hostile_access(&g->b, g->b.mmio_gpa + VB_MMIO_PING, 1, true, 0);
		break;
	}
}

/* How a program ends: loop to its start, spin without exits (never
 * reports), fault, or run on into whatever follows. */
static void gen__end(struct gen *g, size_t loop_to)
{
	switch (rnd(g, 4)) {
	case 0: arch__hostile_jump(&g->b, loop_to); break;
	case 1: arch__hostile_jump(&g->b, g->b.len); break;
	case 2: arch__hostile_special(&g->b, rnd(g, 0)); break;
	default: break;
	}
}

static void gen__random(struct gen *g)
{
	/* Half the time the guest first says ENTERED and READY, so the bytes
	 * run while a request is outstanding. */
	if (rnd(g, 2)) {
		arch__hostile_cmd(&g->b, VB_CMD_ENTERED, true);
		arch__hostile_cmd(&g->b, VB_CMD_READY, true);
	}
	size_t n = VB_GUEST_PAGE;
	if (g->b.len + n > g->b.cap)
		n = g->b.cap - g->b.len;
	for (size_t i = 0; i < n; i++)
		g->b.p[g->b.len++] = (uint8_t)rnd(g, 256);
}

static void gen__accesses(struct gen *g)
{
	arch__hostile_prologue(&g->b);
	if (rnd(g, 2)) {
		arch__hostile_cmd(&g->b, VB_CMD_ENTERED, true);
		arch__hostile_cmd(&g->b, VB_CMD_READY, true);
	}
	size_t n = 1 + rnd(g, 48);
	for (size_t i = 0; i < n; i++)
		gen__step(g);
	gen__end(g, 0);
}

static void gen__protocol(struct gen *g)
{
	arch__hostile_prologue(&g->b);
	if (rnd(g, 4))
		arch__hostile_cmd(&g->b, VB_CMD_ENTERED, rnd(g, 2));
	size_t again = g->b.len;
	arch__hostile_cmd(&g->b, VB_CMD_READY, rnd(g, 2));
	size_t n = 1 + rnd(g, 16);
	for (size_t i = 0; i < n; i++) {
		if (rnd(g, 2))
			gen__mailbox(g);
		arch__hostile_cmd(&g->b, gen__cmd(g), rnd(g, 2));
	}
	gen__end(g, again);
}

static void gen__hammer(struct gen *g)
{
	arch__hostile_prologue(&g->b);
	arch__hostile_cmd(&g->b, VB_CMD_ENTERED, true);
	arch__hostile_cmd(&g->b, VB_CMD_READY, true);
	size_t loop = g->b.len;
	size_t n = 1 + rnd(g, 8);
	for (size_t i = 0; i < n; i++) {
		switch (rnd(g, 4)) {
		case 0:
			if (has_ports())
				arch__hostile_port(&g->b, VB_PORT_PING, 1, true, 0, 0);
			break;
		case 1:
			arch__hostile_access(&g->b, g->b.mmio_gpa + VB_MMIO_PING, 1, true, 0);
			break;
		case 2:
			arch__hostile_cmd(&g->b, VB_CMD_START, rnd(g, 2));
			arch__hostile_cmd(&g->b, VB_CMD_STOP, rnd(g, 2));
			break;
		default: arch__hostile_cmd(&g->b, VB_CMD_READY, rnd(g, 2)); break;
		}
	}
	arch__hostile_jump(&g->b, loop);
}

size_t vm_hostile__image(enum vm_hostile_kind kind, uint64_t seed, uint64_t mem_size, uint8_t *img,
			 size_t cap)
{
	struct gen g = {
		.b = { img, 0, cap, arch__ram_base() + VB_GUEST_IMAGE_OFF,
		       arch__mmio_gpa(mem_size) },
		.rng = seed,
		.ram_base = arch__ram_base(),
		.mem_size = mem_size,
	};
	memset(img, 0, cap);
	switch (kind) {
	case VM_HOSTILE_RANDOM: gen__random(&g); break;
	case VM_HOSTILE_ACCESSES: gen__accesses(&g); break;
	case VM_HOSTILE_PROTOCOL: gen__protocol(&g); break;
	default: gen__hammer(&g); break;
	}
	/* Round up to whole instruction slots, at least one. */
	size_t a = arch__hostile_insn_align();
	size_t len = (g.b.len + a - 1) / a * a;
	return len ? len : a;
}
