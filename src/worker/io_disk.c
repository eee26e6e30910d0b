/* The disk tests: sequential 1 MiB reads and writes, random 4 KiB reads
 * and writes at a queue depth, and fsync latency, on the file that
 * io_disk__prepare made. O_DIRECT where the file system takes it, so the
 * page cache is out of the measurement as it is in fio's direct=1 jobs.
 *
 * Depth 1 is a pread/pwrite loop (fio's psync); a deeper queue goes through
 * io_uring (liburing), as fio's io_uring engine; where io_uring is refused
 * (an old kernel, a seccomp profile, kernel.io_uring_disabled) `depth`
 * threads each run the depth-1 loop, and the result says which engine ran. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "worker/io.h"

#define PAGE	  4096u
#define SEQ_BLK	  (1u << 20)
#define MAX_DEPTH 256u

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t io_disk__block_word(uint64_t index)
{
	return mix(index ^ 0x7669727462656e63ull); /* "virtbenc" */
}

uint64_t io_disk__seq_checksum(uint64_t file_size, uint64_t bytes)
{
	uint64_t blocks = file_size / PAGE, sum = 0;
	for (uint64_t i = 0; i < bytes / PAGE; i++)
		sum += io_disk__block_word(i % blocks);
	return sum;
}

/* Fills len bytes (a multiple of PAGE) that start at file offset off. */
static void fill(void *buf, uint64_t off, uint64_t len)
{
	for (uint64_t p = 0; p < len; p += PAGE) {
		uint64_t *w = (uint64_t *)((char *)buf + p);
		uint64_t first = io_disk__block_word((off + p) / PAGE);
		w[0] = first;
		for (unsigned i = 1; i < PAGE / 8; i++)
			w[i] = first + i;
	}
}

/* Checks what was read at off; adds the first words to the checksum. */
static void check(const void *buf, uint64_t off, uint64_t len, struct io_result *r)
{
	for (uint64_t p = 0; p < len; p += PAGE) {
		const uint64_t *w = (const uint64_t *)((const char *)buf + p);
		r->checksum += w[0];
		if (w[0] != io_disk__block_word((off + p) / PAGE) ||
		    w[PAGE / 8 - 1] != w[0] + PAGE / 8 - 1)
			r->bad_blocks++;
	}
}

