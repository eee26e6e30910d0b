/* The manual pages and the bash completion, both made from the command
 * tables: every option of every command in its page with the text --help
 * gives it (range and default), pages that groff reads without a warning,
 * every example a command line the parser accepts, a completion that
 * offers the tables' commands, options and choices, and a `run --help` that
 * names every CSV file the report writes. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "cli/completion.h"
#include "cli/man.h"
#include "cli/roff.h"
#include "cli/table.h"
#include "report/family.h"
#include "report/report.h"

/* What fn writes, as a string (free it). */
#define CAPTURE(buf, ...)                                                                          \
	do {                                                                                       \
		size_t len_;                                                                       \
		FILE *f = open_memstream(&(buf), &len_);                                           \
		assert_non_null(f);                                                                \
		__VA_ARGS__;                                                                       \
		assert_int_equal(fclose(f), 0);                                                    \
	} while (0)

static char *page(const char *name)
{
	char *text = NULL;
	struct vb_err err = { 0 };
	int rc;
	CAPTURE(text, rc = man__write(name, "2024-01-02", f, &err));
	if (rc < 0)
		fail_msg("page %s: %s", name, err.msg);
	return text;
}

static char *roff(const char *plain)
{
	char *text = NULL;
	CAPTURE(text, roff__text(f, plain, 0));
	return text;
}

static void assert_contains(const char *text, const char *want, const char *where)
{
	if (!strstr(text, want))
		fail_msg("%s lacks \"%s\"", where, want);
}

static void test_roff_escapes(void **state)
{
	(void)state;
	char *t = NULL;
	CAPTURE(t, roff__text(f, "a-b c\\d \xc2\xb1 \"q\"", 0));
	assert_string_equal(t, "a\\-b c\\ed \\[u00B1] \"q\"");
	free(t);
	CAPTURE(t, roff__text(f, ".x\n'y z.", 1));
	assert_string_equal(t, "\\&.x\n\\&'y z.");
	free(t);
	CAPTURE(t, roff__quoted(f, "say \"x\""));
	assert_string_equal(t, "say \\(dqx\\(dq");
	free(t);
	/* Paragraphs, a laid-out run of indented lines, text after it. */
	CAPTURE(t, roff__block(f, "One\ntwo.\n\nKinds:\n  a    first\n  b    second\nAfter.\n"));
	assert_string_equal(t, "One\ntwo.\n.PP\nKinds:\n.RS 2\n.nf\na    first\nb    second\n"
			       ".fi\n.RE\nAfter.\n");
	free(t);
}

static void test_unknown_page(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	assert_int_equal(man__write("virtbench-nope", "2024-01-02", stdout, &err), -1);
	assert_int_equal(err.status, VB_EXIT_USAGE);
	char name[64];
	size_t n = 0;
	while (man__name(n, name, sizeof(name)))
		n++;
	/* virtbench(1) and one page per command */
	size_t commands = 0;
	for (const struct cli_command *const *s = cli__commands()->subs; *s; s++)
		commands++;
	assert_int_equal(n, commands + 1);
}

/* The page of the command at c, its name in out. */
static char *page_of(const struct cli_call *c, char *name, size_t size)
{
	snprintf(name, size, "virtbench-%.*s", (int)strcspn(c->path, " "), c->path);
	return page(name);
}

/* The text of the .TP item of option o in the part of the page that
 * starts with `from` (up to the next heading): from its tag to the next
 * request. */
