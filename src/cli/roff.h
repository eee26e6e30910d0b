/* Text into roff for the manual pages: escapes, and the descriptions of
 * the command tables (paragraphs of lines, indented lines laid out as
 * they are) into man(7) requests. */
#ifndef VB_CLI_ROFF_H
#define VB_CLI_ROFF_H

#include <stdio.h>

/* s as roff text: backslashes and dashes escaped (every "-" is the ASCII
 * one, as typed on a command line), characters past ASCII as \[uXXXX], a
 * line that would start with a control character ("." or "'") protected.
 * at_line_start says whether s starts a line of output. */
void roff__text(FILE *f, const char *s, int at_line_start);
/* s in bold (\fB...\fR), and in italics. */
void roff__bold(FILE *f, const char *s);
void roff__italic(FILE *f, const char *s);
/* s for a request's quoted argument (.SS "..."): as roff__text, quotes
 * escaped too. */
void roff__quoted(FILE *f, const char *s);
/* A table's description: blank lines part paragraphs (.PP), runs of lines
 * indented by two spaces or more are kept as laid out (.nf inside .RS), all
 * else is filled. */
void roff__block(FILE *f, const char *text);

#endif
