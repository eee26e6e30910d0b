/* The manual pages from the command tree (man.h): virtbench(1) lists the
 * commands, virtbench-<command>(1) has each subcommand with its options as
 * --help shows them (help line, what the value accepts, the default as
 * init sets it), the common options once with their default in each
 * subcommand, and the sections no table holds (man_text.c). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/man.h"
#include "cli/roff.h"
#include "cli/table.h"
#include "core/version.h"

#define MAN_CALLS_MAX 64

/* A page: virtbench(1) (cmd NULL) or one command's, with every call below
 * that command in the order of cli__walk (subcommands, then variants). */
struct page {
	const char *name;
	const struct cli_command *cmd;
	struct cli_call calls[MAN_CALLS_MAX];
	size_t ncalls;
};

const char *man__name(size_t i, char *buf, size_t size)
{
	const struct cli_command *const *subs = cli__commands()->subs;
	if (i == 0) {
		snprintf(buf, size, "virtbench");
		return buf;
	}
	for (size_t n = 1; *subs; subs++, n++)
		if (n == i) {
			snprintf(buf, size, "virtbench-%s", (*subs)->name);
			return buf;
		}
	return NULL;
}

static void collect(const struct cli_call *c, void *ctx)
{
	struct page *p = ctx;
	size_t len = p->cmd ? strlen(p->cmd->name) : 0;
	if (p->cmd &&
	    (strncmp(c->path, p->cmd->name, len) || (c->path[len] && c->path[len] != ' ')))
		return;
	if (p->ncalls < MAN_CALLS_MAX)
		p->calls[p->ncalls++] = *c;
}

static bool applies(const char *commands, const struct page *p)
{
	if (!commands || !p->cmd)
		return true;
	size_t len = strlen(p->cmd->name);
	for (const char *s = commands; *s; s += strspn(s, " ")) {
		size_t w = strcspn(s, " ");
		if (w == len && !strncmp(s, p->cmd->name, len))
			return true;
		s += w;
	}
	return false;
}

static void title(FILE *f, const struct page *p, const char *date)
{
	fputs(".TH \"", f);
	for (const char *s = p->name; *s; s++)
		fputs(*s == '-' ? "\\-" : (char[]){ (char)toupper((unsigned char)*s), 0 }, f);
	fprintf(f, "\" 1 \"%s\" \"virtbench %s\" \"User Commands\"\n", date, VB_VERSION);
	/* Option names and paths read better unbroken and unstretched. */
	fputs(".nh\n.ad l\n", f);
	fputs(".SH NAME\n", f);
	roff__text(f, p->name, true);
	fputs(" \\- ", f);
	roff__text(f, p->cmd ? p->cmd->summary : cli__commands()->summary, false);
	fputc('\n', f);
}

static bool is_leaf(const struct cli_call *c)
{
	return !c->cmd->subs;
}

static void synopsis(FILE *f, const struct page *p)
{
	fputs(".SH SYNOPSIS\n.nf\n", f);
	if (!p->cmd) {
		fputs("\\fBvirtbench\\fR \\fIcommand\\fR [\\fIsubcommand\\fR] [\\fIoptions\\fR]\n"
		      "\\fBvirtbench\\fR [\\fIcommand\\fR [\\fIsubcommand\\fR]] \\fB\\-\\-help\\fR\n"
		      "\\fBvirtbench \\-\\-version\\fR\n.fi\n",
		      f);
		return;
	}
	for (size_t i = 0; i < p->ncalls; i++) {
		const struct cli_call *c = &p->calls[i];
		if (!is_leaf(c))
			continue;
		char line[128];
		snprintf(line, sizeof(line), "virtbench %s", c->path);
		roff__bold(f, line);
		fputs(" [\\fIoptions\\fR]", f);
		if (c->cmd->operands) {
			fputc(' ', f);
			roff__italic(f, c->cmd->operands);
		}
		fputc('\n', f);
	}
	fputs(".fi\n", f);
}

/* "-o, --output FILE" as the tag of a .TP item. */
static void option_tag(FILE *f, const struct cli_opt *o)
{
	fputs(".TP\n", f);
	if (o->letter)
		fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
	fputs("\\fB\\-\\-", f);
	roff__text(f, o->name, false);
	fputs("\\fR", f);
	for (const char *const *a = o->aliases; a && *a; a++) {
		fputs(", \\fB\\-\\-", f);
		roff__text(f, *a, false);
		fputs("\\fR", f);
	}
	if (o->value) {
		fputc(' ', f);
		roff__italic(f, o->value);
	}
	fputc('\n', f);
}

static void option_item(FILE *f, const struct cli_opt *o, const char *def)
{
	char text[1400];
	option_tag(f, o);
	cli_opt__describe(o, def, text, sizeof(text));
	roff__text(f, text, true);
	fputc('\n', f);
}

static unsigned own_count(const struct cli_command *cmd)
{
	unsigned n = 0;
	while (cmd->opts && cmd->opts[n].name)
		n++;
	return n;
}

