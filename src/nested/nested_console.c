/* Reads what the L1 guest printed: the guest is not trusted, so every line,
 * name and file is bounded and a malformed block is an error, never a
 * partial result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nested/nested.h"

#define FILE_MAX (16u << 20)

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

long nested__base64_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	unsigned acc = 0, bits = 0, pad = 0;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		int v = b64_value(ch);
		if (v < 0 || pad)
			return -1; /* a stray byte, or data after padding */
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2)
		return -1;
	return (long)n;
}

/* One line of the log, without its end (and without a CR). */
static size_t line_len(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *e = nl ? nl : end;
	*next = nl ? nl + 1 : end;
	if (e > p && e[-1] == '\r')
		e--;
	return (size_t)(e - p);
}

static bool starts(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n >= w && !memcmp(p, word, w);
}

/* A file name from the guest: one word of [A-Za-z0-9._-], no "..". */
static int take_name(const char *p, size_t n, char *out, size_t size, struct vb_err *err)
{
	if (n == 0 || n >= size)
		return err__set(err, 0, "a file name of %zu bytes", n);
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return err__set(err, 0, "a file name with byte 0x%02x", (unsigned char)ch);
	}
	memcpy(out, p, n);
	out[n] = '\0';
	if (out[0] == '.')
		return err__set(err, 0, "a file name starting with '.'");
	return 0;
}

static int take_file(struct nested_console *c, const char *name_p, size_t name_n, const char *body,
		     size_t body_n, struct vb_err *err)
{
	if (c->nfiles == NESTED_MAX_FILES)
		return err__set(err, 0, "more than %u files", NESTED_MAX_FILES);
	if (body_n / 4 * 3 > FILE_MAX)
		return err__set(err, 0, "a file of more than %u bytes", FILE_MAX);
	typeof(c->files[0]) *f = &c->files[c->nfiles];
	if (take_name(name_p, name_n, f->name, sizeof(f->name), err) < 0)
		return -1;
	size_t cap = body_n / 4 * 3 + 3;
	unsigned char *data = malloc(cap + 1);
	if (!data)
		return err__set(err, 0, "out of memory");
	long n = nested__base64_decode(body, body_n, data, cap);
	if (n < 0) {
		free(data);
		return err__set(err, 0, "%s: not base64", f->name);
	}
	data[n] = '\0';
	f->data = (char *)data;
	f->len = (size_t)n;
	c->nfiles++;
	return 0;
}

/* Copies a guest line for the user's eyes: bounded, no control bytes. */
static void defuse(char *out, size_t size, const char *p, size_t n)
{
	size_t k = n < size - 1 ? n : size - 1;
	for (size_t i = 0; i < k; i++) {
		unsigned char ch = (unsigned char)p[i];
		out[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	out[k] = '\0';
}

/* The next space-separated word of [p, e) into out, defused; p moves past it. */
static void take_word(const char **p, const char *e, char *out, size_t size)
{
	while (*p < e && **p == ' ')
		(*p)++;
	const char *w = *p;
	while (*p < e && **p != ' ')
		(*p)++;
	defuse(out, size, w, (size_t)(*p - w));
}

static void take_rc(struct nested_console *c, const char *p, size_t n, const char *last_error)
{
	/* "VB-RC NAME RC [T0 T1]" */
	const char *s = p + 6, *e = p + n;
	const char *sp = memchr(s, ' ', (size_t)(e - s));
	if (!sp || c->nrcs == NESTED_MAX_FILES || (size_t)(sp - s) >= sizeof(c->rcs[0].name))
		return;
	typeof(c->rcs[0]) *r = &c->rcs[c->nrcs];
	memcpy(r->name, s, (size_t)(sp - s));
	r->name[sp - s] = '\0';
	r->rc = atoi(sp + 1) & 0xff;
	snprintf(r->error, sizeof(r->error), "%s", last_error);
	const char *w = sp + 1;
	char rc_word[16];
	take_word(&w, e, rc_word, sizeof(rc_word));
	take_word(&w, e, r->t0, sizeof(r->t0));
	take_word(&w, e, r->t1, sizeof(r->t1));
	c->nrcs++;
}

int nested_console__parse(const char *log, size_t len, struct nested_console *c, struct vb_err *err)
{
	memset(c, 0, sizeof(*c));
	const char *p = log, *end = log + len, *next;
	const char *name_p = NULL, *body = NULL;
	size_t name_n = 0;
	char last_error[160] = "";
	while (p < end) {
		const char *line = p;
		size_t n = line_len(p, end, &next);
		if (starts(line, n, "VB-FILE-BEGIN ")) {
			name_p = line + 14;
			name_n = n - 14;
			body = next;
		} else if (starts(line, n, "VB-FILE-END")) {
			if (!body)
				return err__set(err, 0, "VB-FILE-END without VB-FILE-BEGIN");
			if (take_file(c, name_p, name_n, body, (size_t)(line - body), err) < 0) {
				nested_console__free(c);
				return -1;
			}
			body = NULL;
		} else if (!body && starts(line, n, "VB-RUN ")) {
			last_error[0] = '\0';
			c->nruns++;
		} else if (!body && starts(line, n, "virtbench: ")) {
			defuse(last_error, sizeof(last_error), line + 11, n - 11);
		} else if (!body && starts(line, n, "VB-RC ")) {
			take_rc(c, line, n, last_error);
		} else if (!body && starts(line, n, "VB-DONE")) {
			c->done = true;
		} else if (!body && starts(line, n, "VB-NOTE ")) {
			if (starts(line, n, "VB-NOTE no /dev/kvm"))
				c->no_kvm = true;
			if (!c->note[0]) {
				size_t k = n - 8 < sizeof(c->note) - 1 ? n - 8
								       : sizeof(c->note) - 1;
				/* Shown to the user: no control bytes from the guest. */
				for (size_t i = 0; i < k; i++) {
					unsigned char ch = (unsigned char)line[8 + i];
					c->note[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
				}
				c->note[k] = '\0';
			}
		}
		p = next;
	}
	if (body) {
		nested_console__free(c);
		return err__set(err, 0, "the console ends inside a file");
	}
	return 0;
}

void nested_console__free(struct nested_console *c)
{
	for (unsigned i = 0; i < c->nfiles; i++)
		free(c->files[i].data);
	c->nfiles = 0;
}

const char *nested_console__file(const struct nested_console *c, const char *name, size_t *len)
{
	for (unsigned i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].name, name)) {
			*len = c->files[i].len;
			return c->files[i].data;
		}
	return NULL;
}
