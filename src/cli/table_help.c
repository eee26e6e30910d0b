/* --help from the tables: the usage line, the description, then one entry
 * per option with its value name, its help line, what it accepts and its
 * default (as the command's init sets it), aligned and wrapped at 79
 * columns; a group lists its subcommands with their summaries. */
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"

#define HELP_COL   27
#define HELP_WIDTH 79

/* Prints text from column col, breaking at spaces before `width`, each
 * further line indented to `indent`. */
static void wrapped(FILE *f, const char *text, size_t col, size_t indent)
{
	while (*text) {
		size_t room = col < HELP_WIDTH ? HELP_WIDTH - col : 1, len = strlen(text),
		       cut = len;
		if (len > room) {
			cut = room;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(f, "%*s", (int)indent, "");
		col = indent;
	}
}

/* "  -o, --output FILE": the left column of an option. */
static void left_column(const struct cli_opt *o, char *out, size_t size)
{
	int w = snprintf(out, size, "  ");
	if (o->letter)
		w += snprintf(out + w, size - (size_t)w, "-%c, ", o->letter);
	w += snprintf(out + w, size - (size_t)w, "--%s", o->name);
	for (const char *const *a = o->aliases; a && *a && (size_t)w < size; a++)
		w += snprintf(out + w, size - (size_t)w, ", --%s", *a);
	if (o->value && (size_t)w < size)
		snprintf(out + w, size - (size_t)w, " %s", o->value);
}

int cli_opt__default(const struct cli_opt *o, const void *cfg, char *out, size_t size)
{
	if (o->def) {
		snprintf(out, size, "%s", o->def);
		return 0;
	}
	if (cfg && cli_opt__format(o, cfg, out, size) == 0)
		return 0;
	out[0] = 0;
	return -1;
}

void cli_opt__describe(const struct cli_opt *o, const char *def, char *out, size_t size)
{
	char range[512];
	cli_opt__range(o, range, sizeof(range));
	bool has_def = def && def[0];
	if (range[0] || has_def)
		snprintf(out, size, "%s (%s%s%s%s)", o->help, range,
			 range[0] && has_def ? "; " : "", has_def ? "default " : "",
			 has_def ? def : "");
	else
		snprintf(out, size, "%s", o->help);
}

void *cli__defaults(const struct cli_command *cmd)
{
	void *cfg = cmd->cfg_size ? calloc(1, cmd->cfg_size) : NULL;
	if (cfg && cmd->init)
		cmd->init(cfg, cmd);
	return cfg;
}

static void option_entry(const struct cli_opt *o, const void *cfg, FILE *f)
{
	char left[160], def[512], text[1400];
	left_column(o, left, sizeof(left));
	cli_opt__default(o, cfg, def, sizeof(def));
	cli_opt__describe(o, def, text, sizeof(text));
	size_t len = strlen(left);
	if (len + 2 > HELP_COL) {
		fprintf(f, "%s\n%*s", left, HELP_COL, "");
		len = HELP_COL;
	} else {
		fprintf(f, "%s%*s", left, (int)(HELP_COL - len), "");
		len = HELP_COL;
	}
	wrapped(f, text, len, HELP_COL);
}

static void options_help(const struct cli_command *cmd, FILE *f)
{
	void *cfg = cli__defaults(cmd);
	unsigned own = 0;
	while (cmd->opts && cmd->opts[own].name)
		own++;
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		if (i == 0 && own)
			fputs("\nOptions:\n", f);
		if (i == own && cmd->common)
			fputs("\nCommon options:\n", f);
		else if (i == own && !own)
			fputs("\nOptions:\n", f);
		option_entry(o, cfg, f);
	}
	free(cfg);
}

static void subcommands_help(const struct cli_call *c, FILE *f)
{
	fprintf(f, "\n%s:\n", c->group ? "Subcommands" : "Commands");
	for (const struct cli_command *const *s = c->cmd->subs; *s; s++)
		fprintf(f, "  %-13s %s\n", (*s)->name, (*s)->summary);
	if (c->group)
		fprintf(f, "\nRun 'virtbench %s <subcommand> --help' for its options.\n", c->path);
}

/* What the command says, else the groups above it, else the root. */
static const char *exit_status(const struct cli_call *c)
{
	if (c->cmd->exit_status)
		return c->cmd->exit_status;
	if (c->group && c->group->exit_status)
		return c->group->exit_status;
	return cli__commands()->exit_status;
}

void cli__help(const struct cli_call *c, FILE *f)
{
	const struct cli_command *cmd = c->cmd;
	if (!c->group)
		fputs("Usage: virtbench <command> [subcommand] [options]\n", f);
	else if (cmd->subs)
		fprintf(f, "Usage: virtbench %s%s%s <subcommand>%s [options]\n", c->base,
			c->base[0] ? " " : "", cmd->name, c->suffix);
	else
		fprintf(f, "Usage: virtbench %s [options]%s%s\n", c->path, cmd->operands ? " " : "",
			cmd->operands ? cmd->operands : "");
	fprintf(f, "\n%s", cmd->description);
	if (cmd->subs)
		subcommands_help(c, f);
	else
		options_help(cmd, f);
	if (cmd->examples) {
		fputs("\nExamples:\n", f);
		for (const char *p = cmd->examples; *p;) {
			size_t len = strcspn(p, "\n");
			fprintf(f, "  %.*s\n", (int)len, p);
			p += len + (p[len] == '\n');
		}
	}
	fprintf(f, "\n%s", exit_status(c));
}