static int set_why(char *why, size_t n, const char *what, int e)
{
	snprintf(why, n, "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

/* Opens the file for a test: with O_DIRECT when asked and taken. */
static int open_file(const char *path, int flags, int direct, uint32_t *used)
{
	int fd = -1;
	if (direct) {
		fd = open(path, flags | O_DIRECT | O_CLOEXEC);
		if (fd < 0 && errno != EINVAL)
			return -1;
	}
	*used = fd >= 0;
	if (fd < 0) {
		fd = open(path, flags | O_CLOEXEC);
		/* Buffered: start from a cold cache as a direct run would. */
		if (fd >= 0)
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	}
	return fd;
}

/* Writes the pattern over [0, size) of fd and syncs it; 0 or an errno. */
static int write_pattern(int fd, uint64_t size, uint32_t used)
{
	void *buf = NULL;
	int e = 0;
	if (posix_memalign(&buf, PAGE, SEQ_BLK))
		return ENOMEM;
	for (uint64_t off = 0; off < size; off += SEQ_BLK) {
		fill(buf, off, SEQ_BLK);
		ssize_t n = pwrite(fd, buf, SEQ_BLK, (off_t)off);
		if (n != (ssize_t)SEQ_BLK) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
	}
	if (!e && fsync(fd) < 0)
		e = errno;
	if (!e && !used)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	free(buf);
	return e;
}

int io_disk__prepare(const char *path, uint64_t size, int direct, char *why, size_t why_size)
{
	if (!size || size % SEQ_BLK)
		return set_why(why, why_size, "test file size: not a multiple of 1 MiB", EINVAL);
	int fd = -1;
	uint32_t used = 0;
	if (direct) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600);
		used = fd >= 0;
		if (fd < 0 && errno == EINVAL)
			unlink(path);
	}
	if (fd < 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return set_why(why, why_size, path, errno);
	int e = posix_fallocate(fd, 0, (off_t)size);
	if (e == 0 || e == EOPNOTSUPP || e == EINVAL)
		e = write_pattern(fd, size, used);
	close(fd);
	if (e) {
		unlink(path);
		return set_why(why, why_size, path, e);
	}
	return 0;
}

int io_disk__fill(const char *path, uint64_t size, int direct, char *why, size_t why_size)
{
	if (!size || size % SEQ_BLK)
		return set_why(why, why_size, "test size: not a multiple of 1 MiB", EINVAL);
	uint32_t used = 0;
	int fd = open_file(path, O_WRONLY, direct, &used);
	if (fd < 0)
		return set_why(why, why_size, path, errno);
	struct stat st;
	uint64_t have = 0;
	int e = fstat(fd, &st) < 0 ? errno : 0;
	if (!e && S_ISBLK(st.st_mode))
		e = ioctl(fd, BLKGETSIZE64, &have) < 0 ? errno : 0;
	else if (!e && S_ISREG(st.st_mode))
		have = (uint64_t)st.st_size;
	else if (!e)
		e = ENOTBLK;
	if (!e && have < size) {
		close(fd);
		snprintf(why, why_size, "%s: %llu MiB, smaller than the test size of %llu MiB",
			 path, (unsigned long long)(have >> 20), (unsigned long long)(size >> 20));
		errno = ENOSPC;
		return -1;
	}
	if (!e)
		e = write_pattern(fd, size, used);
	close(fd);
	return e ? set_why(why, why_size, path, e) : 0;
}

/* A small xorshift per thread for random offsets. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

struct loop {
	const struct io_params *p;
	int fd;
	uint64_t seed;
	uint64_t max_bytes; /* this loop's share; 0: no limit */
	uint64_t t_end;	    /* 0: no limit */
	struct io_result *r;
	int err;
};

static int stopped(const struct io_params *p)
{
	return p->stop && *p->stop;
}

/* One request after another: sequential, random, or write+fsync. */
static void *sync_loop(void *arg)
{
	struct loop *l = arg;
	const struct io_params *p = l->p;
	struct io_result *r = l->r;
	int seq = p->test == IO_SEQ_READ || p->test == IO_SEQ_WRITE;
	int reading = p->test == IO_SEQ_READ || p->test == IO_RAND_READ;
	uint64_t blk = seq ? SEQ_BLK : PAGE, blocks = p->file_size / blk, off = 0;
	void *buf = NULL;
	if (posix_memalign(&buf, PAGE, blk)) {
		l->err = ENOMEM;
		return NULL;
	}
	/* Checking what was read touches every page the device wrote to
	 * memory (cache misses: about a tenth of a 1 MiB read's time), work of
	 * ours that fio does not do: it is left out of the elapsed time. */
	uint64_t t0 = clock__now_ns(), now = t0, checking_ns = 0;
	/* One request at least: a thread that started late on a loaded host
	 * (the threads engine) would otherwise report nothing done. */
	while (!stopped(p) && (!l->max_bytes || r->bytes < l->max_bytes) &&
	       (!l->t_end || now < l->t_end || !r->ops)) {
		if (!seq)
			off = (next_rand(&l->seed) % blocks) * blk;
		if (!reading)
			fill(buf, off, blk);
		uint64_t t = clock__now_ns();
		ssize_t n = reading ? pread(l->fd, buf, blk, (off_t)off)
				    : pwrite(l->fd, buf, blk, (off_t)off);
		if (n == (ssize_t)blk && p->test == IO_FSYNC) {
			t = clock__now_ns(); /* the fsync alone */
			if (fsync(l->fd) < 0)
				n = -1;
		}
		now = clock__now_ns();
		if (n != (ssize_t)blk) {
			l->err = n < 0 ? errno : EIO;
			break;
		}
		io_hist__add(&r->hist, now - t);
		if (reading) {
			check(buf, off, blk, r);
			uint64_t checked = clock__now_ns();
			checking_ns += checked - now;
			now = checked;
		}
		r->ops++;
		r->bytes += blk;
		if (seq && (off += blk) >= blocks * blk)
			off = 0;
	}
	r->elapsed_ns = now - t0 - checking_ns;
	free(buf);
	return NULL;
}