/* The command's own options, with the defaults its init sets. */
static void own_options(FILE *f, const struct cli_command *cmd)
{
	void *cfg = cli__defaults(cmd);
	char def[512];
	for (unsigned i = 0; i < own_count(cmd); i++) {
		cli_opt__default(&cmd->opts[i], cfg, def, sizeof(def));
		option_item(f, &cmd->opts[i], def);
	}
	free(cfg);
}

/* Where the commands of a page differ in a common option's default, each
 * default with the subcommands that have it: "10 (startup), 5 (cpu,
 * memory)"; on virtbench(1), where they are many, a pointer to their pages. */
static void common_default(const struct page *p, unsigned idx, char *out, size_t size)
{
	char defs[MAN_CALLS_MAX][64], who[MAN_CALLS_MAX][256];
	size_t n = 0, used = 0, skip = p->cmd ? strlen(p->cmd->name) + 1 : 0;
	for (size_t i = 0; i < p->ncalls; i++) {
		const struct cli_call *c = &p->calls[i];
		if (!c->cmd->common)
			continue;
		void *cfg = cli__defaults(c->cmd);
		char d[64];
		cli_opt__default(cli__option(c->cmd, own_count(c->cmd) + idx), cfg, d, sizeof(d));
		free(cfg);
		size_t k = 0;
		while (k < n && strcmp(defs[k], d))
			k++;
		if (k == n) {
			snprintf(defs[n], sizeof(defs[n]), "%s", d);
			who[n++][0] = 0;
		}
		size_t w = strlen(who[k]);
		snprintf(who[k] + w, sizeof(who[k]) - w, "%s%s", w ? ", " : "",
			 strlen(c->path) > skip ? c->path + skip : c->path);
	}
	out[0] = 0;
	if (n == 1)
		snprintf(out, size, "%s", defs[0]);
	else if (n > 1 && !p->cmd)
		snprintf(out, size, "as each command's page says");
	for (size_t k = 0; n > 1 && p->cmd && k < n && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, "%s%s (%s)", k ? ", " : "",
					 defs[k][0] ? defs[k] : "none", who[k]);
}

/* The common options when the page's commands take them, then -h. */
static void common_options(FILE *f, const struct page *p, bool common)
{
	const struct cli_command probe = { .common = common };
	const struct cli_opt *o;
	char def[1024];
	for (unsigned i = 0; (o = cli__option(&probe, i)); i++) {
		common_default(p, i, def, sizeof(def));
		option_item(f, o, def);
	}
}

/* "native, vm and container": the commands of the page that take the
 * common options; empty when none does. */
static void common_takers(const struct page *p, char *out, size_t size)
{
	const char *names[MAN_CALLS_MAX];
	size_t n = 0, used = 0;
	for (size_t i = 0; i < p->ncalls; i++) {
		if (!p->calls[i].cmd->common)
			continue;
		char top[64];
		snprintf(top, sizeof(top), "%.*s", (int)strcspn(p->calls[i].path, " "),
			 p->calls[i].path);
		size_t k = 0;
		while (k < n && strcmp(names[k], top))
			k++;
		if (k == n)
			for (const struct cli_command *const *s = cli__commands()->subs; *s; s++)
				if (!strcmp((*s)->name, top))
					names[n++] = (*s)->name;
	}
	out[0] = 0;
	for (size_t k = 0; k < n && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 k == 0	     ? ""
					 : k + 1 < n ? ", "
						     : " and ",
					 names[k]);
}

static void section(FILE *f, const char *name)
{
	bool quote = strchr(name, ' ') != NULL;
	fputs(quote ? ".SH \"" : ".SH ", f);
	roff__quoted(f, name);
	fputs(quote ? "\"\n" : "\n", f);
}

static void subsection(FILE *f, const struct cli_call *c)
{
	fputs(".SS \"virtbench ", f);
	roff__quoted(f, c->path);
	if (c->cmd->operands) {
		fputc(' ', f);
		roff__quoted(f, c->cmd->operands);
	}
	fputs("\"\n", f);
}

/* A group's subcommands, each with its description and own options; a
 * variant group (vm --platform qemu) gets a section of its own. */
static void subcommands(FILE *f, const struct page *p)
{
	for (size_t i = 0; i < p->ncalls; i++) {
		const struct cli_call *c = &p->calls[i];
		if (!is_leaf(c)) {
			if (c->suffix[0]) {
				char head[96];
				snprintf(head, sizeof(head), "SUBCOMMANDS WITH%s", c->suffix);
				section(f, head);
				roff__block(f, c->cmd->description);
			} else if (i == 0) {
				section(f, "SUBCOMMANDS");
			}
			continue;
		}
		subsection(f, c);
		roff__block(f, c->cmd->summary);
		fputs(".PP\n", f);
		roff__block(f, c->cmd->description);
		if (own_count(c->cmd)) {
			fputs(".PP\nOptions:\n", f);
			own_options(f, c->cmd);
		}
	}
}

