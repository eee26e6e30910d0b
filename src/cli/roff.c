/* roff escapes and the layout of the tables' descriptions (roff.h). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cli/roff.h"

/* The code point of the UTF-8 sequence at s and its length; a byte that
 * starts no valid sequence is U+FFFD, one byte long. */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
	unsigned n = s[0] >= 0xf0 && s[0] < 0xf8 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	uint32_t cp = n ? s[0] & (0x7f >> n) : 0;
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*len = n ? n : 1;
	return n ? cp : 0xfffd;
}

static void escaped(FILE *f, const char *s, bool line_start, bool quoted)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", f);
		line_start = *p == '\n';
		if (*p >= 0x80) {
			size_t len;
			fprintf(f, "\\[u%04X]", (unsigned)utf8_next(p, &len));
			p += len;
			continue;
		}
		if (*p == '\\')
			fputs("\\e", f);
		else if (*p == '-')
			fputs("\\-", f);
		else if (*p == '"' && quoted)
			fputs("\\(dq", f);
		else
			fputc(*p, f);
		p++;
	}
}

void roff__text(FILE *f, const char *s, int at_line_start)
{
	escaped(f, s, at_line_start, false);
}

void roff__quoted(FILE *f, const char *s)
{
	escaped(f, s, false, true);
}

void roff__bold(FILE *f, const char *s)
{
	fputs("\\fB", f);
	escaped(f, s, false, false);
	fputs("\\fR", f);
}

void roff__italic(FILE *f, const char *s)
{
	fputs("\\fI", f);
	escaped(f, s, false, false);
	fputs("\\fR", f);
}

void roff__block(FILE *f, const char *text)
{
	bool laid_out = false, paragraph = false;
	char line[512];
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		size_t indent = strspn(line, " ");
		if (laid_out && !indent) {
			fputs(".fi\n.RE\n", f);
			laid_out = false;
		}
		if (!line[0]) {
			paragraph = true;
			continue;
		}
		if (paragraph)
			fputs(".PP\n", f);
		paragraph = false;
		if (indent && !laid_out) {
			fputs(".RS 2\n.nf\n", f);
			laid_out = true;
		}
		/* .RS stands for the first two columns of the indent. */
		escaped(f, line + (indent < 2 ? indent : 2), true, false);
		fputc('\n', f);
	}
	if (laid_out)
		fputs(".fi\n.RE\n", f);
}
