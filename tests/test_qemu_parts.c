/* The QEMU platform's parts that need no QEMU: the newc writer (read back
 * entry by entry), the printk-stamp parser behind the kernel phases, the
 * cloud-init user-data, the kernel and worker checks. */
#include "testutil.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/fileio.h"
#include "measure/wclient.h"
#include "qemu/bootlog.h"
#include "qemu/cpio.h"
#include "qemu/image.h"
#include "qemu/initramfs.h"
#include "qemu/klog.h"
#include "qemu/kmod.h"
#include "qemu/qemu_arch.h"
#include "qemu/qemu_env.h"
#include "worker/io.h"

static unsigned hex8(const char *p)
{
	char tmp[9];
	memcpy(tmp, p, 8);
	tmp[8] = '\0';
	return (unsigned)strtoul(tmp, NULL, 16);
}

struct entry {
	char name[64];
	unsigned mode, size, rmaj, rmin;
	const char *data;
};

/* A minimal newc reader: what the kernel's unpacker checks. */
static size_t read_newc(const char *buf, size_t len, struct entry *out, size_t cap)
{
	size_t off = 0, n = 0;
	while (off + 110 <= len && n < cap) {
		assert_memory_equal(buf + off, "070701", 6);
		const char *h = buf + off;
		struct entry *e = &out[n++];
		e->mode = hex8(h + 14);
		e->size = hex8(h + 54);
		e->rmaj = hex8(h + 78);
		e->rmin = hex8(h + 86);
		unsigned namesize = hex8(h + 94);
		assert_true(namesize < sizeof(e->name));
		memcpy(e->name, h + 110, namesize);
		assert_int_equal(e->name[namesize - 1], '\0');
		off = (off + 110 + namesize + 3) & ~(size_t)3;
		e->data = buf + off;
		off = (off + e->size + 3) & ~(size_t)3;
		assert_true(off <= len);
		if (!strcmp(e->name, "TRAILER!!!"))
			break;
	}
	return n;
}

