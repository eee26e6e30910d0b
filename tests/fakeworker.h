/* A worker that is only a pipe: the test writes the records a worker would
 * send (or anything else), the worker protocol client reads them through
 * the same line reader the native worker's pipe uses, and what the client
 * sends is kept for the test to look at. */
#ifndef VB_TESTS_FAKEWORKER_H
#define VB_TESTS_FAKEWORKER_H

#include <errno.h>
#include <unistd.h>

#include "measure/wclient.h"

struct fakeworker {
	int fd[2];
	struct vbp_reader rd;
	char sent[4096];
};

static inline int fake__recv(void *ctx, char *line, size_t size, int timeout_ms, struct vb_err *err)
{
	struct fakeworker *w = ctx;
	int n = vbp__reader_line(&w->rd, line, size, timeout_ms);
	if (n >= 0)
		return 0;
	return err__set(err, n == VBP_EOF ? 0 : errno, "fake worker");
}

static inline int fake__send(void *ctx, const char *line, struct vb_err *err)
{
	struct fakeworker *w = ctx;
	size_t used = strlen(w->sent);
	snprintf(w->sent + used, sizeof(w->sent) - used, "%s", line);
	return 0;
}

static inline void fake__open(struct fakeworker *w, struct wclient *c)
{
	memset(w, 0, sizeof(*w));
	assert_int_equal(pipe(w->fd), 0);
	vbp__reader_init(&w->rd, w->fd[0]);
	*c = (struct wclient){ .name = "fake", .send = fake__send, .recv = fake__recv, .ctx = w };
}

static inline void fake__close(struct fakeworker *w)
{
	close(w->fd[0]);
	if (w->fd[1] >= 0)
		close(w->fd[1]);
}

static inline void fake__say(struct fakeworker *w, const char *text)
{
	size_t n = strlen(text);
	assert_int_equal(write(w->fd[1], text, n), (ssize_t)n);
}

/* The records of one run: a VBRESULT per report (thread i for reps[i], in
 * the order given by `order`, or 0..n-1 when NULL), then VBDONE status=0. */
static inline void fake__results(struct fakeworker *w, const struct wl_report *reps, unsigned n,
				 const unsigned *order)
{
	char line[VBP_LINE_MAX];
	for (unsigned k = 0; k < n; k++) {
		unsigned i = order ? order[k] : k;
		assert_true(vbp__format_result(line, sizeof(line), i, &reps[i]) > 0);
		fake__say(w, line);
	}
	assert_true(vbp__format_done(line, sizeof(line), 0) > 0);
	fake__say(w, line);
}

#endif
