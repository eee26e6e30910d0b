/* The worker's disk and network jobs (kinds disk and net): one VBRESULT
 * (thread 0) and VBDONE, or VBERROR. The work is io__run_job's, the same
 * function the host runs natively. */
#include <signal.h>

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

int worker__run_io(int fd, const struct wl_job *job)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	io_stop = 0;
	char why[256], line[VBP_LINE_MAX];
	struct wl_report rep;
	if (io__run_job(job, &io_stop, &rep, why, sizeof(why)) < 0)
		return send_line(fd, vbp__format_error(line, sizeof(line), why), line);
	if (send_line(fd, vbp__format_result(line, sizeof(line), 0, &rep), line) < 0)
		return -1;
	return send_line(fd, vbp__format_done(line, sizeof(line), 0), line);
}