static char *item(const char *text, const char *from, const struct cli_opt *o, char *out,
		  size_t size)
{
	const char *part = strstr(text, from);
	if (!part)
		return NULL;
	const char *ss = strstr(part + 1, "\n.SS "), *sh = strstr(part + 1, "\n.SH ");
	const char *part_end = ss && (!sh || ss < sh) ? ss : sh ? sh : part + strlen(part);
	char tag[96];
	char *esc = roff(o->name);
	snprintf(tag, sizeof(tag), "\\fB\\-\\-%s\\fR", esc);
	free(esc);
	const char *p = strstr(part, tag);
	if (!p || p >= part_end)
		return NULL;
	const char *end = strstr(p, "\n.");
	snprintf(out, size, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
	return out;
}

static void check_page(const struct cli_call *c, void *ctx)
{
	(void)ctx;
	char name[64], where[320], def[512], desc[1400], it[2048];
	char *text = page_of(c, name, sizeof(name));
	/* Its own options are under its heading on a page of several commands. */
	char own_part[160] = ".SH OPTIONS\n";
	if (!c->cmd->subs && strchr(c->path, ' ')) {
		char *head = roff(c->path);
		snprintf(own_part, sizeof(own_part), ".SS \"virtbench %s%s", head,
			 c->cmd->operands ? " " : "\"\n");
		assert_contains(text, own_part, name);
		free(head);
	}
	void *cfg = cli__defaults(c->cmd);
	const struct cli_opt *o;
	unsigned own = 0;
	while (c->cmd->opts && c->cmd->opts[own].name)
		own++;
	for (unsigned i = 0; !c->cmd->subs && (o = cli__option(c->cmd, i)); i++) {
		snprintf(where, sizeof(where), "%s, option --%s of %s", name, o->name, c->path);
		/* On a page of several commands what they share (--help at least)
		 * is under COMMON OPTIONS. */
		bool shared = c->cmd->common || strchr(c->path, ' ');
		if (!item(text, i < own || !shared ? own_part : ".SH \"COMMON OPTIONS\"\n", o, it,
			  sizeof(it)))
			fail_msg("%s: not in the page", where);
		for (const char *const *a = o->aliases; a && *a; a++) {
			char alias[80];
			char *esc = roff(*a);
			snprintf(alias, sizeof(alias), "\\fB\\-\\-%s\\fR", esc);
			free(esc);
			assert_contains(text, alias, where);
		}
		if (o->value) {
			char v[64];
			snprintf(v, sizeof(v), "\\fI%s\\fR", o->value);
			assert_contains(it, v, where);
		}
		cli_opt__default(o, cfg, def, sizeof(def));
		if (i < own) {
			/* Its own option: the whole of what --help says of it. */
			cli_opt__describe(o, def, desc, sizeof(desc));
			char *esc = roff(desc);
			assert_contains(text, esc, where);
			free(esc);
		} else if (def[0]) {
			/* A common one: its default here, among the others'. */
			char *esc = roff(def);
			assert_contains(it, esc, where);
			free(esc);
		}
	}
	free(cfg);
	free(text);
}

static void test_pages_hold_every_option(void **state)
{
	(void)state;
	cli__walk(check_page, NULL);
}

static void test_pages_have_the_sections(void **state)
{
	(void)state;
	static const char *const sections[] = {
		".SH NAME\n",	     ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH \"EXIT STATUS\"\n",
		".SH ENVIRONMENT\n", ".SH FILES\n",    ".SH EXAMPLES\n",    ".SH \"SEE ALSO\"\n",
	};
	char name[64];
	for (size_t i = 0; man__name(i, name, sizeof(name)); i++) {
		char *text = page(name);
		for (size_t k = 0; k < sizeof(sections) / sizeof(*sections); k++)
			assert_contains(text, sections[k], name);
		if (!strstr(text, ".SH OPTIONS\n") && !strstr(text, ".SH \"COMMON OPTIONS\"\n"))
			fail_msg("%s has no options section", name);
		/* NAME is "page \- summary", as whatis and lintian read it. */
		char *esc = roff(name), want[128];
		snprintf(want, sizeof(want), ".SH NAME\n%s \\- ", esc);
		assert_contains(text, want, name);
		free(esc);
		free(text);
	}
	char *root = page("virtbench");
	assert_contains(root, ".SH \"RESULTS FILES\"\n", "virtbench(1)");
	assert_contains(root, "virtbench/1", "virtbench(1)");
	assert_contains(root, "VIRTBENCH_WORKER", "virtbench(1)");
	assert_contains(root, "TMPDIR", "virtbench(1)");
	assert_contains(root, "0 success, 1 benchmark or environment failure, 2 usage error",
			"virtbench(1)");
	for (const struct cli_command *const *s = cli__commands()->subs; *s; s++) {
		char ref[80];
		snprintf(ref, sizeof(ref), "\\fBvirtbench\\-%s\\fR(1)", (*s)->name);
		assert_contains(root, ref, "virtbench(1)");
	}
	free(root);
}

/* groff -ww: every warning on; a page must give none. */
static void test_pages_groff_clean(void **state)
{
	(void)state;
	VB_REQUIRE(vb_have("groff"), "groff is not installed (Debian groff-base)");
	char dir[256], name[64], path[512];
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-man"), 0);
	for (size_t i = 0; man__name(i, name, sizeof(name)); i++) {
		char *text = page(name);
		snprintf(path, sizeof(path), "%s/%s.1", dir, name);
		struct vb_err err = { 0 };
		assert_int_equal(file__write_atomic(path, text, strlen(text), &err), 0);
		free(text);
		static const char *const devices[] = { "-Tps", "-Tutf8" };
		for (size_t d = 0; d < 2; d++) {
			char *argv[] = { "groff", "-ww", "-man", (char *)devices[d],
					 "-z",	  path,	 NULL };
			struct vb_proc_result r;
			bool ok = vb_run_ok(argv, &r);
			if (!ok || r.err_len)
				fail_msg("groff %s %s: %s", devices[d], name, r.errout);
			proc__result_free(&r);
		}
	}
	vb_tmpdir_leave(dir);
}

/* An example as `virtbench <words> --help`: the parser reads every option
 * (values checked) and stops at --help. */
static void check_example(const char *line, const char *page_cmd)
{
	char words[256], *argv[40];
	int n = 0;
	snprintf(words, sizeof(words), "%s", line);
	char *w = strtok(words, " ");
	assert_non_null(w);
	assert_string_equal(w, "virtbench");
	argv[n++] = (char *)vb_binary();
	while ((w = strtok(NULL, " ")) && n < 38)
		argv[n++] = w;
	if (page_cmd && strcmp(argv[1], page_cmd))
		fail_msg("example \"%s\" is not of %s", line, page_cmd);
	argv[n++] = "--help";
	argv[n] = NULL;
	struct vb_proc_result r;
	if (!vb_run_ok(argv, &r) || strncmp(r.out, "Usage: virtbench ", 17))
		fail_msg("example \"%s\": exit %d: %s", line, r.exit_code, r.errout);
	proc__result_free(&r);
}

static void check_table_examples(const struct cli_call *c, void *ctx)
{
	(void)ctx;
	for (const char *ex = c->cmd->examples; ex && *ex;) {
		char line[256];
		size_t len = strcspn(ex, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)len, ex);
		ex += len + (ex[len] == '\n');
		check_example(line, NULL);
	}
}

