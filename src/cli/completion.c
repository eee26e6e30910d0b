/* The bash completion script from the command tree (completion.h). The
 * tables become one function, _virtbench_cmd, that says per command what
 * follows it (subcommands, options, operands) and per option what its value
 * is; a fixed part reads the words typed so far the way the dispatcher does
 * (options anywhere, an option's value in the next word or after "=", a
 * variant such as `vm ... --platform qemu` wherever it stands). */
#include <stdbool.h>
#include <string.h>

#include "cli/completion.h"
#include "cli/table.h"

/* s in single quotes for the shell. */
static void quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputs(*s == '\'' ? "'\\''" : (char[]){ *s, 0 }, f);
	fputc('\'', f);
}

/* "-o|--output|--out": the case pattern of an option. */
static void pattern(FILE *f, const struct cli_opt *o)
{
	if (o->letter)
		fprintf(f, "-%c|", o->letter);
	fprintf(f, "--%s", o->name);
	for (const char *const *a = o->aliases; a && *a; a++)
		fprintf(f, "|--%s", *a);
}

static void words(FILE *f, const char *const *w)
{
	fputc('\'', f);
	for (const char *const *p = w; p && *p; p++)
		fprintf(f, "%s%s", p == w ? "" : " ", *p);
	fputc('\'', f);
}

/* What the option's value is, for _vb_kind; NULL for a flag. */
static const char *kind(const struct cli_opt *o)
{
	switch (o->type) {
	case CLI_FLAG: return NULL;
	case CLI_CHOICE: return "choice";
	case CLI_CHOICE_LIST: return "list";
	case CLI_PATH:
	case CLI_OUTPUT: return "file";
	case CLI_RESULTS_DIR: return "dir";
	default: return "value";
	}
}

static void leaf(FILE *f, const struct cli_command *cmd)
{
	const struct cli_opt *o;
	fputs("\t\t_vb_opts='", f);
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		if (o->letter)
			fprintf(f, "%s-%c", i ? " " : "", o->letter);
		fprintf(f, "%s--%s", i || o->letter ? " " : "", o->name);
		for (const char *const *a = o->aliases; a && *a; a++)
			fprintf(f, " --%s", *a);
	}
	fputs("'\n", f);
	if (cmd->operands)
		fputs("\t\t_vb_args=file\n", f);
	fputs("\t\tcase ${2-} in\n", f);
	for (unsigned i = 0; (o = cli__option(cmd, i)); i++) {
		const char *k = kind(o);
		if (!k)
			continue;
		fputs("\t\t", f);
		pattern(f, o);
		fprintf(f, ") _vb_kind=%s", k);
		if (o->choices) {
			fputs(" _vb_words=", f);
			words(f, o->choices);
		}
		fputs(" ;;\n", f);
	}
	fputs("\t\tesac ;;\n", f);
}

/* The values a group's variant option takes there: the variants' own and
 * the choices of the option in the subcommands ("microvm qemu"). */
static void variant_words(FILE *f, const struct cli_command *g, const char *option)
{
	const char *seen[32];
	size_t n = 0;
	for (const struct cli_command *const *s = g->subs; *s; s++)
		for (const struct cli_opt *o = (*s)->opts; o && o->name; o++)
			for (const char *const *c = o->choices; !strcmp(o->name, option) && c && *c;
			     c++)
				if (n < 32)
					seen[n++] = *c;
	for (const struct cli_variant *v = g->variants; v && v->option; v++)
		if (!strcmp(v->option, option) && n < 32)
			seen[n++] = v->value;
	fputs(" _vb_words='", f);
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && strcmp(seen[j], seen[i]))
			j++;
		if (j == i)
			fprintf(f, "%s%s", i ? " " : "", seen[i]);
	}
	fputc('\'', f);
}

