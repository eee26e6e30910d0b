/* The worker's disk and network jobs (kinds disk and net): one VBRESULT
 * (thread 0) and VBDONE, or VBERROR. The work is io__run_job's, the same
 * function the host runs natively. */
#include <signal.h>
#include <string.h>

#include "worker/io.h"
#include "worker/worker.h"

static volatile uint32_t io_stop;

static void on_stop(int sig)
{
	(void)sig;
	io_stop = 1;
}

static int send_line(int fd, int n, const char *line)
{
	return n < 0 ? -1 : vbp__write_all(fd, line, (size_t)n);
}

/* A net job with io_test 0 starts this worker's own peer on io_peer:io_port
 * (io_port != 0; a guest's, which the host reaches through a forwarded
 * port) or stops it (io_port 0). It serves in a process of its own while
 * the worker takes further jobs. */
static struct io_peer peer;
static int peer_up;

static int peer_job(const struct wl_job *job, struct wl_report *rep, char *why, size_t size)
{
	memset(rep, 0, sizeof(*rep));
	if (peer_up) {
		io_peer__stop(&peer);
		peer_up = 0;
		rep->events = peer.served;
		rep->bytes = peer.received;
	}
	if (!job->io_port)
		return 0;
	if (io_peer__start_at(&peer, job->io_peer, job->io_port, why, size) < 0)
		return -1;
	peer_up = 1;
	return 0;
}

int worker__run_io(int fd, const struct wl_job *job)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	io_stop = 0;
	char why[256], line[VBP_LINE_MAX];
	struct wl_report rep;
	int rc = job->kind == WL_NET && job->io_test == IO_NONE
			 ? peer_job(job, &rep, why, sizeof(why))
			 : io__run_job(job, &io_stop, &rep, why, sizeof(why));
	if (rc < 0)
		return send_line(fd, vbp__format_error(line, sizeof(line), why), line);
	if (send_line(fd, vbp__format_result(line, sizeof(line), 0, &rep), line) < 0)
		return -1;
	return send_line(fd, vbp__format_done(line, sizeof(line), 0), line);
}
