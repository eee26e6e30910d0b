#include "host/cpuinfo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hostfs.h"

/* Distinct (package, core) pairs, enough for the largest hosts; beyond the
 * cap the count is a lower bound and sysfs topology takes precedence anyway. */
#define MAX_CORE_KEYS 4096

struct parse_state {
	uint32_t core_keys[MAX_CORE_KEYS];
	unsigned ncore_keys;
	uint32_t pkg_keys[256];
	unsigned npkg_keys;
	long cur_pkg, cur_core;
	int cur_impl, cur_var, cur_part, cur_rev;
};

static void add_key(uint32_t *keys, unsigned *n, unsigned cap, uint32_t k)
{
	for (unsigned i = 0; i < *n; i++)
		if (keys[i] == k)
			return;
	if (*n < cap)
		keys[(*n)++] = k;
}

/* Closes one processor block: records its topology key and its MIDR. */
static void end_block(struct parse_state *st, struct cpuinfo *ci)
{
	if (st->cur_pkg >= 0) {
		add_key(st->pkg_keys, &st->npkg_keys, 256, (uint32_t)st->cur_pkg);
		if (st->cur_core >= 0)
			add_key(st->core_keys, &st->ncore_keys, MAX_CORE_KEYS,
				((uint32_t)st->cur_pkg << 20) | ((uint32_t)st->cur_core & 0xfffff));
	}
	if (st->cur_part >= 0 || st->cur_impl >= 0) {
		unsigned i;
		for (i = 0; i < ci->nmidr; i++)
			if (ci->midr[i].implementer == st->cur_impl &&
			    ci->midr[i].part == st->cur_part &&
			    ci->midr[i].variant == st->cur_var &&
			    ci->midr[i].revision == st->cur_rev)
				break;
		if (i == ci->nmidr && ci->nmidr < CPUINFO_MAX_MIDRS) {
			ci->midr[i].implementer = st->cur_impl;
			ci->midr[i].variant = st->cur_var;
			ci->midr[i].part = st->cur_part;
			ci->midr[i].revision = st->cur_rev;
			ci->midr[i].count = 0;
			ci->nmidr++;
		}
		if (i < ci->nmidr)
			ci->midr[i].count++;
	}
	st->cur_pkg = st->cur_core = -1;
	st->cur_impl = st->cur_var = st->cur_part = st->cur_rev = -1;
}

static long parse_num(const char *v)
{
	char *end;
	long x = strtol(v, &end, 0); /* arm values are hex with 0x, x86 decimal */
	return end == v ? -1 : x;
}

int cpuinfo__parse(const char *text, struct cpuinfo *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->family = ci->model = ci->stepping = ci->architecture = -1;
	struct parse_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -1;
	st->cur_pkg = st->cur_core = -1;
	st->cur_impl = st->cur_var = st->cur_part = st->cur_rev = -1;
	bool in_block = false;

	const char *p = text;
	char line[8192];
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t cp = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
		memcpy(line, p, cp);
		line[cp] = '\0';
		p += len + (nl ? 1 : 0);

		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *key = hostfs__trim(line);
		char *val = hostfs__trim(colon + 1);
		bool first = ci->nproc <= 1;

		if (!strcmp(key, "processor")) {
			/* arm64 kernels before 3.19 printed "Processor : AArch64 ..."
			 * once; "processor : N" starts a block everywhere else. */
			if (in_block)
				end_block(st, ci);
			in_block = true;
			ci->nproc++;
		} else if (!strcmp(key, "vendor_id") && first) {
			hostfs__copy(ci->vendor_id, sizeof(ci->vendor_id), val);
		} else if (!strcmp(key, "model name") && first) {
			hostfs__copy(ci->model_name, sizeof(ci->model_name), val);
		} else if (!strcmp(key, "cpu family") && first) {
			ci->family = (int)parse_num(val);
		} else if (!strcmp(key, "model") && first) {
			ci->model = (int)parse_num(val);
		} else if (!strcmp(key, "stepping") && first) {
			ci->stepping = (int)parse_num(val);
		} else if (!strcmp(key, "microcode") && first) {
			hostfs__copy(ci->microcode, sizeof(ci->microcode), val);
		} else if (!strcmp(key, "cpu MHz") && first) {
			ci->mhz = strtod(val, NULL);
		} else if (!strcmp(key, "cpu cores") && first) {
			ci->cpu_cores = (unsigned)parse_num(val);
		} else if (!strcmp(key, "siblings") && first) {
			ci->siblings = (unsigned)parse_num(val);
		} else if (!strcmp(key, "physical id")) {
			st->cur_pkg = parse_num(val);
		} else if (!strcmp(key, "core id")) {
			st->cur_core = parse_num(val);
		} else if ((!strcmp(key, "flags") || !strcmp(key, "Features")) && first) {
			hostfs__copy(ci->flags, sizeof(ci->flags), val);
		} else if (!strcmp(key, "vmx flags") && first) {
			hostfs__copy(ci->vmx_flags, sizeof(ci->vmx_flags), val);
		} else if (!strcmp(key, "CPU implementer")) {
			st->cur_impl = (int)parse_num(val);
		} else if (!strcmp(key, "CPU variant")) {
			st->cur_var = (int)parse_num(val);
		} else if (!strcmp(key, "CPU part")) {
			st->cur_part = (int)parse_num(val);
		} else if (!strcmp(key, "CPU revision")) {
			st->cur_rev = (int)parse_num(val);
		} else if (!strcmp(key, "CPU architecture") && ci->architecture < 0) {
			ci->architecture = (int)parse_num(val);
		}
	}
	if (in_block)
		end_block(st, ci);
	ci->packages = st->npkg_keys;
	ci->cores = st->ncore_keys;
	free(st);
	return ci->nproc ? 0 : -1;
}

bool cpuinfo__flag_in(const char *list, const char *flag)
{
	size_t fl = strlen(flag);
	if (!fl)
		return false;
	for (const char *s = list; (s = strstr(s, flag)); s += fl) {
		bool start = s == list || s[-1] == ' ' || s[-1] == '\t';
		bool end = s[fl] == '\0' || s[fl] == ' ' || s[fl] == '\t';
		if (start && end)
			return true;
	}
	return false;
}

bool cpuinfo__has_flag(const struct cpuinfo *ci, const char *flag)
{
	return cpuinfo__flag_in(ci->flags, flag);
}
