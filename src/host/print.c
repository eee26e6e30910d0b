/* The human view of a host block: sections of label/value rows, labels
 * aligned, long values wrapped under their column. Reads only the JSON, so
 * a block loaded from results.json prints the same way. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/hostfs.h"

#define MAX_ROWS 96
#define WRAP_AT	 100

struct row {
	char label[40]; /* "" for a section title (then value is the title) */
	char value[768];
	bool section;
};

struct rows {
	struct row r[MAX_ROWS];
	unsigned n;
};

static void section(struct rows *rs, const char *title)
{
	if (rs->n >= MAX_ROWS)
		return;
	struct row *r = &rs->r[rs->n++];
	r->section = true;
	r->label[0] = '\0';
	hostfs__copy(r->value, sizeof(r->value), title);
}

static void VB_PRINTF(3, 4) row(struct rows *rs, const char *label, const char *fmt, ...)
{
	if (rs->n >= MAX_ROWS)
		return;
	struct row *r = &rs->r[rs->n++];
	r->section = false;
	hostfs__copy(r->label, sizeof(r->label), label);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->value, sizeof(r->value), fmt, ap);
	va_end(ap);
}

/* String field, or `dflt` when absent/null. */
static const char *S(const json_t *h, const char *path, const char *dflt)
{
	const char *s = json_string_value(host__json_path(h, path));
	return s && s[0] ? s : dflt;
}

