/* virtbench-worker: the static program every container runs (and a QEMU
 * guest runs as /init). Its first action is to read the monotonic clock, so
 * every platform is measured to the same point; then it announces itself
 * with VBREADY and runs what the host asks over the line protocol.
 *
 *   virtbench-worker [--ready-fd N] [--cmd-fd N] [--out-fd N] [--marker TOKEN]
 *                    [--once | --facts] [kind=cpu threads=1 ...]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "worker/worker.h"

/* Replaced by the strong definition in pid1.c when that file is built. */
__attribute__((weak)) int worker__pid1_setup(struct worker_io *io)
{
	(void)io;
	return 0;
}

static const char usage[] =
	"Usage: virtbench-worker [--ready-fd N] [--cmd-fd N] [--out-fd N] [--marker TOKEN]\n"
	"                        [--once | --facts] [FIELD=VALUE ...]\n"
	"Writes VBREADY, then runs the job given as FIELD=VALUE words (--once) or the\n"
	"VBRUN commands read from the command descriptor until VBEXIT or end of input.\n"
	"--facts reports PID, hostname, mounts and network interfaces and exits.\n";

static int parse_fd(const char *s, int *fd)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 1 << 20)
		return -1;
	*fd = (int)v;
	return 0;
}

static int finish(const struct worker_io *io, int status)
{
	if (io->finish)
		io->finish(status);
	return status;
}

static int send_error(int fd, const char *msg)
{
	char line[VBP_LINE_MAX];
	int n = vbp__format_error(line, sizeof(line), msg);
	return n < 0 ? -1 : vbp__write_all(fd, line, (size_t)n);
}

/* Serves VBRUN commands until VBEXIT or end of input. */
static int serve(const struct worker_io *io)
{
	struct vbp_reader rd;
	vbp__reader_init(&rd, io->cmd_fd);
	char line[VBP_LINE_MAX];
	for (;;) {
		int n = vbp__reader_line(&rd, line, sizeof(line), -1);
		if (n == VBP_EOF)
			return 0;
		if (n < 0) {
			if (errno == EMSGSIZE) {
				send_error(io->out_fd, "command line too long");
				continue;
			}
			return 1;
		}
		if (n == 0)
			continue;
		struct vbp_msg m;
		const char *why = "";
		if (vbp__parse(line, &m, &why) < 0) {
			send_error(io->out_fd, why);
			continue;
		}
		switch (m.type) {
		case VBP_RUN:
			if (worker__run_job(io->out_fd, &m.job, m.hist) < 0)
				return 1;
			break;
		case VBP_EXIT: return 0;
		case VBP_FACTS:
			if (worker__write_facts(io->out_fd) < 0)
				return 1;
			break;
		default: send_error(io->out_fd, "unexpected record"); break;
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t t0 = clock__now_ns(); /* the ready point: before anything else */

	struct worker_io io = { .ready_fd = -1, .cmd_fd = 0, .out_fd = 1 };
	int once = 0, facts = 0, has_option = 0, i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int *fd = !strcmp(o, "--ready-fd") ? &io.ready_fd
			  : !strcmp(o, "--cmd-fd") ? &io.cmd_fd
			  : !strcmp(o, "--out-fd") ? &io.out_fd
						   : NULL;
		has_option = 1;
		if (fd) {
			if (!v || parse_fd(v, fd) < 0) {
				fprintf(stderr, "virtbench-worker: %s needs a descriptor number\n",
					o);
				return 2;
			}
			i++;
		} else if (!strcmp(o, "--marker")) {
			if (!v || strlen(v) >= sizeof(io.marker)) {
				fprintf(stderr,
					"virtbench-worker: --marker needs a token of at most %d characters\n",
					VBP_TOKEN_MAX - 1);
				return 2;
			}
			strcpy(io.marker, v);
			i++;
		} else if (!strcmp(o, "--once")) {
			once = 1;
		} else if (!strcmp(o, "--facts")) {
			facts = 1;
		} else if (!strcmp(o, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else {
			fprintf(stderr, "virtbench-worker: unknown option %s\n%s", o, usage);
			return 2;
		}
	}

	if (getpid() == 1 && !has_option && worker__pid1_setup(&io) < 0)
		return finish(&io, 1);
	if (io.ready_fd < 0)
		io.ready_fd = io.out_fd;

	/* A container's PID 1 gets no default signal actions: ignore SIGPIPE
	 * (a vanished host shows as a write error instead). */
	signal(SIGPIPE, SIG_IGN);

	char line[VBP_LINE_MAX];
	struct vbp_ready r = { .ts_ns = t0, .pid = getpid() };
	memcpy(r.marker, io.marker, sizeof(r.marker));
	int n = vbp__format_ready(line, sizeof(line), &r);
	if (n < 0 || vbp__write_all(io.ready_fd, line, (size_t)n) < 0)
		return finish(&io, 1);
	if (io.ready_fd != io.out_fd && io.ready_fd > 2)
		close(io.ready_fd); /* EOF tells the host nothing more comes there */

	if (facts)
		return finish(&io, worker__write_facts(io.out_fd) < 0 ? 1 : 0);
	if (once) {
		struct wl_job job;
		uint64_t hist = 0;
		const char *why = "";
		if (vbp__parse_job_args(argc - i, argv + i, &job, &hist, &why) < 0) {
			send_error(io.out_fd, why);
			return finish(&io, 2);
		}
		if (job.kind == WL_NOOP)
			return finish(&io, 0);
		return finish(&io, worker__run_job(io.out_fd, &job, hist) < 0 ? 1 : 0);
	}
	return finish(&io, serve(&io));
}
