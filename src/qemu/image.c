#include "qemu/image.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "core/proc.h"
#include "qemu/qemu_env.h"

/* The last non-empty line of a tool's output, for a one-line error. */
static const char *last_line(char *s)
{
	if (!s)
		return "";
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	char *nl = strrchr(s, '\n');
	return nl ? nl + 1 : s;
}

static int run_tool(char *const *argv, int timeout_ms, struct vb_proc_result *r, struct vb_err *err)
{
	struct vb_proc_opts o = { .argv = argv,
				  .timeout_ms = timeout_ms,
				  .stderr_to_stdout = true };
	memset(r, 0, sizeof(*r));
	if (proc__run(&o, r, err) < 0)
		return err__wrap(err, "running %s", argv[0]);
	return 0;
}

/* A raw disk QEMU's firmware can boot has an MBR signature or a GPT header. */
static int raw_has_partition_table(const char *path, struct vb_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(err, errno, "image %s", path);
	unsigned char b[1024];
	ssize_t n = pread(fd, b, sizeof(b), 0);
	if (n < 0)
		return err__set(err, errno, "image %s", path);
	if (n >= 512 && b[510] == 0x55 && b[511] == 0xaa)
		return 0;
	if (n >= 520 && !memcmp(b + 512, "EFI PART", 8))
		return 0;
	return err__set(err, 0,
			"image %s: not a disk image (a raw file without a partition table; "
			"pass a qcow2 or raw cloud image)",
			path);
}

int image__inspect(const char *qemu_img, const char *path, char **format, char **abs,
		   struct vb_err *err)
{
	*format = *abs = NULL;
	cleanup_free char *real = realpath(path, NULL);
	if (!real)
		return err__set(err, errno, "image %s", path);
	if (access(real, R_OK) < 0)
		return err__set(err, errno, "image %s", path);
	char *argv[] = { (char *)qemu_img, "info", "--output=json", real, NULL };
	struct vb_proc_result r;
	if (run_tool(argv, 30000, &r, err) < 0)
		return -1;
	if (r.exit_code != 0) {
		err__set(err, 0, "image %s: not a disk image qemu-img can read: %s", path,
			 last_line(r.out));
		proc__result_free(&r);
		return -1;
	}
	json_t *j = json_loads(r.out ? r.out : "", 0, NULL);
	proc__result_free(&r);
	const char *fmt = j ? json_string_value(json_object_get(j, "format")) : NULL;
	json_int_t vsize = j ? json_integer_value(json_object_get(j, "virtual-size")) : 0;
	if (!fmt || vsize <= 0) {
		json_decref(j);
		return err__set(err, 0, "image %s: qemu-img info gave no format and size", path);
	}
	*format = strdup(fmt);
	json_decref(j);
	if (!*format)
		return err__set(err, ENOMEM, "image format");
	if (!strcmp(*format, "raw") && raw_has_partition_table(real, err) < 0) {
		free(*format);
		*format = NULL;
		return -1;
	}
	*abs = steal_ptr(real);
	return 0;
}

int image__overlay(const char *qemu_img, const char *abs, const char *format, const char *overlay,
		   struct vb_err *err)
{
	char *argv[] = {
		(char *)qemu_img, "create",	   "-q", "-f", "qcow2", "-b", (char *)abs, "-F",
		(char *)format,	  (char *)overlay, NULL
	};
	struct vb_proc_result r;
	if (run_tool(argv, 30000, &r, err) < 0)
		return -1;
	int rc = 0;
	if (r.exit_code != 0)
		rc = err__set(err, 0, "creating the overlay %s: %s", overlay, last_line(r.out));
	proc__result_free(&r);
	return rc;
}

/* The script the seed installs. It opens the protocol port once and keeps
 * it open on fd 3 until power-off: a port closed after the ready record and
 * opened again to read drops what arrives in between (VBEXIT). It waits for
 * cloud-init to finish (boot-finished, which starts with the uptime, is
 * written at the very end of its final stage, and a fresh overlay has
 * none), then reports the boot on the guest kernel's clock (qemu/bootlog.h):
 * the kernel log's stamp of the hand-over to init (also when the console is
 * quiet), cloud-init's end, and the uptime in the ready record. Shell
 * built-ins read them, so the script adds little to the boot it times. */
