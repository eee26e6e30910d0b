/* The command line read against a command's table: exact long names (an
 * abbreviation could silently be another option: --time for --timeout),
 * `--opt value` and `--opt=value`, clustered short flags, `--` before
 * operands. An option of another subcommand is refused naming who takes it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"

/* -h and --help: in every command, after its own options. */
static const struct cli_opt help_opt = {
	.name = "help", .letter = 'h', .type = CLI_FLAG, .help = "show this help"
};

const struct cli_opt *cli__option(const struct cli_command *cmd, unsigned i)
{
	unsigned n = 0;
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++, n++)
		if (n == i)
			return o;
	for (const struct cli_opt *o = cli__common_opts; cmd->common && o->name; o++, n++)
		if (n == i)
			return o;
	return n == i ? &help_opt : NULL;
}

static bool named(const struct cli_opt *o, const char *name, size_t len)
{
	if (strlen(o->name) == len && !strncmp(o->name, name, len))
		return true;
	for (const char *const *a = o->aliases; a && *a; a++)
		if (strlen(*a) == len && !strncmp(*a, name, len))
			return true;
	return false;
}

static const struct cli_opt *find_long(const struct cli_command *cmd, const char *name, size_t len,
				       unsigned *idx)
{
	const struct cli_opt *o;
	for (*idx = 0; (o = cli__option(cmd, *idx)); (*idx)++)
		if (named(o, name, len))
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_command *cmd, char letter, unsigned *idx)
{
	const struct cli_opt *o;
	for (*idx = 0; (o = cli__option(cmd, *idx)); (*idx)++)
		if (o->letter == letter)
			return o;
	return NULL;
}

bool cli__given(const struct cli_call *c, const char *name)
{
	unsigned i;
	return find_long(c->cmd, name, strlen(name), &i) && i < 64 && (c->given >> i & 1);
}

/* Appends 'base sub suffix' of each command in subs (but self) that takes
 * the option; returns how many. */
static unsigned owners(const struct cli_command *const *subs, const struct cli_command *self,
		       const char *base, const char *suffix, const char *name, size_t len,
		       char *out, size_t size)
{
	unsigned n = 0, i;
	for (const struct cli_command *const *p = subs; p && *p; p++) {
		const struct cli_command *s = *p;
		size_t used = strlen(out);
		if (s == self || s->subs || !find_long(s, name, len, &i) || used + 1 >= size)
			continue;
		snprintf(out + used, size - used, "%s'%s%s%s%s'", used ? ", " : "", base,
			 *base ? " " : "", s->name, suffix);
		n++;
	}
	return n;
}

static int refuse(const struct cli_call *c, const char *typed, struct vb_err *err)
{
	const char *name = typed + 2;
	size_t len = strlen(name);
	char who[256] = "";
	unsigned n = 0;
	if (c->group)
		n = owners(c->group->subs, c->cmd, c->base, c->suffix, name, len, who, sizeof(who));
	for (const struct cli_variant *v = c->group && !c->suffix[0] ? c->group->variants : NULL;
	     v && v->option; v++) {
		char suffix[64];
		snprintf(suffix, sizeof(suffix), " --%s %s", v->option, v->value);
		n += owners(v->group->subs, NULL, c->base, suffix, name, len, who, sizeof(who));
	}
	if (!n)
		return err__usage(err, "unknown option '%s'", typed);
	return err__usage(err, "%s is not an option of '%s'; %s take%s it", typed, c->path, who,
			  n > 1 ? "" : "s");
}

/* The value of o: inline after '=' or in the next argument. */
static int apply(const struct cli_opt *o, unsigned idx, const char *typed, const char *inline_val,
		 int argc, char **argv, int *i, void *cfg, struct cli_call *c, struct vb_err *err)
{
	if (o == &help_opt)
		return 1;
	const char *val = inline_val;
	if (!cli_opt__takes_value(o)) {
		if (inline_val)
			return err__usage(err, "%s takes no value", typed);
	} else if (!val) {
		if (*i + 1 >= argc)
			return err__usage(err, "%s needs a value", typed);
		val = argv[++*i];
	}
	if (cli_opt__set(o, typed, val, cfg, err) < 0)
		return -1;
	if (idx < 64)
		c->given |= 1ull << idx;
	return 0;
}

static int long_opt(int argc, char **argv, int *i, void *cfg, struct cli_call *c,
		    struct vb_err *err)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	char typed[80];
	snprintf(typed, sizeof(typed), "--%.*s", (int)(len < 64 ? len : 64), name);
	unsigned idx;
	const struct cli_opt *o = find_long(c->cmd, name, len, &idx);
	if (!o)
		return refuse(c, typed, err);
	return apply(o, idx, typed, eq ? eq + 1 : NULL, argc, argv, i, cfg, c, err);
}

/* "-q", "-qo FILE", "-oFILE". */
static int short_opts(int argc, char **argv, int *i, void *cfg, struct cli_call *c,
		      struct vb_err *err)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		char typed[3] = { '-', *p, 0 };
		unsigned idx;
		const struct cli_opt *o = find_short(c->cmd, *p, &idx);
		if (!o)
			return err__usage(err, "unknown option '%s'", typed);
		bool rest = cli_opt__takes_value(o) && p[1];
		int rc = apply(o, idx, typed, rest ? p + 1 : NULL, argc, argv, i, cfg, c, err);
		if (rc || cli_opt__takes_value(o))
			return rc;
	}
	return 0;
}

int cli__parse(void *cfg, int argc, char **argv, struct cli_call *c, struct vb_err *err)
{
	c->given = 0;
	c->noperands = 0;
	c->dashdash = -1;
	c->operands = calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
	if (!c->operands)
		return err__set(err, ENOMEM, "%s", c->path);
	bool operands_only = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (operands_only || a[0] != '-' || !a[1]) {
			c->operands[c->noperands++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			operands_only = true;
			c->dashdash = c->noperands;
			continue;
		}
		int rc = a[1] == '-' ? long_opt(argc, argv, &i, cfg, c, err)
				     : short_opts(argc, argv, &i, cfg, c, err);
		if (rc)
			return rc;
	}
	if (c->dashdash < 0)
		c->dashdash = c->noperands;
	if (!c->cmd->operands && c->noperands)
		return err__usage(err, "unexpected argument '%s'; '%s' takes options only",
				  c->operands[0], c->path);
	return 0;
}

void cli__call_free(struct cli_call *c)
{
	free(c->operands);
	c->operands = NULL;
	c->noperands = 0;
}
