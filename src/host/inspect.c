/* Gathers the host facts: files under /proc and /sys (or a fixture root),
 * plus on this machine CPUID, the hwcaps, the kernel log, /dev/kvm ioctls
 * and optionally the tool probe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "core/clock.h"
#include "host/arch.h"
#include "host/facts.h"
#include "host/host.h"
#include "host/midr.h"

static void read_identity(const struct hostfs *fs, struct host_facts *f)
{
	if (f->live) {
		struct utsname u;
		if (uname(&u) == 0) {
			hostfs__copy(f->hostname, sizeof(f->hostname), u.nodename);
			hostfs__copy(f->arch, sizeof(f->arch), u.machine);
			hostfs__copy(f->release, sizeof(f->release), u.release);
			hostfs__copy(f->version, sizeof(f->version), u.version);
		}
	} else {
		/* The same strings uname(2) returns, as procfs shows them. */
		if (hostfs__read_line(fs, "/proc/sys/kernel/hostname", f->hostname,
				      sizeof(f->hostname)) < 0)
			f->hostname[0] = '\0';
		if (hostfs__read_line(fs, "/proc/sys/kernel/arch", f->arch, sizeof(f->arch)) < 0)
			f->arch[0] = '\0';
		if (hostfs__read_line(fs, "/proc/sys/kernel/osrelease", f->release,
				      sizeof(f->release)) < 0)
			f->release[0] = '\0';
		if (hostfs__read_line(fs, "/proc/sys/kernel/version", f->version,
				      sizeof(f->version)) < 0)
			f->version[0] = '\0';
	}
	f->cmdline = hostfs__read_alloc(fs, "/proc/cmdline", 64 << 10, NULL);
	if (f->cmdline)
		hostfs__trim(f->cmdline);
}

static void read_cpu(const struct hostfs *fs, const struct host_arch_live *live,
		     struct host_facts *f)
{
	char *text = hostfs__read_alloc(fs, "/proc/cpuinfo", 16 << 20, NULL);
	if (text) {
		f->have_cpuinfo = cpuinfo__parse(text, &f->cpuinfo) == 0;
		free(text);
	}
	/* Arch of a fixture without /proc/sys/kernel/arch: from its cpuinfo. */
	if (!f->arch[0] && f->have_cpuinfo)
		hostfs__copy(f->arch, sizeof(f->arch),
			     f->cpuinfo.vendor_id[0] ? "x86_64" : "aarch64");
	f->is_arm = !strcmp(f->arch, "aarch64") || !strcmp(f->arch, "arm64");

	struct cpuid_dump dump;
	if (live && live->have_cpuid) {
		cpuid__decode(&live->cpuid, &f->cpuid);
		f->have_cpuid = f->cpuid.valid;
	} else if (!f->live) {
		text = hostfs__read_alloc(fs, "/cpuid.txt", 1 << 20, NULL);
		if (text && cpuid__parse_dump(text, &dump) > 0) {
			cpuid__decode(&dump, &f->cpuid);
			f->have_cpuid = f->cpuid.valid;
		}
		free(text);
	}
	if (live && live->have_midr) {
		f->have_midr_live = true;
		f->midr_live = live->midr;
	}
	/* Arm without MIDR lines in cpuinfo (old or trimmed kernels): the
	 * register from sysfs, else as read with MRS. */
	if (f->is_arm && f->cpuinfo.nmidr == 0) {
		char buf[64];
		uint64_t midr = 0;
		if (hostfs__read_line(fs,
				      "/sys/devices/system/cpu/cpu0/regs/identification/midr_el1",
				      buf, sizeof(buf)) > 0)
			midr = strtoull(buf, NULL, 16);
		else if (f->have_midr_live)
			midr = f->midr_live;
		if (midr) {
			f->cpuinfo.midr[0].implementer = midr__implementer(midr);
			f->cpuinfo.midr[0].variant = midr__variant(midr);
			f->cpuinfo.midr[0].part = midr__part(midr);
			f->cpuinfo.midr[0].revision = midr__revision(midr);
			f->cpuinfo.midr[0].count = f->cpuinfo.nproc;
			f->cpuinfo.nmidr = 1;
		}
	}
	topology__read(fs, f->have_cpuinfo ? &f->cpuinfo : NULL, &f->topo);
	cpufreq__read(fs, &f->freq);
}

