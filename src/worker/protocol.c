/* The worker line protocol: formatting, parsing and a line reader. Kept to
 * plain libc so the static worker and the host build the same file. */
#include "worker/protocol.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"

static const char *const kind_names[] = {
	[WL_NOOP] = "noop",	[WL_CPU] = "cpu",     [WL_MEMORY] = "memory",
	[WL_MEMLAT] = "memlat", [WL_FAULT] = "fault", [WL_STREAM] = "stream",
	[WL_CLOCK] = "clock",	[WL_DISK] = "disk",   [WL_NET] = "net",
};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *vbp__kind_name(uint32_t kind)
{
	return kind < NKINDS && kind_names[kind] ? kind_names[kind] : "unknown";
}

int vbp__kind_from_name(const char *name)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kind_names[i] && !strcmp(kind_names[i], name))
			return (int)i;
	return -1;
}

/* snprintf that reports truncation as failure. */
static int fmt_line(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fmt_line(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size || n >= VBP_LINE_MAX)
		return -1;
	return n;
}

/* A token goes on the wire only if it has no separator or control byte. */
static int token_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= VBP_TOKEN_MAX * 2)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || *s == '=')
			return 0;
	return 1;
}

int vbp__format_ready(char *out, size_t size, const struct vbp_ready *r)
{
	const char *marker = r->marker[0] ? r->marker : "-";
	if (!token_ok(marker))
		return -1;
	return fmt_line(out, size, "VBREADY ts_ns=%" PRIu64 " pid=%" PRId64 " marker=%s\n",
			r->ts_ns, r->pid, marker);
}

int vbp__format_run(char *out, size_t size, const struct wl_job *j, uint64_t hist)
{
	/* The I/O fields only for the I/O kinds: older workers never see them. */
	char io[VBP_LINE_MAX / 2] = "";
	if (j->kind == WL_DISK || j->kind == WL_NET) {
		const char *dir = j->io_dir && j->io_dir[0] ? j->io_dir : "-";
		if (!token_ok(dir) || strlen(dir) >= VBP_IO_DIR_MAX)
			return -1;
		int n = snprintf(io, sizeof(io),
				 " io_test=%" PRIu32 " io_depth=%" PRIu32 " io_direct=%" PRIu32
				 " io_port=%" PRIu32 " io_block=%" PRIu64 " io_file_size=%" PRIu64
				 " io_max_bytes=%" PRIu64 " io_peer=%" PRIu32 " io_dev=%" PRIu32
				 " io_dir=%s",
				 j->io_test, j->io_depth, j->io_direct, j->io_port, j->io_block,
				 j->io_file_size, j->io_max_bytes, j->io_peer, j->io_dev, dir);
		if (n < 0 || (size_t)n >= sizeof(io))
			return -1;
	}
	return fmt_line(out, size,
			"VBRUN kind=%s threads=%" PRIu32 " flags=%" PRIu32 " max_events=%" PRIu64
			" time_ns=%" PRIu64 " cpu_max_prime=%" PRIu32 " mem_oper=%" PRIu32
			" mem_access_rnd=%" PRIu32 " mem_sysbench=%" PRIu32
			" mem_block_size=%" PRIu64 " mem_total_size=%" PRIu64 " buf_size=%" PRIu64
			" page_size=%" PRIu64 " stream_kernel=%" PRIu32 " mem_scope_local=%" PRIu32
			" memlat_loads=%" PRIu64 " seed=%" PRIu64 " hist=%" PRIu64 "%s\n",
			vbp__kind_name(j->kind), j->threads, j->flags, j->max_events, j->time_ns,
			j->cpu_max_prime, j->mem_oper, j->mem_access_rnd, j->mem_sysbench,
			j->mem_block_size, j->mem_total_size, j->buf_size, j->page_size,
			j->stream_kernel, j->mem_scope_local, j->memlat_loads, j->seed, hist, io);
}

