/* Runs one job on its threads inside the worker. Each thread gets its own
 * buffer (fresh anonymous pages, so the fault workload sees untouched
 * memory) and all start together behind a barrier, as sysbench's do. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/clock.h"
#include "worker/worker.h"

#define MAX_THREADS 1024

static volatile uint32_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static uint64_t clock_now(void *ctx)
{
	(void)ctx;
	return clock__now_ns();
}

/* The start gate: threads wait until all exist (a barrier cannot be
 * released early when creating a later thread fails). */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open;

struct thread_slot {
	pthread_t tid;
	struct wl_job job;
	struct wl_report rep;
	int started;
};

static void *thread_main(void *arg)
{
	struct thread_slot *s = arg;
	struct wl_clock clk = { .now_ns = clock_now, .ctx = NULL };
	pthread_mutex_lock(&gate_lock);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	wl__run(&s->job, &clk, &s->rep);
	return NULL;
}

static void gate_set(int open)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = open;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static int write_line(int fd, int n, const char *line)
{
	return n < 0 ? -1 : vbp__write_all(fd, line, (size_t)n);
}

/* Reports a failed job as VBERROR. Returns 0 when that record went out
 * (the host knows; the worker may take the next command), -1 when not. */
static int fail(int fd, const char *what, int errnum)
{
	char msg[256], line[VBP_LINE_MAX];
	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errnum));
	return write_line(fd, vbp__format_error(line, sizeof(line), msg), line);
}

int worker__run_job(int fd, const struct wl_job *job, uint64_t hist)
{
	char line[VBP_LINE_MAX];
	if (job->kind == WL_DISK || job->kind == WL_NET)
		return worker__run_io(fd, job);
	uint32_t n = job->threads ? job->threads : 1;
	if (n > MAX_THREADS)
		return fail(fd, "too many threads", EINVAL);

	struct sigaction sa = { .sa_handler = on_stop };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	stop_flag = 0;
	gate_set(0);

	struct thread_slot *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return fail(fd, "allocating threads", errno);
	uint64_t *histogram = NULL;
	if (hist) {
		histogram = calloc((size_t)WL_HIST_SLOTS * WL_HIST_SIZE, sizeof(uint64_t));
		if (!histogram) {
			free(slots);
			return fail(fd, "allocating the latency histogram", errno);
		}
	}
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	int rc = 0, failed = 0;
	for (uint32_t i = 0; i < n && !failed; i++) {
		struct thread_slot *s = &slots[i];
		s->job = *job;
		s->job.thread = i;
		s->job.threads = n;
		s->job.stop = &stop_flag;
		s->job.hist = histogram;
		if (!s->job.page_size)
			s->job.page_size = page;
		s->job.buf = NULL;
		if (!job->buf_size)
			continue;
		void *b = mmap(NULL, job->buf_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED) {
			rc = fail(fd, "allocating the workload buffer", errno);
			failed = 1;
			break;
		}
		s->job.buf = b;
		if (job->kind == WL_MEMLAT && s->job.page_size)
			wl_memlat__build_until(b, job->buf_size / s->job.page_size,
					       s->job.page_size, job->seed, &stop_flag);
	}
	for (uint32_t i = 0; i < n && !failed; i++) {
		int e = pthread_create(&slots[i].tid, NULL, thread_main, &slots[i]);
		if (e) {
			stop_flag = 1; /* the threads made so far end at once */
			rc = fail(fd, "starting a thread", e);
			failed = 1;
			break;
		}
		slots[i].started = 1;
	}
	gate_set(1);
	for (uint32_t i = 0; i < n; i++)
		if (slots[i].started)
			pthread_join(slots[i].tid, NULL);
	for (uint32_t i = 0; i < n && !failed && rc == 0; i++)
		rc = write_line(fd, vbp__format_result(line, sizeof(line), i, &slots[i].rep), line);
	if (!failed && rc == 0)
		rc = write_line(fd, vbp__format_done(line, sizeof(line), 0), line);
	for (uint32_t i = 0; i < n; i++)
		if (slots[i].job.buf)
			munmap(slots[i].job.buf, job->buf_size);
	free(histogram);
	free(slots);
	return rc;
}
