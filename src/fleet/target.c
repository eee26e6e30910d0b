/* Hosts as the command line and inventories name them. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "fleet/fleet.h"

static bool host_char(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

bool fleet__name_ok(const char *name)
{
	size_t len = strlen(name);
	if (!len || len > FLEET_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!host_char((unsigned char)*p) && *p != '@' && *p != ':')
			return false;
	return true;
}

int fleet__parse_target(const char *spec, struct fleet_target *t, struct vb_err *err)
{
	memset(t, 0, sizeof(*t));
	if (!fleet__name_ok(spec))
		return err__usage(err,
				  "host '%s': expected [user@]host[:port] (letters, digits, '.', "
				  "'-', '_'; not starting with '-' or '.')",
				  spec);
	snprintf(t->name, sizeof(t->name), "%s", spec);
	const char *at = strchr(spec, '@'), *h = spec;
	if (at) {
		size_t ulen = (size_t)(at - spec);
		if (!ulen || ulen >= sizeof(t->user) || strchr(at + 1, '@'))
			return err__usage(err,
					  "host '%s': the user before '@' is empty, too long "
					  "or given twice",
					  spec);
		memcpy(t->user, spec, ulen);
		h = at + 1;
	}
	const char *colon = strchr(h, ':');
	size_t hlen = colon ? (size_t)(colon - h) : strlen(h);
	if (!hlen || hlen >= sizeof(t->host) || h[0] == '-')
		return err__usage(err, "host '%s': no host name", spec);
	memcpy(t->host, h, hlen);
	if (colon) {
		char *end;
		errno = 0;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (!isdigit((unsigned char)colon[1]) || *end || errno || p < 1 || p > 65535)
			return err__usage(err, "host '%s': the port after ':' must be 1 to 65535",
					  spec);
		t->port = (unsigned)p;
	}
	return 0;
}

int fleet__shell_quote(const char *word, char *out, size_t size)
{
	size_t o = 0;
	if (size < 3)
		return -1;
	out[o++] = '\'';
	for (const char *p = word; *p; p++) {
		const char *piece = *p == '\'' ? "'\\''" : NULL;
		size_t len = piece ? 4 : 1;
		if (o + len + 2 > size)
			return -1;
		if (piece)
			memcpy(out + o, piece, len);
		else
			out[o] = *p;
		o += len;
	}
	out[o++] = '\'';
	out[o] = 0;
	return 0;
}

/* An inventory host line: "spec" or "name key=value ...". */
static int inventory_line(char *line, const char *path, int lineno, struct fleet_target *t,
			  char *group, struct vb_err *err)
{
	char *save = NULL, *name = strtok_r(line, " \t", &save);
	char host[256] = "", user[64] = "", port[16] = "";
	for (char *kv; (kv = strtok_r(NULL, " \t", &save));) {
		char *eq = strchr(kv, '=');
		if (!eq)
			return err__usage(err, "%s:%d: '%s' is not key=value", path, lineno, kv);
		*eq = 0;
		const char *v = eq + 1;
		if (!strcmp(kv, "ansible_host") || !strcmp(kv, "ansible_ssh_host"))
			snprintf(host, sizeof(host), "%s", v);
		else if (!strcmp(kv, "ansible_user") || !strcmp(kv, "ansible_ssh_user"))
			snprintf(user, sizeof(user), "%s", v);
		else if (!strcmp(kv, "ansible_port") || !strcmp(kv, "ansible_ssh_port"))
			snprintf(port, sizeof(port), "%s", v);
	}
	if (strchr(name, '[') || strchr(name, ']'))
		return err__usage(err,
				  "%s:%d: host ranges such as '%s' are not supported; list "
				  "the hosts one a line",
				  path, lineno, name);
	char spec[400];
	snprintf(spec, sizeof(spec), "%s%s%s%s%s", user, *user ? "@" : "", *host ? host : name,
		 *port ? ":" : "", port);
	if (fleet__parse_target(spec, t, err) < 0)
		return err__wrap(err, "%s:%d", path, lineno);
	if (!fleet__name_ok(name))
		return err__usage(err, "%s:%d: '%s' cannot name a results directory", path, lineno,
				  name);
	snprintf(t->name, sizeof(t->name), "%s", name);
	(void)group;
	return 0;
}

struct inv_entry {
	struct fleet_target t;
	char group[64];
};

static int add_unique(struct fleet_target *out, int max, int *n, const struct fleet_target *t,
		      struct vb_err *err)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(out[i].name, t->name))
			return 0;
	if (*n >= max)
		return err__usage(err, "more than %d hosts", max);
	out[(*n)++] = *t;
	return 0;
}

int fleet__inventory(const char *path, char *const *names, int nnames, struct fleet_target *out,
		     int max, int *n, struct vb_err *err)
{
	char *text = NULL;
	size_t len = 0;
	if (file__read_all(path, 1 << 20, &text, &len, err) < 0)
		return err__wrap(err, "inventory");
	struct inv_entry *ents = calloc(1024, sizeof(*ents));
	int nents = 0, rc = 0, lineno = 0;
	char group[64] = "ungrouped";
	bool skip_section = false;
	if (!ents)
		rc = err__set(err, ENOMEM, "inventory");
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		while (isspace((unsigned char)*line))
			line++;
		char *end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');
			if (!close)
				rc = err__usage(err, "%s:%d: a section without ']'", path, lineno);
			else {
				*close = 0;
				skip_section = strchr(line, ':') != NULL;
				snprintf(group, sizeof(group), "%s", line + 1);
			}
			continue;
		}
		if (skip_section)
			continue;
		if (nents >= 1024) {
			rc = err__usage(err, "%s: more than 1024 hosts", path);
			break;
		}
		snprintf(ents[nents].group, sizeof(ents[nents].group), "%s", group);
		rc = inventory_line(line, path, lineno, &ents[nents].t, group, err);
		if (rc == 0)
			nents++;
	}
	/* In the order named (the first host is the comparison's baseline): a
	 * host or a group of the inventory, else a host spec of its own. */
	for (int i = 0; i < (nnames ? nnames : 1) && rc == 0; i++) {
		bool found = false;
		for (int e = 0; e < nents && rc == 0; e++) {
			if (nnames && strcmp(names[i], ents[e].t.name) &&
			    strcmp(names[i], ents[e].group) && strcmp(names[i], "all"))
				continue;
			found = true;
			rc = add_unique(out, max, n, &ents[e].t, err);
		}
		if (!found && nnames && rc == 0) {
			struct fleet_target t;
			rc = fleet__parse_target(names[i], &t, err);
			if (rc == 0)
				rc = add_unique(out, max, n, &t, err);
		}
	}
	free(ents);
	free(text);
	return rc;
}