static void test_initramfs_layout(void **state)
{
	(void)state;
	char dir[256], init[300], img[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest-cpio", dir, sizeof(dir), &err), 0);
	snprintf(init, sizeof(init), "%s/init", dir);
	snprintf(img, sizeof(img), "%s/initramfs.cpio", dir);
	static const char payload[] = "\x7f"
				      "ELF pretend program, 37 bytes long";
	assert_int_equal(file__write_atomic(init, payload, sizeof(payload) - 1, &err), 0);
	assert_int_equal(initramfs__write(img, init, &err), 0);

	cleanup_free char *buf = NULL;
	size_t len = 0;
	assert_int_equal(file__read_all(img, 1 << 20, &buf, &len, &err), 0);
	assert_int_equal(len % 512, 0);
	struct entry e[16];
	size_t n = read_newc(buf, len, e, 16);
	assert_int_equal(n, 6);
	assert_string_equal(e[0].name, "dev");
	assert_int_equal(e[0].mode, S_IFDIR | 0755);
	assert_string_equal(e[1].name, "dev/console");
	assert_int_equal(e[1].mode, S_IFCHR | 0600);
	assert_int_equal(e[1].rmaj, 5);
	assert_int_equal(e[1].rmin, 1);
	assert_string_equal(e[4].name, "init");
	assert_int_equal(e[4].mode, S_IFREG | 0755);
	assert_int_equal(e[4].size, sizeof(payload) - 1);
	assert_memory_equal(e[4].data, payload, sizeof(payload) - 1);
	assert_string_equal(e[5].name, "TRAILER!!!");
	assert_int_equal(file__remove_tree(dir), 0);
}

static void test_initramfs_missing_init(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	assert_int_equal(initramfs__write("/nonexistent-dir/x.cpio", "/nonexistent-worker", &err),
			 -1);
	assert_non_null(strstr(err.msg, "/nonexistent-worker"));
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(file__write_atomic(path, text, strlen(text), &err), 0);
}

/* The I/O guest's modules: each chain in modules.dep order, a module two
 * need only once, one built into the kernel left out, one the kernel does
 * not have an error that names it. */
static void test_kmod_add(void **state)
{
	(void)state;
	char dir[256], img[300];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest-kmod", dir, sizeof(dir), &err), 0);
	put(dir, "modules.dep",
	    "v/virtio.ko:\nv/ring.ko:\nv/pci.ko: v/virtio.ko v/ring.ko\n"
	    "b/virtio_blk.ko: v/virtio.ko v/ring.ko\n"
	    "n/virtio_net.ko: n/failover.ko v/virtio.ko v/ring.ko\nn/failover.ko:\n");
	put(dir, "modules.builtin", "n/virtio_net.ko\n");
	mkdir(strcat(strcpy(img, dir), "/v"), 0755);
	mkdir(strcat(strcpy(img, dir), "/b"), 0755);
	static const char *const names[] = { "v/virtio.ko", "v/ring.ko", "v/pci.ko",
					     "b/virtio_blk.ko" };
	for (int i = 0; i < 4; i++)
		put(dir, names[i], names[i]);
	snprintf(img, sizeof(img), "%s/x.cpio", dir);
	int fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	struct cpio_writer w;
	cpio__init(&w, fd);
	const char *mods[] = { "pci", "virtio-blk", "virtio_net" };
	assert_int_equal(kmod__add(&w, dir, mods, 3, &err), 0);
	assert_int_equal(cpio__finish(&w, &err), 0);
	close(fd);
	cleanup_free char *buf = NULL;
	size_t len = 0;
	assert_int_equal(file__read_all(img, 1 << 20, &buf, &len, &err), 0);
	struct entry e[16];
	size_t n = read_newc(buf, len, e, 16);
	/* mod, 4 modules, order, trailer */
	assert_int_equal(n, 7);
	static const char *const want[] = { "v/ring.ko", "v/virtio.ko", "v/pci.ko",
					    "b/virtio_blk.ko" };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(e[1 + i].size, strlen(want[i]));
		assert_memory_equal(e[1 + i].data, want[i], strlen(want[i]));
	}
	assert_string_equal(e[5].name, "mod/order");
	assert_memory_equal(e[5].data, "0.ko\n1.ko\n2.ko\n3.ko\n", e[5].size);
	fd = open(img, O_WRONLY | O_TRUNC);
	cpio__init(&w, fd);
	const char *missing[] = { "virtio_scsi" };
	assert_int_equal(kmod__add(&w, dir, missing, 1, &err), -1);
	assert_non_null(strstr(err.msg, "virtio_scsi"));
	close(fd);
	assert_int_equal(file__remove_tree(dir), 0);
}

/* A guest's disk is found by its serial, never by its name. */
static void test_find_serial(void **state)
{
	(void)state;
	char dir[256], sub[300], out[64], why[256];
	struct vb_err err = { 0 };
	assert_int_equal(file__mkdtemp("vbtest-sysblock", dir, sizeof(dir), &err), 0);
	snprintf(sub, sizeof(sub), "%s/vda", dir);
	mkdir(sub, 0755);
	put(sub, "serial", "other\n");
	snprintf(sub, sizeof(sub), "%s/vdb", dir);
	mkdir(sub, 0755);
	put(sub, "serial", "virtbench-io\n");
	snprintf(sub, sizeof(sub), "%s/loop0", dir);
	mkdir(sub, 0755);
	assert_int_equal(io__find_serial(dir, "virtbench-io", out, sizeof(out), why, sizeof(why)),
			 0);
	assert_string_equal(out, "/dev/vdb");
	assert_int_equal(file__remove_tree(dir), 0);
}