static void commands_list(FILE *f)
{
	section(f, "COMMANDS");
	for (const struct cli_command *const *s = cli__commands()->subs; *s; s++) {
		fputs(".TP\n", f);
		roff__bold(f, (*s)->name);
		fputs("\n", f);
		roff__text(f, (*s)->summary, true);
		fprintf(f, "; see \\fBvirtbench\\-%s\\fR(1).\n", (*s)->name);
	}
}

/* "Exit status: 0 success, ..." without its lead, as the page's section. */
static void exit_status(FILE *f, const struct page *p)
{
	const char *text = p->cmd && p->cmd->exit_status ? p->cmd->exit_status
							 : cli__commands()->exit_status;
	const char *lead = "Exit status: ";
	if (!strncmp(text, lead, strlen(lead)))
		text += strlen(lead);
	section(f, "EXIT STATUS");
	char flat[512];
	snprintf(flat, sizeof(flat), "%s", text);
	for (char *s = flat; *s; s++)
		if (*s == '\n' && s[1])
			*s = ' ';
	roff__text(f, flat, true);
}

static void entries(FILE *f, const struct page *p, const char *name, const struct man_entry *e)
{
	bool any = false;
	for (; e->term; e++) {
		if (!applies(e->commands, p))
			continue;
		if (!any)
			section(f, name);
		any = true;
		fprintf(f, ".TP\n%s\n", e->term);
		roff__text(f, e->text, true);
		fputc('\n', f);
	}
}

static void example(FILE *f, const char *what, const char *line)
{
	fputs(".PP\n", f);
	if (what) {
		roff__text(f, what, true);
		fputs("\n.RS 4\n", f);
	} else {
		fputs(".RS 4\n", f);
	}
	fputs(".nf\n", f);
	roff__text(f, line, true);
	fputs("\n.fi\n.RE\n", f);
}

static void examples(FILE *f, const struct page *p)
{
	section(f, "EXAMPLES");
	for (const struct man_example *e = man__examples; e->line; e++)
		if (p->cmd ? e->command && !strcmp(e->command, p->cmd->name) : !e->command)
			example(f, e->what, e->line);
	for (size_t i = 0; p->cmd && i < p->ncalls; i++) {
		const char *ex = p->calls[i].cmd->examples;
		for (char line[256]; ex && *ex;) {
			size_t len = strcspn(ex, "\n");
			snprintf(line, sizeof(line), "%.*s", (int)len, ex);
			ex += len + (ex[len] == '\n');
			example(f, NULL, line);
		}
	}
}

static void see_also(FILE *f, const struct page *p)
{
	section(f, "SEE ALSO");
	bool first = true;
	char name[64];
	for (size_t i = 0; man__name(i, name, sizeof(name)); i++) {
		if (!strcmp(name, p->name))
			continue;
		fprintf(f, "%s", first ? "" : ",\n");
		roff__bold(f, name);
		fputs("(1)", f);
		first = false;
	}
	fputs("\n.PP\nThe README in share/doc/virtbench under the installation prefix.\n", f);
}

static int find_page(const char *name, struct page *p, struct vb_err *err)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	if (!strcmp(name, "virtbench")) {
		cli__walk(collect, p);
		return 0;
	}
	if (!strncmp(name, "virtbench-", 10))
		for (const struct cli_command *const *s = cli__commands()->subs; *s; s++)
			if (!strcmp((*s)->name, name + 10))
				p->cmd = *s;
	if (!p->cmd)
		return err__usage(err, "no manual page named %s", name);
	cli__walk(collect, p);
	return 0;
}

int man__write(const char *name, const char *date, FILE *f, struct vb_err *err)
{
	struct page *p = malloc(sizeof(*p));
	if (!p)
		return err__set(err, ENOMEM, "manual page %s", name);
	if (find_page(name, p, err) < 0) {
		free(p);
		return -1;
	}
	fputs(".\\\" Made by virtbench-docgen from the command tables (src/cli); edit those.\n", f);
	title(f, p, date);
	synopsis(f, p);
	section(f, "DESCRIPTION");
	roff__block(f, p->cmd ? p->cmd->description : cli__commands()->description);
	char takers[128];
	common_takers(p, takers, sizeof(takers));
	if (!p->cmd)
		commands_list(f);
	else if (p->cmd->subs)
		subcommands(f, p);
	else
		section(f, "OPTIONS");
	if (p->cmd && !p->cmd->subs) {
		own_options(f, p->cmd);
	} else {
		section(f, "COMMON OPTIONS");
		if (takers[0])
			fprintf(f, "%s %s take these; every command takes \\fB\\-h\\fR.\n",
				p->cmd ? "The subcommands of" : "The benchmark commands", takers);
	}
	common_options(f, p, takers[0] != 0);
	if (applies(man__results_commands, p)) {
		section(f, "RESULTS FILES");
		roff__text(f, man__results_text, true);
	}
	exit_status(f, p);
	entries(f, p, "ENVIRONMENT", man__environment);
	entries(f, p, "FILES", man__files);
	examples(f, p);
	see_also(f, p);
	free(p);
	return 0;
}