int host_facts__gather(const struct host_inspect_opts *o, struct host_facts *f)
{
	double t0 = clock__now_ms();
	memset(f, 0, sizeof(*f));
	const char *root = o && o->root ? o->root : "";
	f->live = !root[0];
	hostfs__copy(f->root, sizeof(f->root), root);
	struct hostfs fs = { .root = f->root };

	struct host_arch_live live;
	memset(&live, 0, sizeof(live));
	if (f->live)
		host_arch__probe(&live);

	read_identity(&fs, f);
	read_cpu(&fs, f->live ? &live : NULL, f);
	memory__read(&fs, &f->mem);
	cgroup__read(&fs, &f->cgroup);
	host_klog__read(&fs, &f->klog);

	bool hw_virt = f->have_cpuid ? (f->cpuid.vmx || f->cpuid.svm)
				     : (cpuinfo__has_flag(&f->cpuinfo, "vmx") ||
					cpuinfo__has_flag(&f->cpuinfo, "svm"));
	struct kvm_inputs ki = { .arch = f->arch,
				 .hw_virt = hw_virt,
				 .cmdline = f->cmdline,
				 .klog = &f->klog,
				 .ioctls = f->live && o && o->kvm_ioctls };
	kvm__inspect(&fs, &ki, &f->kvm);

	if (f->is_arm) {
		struct armvirt_inputs ai = {
			.cpuinfo = f->have_cpuinfo ? &f->cpuinfo : NULL,
			.klog = &f->klog,
			.cmdline = f->cmdline,
			.dev_kvm = f->kvm.present,
			.hwcap_valid = live.have_hwcap,
			.hw_sve = live.sve,
			.hw_sve2 = live.sve2,
			.hw_sme = live.sme,
		};
		armvirt__inspect(&fs, &ai, &f->arm);
	}

	struct host_guest_inputs gi = {
		.arch = f->arch,
		.cpuid = f->have_cpuid ? &f->cpuid : NULL,
		.cpuinfo_hv_flag = cpuinfo__has_flag(&f->cpuinfo, "hypervisor"),
		.klog = &f->klog,
		.cmdline = f->cmdline,
	};
	host_guest__inspect(&fs, &gi, &f->guest);
	host_guest__verdict(&f->guest, &f->kvm, f->is_arm ? f->arm.el2 : NULL, f->verdict,
			    sizeof(f->verdict));

	if (f->live && o && o->tools) {
		tools__probe(&f->tools);
		f->have_tools = true;
	}
	f->inspect_ms = clock__now_ms() - t0;
	return 0;
}

void host_facts__free(struct host_facts *f)
{
	free(f->cmdline);
	f->cmdline = NULL;
}

json_t *host__inspect_with(const struct host_inspect_opts *o, struct vb_err *err)
{
	struct host_facts *f = calloc(1, sizeof(*f));
	if (!f) {
		err__set(err, 0, "host inspection: out of memory");
		return NULL;
	}
	host_facts__gather(o, f);
	json_t *j = host_facts__to_json(f);
	host_facts__free(f);
	free(f);
	if (!j)
		err__set(err, 0, "host inspection: building the JSON block failed");
	return j;
}

json_t *host__inspect(struct vb_err *err)
{
	struct host_inspect_opts o = { .root = NULL, .tools = true, .kvm_ioctls = true };
	return host__inspect_with(&o, err);
}

json_t *host__inspect_fast(struct vb_err *err)
{
	struct host_inspect_opts o = { .root = NULL, .tools = false, .kvm_ioctls = true };
	return host__inspect_with(&o, err);
}

/* A captured host is a directory with proc/ or sys/ in it; anything else
 * would be described as a host of unknowns, which helps no one. */
static int check_root(const char *root, struct vb_err *err)
{
	static const char expected[] = "expected a directory with a captured host's proc/ and "
				       "sys/ in it";
	struct stat st;
	if (!root || !root[0])
		return err__usage(err, "the directory is an empty string; %s", expected);
	size_t len = strlen(root);
	if (len > HOSTFS_ROOT_MAX)
		return err__usage(err, "the path is %zu characters long, more than %d; %s", len,
				  HOSTFS_ROOT_MAX, expected);
	if (stat(root, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR
			       ? err__usage(err, "'%.256s' does not exist; %s", root, expected)
			       : err__set(err, errno, "'%.256s'", root);
	if (!S_ISDIR(st.st_mode))
		return err__usage(err, "'%.256s' is not a directory; %s", root, expected);
	struct hostfs fs = { .root = root };
	if (!hostfs__is_dir(&fs, "/proc") && !hostfs__is_dir(&fs, "/sys"))
		return err__usage(err, "'%.256s' has neither proc/ nor sys/ in it; %s", root,
				  expected);
	return 0;
}

json_t *host__inspect_root(const char *root, struct vb_err *err)
{
	if (check_root(root, err) < 0)
		return NULL;
	struct host_inspect_opts o = { .root = root, .tools = false, .kvm_ioctls = false };
	return host__inspect_with(&o, err);
}
