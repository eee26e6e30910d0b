/* KVM's exit record turned into a generic event (struct vm_exit), for the
 * one exit loop in vcpu.c. */
#ifndef VB_VM_EXIT_H
#define VB_VM_EXIT_H

#include <stddef.h>

#include "vm/arch.h"

/* Decodes the exit KVM_RUN left in run (mapped size run_size): the
 * architecture's own exits first (arch__decode_exit), then those every
 * architecture shares. The record lives in memory the guest influences, so
 * nothing in it is trusted: a PIO data offset outside the mapping, a string
 * or repeated I/O, or an access longer than 8 bytes decode as VM_EXIT_OTHER. */
void vm_exit__decode(const struct kvm_run *run, size_t run_size, struct vm_exit *e);

#endif
