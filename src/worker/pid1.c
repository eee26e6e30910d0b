/* The worker as PID 1 of a QEMU guest: the kernel starts /init from the
 * initramfs virtbench wrote, with nothing mounted and no other process. This
 * file makes the minimum of a system for the protocol to run: /proc (to read
 * the kernel command line), /sys, /dev (devtmpfs, for the serial ports), the
 * serial line named by vb.console= in raw mode, and a power-off instead of an
 * exit, since PID 1 exiting panics the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "worker/worker.h"

/* Tried in order when the command line names no console: the second 8250
 * port (x86: ttyS0 carries the kernel's own console) and the PL011 (arm64
 * virt has one UART, shared with the kernel console). */
static const char *const default_consoles[] = { "/dev/ttyS1", "/dev/ttyS0", "/dev/ttyAMA0" };

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	/* EBUSY: already mounted (a kernel with DEVTMPFS_MOUNT); nothing to do. */
	mount(src, dir, type, MS_NOSUID | MS_NOEXEC, NULL);
}

/* Copies the value of the last `key` (e.g. "vb.marker=") on the command
 * line: the last one wins, so arguments appended by the user override. */
static int cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	int found = -1;
	for (const char *p = cmdline; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		const char *end = p;
		while (*end && *end != ' ' && *end != '\n')
			end++;
		if ((size_t)(end - p) > klen && !strncmp(p, key, klen)) {
			size_t n = (size_t)(end - p) - klen;
			if (n < size) {
				memcpy(out, p + klen, n);
				out[n] = '\0';
				found = 0;
			}
		}
		p = end;
	}
	return found;
}

/* Raw mode: no echo of the host's commands back to it, no CR/LF rewriting,
 * no line editing; the protocol reader does its own line splitting. */
static int open_console(const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void power_off(int status)
{
	(void)status;
	sync();
	reboot(RB_POWER_OFF);
	/* Only reached when power-off failed: exiting would panic the kernel,
	 * which (panic=-1 with -no-reboot) also ends QEMU, so that is the
	 * fallback. */
	_exit(status);
}

int worker__pid1_setup(struct worker_io *io)
{
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	io->finish = power_off;
	/* Failures show on the console; the job that needs the device says
	 * what is missing. */
	worker__load_modules("/mod");
	worker__net_up();

	char cmdline[4096] = "";
	int cfd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (cfd >= 0) {
		ssize_t n = read(cfd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = '\0';
		close(cfd);
	}
	if (cmdline_value(cmdline, "vb.marker=", io->marker, sizeof(io->marker)) < 0)
		io->marker[0] = '\0';

	char console[128];
	int fd = -1;
	if (cmdline_value(cmdline, "vb.console=", console, sizeof(console)) == 0) {
		fd = open_console(console);
	} else {
		for (size_t i = 0;
		     fd < 0 && i < sizeof(default_consoles) / sizeof(*default_consoles); i++)
			fd = open_console(default_consoles[i]);
	}
	if (fd < 0) {
		/* stderr is /dev/console when the initramfs has the node: the
		 * host sees this in the kernel console log. */
		fprintf(stderr, "virtbench-worker: cannot open the protocol console: %s\n",
			strerror(errno));
		return -1;
	}
	io->ready_fd = fd;
	io->cmd_fd = fd;
	io->out_fd = fd;
	return 0;
}
