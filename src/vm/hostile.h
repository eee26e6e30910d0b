/* Test hook, not a user option: guest images that attack the monitor, for
 * tests/test_vm_fuzz.c, loaded through vm_opts.test_image. No command of
 * virtbench uses them (the linker leaves them out of the program).
 *
 * Each image is a program made from a seed: random bytes, random accesses
 * (port I/O of any port and width, loads and stores of any width to RAM,
 * the device page, past RAM or anywhere), stores into its own code and into
 * the architecture's tables, faults and privileged instructions, the device
 * protocol spoken wrongly (reports twice, garbage addresses and lengths,
 * never a report) and the device hammered from every vCPU at once. The
 * generic part (hostile.c) composes programs; each architecture emits the
 * instructions (src/vm/<arch>/hostile.c). */
#ifndef VB_VM_HOSTILE_H
#define VB_VM_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vm_hostile_kind {
	VM_HOSTILE_RANDOM,   /* the code page is random bytes */
	VM_HOSTILE_ACCESSES, /* random device, port, memory accesses, faults, stores to itself */
	VM_HOSTILE_PROTOCOL, /* the device protocol spoken wrongly */
	VM_HOSTILE_HAMMER,   /* pings and commands in a loop, meant for every vCPU at once */
	VM_HOSTILE_KINDS
};

const char *vm_hostile__name(enum vm_hostile_kind kind);

/* Writes the image for (kind, seed) into img (cap bytes, at least 8 KiB)
 * for a VM of mem_size bytes; returns its length. The same arguments give
 * the same image, so a failure names the seed that reproduces it. */
size_t vm_hostile__image(enum vm_hostile_kind kind, uint64_t seed, uint64_t mem_size, uint8_t *img,
			 size_t cap);

/* A small deterministic generator (splitmix64), shared with the test. */
uint64_t vm_hostile__rand(uint64_t *state);

/* ---- what each architecture provides (src/vm/<arch>/hostile.c) ---- */

/* The program being written; code_gpa is where img[0] lands. Emitters
 * write nothing once fewer than VM_HOSTILE_SLACK bytes are left. */
#define VM_HOSTILE_SLACK 96u
struct vm_hostile_buf {
	uint8_t *p;
	size_t len, cap;
	uint64_t code_gpa, mmio_gpa;
};

/* Keeps the mailbox address (the entry's first argument) where the other
 * emitters find it. */
void arch__hostile_prologue(struct vm_hostile_buf *b);
/* The command word cmd to the device: by port where there are ports and
 * port is true, else by a store to the device page. */
void arch__hostile_cmd(struct vm_hostile_buf *b, uint32_t cmd, bool port);
/* A load or store of width bytes (1, 2, 4, 8 or 16) at addr. */
void arch__hostile_access(struct vm_hostile_buf *b, uint64_t addr, unsigned width, bool write,
			  uint64_t value);
/* Port I/O (x86: `how` picks the DX, immediate or string form); where there
 * are no ports, a store the hypervisor cannot decode for the device page. */
void arch__hostile_port(struct vm_hostile_buf *b, uint16_t port, unsigned width, bool write,
			uint64_t value, unsigned how);
/* value into the mailbox at byte offset off (a multiple of 8). */
void arch__hostile_mailbox(struct vm_hostile_buf *b, unsigned off, uint64_t value);
/* One of the architecture's odd instructions, picked by r: faults, traps,
 * halts, hypercalls, privileged register accesses, a stack anywhere. */
void arch__hostile_special(struct vm_hostile_buf *b, uint64_t r);
/* Execution goes on at guest address addr (RAM, the device page, nowhere). */
void arch__hostile_branch(struct vm_hostile_buf *b, uint64_t addr);
/* A jump to image offset target (the same offset: a loop without exits). */
void arch__hostile_jump(struct vm_hostile_buf *b, size_t target);
/* Bytes of one instruction slot, for random words. */
unsigned arch__hostile_insn_align(void);

#endif
