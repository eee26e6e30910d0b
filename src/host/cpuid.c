#include "host/cpuid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int cpuid__parse_dump(const char *text, struct cpuid_dump *d)
{
	memset(d, 0, sizeof(*d));
	unsigned cpus = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		char line[256];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : NULL;

		const char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		/* "CPU:" (cpuid -1) or "CPU 0:" heads each CPU's block. */
		if (!strncmp(s, "CPU:", 4) || !strncmp(s, "CPU ", 4)) {
			if (++cpus > 1) /* the first CPU is enough */
				break;
			continue;
		}
		unsigned leaf, sub, a, b, c, dx;
		if (sscanf(s, "0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x", &leaf, &sub, &a, &b,
			   &c, &dx) == 6) {
			const uint32_t regs[4] = { a, b, c, dx };
			cpuid__add(d, leaf, sub, regs);
		}
	}
	return d->n ? (int)d->n : -1;
}

void cpuid__add(struct cpuid_dump *d, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	if (d->n >= CPUID_MAX_LEAVES)
		return;
	d->l[d->n++] = (struct cpuid_leaf){ leaf, subleaf, regs[0], regs[1], regs[2], regs[3] };
}

const struct cpuid_leaf *cpuid__find(const struct cpuid_dump *d, uint32_t leaf, uint32_t subleaf)
{
	for (unsigned i = 0; i < d->n; i++)
		if (d->l[i].leaf == leaf && d->l[i].subleaf == subleaf)
			return &d->l[i];
	return NULL;
}

/* Copies register bytes as characters, dropping NULs. */
static void regs_str(char *out, const uint32_t *regs, unsigned nregs)
{
	size_t j = 0;
	for (unsigned r = 0; r < nregs; r++)
		for (unsigned b = 0; b < 4; b++) {
			char ch = (char)((regs[r] >> (8 * b)) & 0xff);
			if (ch)
				out[j++] = ch;
		}
	out[j] = '\0';
}

static const struct {
	const char *sig;
	const char *name;
} hypervisors[] = {
	{ "KVMKVMKVM", "KVM" },
	{ "Linux KVM Hv", "KVM (Hyper-V enlightened)" },
	{ "Microsoft Hv", "Hyper-V" },
	{ "VMwareVMware", "VMware" },
	{ "XenVMMXenVMM", "Xen" },
	{ "TCGTCGTCGTCG", "QEMU TCG" },
	{ "bhyve bhyve ", "bhyve" },
	{ " lrpepyh  vr", "Parallels" },
	{ "VBoxVBoxVBox", "VirtualBox" },
	{ "ACRNACRNACRN", "ACRN" },
	{ "QNXQVMBSQG", "QNX" },
	{ "Jailhouse", "Jailhouse" },
	{ "OpenBSDVMM58", "OpenBSD vmm" },
	{ NULL, NULL },
};

const char *cpuid__hypervisor_name(const char *sig)
{
	for (unsigned i = 0; hypervisors[i].sig; i++)
		if (!strcmp(sig, hypervisors[i].sig))
			return hypervisors[i].name;
	return NULL;
}

void cpuid__decode(const struct cpuid_dump *d, struct cpuid_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->family = f->model = f->stepping = -1;
	const struct cpuid_leaf *l0 = cpuid__find(d, 0, 0);
	if (!l0)
		return;
	f->valid = true;
	const uint32_t vend[3] = { l0->ebx, l0->edx, l0->ecx };
	regs_str(f->vendor, vend, 3);

	const struct cpuid_leaf *l1 = cpuid__find(d, 1, 0);
	if (l1) {
		unsigned base_family = (l1->eax >> 8) & 0xf;
		unsigned base_model = (l1->eax >> 4) & 0xf;
		f->stepping = (int)(l1->eax & 0xf);
		f->family = (int)base_family;
		f->model = (int)base_model;
		/* Extended family only counts with base 0xf; extended model with
		 * base family 6 (Intel) or 0xf (both vendors). */
		if (base_family == 0xf)
			f->family += (int)((l1->eax >> 20) & 0xff);
		if (base_family == 0x6 || base_family == 0xf)
			f->model += (int)(((l1->eax >> 16) & 0xf) << 4);
		f->vmx = (l1->ecx >> 5) & 1;
		f->hypervisor = (l1->ecx >> 31) & 1;
	}
	const struct cpuid_leaf *e1 = cpuid__find(d, 0x80000001, 0);
	if (e1)
		f->svm = (e1->ecx >> 2) & 1;

	const struct cpuid_leaf *b[3] = { cpuid__find(d, 0x80000002, 0),
					  cpuid__find(d, 0x80000003, 0),
					  cpuid__find(d, 0x80000004, 0) };
	if (b[0] && b[1] && b[2]) {
		uint32_t regs[12];
		for (unsigned i = 0; i < 3; i++) {
			regs[4 * i] = b[i]->eax;
			regs[4 * i + 1] = b[i]->ebx;
			regs[4 * i + 2] = b[i]->ecx;
			regs[4 * i + 3] = b[i]->edx;
		}
		char raw[49];
		regs_str(raw, regs, 12);
		char *s = raw;
		while (*s == ' ')
			s++;
		size_t n = strlen(s);
		while (n && s[n - 1] == ' ')
			s[--n] = '\0';
		snprintf(f->brand, sizeof(f->brand), "%s", s);
	}

	/* Without the hypervisor bit, leaf 0x40000000 is not a hypervisor leaf:
	 * Intel answers with the highest basic leaf, AMD with zeros. */
	const struct cpuid_leaf *hv = cpuid__find(d, 0x40000000, 0);
	if (f->hypervisor && hv) {
		const uint32_t sig[3] = { hv->ebx, hv->ecx, hv->edx };
		regs_str(f->hv_signature, sig, 3);
		f->hv_max_leaf = hv->eax;
		f->hv_name = cpuid__hypervisor_name(f->hv_signature);
	}
}