static void test_klog_stamp(void **state)
{
	(void)state;
	double ts = -1;
	const char *t = qemu_klog__stamp("[    1.754908] Run /init as init process", &ts);
	assert_non_null(t);
	assert_string_equal(t, "Run /init as init process");
	assert_true(ts > 1754.90 && ts < 1754.91);
	/* Firmware noise and escapes before the stamp. */
	t = qemu_klog__stamp("\x1b[2J\x1b[0m[  12.500000] x", &ts);
	assert_non_null(t);
	assert_true(ts > 12499.9 && ts < 12500.1);
	assert_null(qemu_klog__stamp("SeaBIOS (version 1.16.2)", &ts));
	assert_null(qemu_klog__stamp("[ abc] x", &ts));
	assert_null(qemu_klog__stamp("[    1] x", &ts));
	assert_null(qemu_klog__stamp("[    1.5 x", &ts));
}

static void test_klog_phases(void **state)
{
	(void)state;
	struct qemu_klog k;
	qemu_klog__init(&k);
	double ms;
	assert_false(qemu_klog__done_ms(&k, &ms));
	/* Pre-clock lines, then lines whose arrival lags their stamp by 3000
	 * ms or more: the smallest lag is the entry estimate. */
	qemu_klog__line(&k, "[    0.000000] Linux version 6.1.0", 3500.0);
	qemu_klog__line(&k, "[    0.100000] early", 3150.0);
	qemu_klog__line(&k, "[    0.500000] later, delayed in a buffer", 3700.0);
	qemu_klog__line(&k, "[    1.600000] Freeing unused kernel image (initmem) memory: 2824K",
			4650.0);
	assert_true(qemu_klog__done_ms(&k, &ms));
	assert_true(ms > 4649.9 && ms < 4650.1);
	qemu_klog__line(&k, "[    1.750000] Run /init as init process", 4900.0);
	qemu_klog__line(&k, "[    1.800000] Freeing unused kernel memory: 10K", 4900.0);
	assert_true(k.have_entry);
	assert_true(k.entry_ms > 3049.9 && k.entry_ms < 3050.1);
	assert_true(qemu_klog__done_ms(&k, &ms));
	/* "Run /init" wins over a later "Freeing unused"; its arrival counts. */
	assert_true(ms > 4899.9 && ms < 4900.1);
	assert_int_equal(k.lines, 6);
}

/* The seed's user-data: the script holds the protocol port open on one
 * descriptor from the first write to the last read (a port closed after
 * VBREADY and opened again loses the bytes of VBEXIT sent in between), waits
 * for cloud-init's end and runs detached, so cloud-init's final stage can
 * finish while it waits for VBEXIT. */
static void test_user_data(void **state)
{
	(void)state;
	cleanup_free char *ud = image__user_data("vbTOKEN42", "/dev/ttyS1");
	assert_non_null(ud);
	assert_memory_equal(ud, "#cloud-config\n", 14);
	assert_non_null(strstr(ud, "\n      exec 3<>/dev/ttyS1\n"));
	assert_non_null(strstr(ud, "marker=vbTOKEN42\" >&3\n"));
	assert_non_null(strstr(ud, "VBBOOT init_up="));
	assert_non_null(strstr(ud, "while read -r line <&3; do"));
	assert_non_null(strstr(ud, "VBEXIT*) exec poweroff"));
	assert_non_null(strstr(ud, "boot-finished"));
	/* Every other use of the port goes through fd 3: nothing opens it by
	 * name again, which is what lost VBEXIT. */
	const char *p = strstr(ud, "/dev/ttyS1");
	assert_non_null(p);
	assert_null(strstr(p + 1, "/dev/ttyS1"));
	assert_null(strstr(ud, "> /dev/tty"));
	/* The ready record comes after the boot report, both on fd 3. */
	assert_true(strstr(ud, "VBBOOT") < strstr(ud, "VBREADY"));
	assert_non_null(strstr(ud, "runcmd:\n  - [ setsid, -f, sh, " IMAGE_READY_SCRIPT " ]\n"));
	assert_non_null(strstr(ud, "  - path: " IMAGE_READY_SCRIPT "\n"));
}

/* Feeds a recorded boot (tests/fixtures/qemu/: "<ms>\t<con|ch>\t<line>")
 * to a bootlog, the console lines only when `console`. */
