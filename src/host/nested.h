/* Whether this host can run nested guests (a KVM guest that is itself a KVM
 * host), and if not, why and how to enable it: the answer `virtbench info`
 * gives and a nested benchmark checks before it boots anything. */
#ifndef VB_HOST_NESTED_H
#define VB_HOST_NESTED_H

#include <stdbool.h>
#include <stddef.h>

#include "host/kvm.h"

/* Writes the reason (or what makes it possible) into why; returns whether
 * KVM here can give its guests hardware virtualization. */
bool nested__possible(const struct host_kvm *k, char *why, size_t size);

#endif