/* Queue depth through `depth` threads, each its own depth-1 loop. */
static int threads_loop(const struct io_params *p, int fd, uint64_t t_end, struct io_result *r)
{
	unsigned n = p->depth;
	struct loop *l = calloc(n, sizeof(*l));
	struct io_result *rs = calloc(n, sizeof(*rs));
	pthread_t *tid = calloc(n, sizeof(*tid));
	int e = 0;
	unsigned started = 0;
	if (!l || !rs || !tid)
		e = ENOMEM;
	for (unsigned i = 0; i < n && !e; i++) {
		uint64_t share =
			p->max_bytes
				? (p->max_bytes / PAGE / n + (i < p->max_bytes / PAGE % n)) * PAGE
				: 0;
		l[i] = (struct loop){
			.p = p, .fd = fd, .seed = mix(i + 1) | 1, .t_end = t_end, .r = &rs[i]
		};
		if (p->max_bytes && !share)
			continue;
		l[i].max_bytes = share;
		if ((e = pthread_create(&tid[i], NULL, sync_loop, &l[i])) == 0)
			started = i + 1;
	}
	for (unsigned i = 0; i < started; i++) {
		if (p->max_bytes && !l[i].max_bytes)
			continue;
		pthread_join(tid[i], NULL);
		if (l[i].err && !e)
			e = l[i].err;
		r->ops += rs[i].ops;
		r->bytes += rs[i].bytes;
		r->checksum += rs[i].checksum;
		r->bad_blocks += rs[i].bad_blocks;
		if (rs[i].elapsed_ns > r->elapsed_ns)
			r->elapsed_ns = rs[i].elapsed_ns;
		io_hist__merge(&r->hist, &rs[i].hist);
	}
	free(l);
	free(rs);
	free(tid);
	return e;
}

struct ring_ctx {
	struct io_uring *ring;
	int fd, reading;
	char *bufs;
	uint64_t *offs, *start, blocks, *seed;
};

/* Queues slot s's next request (a random block), started at `now`. */
static void queue_one(struct ring_ctx *c, unsigned s, uint64_t now)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(c->ring);
	char *b = c->bufs + (size_t)s * PAGE;
	c->offs[s] = (next_rand(c->seed) % c->blocks) * PAGE;
	if (c->reading) {
		io_uring_prep_read(sqe, c->fd, b, PAGE, c->offs[s]);
	} else {
		fill(b, c->offs[s], PAGE);
		io_uring_prep_write(sqe, c->fd, b, PAGE, c->offs[s]);
	}
	io_uring_sqe_set_data64(sqe, s);
	c->start[s] = now;
}

/* Queue depth through io_uring: `depth` requests in flight, each slot
 * refilled as it completes. Returns 0, an errno of the run, or -ENOSYS
 * style (negative) when the ring could not be set up. */