static void test_examples_parse(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct man_example *e = man__examples; e->line; e++, n++)
		check_example(e->line, e->command);
	assert_true(n > 10);
	cli__walk(check_table_examples, NULL);
}

/* ---- bash completion ---- */

static char comp_dir[256], comp_file[512];

static int comp_setup(void **state)
{
	(void)state;
	if (vb_tmpdir_enter(comp_dir, sizeof(comp_dir), "vb-comp") < 0)
		return -1;
	snprintf(comp_file, sizeof(comp_file), "%s/virtbench", comp_dir);
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return -1;
	completion__write_bash(f);
	fclose(f);
	struct vb_err err = { 0 };
	int rc = file__write_atomic(comp_file, text, len, &err);
	free(text);
	return rc;
}

static int comp_teardown(void **state)
{
	(void)state;
	vb_tmpdir_leave(comp_dir);
	return 0;
}

/* Sources the script in bash and runs body there; its stdout. */
static char *bash(const char *body)
{
	VB_REQUIRE(vb_have("bash"), "bash is not installed");
	char *script = NULL;
	assert_true(asprintf(&script,
			     "set -u\nsource '%s' || exit 9\n"
			     "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));\n"
			     "  COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; _virtbench;\n"
			     "  echo \"${COMPREPLY[*]}\"; }\n%s",
			     comp_file, body) > 0);
	char *argv[] = { "bash", "--norc", "--noprofile", "-c", script, NULL };
	char *out = vb_run_stdout(argv, true);
	free(script);
	return out;
}

static void test_completion_words(void **state)
{
	(void)state;
	char *out = bash("t virtbench v\n"
			 "t virtbench vm b\n"
			 "t virtbench container startup --runtime b\n"
			 "t virtbench native cpu --th\n"
			 "t virtbench container startup --runtime builtin,r\n"
			 "t virtbench container startup --runtime = d\n"
			 "t virtbench vm boot --platform ''\n"
			 "t virtbench vm boot --platform qemu --ac\n"
			 "t virtbench vm --platform qemu boot --accel ''\n"
			 "t virtbench vm boot --ac\n"
			 "t virtbench native memlat --pages ''\n"
			 "t virtbench native cpu --time 1 --th\n"
			 "t virtbench ''\n"
			 "t virtbench vm --platform qemu ''\n"
			 "t virtbench info --n\n");
	assert_string_equal(out, "vm\n"
				 "boot\n"
				 "builtin\n"
				 "--threads\n"
				 "builtin,runc\n"
				 "docker\n"
				 "microvm qemu\n"
				 "--accel\n"
				 "auto kvm tcg\n"
				 "\n"
				 "4k 2m\n"
				 "--threads\n"
				 "info native vm container run compare report fleet\n"
				 "boot cpu memory disk net\n"
				 "--no-tools\n");
	free(out);
}