static void replay(struct qemu_bootlog *b, bool console)
{
	FILE *f = fopen(fixture("qemu/debian12-tcg-boot.log"), "r");
	assert_non_null(f);
	qemu_bootlog__init(b);
	char line[8192];
	unsigned n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *ch = strchr(line, '\t');
		assert_non_null(ch);
		char *text = strchr(ch + 1, '\t');
		assert_non_null(text);
		*text++ = '\0';
		double t = atof(line);
		struct vbp_ready r;
		if (!strcmp(ch + 1, "con")) {
			if (console)
				qemu_bootlog__console(b, text, t);
		} else if (!qemu_bootlog__report(b, text) && wclient__is_ready(text, NULL, &r)) {
			qemu_bootlog__ready(b, t, r.ts_ns);
		}
		n++;
	}
	fclose(f);
	assert_true(n > 500);
}

#define assert_ms(got, want) assert_true(fabs((got) - (want)) < 0.01)

/* The phases of a real cloud image boot: GRUB's first words, kernel entry
 * from the printk stamps, init and cloud-init's end on the guest's clock
 * where it is earlier than the line's arrival, the ready record. */
static void test_bootlog_recorded(void **state)
{
	(void)state;
	struct qemu_bootlog b;
	replay(&b, true);
	struct qemu_image_phases p;
	struct vb_err err = { 0 };
	if (qemu_bootlog__phases(&b, &p, &err) < 0)
		fail_msg("%s", err.msg);
	assert_ms(p.loader_ms, 760.6);
	assert_ms(p.kernel_entry_ms, 5351.552);	       /* [0.005985] at 5357.537 */
	assert_ms(p.init_ms, 5351.552 + 3782.816);     /* arrived at 9276.6 */
	assert_ms(p.cloud_init_ms, 5351.552 + 113330); /* arrived at 119110.7 */
	assert_ms(p.ready_ms, 122536.4);
	assert_true(p.loader_ms < p.kernel_entry_ms && p.kernel_entry_ms < p.init_ms &&
		    p.init_ms < p.cloud_init_ms && p.cloud_init_ms < p.ready_ms);
	assert_string_equal(b.fatal, "");
}

/* An image whose boot loader and kernel say nothing on the serial port: the
 * guest's own report still gives every phase, on its clock. */
static void test_bootlog_quiet_console(void **state)
{
	(void)state;
	struct qemu_bootlog b;
	replay(&b, false);
	struct qemu_image_phases p;
	struct vb_err err = { 0 };
	if (qemu_bootlog__phases(&b, &p, &err) < 0)
		fail_msg("%s", err.msg);
	double entry = 122536.4 - 116330; /* the ready record's arrival - its uptime */
	assert_ms(p.kernel_entry_ms, entry);
	assert_ms(p.loader_ms, entry);
	assert_ms(p.init_ms, entry + 3782.816);
	assert_ms(p.cloud_init_ms, entry + 113330);
	/* Without the report, or without init's stamp and a console, no phases. */
	qemu_bootlog__init(&b);
	qemu_bootlog__ready(&b, 5000, 4000000000ull);
	assert_int_equal(qemu_bootlog__phases(&b, &p, &err), -1);
	assert_non_null(strstr(err.msg, "no boot report"));
	assert_true(qemu_bootlog__report(&b, "VBBOOT init_up=- cloud_init_up=3.50"));
	assert_int_equal(qemu_bootlog__phases(&b, &p, &err), -1);
	assert_non_null(strstr(err.msg, "Run /init"));
	assert_false(qemu_bootlog__report(&b, "VBBOOT init_up=1.5"));
	assert_false(qemu_bootlog__report(&b, "VBREADY ts_ns=1 pid=1 marker=x"));
}