static void group(FILE *f, const struct cli_call *c)
{
	fputs("\t\t_vb_subs='", f);
	for (const struct cli_command *const *s = c->cmd->subs; *s; s++)
		fprintf(f, "%s%s", s == c->cmd->subs ? "" : " ", (*s)->name);
	fputs("'\n\t\t_vb_opts='", f);
	for (const struct cli_variant *v = c->cmd->variants; v && v->option; v++)
		fprintf(f, "--%s ", v->option);
	fprintf(f, "-h --help%s'\n", c->group ? "" : " --version");
	if (!c->cmd->variants)
		return (void)fputs("\t\t;;\n", f);
	fputs("\t\tcase ${2-} in\n", f);
	for (const struct cli_variant *v = c->cmd->variants; v && v->option; v++) {
		fprintf(f, "\t\t--%s) _vb_kind=choice", v->option);
		variant_words(f, c->cmd, v->option);
		fputs(" ;;\n", f);
	}
	fputs("\t\tesac ;;\n", f);
}

static void command(const struct cli_call *c, void *ctx)
{
	FILE *f = ctx;
	fputs("\t", f);
	quoted(f, c->path);
	fputs(")\n", f);
	if (c->cmd->subs)
		group(f, c);
	else
		leaf(f, c->cmd);
}

/* The variants: an option value that changes a group's subcommands. */
static void variant(const struct cli_call *c, void *ctx)
{
	FILE *f = ctx;
	for (const struct cli_variant *v = c->cmd->variants; v && v->option; v++) {
		struct cli_call vc;
		cli__call_variant(c, v, &vc);
		char stem[128], below[130];
		snprintf(stem, sizeof(stem), "%s%s%s", c->base, c->base[0] ? " " : "",
			 c->cmd->name);
		snprintf(below, sizeof(below), "%s ", stem);
		fputs("\tif [[ $1 == ", f);
		quoted(f, stem);
		fputs(" || $1 == ", f);
		quoted(f, below);
		fprintf(f, "* ]] && [[ $2 == '--%s' && $3 == ", v->option);
		quoted(f, v->value);
		fputs(" ]]; then\n\t\t_vb_variant=", f);
		quoted(f, vc.suffix);
		fputs("\n\tfi\n", f);
	}
}

static const char head[] =
	"# bash completion for virtbench(1). Made by virtbench-docgen from the command\n"
	"# tables (src/cli): edit those, not this file.\n"
	"\n"
	"# _virtbench_cmd KEY [OPTION]: what follows the command at KEY (\"vm boot\",\n"
	"# \"vm boot --platform qemu\"; \"\" is virtbench itself): its subcommands\n"
	"# (_vb_subs), options (_vb_opts) and operands (_vb_args=file); with OPTION,\n"
	"# what its value is (_vb_kind: flag, value, file, dir, choice or list, the\n"
	"# last two with their words in _vb_words).\n"
	"_virtbench_cmd()\n"
	"{\n"
	"\t_vb_subs= _vb_opts= _vb_args= _vb_kind=flag _vb_words=\n"
	"\tcase $1 in\n"
	"\t'')\n";

static const char middle[] =
	"\tesac\n"
	"}\n"
	"\n"
	"# _virtbench_variant BASE OPTION VALUE: the variant that OPTION VALUE\n"
	"# chooses below the subcommands BASE, into _vb_variant.\n"
	"_virtbench_variant()\n"
	"{\n"
	"\t:\n";