struct script {
	char *body;
	size_t len;
	FILE *f;
};

static void ask_options(const struct cli_call *c, void *ctx)
{
	struct script *s = ctx;
	if (!c->cmd->subs)
		fprintf(s->f, "_virtbench_cmd '%s'; echo \"%s|$_vb_opts\"\n", c->path, c->path);
}

static void check_offered(const struct cli_call *c, void *ctx)
{
	const char *out = ctx;
	if (c->cmd->subs)
		return;
	char head[128], line[4096];
	snprintf(head, sizeof(head), "\n%s|", c->path);
	const char *p = strstr(out, head);
	if (!p)
		fail_msg("completion has no options for %s", c->path);
	snprintf(line, sizeof(line), " %.*s ", (int)strcspn(p + strlen(head), "\n"),
		 p + strlen(head));
	const struct cli_opt *o;
	for (unsigned i = 0; (o = cli__option(c->cmd, i)); i++) {
		char want[80];
		snprintf(want, sizeof(want), " --%s ", o->name);
		if (!strstr(line, want))
			fail_msg("completion of %s lacks --%s", c->path, o->name);
		for (const char *const *a = o->aliases; a && *a; a++) {
			snprintf(want, sizeof(want), " --%s ", *a);
			if (!strstr(line, want))
				fail_msg("completion of %s lacks --%s", c->path, *a);
		}
	}
}

static void test_completion_offers_every_option(void **state)
{
	(void)state;
	struct script s = { 0 };
	s.f = open_memstream(&s.body, &s.len);
	assert_non_null(s.f);
	fputs("echo\n", s.f);
	cli__walk(ask_options, &s);
	fclose(s.f);
	char *out = bash(s.body);
	cli__walk(check_offered, out);
	free(out);
	free(s.body);
}

/* The seed file whose per-platform copy name is ("vm_boot_times" for
 * vm_boot_times.qemu.csv), or NULL. */
static const char *copy_of(const char *name)
{
	for (size_t k = 0; k < REPORT_SEED_CSVS; k++) {
		const char *seed = report__seed_csvs[k].name;
		size_t stem = strlen(seed) - strlen(".csv");
		if (!strncmp(name, seed, stem) && name[stem] == '.' && strcmp(name + stem, ".csv"))
			return seed;
	}
	return NULL;
}

/* Every CSV the report writes from the two fixture hosts' results is named
 * by `run --help`: by its name, or as a per-platform copy of a seed file it
 * names. */
static void test_run_help_names_every_csv(void **state)
{
	(void)state;
	char *argv[] = { (char *)vb_binary(), "run", "--help", NULL };
	struct vb_proc_result r;
	assert_true(vb_run_ok(argv, &r));
	const char *help = r.out;
	assert_contains(help, "*.PLATFORM.csv", "run --help");
	char dir[4096];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vb-run-help", dir, sizeof(dir), &err), 0);
	static const char *const sets[] = { "results/x86_64/results.json",
					    "results/aarch64/results.json" };
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct vb_result_set s;
		if (result_set__load(fixture(sets[i]), &s, &err) < 0)
			fail_msg("%s", err.msg);
		assert_int_equal(family__link(&s), 0);
		if (report__write_seed_csvs(&s, dir, &err) < 0 ||
		    report__write_extra_csvs(&s, dir, &err) < 0)
			fail_msg("%s", err.msg);
		result_set__free(&s);
	}
	DIR *d = opendir(dir);
	assert_non_null(d);
	unsigned files = 0, copies = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".csv"))
			continue;
		files++;
		const char *seed = copy_of(e->d_name);
		if (seed) {
			assert_contains(help, seed, "run --help");
			copies++;
		} else {
			assert_contains(help, e->d_name, "run --help");
		}
	}
	closedir(d);
	assert_true(files > REPORT_SEED_CSVS);
	assert_true(copies > 0);
	file__remove_tree(dir);
	proc__result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roff_escapes),
		cmocka_unit_test(test_unknown_page),
		cmocka_unit_test(test_pages_hold_every_option),
		cmocka_unit_test(test_pages_have_the_sections),
		cmocka_unit_test(test_pages_groff_clean),
		cmocka_unit_test(test_examples_parse),
		cmocka_unit_test_setup_teardown(test_completion_words, comp_setup, comp_teardown),
		cmocka_unit_test_setup_teardown(test_completion_offers_every_option, comp_setup,
						comp_teardown),
		cmocka_unit_test(test_run_help_names_every_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
