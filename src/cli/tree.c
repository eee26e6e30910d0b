/* The command tree: the root and how a command's place in it is named
 * ("vm boot --platform qemu"), walked and found again from its name. */
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"

static const struct cli_command *const commands[] = {
	&cmd__info,   &cmd__native, &cmd__vm, &cmd__container, &cmd__run, &cmd__compare,
	&cmd__report, &cmd__fleet,  NULL,
};

static const struct cli_command root = {
	.name = "virtbench",
	.summary = "measures what virtual machines and containers cost a workload",
	.description =
		"Measures how fast virtual machines and containers start and what they cost a\n"
		"workload in CPU and memory compared with running natively, measured inside\n"
		"the guest and the container with the same workload code everywhere.\n"
		"\n"
		"Every command takes --help. Benchmark commands take --json (one JSON document\n"
		"on stdout), -o FILE (save the JSON results atomically), --iterations N,\n"
		"--warmup N and --adaptive (repeat until the 95% interval is narrow).\n"
		"'virtbench --version' prints the version.\n",
	.exit_status = "Exit status: 0 success, 1 benchmark or environment failure, 2 usage "
		       "error.\n",
	.subs = commands,
};

const struct cli_command *cli__commands(void)
{
	return &root;
}

/* "a b": parts joined by a space, the empty ones left out; cut to size. */
static void join(char *out, size_t size, const char *a, const char *b, const char *suffix)
{
	if (snprintf(out, size, "%s%s%s%s", a, *a && *b ? " " : "", b, suffix) >= (int)size)
		out[size - 1] = 0;
}

/* A call's path without its variant: where its subcommands start. */
static void stem(const struct cli_call *g, char *out, size_t size)
{
	join(out, size, g->base, g->group ? g->cmd->name : "", "");
}

static void set_path(struct cli_call *c)
{
	join(c->path, sizeof(c->path), c->base, c->cmd->name, c->suffix);
}

void cli__call_child(const struct cli_call *g, const struct cli_command *sub, struct cli_call *c)
{
	memset(c, 0, sizeof(*c));
	c->cmd = sub;
	c->group = g->cmd;
	stem(g, c->base, sizeof(c->base));
	snprintf(c->suffix, sizeof(c->suffix), "%s", g->suffix);
	set_path(c);
}

void cli__call_variant(const struct cli_call *g, const struct cli_variant *v, struct cli_call *c)
{
	memset(c, 0, sizeof(*c));
	c->cmd = v->group;
	c->group = g->group;
	snprintf(c->base, sizeof(c->base), "%s", g->base);
	snprintf(c->suffix, sizeof(c->suffix), " --%s %s", v->option, v->value);
	set_path(c);
}

static void walk(const struct cli_call *g, void (*fn)(const struct cli_call *c, void *ctx),
		 void *ctx)
{
	struct cli_call c;
	for (const struct cli_command *const *s = g->cmd->subs; s && *s; s++) {
		cli__call_child(g, *s, &c);
		fn(&c, ctx);
		walk(&c, fn, ctx);
	}
	for (const struct cli_variant *v = g->cmd->variants; v && v->option; v++) {
		cli__call_variant(g, v, &c);
		fn(&c, ctx);
		walk(&c, fn, ctx);
	}
}

void cli__walk(void (*fn)(const struct cli_call *c, void *ctx), void *ctx)
{
	struct cli_call r = { .cmd = &root };
	walk(&r, fn, ctx);
}

/* The next word of *p (at most size - 1 characters), or 0 at the end. */
static size_t word(const char **p, char *out, size_t size)
{
	*p += strspn(*p, " ");
	size_t len = strcspn(*p, " ");
	snprintf(out, size, "%.*s", (int)len, *p);
	*p += len;
	return len;
}

/* Into cur's variant opt=val, when it has one. */
static void enter_variant(struct cli_call *cur, const char *opt, const char *val)
{
	struct cli_call next;
	for (const struct cli_variant *v = cur->cmd->variants; v && v->option; v++)
		if (!strcmp(v->option, opt) && !strcmp(v->value, val)) {
			cli__call_variant(cur, v, &next);
			*cur = next;
			return;
		}
}

const struct cli_command *cli__find(const char *path, struct cli_call *out)
{
	struct cli_call cur = { .cmd = &root }, next;
	char w[64], opt[64] = "", val[64] = "";
	/* A variant ("--platform qemu") applies wherever it is written. */
	for (const char *p = path; word(&p, w, sizeof(w));)
		if (w[0] == '-' && w[1] == '-') {
			snprintf(opt, sizeof(opt), "%s", w + 2);
			word(&p, val, sizeof(val));
		}
	for (const char *p = path; word(&p, w, sizeof(w));) {
		if (w[0] == '-') {
			word(&p, w, sizeof(w));
			continue;
		}
		enter_variant(&cur, opt, val);
		const struct cli_command *const *s = cur.cmd->subs;
		while (s && *s && strcmp((*s)->name, w))
			s++;
		if (!s || !*s)
			return NULL;
		cli__call_child(&cur, *s, &next);
		cur = next;
	}
	enter_variant(&cur, opt, val);
	*out = cur;
	return cur.cmd;
}
