/* N threads, one job each, released together. The main thread only waits:
 * it wakes every 20 ms to pass Ctrl-C on to the workloads as their stop
 * flag, which costs the measured threads nothing measurable. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/interrupt.h"
#include "native/native.h"
#include "measure/rates.h"

uint64_t native__now_ns(void *ctx)
{
	(void)ctx;
	return clock__now_ns();
}

/* The start gate (what sysbench's barrier is made of: a mutex and a
 * condition): threads wait until all exist, and a failed pthread_create can
 * still open it for the ones already waiting (they then see the stop flag). */
struct native_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int open;
};

struct native_thread {
	pthread_t tid;
	struct wl_job *job;
	struct wl_report *rep;
	struct native_gate *gate;
	unsigned *done;
};

static void *native__thread(void *arg)
{
	struct native_thread *t = arg;
	struct wl_clock clk = { .now_ns = native__now_ns, .ctx = NULL };
	pthread_mutex_lock(&t->gate->lock);
	while (!t->gate->open)
		pthread_cond_wait(&t->gate->cond, &t->gate->lock);
	pthread_mutex_unlock(&t->gate->lock);
	wl__run(t->job, &clk, t->rep);
	__atomic_fetch_add(t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void native__gate_open(struct native_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->open = 1;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

int native__run_jobs(struct wl_job *jobs, unsigned n, struct wl_report *reports, struct vb_err *err)
{
	if (n == 0 || n > NATIVE_MAX_THREADS)
		return err__set(err, EINVAL, "native: %u threads", n);
	struct native_thread *th = calloc(n, sizeof(*th));
	if (!th)
		return err__set(err, ENOMEM, "native: threads");
	volatile uint32_t stop = 0;
	unsigned done = 0;
	struct native_gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	unsigned created = 0;
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		jobs[i].stop = &stop;
		memset(&reports[i], 0, sizeof(reports[i]));
		th[i] = (struct native_thread){
			.job = &jobs[i], .rep = &reports[i], .gate = &gate, .done = &done
		};
		int e = pthread_create(&th[i].tid, NULL, native__thread, &th[i]);
		if (e) {
			rc = err__set(err, e, "native: creating thread %u of %u", i + 1, n);
			stop = 1;
			break;
		}
		created++;
	}
	native__gate_open(&gate);
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < created) {
		if (interrupt__pending())
			stop = 1;
		nanosleep(&nap, NULL);
	}
	for (unsigned i = 0; i < created; i++)
		pthread_join(th[i].tid, NULL);
	for (unsigned i = 0; i < n; i++)
		jobs[i].stop = NULL;
	free(th);
	if (rc)
		return rc;
	if (stop)
		return err__set(err, EINTR, "interrupted");
	for (unsigned i = 0; i < n; i++)
		if (reports[i].error)
			return err__set(err, 0, "thread %u: %s", i,
					rates__error_str(reports[i].error));
	return 0;
}