static const char tail[] =
	"}\n"
	"\n"
	"_virtbench_files()\n"
	"{\n"
	"\tcompopt -o filenames 2>/dev/null\n"
	"\tlocal IFS=$'\\n'\n"
	"\tCOMPREPLY=($(compgen \"$1\" -- \"$cur\"))\n"
	"}\n"
	"\n"
	"_virtbench()\n"
	"{\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} opt= base= w name val i=1\n"
	"\tlocal _vb_subs _vb_opts _vb_args _vb_kind _vb_words _vb_variant=\n"
	"\tCOMPREPLY=()\n"
	"\t# bash splits --opt=value at \"=\" into three words.\n"
	"\tif [[ $cur == = ]]; then\n"
	"\t\topt=${COMP_WORDS[COMP_CWORD - 1]} cur=\n"
	"\telif ((COMP_CWORD > 2)) && [[ ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then\n"
	"\t\topt=${COMP_WORDS[COMP_CWORD - 2]}\n"
	"\tfi\n"
	"\t# The words so far: subcommands, and options with their values.\n"
	"\twhile ((i < COMP_CWORD)); do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\t((i++))\n"
	"\t\tcase $w in\n"
	"\t\t--) break ;;\n"
	"\t\t-?*)\n"
	"\t\t\tname=${w%%=*} val=\n"
	"\t\t\tif [[ $w == *=* ]]; then\n"
	"\t\t\t\tval=${w#*=}\n"
	"\t\t\telif [[ ${COMP_WORDS[i]-} == = ]]; then\n"
	"\t\t\t\tval=${COMP_WORDS[i + 1]-}\n"
	"\t\t\t\t((i += 2))\n"
	"\t\t\telse\n"
	"\t\t\t\t_virtbench_cmd \"$base$_vb_variant\" \"$name\"\n"
	"\t\t\t\tif [[ $_vb_kind != flag ]]; then\n"
	"\t\t\t\t\tval=${COMP_WORDS[i]-}\n"
	"\t\t\t\t\t((i++))\n"
	"\t\t\t\tfi\n"
	"\t\t\tfi\n"
	"\t\t\t((i <= COMP_CWORD)) && _virtbench_variant \"$base\" \"$name\" \"$val\"\n"
	"\t\t\t;;\n"
	"\t\t*)\n"
	"\t\t\t_virtbench_cmd \"$base$_vb_variant\"\n"
	"\t\t\t[[ \" $_vb_subs \" == *\" $w \"* ]] && base=${base:+$base }$w\n"
	"\t\t\t;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\t# An option just before the word takes it as its value.\n"
	"\tif [[ -z $opt && $cur != -* ]] && ((COMP_CWORD > 1)); then\n"
	"\t\tw=${COMP_WORDS[COMP_CWORD - 1]}\n"
	"\t\tif [[ $w == -?* && $w != *=* ]]; then\n"
	"\t\t\t_virtbench_cmd \"$base$_vb_variant\" \"$w\"\n"
	"\t\t\t[[ $_vb_kind != flag ]] && opt=$w\n"
	"\t\tfi\n"
	"\tfi\n"
	"\tif [[ $opt ]]; then\n"
	"\t\t_virtbench_cmd \"$base$_vb_variant\" \"$opt\"\n"
	"\t\tcase $_vb_kind in\n"
	"\t\tchoice) COMPREPLY=($(compgen -W \"$_vb_words\" -- \"$cur\")) ;;\n"
	"\t\tlist)\n"
	"\t\t\tlocal done=\n"
	"\t\t\t[[ $cur == *,* ]] && done=${cur%,*},\n"
	"\t\t\tCOMPREPLY=($(compgen -P \"$done\" -W \"$_vb_words\" -- \"${cur##*,}\"))\n"
	"\t\t\t;;\n"
	"\t\tfile) _virtbench_files -f ;;\n"
	"\t\tdir) _virtbench_files -d ;;\n"
	"\t\tesac\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\t_virtbench_cmd \"$base$_vb_variant\"\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_vb_opts\" -- \"$cur\"))\n"
	"\telif [[ $_vb_subs ]]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_vb_subs\" -- \"$cur\"))\n"
	"\telif [[ $_vb_args ]]; then\n"
	"\t\t_virtbench_files -f\n"
	"\tfi\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"complete -F _virtbench virtbench\n";

void completion__write_bash(FILE *f)
{
	struct cli_call root = { .cmd = cli__commands() };
	fputs(head, f);
	group(f, &root);
	cli__walk(command, f);
	fputs(middle, f);
	variant(&root, f);
	cli__walk(variant, f);
	fputs(tail, f);
}