int vbp__format_result(char *out, size_t size, uint32_t thread, const struct wl_report *rep)
{
	return fmt_line(out, size,
			"VBRESULT thread=%" PRIu32 " events=%" PRIu64 " bytes=%" PRIu64
			" elapsed_ns=%" PRIu64 " checksum=%" PRIu64 " loads=%" PRIu64
			" lat_sum_ns=%" PRIu64 " lat_min_ns=%" PRIu64 " lat_max_ns=%" PRIu64
			" clock_reads=%" PRIu64 " error=%" PRIu32 " lat_p50_ns=%" PRIu64
			" lat_p90_ns=%" PRIu64 " lat_p99_ns=%" PRIu64 " lat_p999_ns=%" PRIu64
			" io_bad_blocks=%" PRIu64 " io_direct=%" PRIu32 " io_engine=%" PRIu32 "\n",
			thread, rep->events, rep->bytes, rep->elapsed_ns, rep->checksum, rep->loads,
			rep->lat_sum_ns, rep->lat_min_ns, rep->lat_max_ns, rep->clock_reads,
			rep->error, rep->lat_p50_ns, rep->lat_p90_ns, rep->lat_p99_ns,
			rep->lat_p999_ns, rep->io_bad_blocks, rep->io_direct, rep->io_engine);
}

int vbp__format_done(char *out, size_t size, int status)
{
	return fmt_line(out, size, "VBDONE status=%d\n", status);
}

int vbp__format_error(char *out, size_t size, const char *msg)
{
	/* The message runs to the end of the line: flatten newlines so one
	 * record stays one line, and cut it to fit. */
	char flat[VBP_LINE_MAX - 32];
	size_t i = 0;
	for (; msg && msg[i] && i < sizeof(flat) - 1; i++)
		flat[i] = (msg[i] == '\n' || msg[i] == '\r') ? ' ' : msg[i];
	flat[i] = '\0';
	return fmt_line(out, size, "VBERROR msg=%s\n", flat);
}

int vbp__format_exit(char *out, size_t size)
{
	return fmt_line(out, size, "VBEXIT\n");
}

int vbp__format_facts(char *out, size_t size, const struct vbp_facts *f)
{
	const char *host = f->hostname[0] ? f->hostname : "-";
	const char *ifs = f->netifs[0] ? f->netifs : "-";
	if (!token_ok(host) || !token_ok(ifs))
		return -1;
	return fmt_line(out, size,
			"VBFACTS pid=%" PRId64 " ppid=%" PRId64 " hostname=%s mounts=%" PRIu64
			" netifs_n=%" PRIu64 " netifs=%s\n",
			f->pid, f->ppid, host, f->mounts, f->netifs_n, ifs);
}

