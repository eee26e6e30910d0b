/* Caveats a report prints next to the figures, derived from a host block,
 * and the cached view of this machine that other areas ask for. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "host/host.h"
#include "host/hostfs.h"

static bool jbool(const json_t *root, const char *path)
{
	return json_is_true(host__json_path(root, path));
}

static const char *jstr(const json_t *root, const char *path)
{
	const char *s = json_string_value(host__json_path(root, path));
	return s ? s : "";
}

int host__caveats(const json_t *host, struct host_caveats *c)
{
	memset(c, 0, sizeof(*c));
	hostfs__copy(c->kvm_flavour, sizeof(c->kvm_flavour), "none");
	if (!json_is_object(host))
		return -1;
	c->nested = jbool(host, "virtualization.guest.is_guest");
	c->pvm_guest = jbool(host, "virtualization.guest.pvm_guest");
	c->kvm_usable = jbool(host, "virtualization.kvm.usable");
	const char *fl = jstr(host, "virtualization.kvm.flavour");
	if (fl[0])
		hostfs__copy(c->kvm_flavour, sizeof(c->kvm_flavour), fl);
	c->pvm = !strcmp(c->kvm_flavour, "kvm_pvm") && c->kvm_usable;
	const char *gov = jstr(host, "cpu.governor");
	c->governor_not_performance = gov[0] && strcmp(gov, "none") && strcmp(gov, "performance");
	c->smt_on = jbool(host, "cpu.smt_on");
	hostfs__copy(c->verdict, sizeof(c->verdict), jstr(host, "virtualization.verdict"));
	return 0;
}

static void append(char *out, size_t size, const char *text)
{
	size_t len = strlen(out);
	if (len && len + 2 < size) {
		memcpy(out + len, "; ", 3);
		len += 2;
	}
	hostfs__copy(out + len, size - len, text);
}

void host__caveats_summary(const struct host_caveats *c, char *out, size_t size)
{
	if (!size)
		return;
	out[0] = '\0';
	if (c->nested)
		append(out, size, "the host is itself a guest (VMs here run nested)");
	if (c->pvm_guest)
		append(out, size,
		       "the host kernel runs under PVM (its syscalls and page faults cost more)");
	if (c->pvm)
		append(out, size, "KVM is PVM: guest kernel code is emulated, shadow paging");
	else if (!c->kvm_usable)
		append(out, size, "no usable KVM: VMs run under emulation only");
	if (c->governor_not_performance)
		append(out, size, "cpufreq governor is not \"performance\"");
	if (c->smt_on)
		append(out, size, "SMT is on (sibling threads share cores)");
}

static pthread_once_t live_once = PTHREAD_ONCE_INIT;
static struct host_caveats live_caveats;

static void live_init(void)
{
	struct vb_err err = { 0 };
	json_t *h = host__inspect_fast(&err);
	host__caveats(h, &live_caveats);
	json_decref(h);
}

const struct host_caveats *host__caveats_live(void)
{
	pthread_once(&live_once, live_init);
	return &live_caveats;
}

bool host__is_pvm(void)
{
	return host__caveats_live()->pvm;
}

const char *host__kvm_flavour(void)
{
	return host__caveats_live()->kvm_flavour;
}