static const char ready_script[] =
	"      exec 3<>%1$s\n"
	"      stty raw -echo 115200 <&3 || true\n"
	"      init=$(dmesg | sed -n 's/^\\[ *\\([0-9]*\\.[0-9]*\\)\\] Run .* as init process.*/\\1/p')\n"
	"      f=/var/lib/cloud/instance/boot-finished\n"
	"      while [ ! -s $f ]; do sleep 0.05; done\n"
	"      read ci rest < $f\n"
	"      echo \"VBBOOT init_up=${init:--} cloud_init_up=$ci\" >&3\n"
	"      read up rest < /proc/uptime\n"
	"      echo \"VBREADY ts_ns=${up%%.*}${up#*.}0000000 pid=$$ marker=%2$s\" >&3\n"
	"      while read -r line <&3; do\n"
	"        case $line in VBEXIT*) exec poweroff ;; esac\n"
	"      done\n";

char *image__user_data(const char *marker, const char *channel_dev)
{
	/* runcmd runs inside cloud-init's final stage, which cannot finish
	 * while it runs: it starts the script in a session of its own and
	 * returns (cloud-final.service leaves such a process running). */
	static const char head[] = "#cloud-config\n"
				   "write_files:\n"
				   "  - path: " IMAGE_READY_SCRIPT "\n"
				   "    permissions: '0755'\n"
				   "    content: |\n";
	static const char tail[] = "runcmd:\n"
				   "  - [ setsid, -f, sh, " IMAGE_READY_SCRIPT " ]\n";
	char *body = NULL, *s = NULL;
	if (asprintf(&body, ready_script, channel_dev, marker) < 0)
		return NULL;
	if (asprintf(&s, "%s%s%s", head, body, tail) < 0)
		s = NULL;
	free(body);
	return s;
}

int image__seed(const char *dir, const char *marker, const char *channel_dev, const char *iso_path,
		struct vb_err *err)
{
	char ud_path[PATH_MAX], md_path[PATH_MAX];
	snprintf(ud_path, sizeof(ud_path), "%s/user-data", dir);
	snprintf(md_path, sizeof(md_path), "%s/meta-data", dir);
	cleanup_free char *ud = image__user_data(marker, channel_dev);
	cleanup_free char *md = NULL;
	if (!ud ||
	    asprintf(&md, "instance-id: virtbench-%s\nlocal-hostname: virtbench\n", marker) < 0)
		return err__set(err, ENOMEM, "cloud-init seed");
	if (file__write_atomic(ud_path, ud, strlen(ud), err) < 0 ||
	    file__write_atomic(md_path, md, strlen(md), err) < 0)
		return err__wrap(err, "cloud-init seed");

	enum qemu_iso_tool tool;
	cleanup_free char *tool_path = NULL;
	if (qemu_env__iso_tool(&tool, &tool_path, err) < 0)
		return -1;
	char *argv[16];
	int n = 0;
	argv[n++] = tool_path;
	if (tool == ISO_CLOUD_LOCALDS) {
		argv[n++] = (char *)iso_path;
		argv[n++] = ud_path;
		argv[n++] = md_path;
	} else {
		if (tool == ISO_XORRISO) {
			argv[n++] = "-as";
			argv[n++] = "mkisofs";
		}
		argv[n++] = "-quiet";
		argv[n++] = "-output";
		argv[n++] = (char *)iso_path;
		argv[n++] = "-volid";
		argv[n++] = "cidata";
		argv[n++] = "-joliet";
		argv[n++] = "-rock";
		argv[n++] = ud_path;
		argv[n++] = md_path;
	}
	argv[n] = NULL;
	struct vb_proc_result r;
	if (run_tool(argv, 30000, &r, err) < 0)
		return -1;
	int rc = 0;
	if (r.exit_code != 0)
		rc = err__set(err, 0, "writing the cloud-init seed with %s: %s", tool_path,
			      last_line(r.out));
	proc__result_free(&r);
	return rc;
}