/* A boot that cannot go on is named by its own words. */
static void test_bootlog_fatal(void **state)
{
	(void)state;
	struct qemu_bootlog b;
	qemu_bootlog__init(&b);
	qemu_bootlog__console(&b, "[    0.088000] ..... failed :(.", 1000);
	assert_string_equal(b.fatal, "");
	qemu_bootlog__console(&b,
			      "[    0.088000] Kernel panic - not syncing: IO-APIC + timer doesn't "
			      "work!",
			      1001);
	assert_string_equal(b.fatal, "Kernel panic - not syncing: IO-APIC + timer doesn't work!");
	qemu_bootlog__console(&b, "grub rescue>", 1002);
	assert_non_null(strstr(b.fatal, "Kernel panic")); /* the first one stays */
}

static void test_kernel_checks(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	char *k = NULL;
	assert_int_equal(qemu_env__kernel("/nonexistent/vmlinuz", &k, &err), -1);
	assert_null(k);
	assert_string_equal(err.msg, "kernel /nonexistent/vmlinuz: No such file or directory");
	/* A readable file that is no kernel. */
	char dir[256], path[300];
	assert_int_equal(file__mkdtemp("vbtest-kernel", dir, sizeof(dir), &err), 0);
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	char junk[8192];
	memset(junk, 'x', sizeof(junk));
	assert_int_equal(file__write_atomic(path, junk, sizeof(junk), &err), 0);
	err__clear(&err);
	assert_int_equal(qemu_env__kernel(path, &k, &err), -1);
	assert_non_null(strstr(err.msg, "not an"));
	assert_non_null(strstr(err.msg, "--kernel"));
	assert_int_equal(file__remove_tree(dir), 0);
	assert_non_null(qemu_arch__check_kernel((const unsigned char *)junk, 100));
}

static void test_worker_must_be_static(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	char *w = NULL;
	/* /bin/sh is a dynamically linked program on every Debian. */
	assert_int_equal(qemu_env__worker("/bin/sh", &w, &err), -1);
	assert_null(w);
	assert_non_null(strstr(err.msg, "must be static"));
	err__clear(&err);
	assert_int_equal(qemu_env__worker("/nonexistent-worker", &w, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent-worker"));
	/* $VIRTBENCH_WORKER is honoured here as for containers. */
	err__clear(&err);
	setenv("VIRTBENCH_WORKER", "/bin/sh", 1);
	int rc = qemu_env__worker(NULL, &w, &err);
	unsetenv("VIRTBENCH_WORKER");
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "must be static"));
	assert_int_equal(qemu_env__worker(NULL, &w, &err), 0);
	assert_non_null(strstr(w, "/virtbench-worker"));
	free(w);
}

static void test_missing_qemu(void **state)
{
	(void)state;
	struct vb_err err = { 0 };
	char *q = NULL;
	assert_int_equal(qemu_env__qemu("/nonexistent/qemu", &q, &err), -1);
	assert_string_equal(err.msg, "--qemu /nonexistent/qemu: not an executable program");
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	setenv("PATH", "/nonexistent", 1);
	err__clear(&err);
	int rc = qemu_env__qemu(NULL, &q, &err);
	if (saved) {
		setenv("PATH", saved, 1);
		free(saved);
	}
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "QEMU not found"));
	assert_non_null(strstr(err.msg, qemu_arch__get()->qemu_package));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initramfs_layout),
		cmocka_unit_test(test_initramfs_missing_init),
		cmocka_unit_test(test_kmod_add),
		cmocka_unit_test(test_find_serial),
		cmocka_unit_test(test_klog_stamp),
		cmocka_unit_test(test_klog_phases),
		cmocka_unit_test(test_user_data),
		cmocka_unit_test(test_bootlog_recorded),
		cmocka_unit_test(test_bootlog_quiet_console),
		cmocka_unit_test(test_bootlog_fatal),
		cmocka_unit_test(test_kernel_checks),
		cmocka_unit_test(test_worker_must_be_static),
		cmocka_unit_test(test_missing_qemu),
	};
	return cmocka_run_group_tests_name("qemu parts", tests, NULL, NULL);
}