static long long I(const json_t *h, const char *path)
{
	const json_t *v = host__json_path(h, path);
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static bool B(const json_t *h, const char *path)
{
	return json_is_true(host__json_path(h, path));
}

static void gib(char *out, size_t size, long long bytes)
{
	if (bytes < 0)
		snprintf(out, size, "unknown");
	else
		snprintf(out, size, "%.1f GiB", (double)bytes / (1024.0 * 1024 * 1024));
}

/* Joins the strings of a JSON array. */
static void join(const json_t *arr, const char *sep, char *out, size_t size)
{
	out[0] = '\0';
	size_t i;
	const json_t *v;
	json_array_foreach (arr, i, v) {
		const char *s = json_string_value(v);
		if (!s)
			continue;
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", len ? sep : "", s);
	}
}

static void host_rows(const json_t *h, struct rows *rs)
{
	section(rs, "Host");
	row(rs, "hostname", "%s", S(h, "hostname", "unknown"));
	row(rs, "architecture", "%s", S(h, "arch_label", "unknown"));
	row(rs, "kernel", "%s %s", S(h, "kernel.release", "unknown"), S(h, "kernel.version", ""));
	const char *layout = S(h, "cgroup.layout", "unknown");
	char v1[256];
	join(host__json_path(h, "cgroup.v1_hierarchies"), " ", v1, sizeof(v1));
	if (!strcmp(layout, "hybrid"))
		row(rs, "cgroup layout", "hybrid (v1: %s; v2 at %s)", v1,
		    S(h, "cgroup.v2_mount", "?"));
	else if (!strcmp(layout, "v1"))
		row(rs, "cgroup layout", "v1 (%s)", v1);
	else
		row(rs, "cgroup layout", "%s", layout);
}

static void cpu_rows(const json_t *h, struct rows *rs)
{
	section(rs, "CPU");
	const char *vid = S(h, "cpu.vendor_id", NULL);
	if (vid)
		row(rs, "vendor", "%s (%s)", S(h, "cpu.vendor", "unknown"), vid);
	else
		row(rs, "vendor", "%s", S(h, "cpu.vendor", "unknown"));
	row(rs, "model", "%s", S(h, "cpu.model_name", "unknown"));
	const char *kmodel = S(h, "cpu.kernel_model_name", NULL);
	if (kmodel && strcmp(kmodel, S(h, "cpu.model_name", "")))
		row(rs, "model (kernel view)", "%s", kmodel);
	if (I(h, "cpu.family") >= 0)
		row(rs, "family/model/stepping", "%lld / %lld / %lld", I(h, "cpu.family"),
		    I(h, "cpu.model_number"), I(h, "cpu.stepping"));
	size_t i;
	const json_t *c;
	json_array_foreach (host__json_path(h, "cpu.arm_cores"), i, c) {
		const char *seen = S(c, "seen_in", NULL);
		row(rs, i ? "" : "arm core (MIDR)",
		    "%s %s: implementer %s part %s r%lldp%lld%s%s%s", S(c, "vendor", "?"),
		    S(c, "core", "unknown"), S(c, "implementer", "?"), S(c, "part", "?"),
		    I(c, "variant"), I(c, "revision"), seen ? " (as in " : "", seen ? seen : "",
		    seen ? ")" : "");
	}
	long long sockets = I(h, "cpu.sockets"), cores = I(h, "cpu.cores"),
		  tpc = I(h, "cpu.threads_per_core");
	row(rs, "sockets/cores/threads", "%lld socket%s, %lld cores, %lld thread%s per core",
	    sockets, sockets == 1 ? "" : "s", cores, tpc, tpc == 1 ? "" : "s");
	row(rs, "online CPUs", "%lld (%s)", I(h, "cpu.online_cpus"), S(h, "cpu.online_list", "?"));
	row(rs, "SMT", "%s (control: %s)", B(h, "cpu.smt_on") ? "on" : "off",
	    S(h, "cpu.smt_control", "absent"));
	row(rs, "NUMA nodes", "%lld", I(h, "cpu.numa_nodes"));
	const char *gov = S(h, "cpu.governor", "none");
	row(rs, "frequency governor", "%s%s%s%s", gov, !strcmp(gov, "none") ? " (no cpufreq)" : "",
	    S(h, "cpu.cpufreq_driver", NULL) ? ", driver " : "", S(h, "cpu.cpufreq_driver", ""));
	row(rs, "idle driver", "%s", S(h, "cpu.cpuidle_driver", "unknown"));
	char feats[512];
	join(host__json_path(h, "cpu.features"), " ", feats, sizeof(feats));
	row(rs, "features", "%s", feats[0] ? feats : "-");
}

static void memory_rows(const json_t *h, struct rows *rs)
{
	section(rs, "Memory");
	char t[32], a[32];
	gib(t, sizeof(t), I(h, "memory.total_bytes"));
	gib(a, sizeof(a), I(h, "memory.available_bytes"));
	row(rs, "total", "%s", t);
	row(rs, "available", "%s", a);
	row(rs, "transparent hugepages", "%s (defrag: %s)", S(h, "memory.thp_enabled", "unknown"),
	    S(h, "memory.thp_defrag", "unknown"));
	long long hp = I(h, "memory.hugepages_total");
	if (hp > 0)
		row(rs, "hugepages reserved", "%lld x %lld KiB", hp,
		    I(h, "memory.hugepage_size_bytes") / 1024);
}

static void kvm_rows(const json_t *h, struct rows *rs)
{
	const char *k = "virtualization.kvm.";
	char p[96];
#define KP(x) (snprintf(p, sizeof(p), "%s%s", k, x), p)
	bool present = B(h, KP("present"));
	if (!present)
		row(rs, "/dev/kvm", "absent");
	else if (!B(h, KP("probed")))
		row(rs, "/dev/kvm", "present (not opened)");
	else if (!B(h, KP("openable")))
		row(rs, "/dev/kvm", "present, cannot be opened: %s", S(h, KP("open_error"), "?"));
	else
		row(rs, "/dev/kvm", "present, opens; API version %lld; KVM_CREATE_VM %s%s",
		    I(h, KP("api_version")), B(h, KP("create_vm")) ? "works" : "fails: ",
		    B(h, KP("create_vm")) ? "" : S(h, KP("create_vm_error"), "?"));
	char mods[128];
	join(host__json_path(h, KP("modules")), " ", mods, sizeof(mods));
	const char *fl = S(h, KP("flavour"), "none");
	row(rs, "KVM flavour", "%s%s%s%s%s", fl, mods[0] ? " (modules: " : "", mods,
	    mods[0] ? ")" : "", B(h, KP("bound")) ? "" : ", not providing /dev/kvm");
	const char *why = S(h, KP("not_bound_reason"), NULL);
	if (why)
		row(rs, "", "%s", why);
	row(rs, "KVM nested", "%s", S(h, KP("nested"), "n/a (no nested parameter)"));
	row(rs, "KVM paging", "%s", S(h, KP("paging"), "unknown"));
	row(rs, "nested guests", "%s: %s", B(h, KP("nested_guests.possible")) ? "possible" : "no",
	    S(h, KP("nested_guests.reason"), "?"));
	const json_t *caps = host__json_path(h, KP("capabilities"));
	if (json_is_object(caps)) {
		char line[768] = "";
		const char *key;
		const json_t *v;
		json_object_foreach ((json_t *)caps, key, v) {
			size_t len = strlen(line);
			snprintf(line + len, sizeof(line) - len, "%s%s=%lld", len ? " " : "", key,
				 (long long)json_integer_value(v));
		}
		row(rs, "KVM capabilities", "%s", line);
	}
	size_t i;
	const json_t *m;
	json_array_foreach (host__json_path(h, KP("kernel_messages")), i, m)
		row(rs, i ? "" : "kernel says", "%s",
		    json_string_value(m) ? json_string_value(m) : "");
#undef KP
}

static void virt_rows(const json_t *h, struct rows *rs)
{
	section(rs, "Virtualization");
	row(rs, "extensions", "%s", S(h, "virtualization.extensions_summary", "unknown"));
	const json_t *arm = host__json_path(h, "virtualization.arm");
	if (json_is_object(arm)) {
		row(rs, "EL2 mode", "%s%s%s%s", S(arm, "el2", "unknown"),
		    S(arm, "el2_source", NULL) ? " (from " : "", S(arm, "el2_source", ""),
		    S(arm, "el2_source", NULL) ? ")" : "");
		long long vb = I(arm, "sve_vector_bits");
		char vl[48] = "";
		if (vb > 0)
			snprintf(vl, sizeof(vl), ", %lld-bit vectors", vb);
		row(rs, "SVE", "%s%s%s%s", B(arm, "sve") ? "yes" : "no",
		    B(arm, "sve2") ? ", SVE2" : "", B(arm, "sme") ? ", SME" : "", vl);
		row(rs, "GIC", "%s", S(arm, "gic", "unknown"));
	}
	kvm_rows(h, rs);
	const char *g = "virtualization.guest.";
	char p[96];
#define GP(x) (snprintf(p, sizeof(p), "%s%s", g, x), p)
	row(rs, "host is a guest", "%s", B(h, GP("is_guest")) ? "yes" : "no");
	const char *sig = S(h, GP("cpuid_signature"), NULL);
	if (sig)
		row(rs, "CPUID hypervisor", "\"%s\"", sig);
	const char *dmi = S(h, GP("dmi_sys_vendor"), NULL);
	if (dmi)
		row(rs, "DMI", "%s / %s", dmi, S(h, GP("dmi_product_name"), "?"));
	const char *oem = S(h, GP("acpi_oem_id"), NULL);
	if (oem)
		row(rs, "ACPI OEM", "%s %s", oem, S(h, GP("acpi_oem_table_id"), ""));
	char ev[512];
	join(host__json_path(h, GP("evidence")), "; ", ev, sizeof(ev));
	if (ev[0])
		row(rs, "evidence", "%s", ev);
#undef GP
	row(rs, "verdict", "%s", S(h, "virtualization.verdict", "unknown"));
}

static void tools_rows(const json_t *h, struct rows *rs)
{
	section(rs, "Tools");
	const json_t *tools = host__json_path(h, "tools");
	if (!json_is_array(tools)) {
		row(rs, "tools", "not probed");
		return;
	}
	size_t i;
	const json_t *t;
	json_array_foreach (tools, i, t) {
		const char *name = S(t, "name", "?");
		if (!B(t, "found")) {
			row(rs, name, "not found");
			continue;
		}
		char extra[256] = "";
		const json_t *d = json_object_get(t, "daemon");
		if (json_is_object(d)) {
			if (B(d, "running"))
				snprintf(extra, sizeof(extra), "; daemon %s answers",
					 S(d, "server_version", "?"));
			else
				snprintf(extra, sizeof(extra), "; daemon: %s",
					 S(d, "error", "not answering"));
		}
		row(rs, name, "%s (%s)%s", S(t, "version", S(t, "error", "version unknown")),
		    S(t, "path", "?"), extra);
	}
}

/* Prints value wrapped at WRAP_AT columns, continuation lines indented. */
static void print_value(FILE *f, const char *v, size_t indent)
{
	size_t width = WRAP_AT > indent + 30 ? WRAP_AT - indent : 30;
	while (strlen(v) > width) {
		size_t cut = width;
		while (cut > width / 2 && v[cut] != ' ')
			cut--;
		if (v[cut] != ' ')
			cut = width;
		fprintf(f, "%.*s\n%*s", (int)cut, v, (int)indent, "");
		v += cut;
		while (*v == ' ')
			v++;
	}
	fprintf(f, "%s\n", v);
}

void host__print(const json_t *host, FILE *f)
{
	struct rows *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return;
	host_rows(host, rs);
	cpu_rows(host, rs);
	memory_rows(host, rs);
	virt_rows(host, rs);
	tools_rows(host, rs);
	size_t w = 0;
	for (unsigned i = 0; i < rs->n; i++)
		if (!rs->r[i].section && strlen(rs->r[i].label) > w)
			w = strlen(rs->r[i].label);
	for (unsigned i = 0; i < rs->n; i++) {
		const struct row *r = &rs->r[i];
		if (r->section) {
			fprintf(f, "%s%s\n", i ? "\n" : "", r->value);
			continue;
		}
		fprintf(f, "  %-*s  ", (int)w, r->label);
		print_value(f, r->value, w + 4);
	}
	free(rs);
}