static int uring_loop(const struct io_params *p, int fd, uint64_t t_end, struct io_result *r)
{
	unsigned depth = p->depth;
	struct io_uring ring;
	int rc = io_uring_queue_init(depth, &ring, 0);
	if (rc < 0)
		return rc; /* negative: fall back */
	int reading = p->test == IO_RAND_READ;
	uint64_t blocks = p->file_size / PAGE, seed = 0x2545f4914f6cdd1dull;
	char *bufs = NULL;
	uint64_t *start = calloc(depth, sizeof(*start)), *offs = calloc(depth, sizeof(*offs));
	int e = 0;
	if (!start || !offs || posix_memalign((void **)&bufs, PAGE, (size_t)depth * PAGE)) {
		e = ENOMEM;
		goto out;
	}
	uint64_t submitted = 0, inflight = 0, t0 = clock__now_ns(), now = t0;
	int more = 1;
	struct ring_ctx rc_ = { &ring, fd, reading, bufs, offs, start, blocks, &seed };
	for (unsigned s = 0; s < depth; s++) {
		if (p->max_bytes && submitted >= p->max_bytes)
			break;
		queue_one(&rc_, s, clock__now_ns());
		submitted += PAGE;
		inflight++;
	}
	io_uring_submit(&ring);
	while (inflight) {
		struct io_uring_cqe *cqe;
		int w = io_uring_wait_cqe(&ring, &cqe);
		if (w == -EINTR)
			continue;
		if (w < 0) {
			e = -w;
			break;
		}
		unsigned head, seen = 0, refill = 0;
		now = clock__now_ns();
		more = more && !stopped(p) && (!t_end || now < t_end);
		io_uring_for_each_cqe(&ring, head, cqe)
		{
			unsigned s = (unsigned)io_uring_cqe_get_data64(cqe);
			seen++;
			inflight--;
			if (cqe->res != (int)PAGE) {
				if (!e)
					e = cqe->res < 0 ? -cqe->res : EIO;
				continue;
			}
			io_hist__add(&r->hist, now - start[s]);
			if (reading)
				check(bufs + (size_t)s * PAGE, offs[s], PAGE, r);
			r->ops++;
			r->bytes += PAGE;
			if (!more || e || (p->max_bytes && submitted >= p->max_bytes))
				continue;
			queue_one(&rc_, s, now);
			submitted += PAGE;
			inflight++;
			refill++;
		}
		io_uring_cq_advance(&ring, seen);
		if (refill)
			io_uring_submit(&ring);
	}
	r->elapsed_ns = now - t0;
out:
	free(bufs);
	free(start);
	free(offs);
	io_uring_queue_exit(&ring);
	return e;
}

int io_disk__run(const struct io_params *p, struct io_result *r, char *why, size_t why_size)
{
	if (!p->path || !p->file_size || p->file_size % SEQ_BLK)
		return set_why(why, why_size, "disk test: no test file", EINVAL);
	if (p->depth < 1 || p->depth > MAX_DEPTH)
		return set_why(why, why_size, "disk test: queue depth out of range", EINVAL);
	if (p->max_bytes % PAGE)
		return set_why(why, why_size, "disk test: byte limit not a multiple of 4 KiB",
			       EINVAL);
	int reading = p->test == IO_SEQ_READ || p->test == IO_RAND_READ;
	int fd = open_file(p->path, reading ? O_RDONLY : O_WRONLY, p->direct && p->test != IO_FSYNC,
			   &r->direct);
	if (fd < 0)
		return set_why(why, why_size, p->path, errno);
	uint64_t t_end = p->time_ns ? clock__now_ns() + p->time_ns : 0;
	int e = 0;
	int random = p->test == IO_RAND_READ || p->test == IO_RAND_WRITE;
	if (random && p->depth > 1) {
		r->engine = IO_ENGINE_URING;
		e = uring_loop(p, fd, t_end, r);
		if (e < 0) {
			r->engine = IO_ENGINE_THREADS;
			e = threads_loop(p, fd, t_end, r);
		}
	} else {
		struct loop l = { .p = p,
				  .fd = fd,
				  .seed = 0x2545f4914f6cdd1dull,
				  .max_bytes = p->max_bytes,
				  .t_end = t_end,
				  .r = r };
		r->engine = IO_ENGINE_SYNC;
		sync_loop(&l);
		e = l.err;
	}
	close(fd);
	if (e)
		return set_why(why, why_size, io__test_name(p->test), e);
	return 0;
}