static int parse_u64(const char *s, uint64_t *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_i64(const char *s, int64_t *out)
{
	if ((*s < '0' || *s > '9') && (*s != '-' || s[1] < '0' || s[1] > '9'))
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return -1;
	*out = v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	if (parse_u64(s, &v) || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int copy_token(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n == 0 || n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* One `key=value` field of a job, shared by VBRUN and the command line.
 * Returns 0 when stored or ignored, -1 when the value is malformed. */
static int job_field(struct wl_job *j, uint64_t *hist, char *io_dir, const char *k, const char *v)
{
	if (!strncmp(k, "io_", 3)) {
		if (!strcmp(k, "io_test"))
			return parse_u32(v, &j->io_test);
		if (!strcmp(k, "io_depth"))
			return parse_u32(v, &j->io_depth);
		if (!strcmp(k, "io_direct"))
			return parse_u32(v, &j->io_direct);
		if (!strcmp(k, "io_port"))
			return parse_u32(v, &j->io_port);
		if (!strcmp(k, "io_block"))
			return parse_u64(v, &j->io_block);
		if (!strcmp(k, "io_file_size"))
			return parse_u64(v, &j->io_file_size);
		if (!strcmp(k, "io_max_bytes"))
			return parse_u64(v, &j->io_max_bytes);
		if (!strcmp(k, "io_peer"))
			return parse_u32(v, &j->io_peer);
		if (!strcmp(k, "io_dev"))
			return parse_u32(v, &j->io_dev);
		if (!strcmp(k, "io_dir")) {
			if (!io_dir)
				return 0;
			if (copy_token(io_dir, VBP_IO_DIR_MAX, v) < 0)
				return -1;
			j->io_dir = strcmp(io_dir, "-") ? io_dir : NULL;
			return 0;
		}
		return 0;
	}
	if (!strcmp(k, "kind")) {
		int kind = vbp__kind_from_name(v);
		if (kind < 0)
			return parse_u32(v, &j->kind);
		j->kind = (uint32_t)kind;
		return 0;
	}
	if (!strcmp(k, "threads"))
		return parse_u32(v, &j->threads);
	if (!strcmp(k, "thread"))
		return parse_u32(v, &j->thread);
	if (!strcmp(k, "flags"))
		return parse_u32(v, &j->flags);
	if (!strcmp(k, "max_events"))
		return parse_u64(v, &j->max_events);
	if (!strcmp(k, "time_ns"))
		return parse_u64(v, &j->time_ns);
	if (!strcmp(k, "cpu_max_prime"))
		return parse_u32(v, &j->cpu_max_prime);
	if (!strcmp(k, "mem_oper"))
		return parse_u32(v, &j->mem_oper);
	if (!strcmp(k, "mem_access_rnd"))
		return parse_u32(v, &j->mem_access_rnd);
	if (!strcmp(k, "mem_sysbench"))
		return parse_u32(v, &j->mem_sysbench);
	if (!strcmp(k, "mem_block_size"))
		return parse_u64(v, &j->mem_block_size);
	if (!strcmp(k, "mem_total_size"))
		return parse_u64(v, &j->mem_total_size);
	if (!strcmp(k, "buf_size"))
		return parse_u64(v, &j->buf_size);
	if (!strcmp(k, "page_size"))
		return parse_u64(v, &j->page_size);
	if (!strcmp(k, "stream_kernel"))
		return parse_u32(v, &j->stream_kernel);
	if (!strcmp(k, "mem_scope_local"))
		return parse_u32(v, &j->mem_scope_local);
	if (!strcmp(k, "memlat_loads"))
		return parse_u64(v, &j->memlat_loads);
	if (!strcmp(k, "seed"))
		return parse_u64(v, &j->seed);
	if (!strcmp(k, "hist"))
		return parse_u64(v, hist);
	return 0; /* unknown: a newer peer's field */
}

static void job_defaults(struct wl_job *j)
{
	memset(j, 0, sizeof(*j));
	j->threads = 1;
}

static int record_field(struct vbp_msg *m, const char *k, const char *v)
{
	switch (m->type) {
	case VBP_READY:
		if (!strcmp(k, "ts_ns"))
			return parse_u64(v, &m->ready.ts_ns);
		if (!strcmp(k, "pid"))
			return parse_i64(v, &m->ready.pid);
		if (!strcmp(k, "marker"))
			return copy_token(m->ready.marker, sizeof(m->ready.marker), v);
		return 0;
	case VBP_RUN: return job_field(&m->job, &m->hist, m->io_dir, k, v);
	case VBP_RESULT:
		if (!strcmp(k, "thread"))
			return parse_u32(v, &m->result.thread);
		if (!strcmp(k, "events"))
			return parse_u64(v, &m->result.rep.events);
		if (!strcmp(k, "bytes"))
			return parse_u64(v, &m->result.rep.bytes);
		if (!strcmp(k, "elapsed_ns"))
			return parse_u64(v, &m->result.rep.elapsed_ns);
		if (!strcmp(k, "checksum"))
			return parse_u64(v, &m->result.rep.checksum);
		if (!strcmp(k, "loads"))
			return parse_u64(v, &m->result.rep.loads);
		if (!strcmp(k, "lat_sum_ns"))
			return parse_u64(v, &m->result.rep.lat_sum_ns);
		if (!strcmp(k, "lat_min_ns"))
			return parse_u64(v, &m->result.rep.lat_min_ns);
		if (!strcmp(k, "lat_max_ns"))
			return parse_u64(v, &m->result.rep.lat_max_ns);
		if (!strcmp(k, "clock_reads"))
			return parse_u64(v, &m->result.rep.clock_reads);
		if (!strcmp(k, "error"))
			return parse_u32(v, &m->result.rep.error);
		if (!strcmp(k, "lat_p50_ns"))
			return parse_u64(v, &m->result.rep.lat_p50_ns);
		if (!strcmp(k, "lat_p90_ns"))
			return parse_u64(v, &m->result.rep.lat_p90_ns);
		if (!strcmp(k, "lat_p99_ns"))
			return parse_u64(v, &m->result.rep.lat_p99_ns);
		if (!strcmp(k, "lat_p999_ns"))
			return parse_u64(v, &m->result.rep.lat_p999_ns);
		if (!strcmp(k, "io_bad_blocks"))
			return parse_u64(v, &m->result.rep.io_bad_blocks);
		if (!strcmp(k, "io_direct"))
			return parse_u32(v, &m->result.rep.io_direct);
		if (!strcmp(k, "io_engine"))
			return parse_u32(v, &m->result.rep.io_engine);
		return 0;
	case VBP_DONE:
		if (!strcmp(k, "status")) {
			int64_t s;
			if (parse_i64(v, &s) || s < -255 || s > 255)
				return -1;
			m->status = (int)s;
		}
		return 0;
	case VBP_FACTS:
		if (!strcmp(k, "pid"))
			return parse_i64(v, &m->facts.pid);
		if (!strcmp(k, "ppid"))
			return parse_i64(v, &m->facts.ppid);
		if (!strcmp(k, "mounts"))
			return parse_u64(v, &m->facts.mounts);
		if (!strcmp(k, "netifs_n"))
			return parse_u64(v, &m->facts.netifs_n);
		if (!strcmp(k, "hostname"))
			return copy_token(m->facts.hostname, sizeof(m->facts.hostname), v);
		if (!strcmp(k, "netifs"))
			return copy_token(m->facts.netifs, sizeof(m->facts.netifs), v);
		return 0;
	default: return 0;
	}
}

static const struct {
	const char *name;
	enum vbp_type type;
} records[] = {
	{ "VBREADY", VBP_READY }, { "VBRUN", VBP_RUN },	    { "VBRESULT", VBP_RESULT },
	{ "VBDONE", VBP_DONE },	  { "VBERROR", VBP_ERROR }, { "VBEXIT", VBP_EXIT },
	{ "VBFACTS", VBP_FACTS },
};

/* Each key at most once: a second value would silently win. */
static int seen_before(char *const *keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

/* The fields after the record name, in place. */
static int parse_fields(char *p, struct vbp_msg *m, const char **why)
{
	char *keys[VBP_LINE_MAX / 2];
	size_t nkeys = 0;
	int has_thread = 0;
	while (p && *p) {
		char *next = strchr(p, ' ');
		if (next)
			*next++ = '\0';
		if (*p) {
			char *eq = strchr(p, '=');
			if (!eq) {
				*why = "field without '='";
				return -1;
			}
			*eq = '\0';
			if (seen_before(keys, nkeys, p)) {
				*why = "field given twice";
				return -1;
			}
			keys[nkeys++] = p;
			has_thread |= !strcmp(p, "thread");
			if (record_field(m, p, eq + 1) < 0) {
				*why = "malformed field value";
				return -1;
			}
		}
		p = next;
	}
	/* A result without its thread cannot be placed; thread 0 is a guess. */
	if (m->type == VBP_RESULT && !has_thread) {
		*why = "VBRESULT without thread";
		return -1;
	}
	return 0;
}

int vbp__parse(const char *line, struct vbp_msg *m, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	memset(m, 0, sizeof(*m));
	job_defaults(&m->job);
	m->ready.pid = -1;

	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len >= VBP_LINE_MAX) {
		*why = "line too long";
		return -1;
	}
	char buf[VBP_LINE_MAX];
	memcpy(buf, line, len);
	buf[len] = '\0';
	/* Records are printable ASCII: anything else is not ours, and would
	 * reach a terminal through an error message (VBERROR). */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < ' ' || (unsigned char)buf[i] >= 0x7f) {
			*why = "control or non-ASCII byte";
			return -1;
		}

	char *p = buf;
	char *name = p;
	p = strchr(p, ' ');
	if (p)
		*p++ = '\0';
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (!strcmp(records[i].name, name))
			m->type = records[i].type;
	if (m->type == VBP_UNKNOWN) {
		*why = "unknown record";
		return -1;
	}
	if (m->type == VBP_ERROR) {
		const char *msg = p && !strncmp(p, "msg=", 4) ? p + 4 : (p ? p : "");
		snprintf(m->text, sizeof(m->text), "%s", msg);
		return 0;
	}
	return parse_fields(p, m, why);
}

int vbp__parse_job_args(int argc, char *const *argv, struct wl_job *job, uint64_t *hist,
			const char **why)
{
	job_defaults(job);
	*hist = 0;
	for (int i = 0; i < argc; i++) {
		char tok[VBP_LINE_MAX];
		if (copy_token(tok, sizeof(tok), argv[i])) {
			*why = "argument too long";
			return -1;
		}
		char *eq = strchr(tok, '=');
		if (!eq) {
			*why = "job argument without '='";
			return -1;
		}
		*eq = '\0';
		if (job_field(job, hist, NULL, tok, eq + 1) < 0) {
			*why = "malformed job field value";
			return -1;
		}
	}
	return 0;
}

void vbp__reader_init(struct vbp_reader *r, int fd)
{
	r->fd = fd;
	r->len = 0;
}

/* Moves the first line (n bytes plus its newline) out of the buffer. */
static int take_line(struct vbp_reader *r, size_t n, size_t consumed, char *line, size_t size)
{
	size_t copy = n;
	while (copy && r->buf[copy - 1] == '\r')
		copy--;
	if (copy >= size || copy >= VBP_LINE_MAX) {
		memmove(r->buf, r->buf + consumed, r->len - consumed);
		r->len -= consumed;
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(line, r->buf, copy);
	line[copy] = '\0';
	memmove(r->buf, r->buf + consumed, r->len - consumed);
	r->len -= consumed;
	return (int)copy;
}

int vbp__reader_line(struct vbp_reader *r, char *line, size_t size, int timeout_ms)
{
	int64_t deadline = timeout_ms >= 0 ? (int64_t)clock__now_ms() + timeout_ms : -1;
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		if (nl) {
			size_t n = (size_t)(nl - r->buf);
			return take_line(r, n, n + 1, line, size);
		}
		if (r->len >= sizeof(r->buf)) {
			r->len = 0; /* drop the overlong line */
			errno = EMSGSIZE;
			return -1;
		}
		if (deadline >= 0) {
			int64_t left = deadline - (int64_t)clock__now_ms();
			if (left < 0)
				left = 0;
			struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
			int pr = poll(&pfd, 1, (int)left);
			if (pr < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			if (pr == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
		}
		ssize_t got = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0) {
			if (r->len) /* a last line without its newline */
				return take_line(r, r->len, r->len, line, size);
			return VBP_EOF;
		}
		r->len += (size_t)got;
	}
}

int vbp__write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}
