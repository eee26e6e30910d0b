/* `virtbench fleet run`: host specs, inventories and the remote command's
 * quoting; then whole runs against ssh servers on loopback only: two
 * sshd instances on 127.0.0.2 and 127.0.0.3 (host key, user key and
 * authorized_keys made in a temp dir, started and stopped here), one more
 * on 127.0.0.3 that refuses the key, and 127.0.0.4 where nothing listens.
 * Each run must leave nothing on the hosts: no remote temp dir, no
 * process of it. */
#include <arpa/inet.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "core/clock.h"
#include "core/sweep.h"
#include "fleet/fleet.h"

/* ---- without a network ---- */

static void test_targets(void **state)
{
	(void)state;
	struct fleet_target t;
	struct vb_err err = { 0 };
	assert_int_equal(fleet__parse_target("admin@arm-1.example.org:2222", &t, &err), 0);
	assert_string_equal(t.user, "admin");
	assert_string_equal(t.host, "arm-1.example.org");
	assert_int_equal(t.port, 2222);
	assert_string_equal(t.name, "admin@arm-1.example.org:2222");
	assert_int_equal(fleet__parse_target("127.0.0.2", &t, &err), 0);
	assert_string_equal(t.user, "");
	assert_int_equal(t.port, 0);
	/* what ssh would read as an option, or a shell as more than a name */
	const char *bad[] = { "-oProxyCommand=touch_x",
			      "h;reboot",
			      "h x",
			      "@h",
			      "h:0",
			      "h:65536",
			      "h:22x",
			      "a@b@c",
			      "",
			      "h/../x",
			      ".h",
			      "u@:22",
			      "h:" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err__clear(&err);
		if (fleet__parse_target(bad[i], &t, &err) != -1 || err.status != VB_EXIT_USAGE)
			fail_msg("'%s' was taken as a host", bad[i]);
	}
}

static void test_shell_quote(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(fleet__shell_quote("it's $(x) `y`", out, sizeof(out)), 0);
	assert_string_equal(out, "'it'\\''s $(x) `y`'");
	assert_int_equal(fleet__shell_quote("", out, sizeof(out)), 0);
	assert_string_equal(out, "''");
	assert_int_equal(fleet__shell_quote("0123456789", out, 8), -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_inventory(void **state)
{
	(void)state;
	char dir[256], path[300];
	assert_int_equal(vb_tmpdir_enter(dir, sizeof(dir), "vb-fleet-inv"), 0);
	snprintf(path, sizeof(path), "%s/hosts.ini", dir);
	write_file(path, "# a comment\n"
			 "plain.example.org\n"
			 "[x86]\n"
			 "x1 ansible_host=10.0.0.1 ansible_user=ops\n"
			 "x2 ansible_host=10.0.0.2 ansible_port=2200\n"
			 "[arm]\n"
			 "a1 ansible_host=10.0.1.1\n"
			 "[arm:vars]\n"
			 "ansible_user=nobody\n"
			 "[all:children]\n"
			 "arm\n");
	struct fleet_target t[8];
	struct vb_err err = { 0 };
	int n = 0;
	assert_int_equal(fleet__inventory(path, NULL, 0, t, 8, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].name, "plain.example.org");
	assert_string_equal(t[1].name, "x1");
	assert_string_equal(t[1].host, "10.0.0.1");
	assert_string_equal(t[1].user, "ops");
	assert_int_equal(t[2].port, 2200);
	assert_string_equal(t[3].name, "a1");
	/* In the order named: a group, a host, a host spec not in it. */
	char *names[] = { "arm", "x2", "other@h:23" };
	n = 0;
	assert_int_equal(fleet__inventory(path, names, 3, t, 8, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].name, "a1");
	assert_string_equal(t[1].name, "x2");
	assert_string_equal(t[2].user, "other");
	assert_int_equal(t[2].port, 23);
	/* Ranges are refused, not read as one odd host. */
	write_file(path, "[web]\nweb[01:20].example.org\n");
	n = 0;
	assert_int_equal(fleet__inventory(path, NULL, 0, t, 8, &n, &err), -1);
	assert_non_null(strstr(err.msg, "not supported"));
	vb_tmpdir_leave(dir);
}

static void expect_usage(const char *const *args, const char *says)
{
	char *argv[16] = { (char *)vb_binary(), "fleet", "run" };
	int n = 3;
	for (; *args; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	struct vb_proc_result r;
	vb_run_ok(argv, &r);
	if (r.exit_code != 2 || !strstr(r.errout, says))
		fail_msg("fleet run %s: exit %d, '%s'", argv[3], r.exit_code, r.errout);
	proc__result_free(&r);
}

static void test_usage(void **state)
{
	(void)state;
	expect_usage((const char *[]){ NULL }, "needs hosts");
	expect_usage((const char *[]){ "h;reboot", NULL }, "expected [user@]host");
	expect_usage((const char *[]){ "h1", "h1", NULL }, "named twice");
	expect_usage((const char *[]){ "h1", "--", "--bogus", NULL }, "--bogus");
	expect_usage((const char *[]){ "h1", "--", "-o", "x", NULL }, "fleet's to decide");
	expect_usage((const char *[]){ "h1", "--", "--json", NULL }, "fleet's to decide");
	expect_usage((const char *[]){ "h1", "--dist", "", NULL }, "dist");
}

/* ---- `virtbench report` of a fleet run's directory ---- */

static void copy_to(const char *from, const char *to)
{
	char *text = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	assert_int_equal(file__read_all(from, 1u << 24, &text, &len, &err), 0);
	assert_int_equal(file__write_atomic(to, text, len, &err), 0);
	free(text);
}

static bool has_text(const char *path, const char *text)
{
	char *all = NULL;
	size_t len = 0;
	struct vb_err err = { 0 };
	bool found = file__read_all(path, 1u << 24, &all, &len, &err) == 0 && strstr(all, text);
	free(all);
	return found;
}

static struct vb_proc_result report_of(const char *dir, bool quiet)
{
	char *argv[] = { (char *)vb_binary(), "report", "--no-gnuplot", (char *)dir, NULL, NULL };
	if (quiet) {
		argv[3] = "-q";
		argv[4] = (char *)dir;
	}
	struct vb_proc_result r;
	vb_run_ok(argv, &r);
	return r;
}

/* With -q: one line on stderr, and the exit status. */
static void expect_refused(const char *dir, int code, const char *says)
{
	struct vb_proc_result r = report_of(dir, true);
	const char *nl = strchr(r.errout, '\n');
	if (r.exit_code != code || !strstr(r.errout, says) || !nl || nl[1])
		fail_msg("report %s: exit %d, '%s'", dir, r.exit_code, r.errout);
	proc__result_free(&r);
}

static void test_report_fleet_dir(void **state)
{
	(void)state;
	char tmp[256], dir[300], path[600];
	assert_int_equal(vb_tmpdir_enter(tmp, sizeof(tmp), "vb-fleet-report"), 0);
	snprintf(dir, sizeof(dir), "%s/fleet", tmp);
	const char *hosts[] = { "x86-1.example.org:2222", "arm-1", "gone" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, hosts[i]);
		struct vb_err err = { 0 };
		assert_int_equal(file__mkdirs(path, &err), 0);
	}
	snprintf(path, sizeof(path), "%s/%s/results.json", dir, hosts[0]);
	copy_to(fixture("results/x86_64/results.json"), path);
	snprintf(path, sizeof(path), "%s/%s/results.json", dir, hosts[1]);
	copy_to(fixture("results/aarch64/results.json"), path);
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	write_file(path, "{\"schema\": \"virtbench-fleet/1\", \"hosts\": ["
			 "{\"host\": \"x86-1.example.org:2222\", \"arch\": \"x86_64\", "
			 "\"status\": \"done\"},"
			 "{\"host\": \"arm-1\", \"arch\": \"aarch64\", \"status\": \"done\"},"
			 "{\"host\": \"gone\", \"arch\": \"\", \"status\": \"skipped\", "
			 "\"reason\": \"cannot connect: <b>refused</b>\"}]}\n");
	struct vb_proc_result r = report_of(dir, false);
	if (r.exit_code != 0)
		fail_msg("report of a fleet directory: exit %d, %s", r.exit_code, r.errout);
	/* fleet.json's order: its first host is the baseline */
	assert_non_null(strstr(r.out, "A = x86-1.example.org:2222"));
	assert_non_null(strstr(r.out, "B = arm-1"));
	proc__result_free(&r);
	const char *want[] = { "x86-1.example.org:2222/report.html",
			       "arm-1/report.html",
			       "arm-1/results.csv",
			       "compare/compare.csv",
			       "compare/compare.html",
			       "index.html" };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, want[i]);
		if (access(path, R_OK) < 0)
			fail_msg("%s was not written", path);
	}
	snprintf(path, sizeof(path), "%s/gone/report.html", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* the index links each report (a name with ':' is no URL scheme), the
	 * comparison, and shows a skipped host's reason as text */
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_true(has_text(path, "href=\"./x86-1.example.org:2222/report.html\""));
	assert_true(has_text(path, "href=\"./arm-1/report.html\""));
	assert_true(has_text(path, "href=\"./compare/compare.html\""));
	assert_true(has_text(path, "&lt;b&gt;refused"));
	assert_false(has_text(path, "./gone/report.html"));
	/* without fleet.json: the hosts with results, by name */
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	unlink(path);
	r = report_of(dir, false);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "A = arm-1"));
	/* the architecture from the results' host block */
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_true(has_text(path, "<td>arm-1</td><td>aarch64</td>"));
	proc__result_free(&r);
	/* a host's results refused: named, the others still rendered */
	snprintf(path, sizeof(path), "%s/arm-1/results.json", dir);
	write_file(path, "{\"schema\": 7}");
	snprintf(path, sizeof(path), "%s/x86-1.example.org:2222/report.html", dir);
	unlink(path);
	expect_refused(dir, 1, "arm-1/results.json");
	assert_int_equal(access(path, R_OK), 0);
	/* fleet.json naming a path instead of a host */
	snprintf(path, sizeof(path), "%s/fleet.json", dir);
	write_file(path, "{\"schema\": \"virtbench-fleet/1\", \"hosts\": [{\"host\": \"../x\"}]}");
	expect_refused(dir, 1, "fleet.json: host 1");
	/* neither a results directory nor a fleet run's */
	snprintf(path, sizeof(path), "%s/empty", tmp);
	mkdir(path, 0755);
	expect_refused(path, 2, "no hosts of a fleet run");
	vb_tmpdir_leave(tmp);
}

/* ---- ssh servers on loopback ---- */

struct sshd {
	struct vb_proc p;
	char addr[16];
	unsigned port;
};

static struct {
	char dir[256];
	struct sshd good[2], refusing;
	unsigned closed_port; /* on 127.0.0.4, where nothing listens */
	bool up;
	char why[200];
	char host_pub[200]; /* "type base64" of the servers' host key */
} L;

static unsigned free_port(const char *addr)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, addr, &a.sin_addr);
	socklen_t len = sizeof(a);
	unsigned port = 0;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static bool accepts(const char *addr, unsigned port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &a.sin_addr);
	bool ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (s >= 0)
		close(s);
	return ok;
}

static bool run_quiet(char *const *argv)
{
	struct vb_proc_result r;
	bool ok = vb_run_ok(argv, &r);
	if (!ok)
		snprintf(L.why, sizeof(L.why), "%s: %s", argv[0], r.errout ? r.errout : "");
	proc__result_free(&r);
	return ok;
}

static bool start_sshd(struct sshd *d, const char *addr, const char *keys, int idx)
{
	char conf[400], text[2048];
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->port = free_port(addr);
	snprintf(conf, sizeof(conf), "%s/sshd%d.conf", L.dir, idx);
	snprintf(text, sizeof(text),
		 "Port %u\nListenAddress %s\nHostKey %s/host_key\nPidFile %s/sshd%d.pid\n"
		 "AuthorizedKeysFile %s/%s\nPermitRootLogin prohibit-password\n"
		 "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
		 "StrictModes no\nSubsystem sftp /usr/lib/openssh/sftp-server\n",
		 d->port, addr, L.dir, L.dir, idx, L.dir, keys);
	write_file(conf, text);
	char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", conf, NULL };
	struct vb_proc_opts o = { .argv = argv };
	struct vb_err err = { 0 };
	if (!d->port || proc__spawn(&o, &d->p, &err) < 0)
		return false;
	for (int i = 0; i < 200 && !accepts(addr, d->port); i++) {
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
	}
	return accepts(addr, d->port);
}

static int setup_loopback(void **state)
{
	(void)state;
	L.up = false;
	if (geteuid() != 0 || access("/usr/sbin/sshd", X_OK) < 0 || !vb_have("ssh") ||
	    !vb_have("ssh-keygen") || !free_port("127.0.0.2") || !free_port("127.0.0.3")) {
		snprintf(L.why, sizeof(L.why), "needs root, openssh-server and 127.0.0.2-4");
		return 0;
	}
	if (vb_tmpdir_enter(L.dir, sizeof(L.dir), "vb-fleet") < 0)
		return -1;
	char hk[290], uk[290], cmd[2048];
	snprintf(hk, sizeof(hk), "%s/host_key", L.dir);
	snprintf(uk, sizeof(uk), "%s/user_key", L.dir);
	char *kg1[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hk, NULL };
	char *kg2[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", uk, NULL };
	mkdir("/run/sshd", 0755); /* sshd's privilege separation directory */
	if (!run_quiet(kg1) || !run_quiet(kg2))
		return 0;
	char *pub = NULL, path[400];
	size_t len;
	struct vb_err err = { 0 };
	snprintf(path, sizeof(path), "%s.pub", uk);
	file__read_all(path, 4096, &pub, &len, &err);
	snprintf(path, sizeof(path), "%s/authorized_keys", L.dir);
	write_file(path, pub ? pub : "");
	free(pub);
	snprintf(path, sizeof(path), "%s/no_keys", L.dir);
	write_file(path, "");
	if (!start_sshd(&L.good[0], "127.0.0.2", "authorized_keys", 0) ||
	    !start_sshd(&L.good[1], "127.0.0.3", "authorized_keys", 1) ||
	    !start_sshd(&L.refusing, "127.0.0.3", "no_keys", 2)) {
		snprintf(L.why, sizeof(L.why), "sshd did not start on 127.0.0.2/3");
		return 0;
	}
	L.closed_port = free_port("127.0.0.4");
	/* known_hosts: the servers' key for exactly these addresses and ports */
	snprintf(path, sizeof(path), "%s/host_key.pub", L.dir);
	char *hpub = NULL;
	file__read_all(path, 4096, &hpub, &len, &err);
	if (!hpub)
		return 0;
	hpub[strcspn(hpub, "\n")] = 0;
	char *cut = strchr(hpub, ' ');
	cut = cut ? strchr(cut + 1, ' ') : NULL;
	if (cut)
		*cut = 0;
	snprintf(L.host_pub, sizeof(L.host_pub), "%s", hpub);
	snprintf(cmd, sizeof(cmd), "[127.0.0.2]:%u %s\n[127.0.0.3]:%u %s\n[127.0.0.3]:%u %s\n",
		 L.good[0].port, hpub, L.good[1].port, hpub, L.refusing.port, hpub);
	free(hpub);
	snprintf(path, sizeof(path), "%s/known_hosts", L.dir);
	write_file(path, cmd);
	snprintf(cmd, sizeof(cmd),
		 "Host *\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n"
		 "  UserKnownHostsFile %s/known_hosts\n  GlobalKnownHostsFile /dev/null\n"
		 "  StrictHostKeyChecking yes\n",
		 uk, L.dir);
	snprintf(path, sizeof(path), "%s/ssh_config", L.dir);
	write_file(path, cmd);
	/* What `make dist` gives, from the build under test (the hosts are this
	 * machine, so its own binaries run there). */
	char *argv[] = { "sh",
			 "-c",
			 "mkdir -p \"$1/dist/$(uname -m)\" && cp \"$2/virtbench\" "
			 "\"$2/virtbench-worker\" \"$1/dist/$(uname -m)/\"",
			 "sh",
			 L.dir,
			 getenv("VB_BUILD") ? getenv("VB_BUILD") : "build",
			 NULL };
	if (!run_quiet(argv))
		return 0;
	L.up = true;
	return 0;
}

static int teardown_loopback(void **state)
{
	(void)state;
	struct sshd *all[] = { &L.good[0], &L.good[1], &L.refusing };
	for (size_t i = 0; i < 3; i++)
		if (all[i]->p.pid > 0)
			proc__stop(&all[i]->p, 2000);
	if (L.dir[0])
		vb_tmpdir_leave(L.dir);
	return 0;
}

/* The remote temp dirs of fleet runs: on these hosts, /tmp (sshd passes
 * no TMPDIR). */
static int remote_dirs(void)
{
	DIR *d = opendir("/tmp");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, "virtbench-fleet.", 16);
	if (d)
		closedir(d);
	return n;
}

/* Processes whose working directory is a remote temp dir of a fleet run. */
static int remote_procs(void)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[300], target[512];
		snprintf(path, sizeof(path), "/proc/%s/cwd", e->d_name);
		ssize_t len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		n += !strncmp(target, "/tmp/virtbench-fleet.", 21);
	}
	if (d)
		closedir(d);
	return n;
}

/* The head of `fleet run` with the test's ssh configuration and dist
 * into argv; the caller adds hosts and run options. Its count. */
static int fleet_head(char **argv, char *out)
{
	static char cfg[300], dist[300];
	snprintf(cfg, sizeof(cfg), "%s/ssh_config", L.dir);
	snprintf(dist, sizeof(dist), "%s/dist", L.dir);
	char *head[] = { (char *)vb_binary(), "fleet", "run", "-F", cfg, "--dist", dist, "-o", out,
			 "--no-gnuplot" };
	int n = (int)(sizeof(head) / sizeof(head[0]));
	memcpy(argv, head, sizeof(head));
	return n;
}

static void host_arg(char *out, size_t size, const struct sshd *d)
{
	snprintf(out, size, "%s:%u", d->addr, d->port);
}

static json_t *host_entry(json_t *doc, const char *name)
{
	size_t i;
	json_t *h;
	json_array_foreach (json_object_get(doc, "hosts"), i, h) {
		if (!strcmp(json_string_value(json_object_get(h, "host")), name))
			return h;
	}
	fail_msg("%s is not in fleet.json", name);
	return NULL;
}

static void test_loopback_fleet(void **state)
{
	(void)state;
	VB_REQUIRE(L.up, L.why);
	int dirs_before = remote_dirs();
	char h0[64], h1[64], hr[64], hc[64], out[300];
	host_arg(h0, sizeof(h0), &L.good[0]);
	host_arg(h1, sizeof(h1), &L.good[1]);
	host_arg(hr, sizeof(hr), &L.refusing);
	snprintf(hc, sizeof(hc), "127.0.0.4:%u", L.closed_port);
	snprintf(out, sizeof(out), "%s/out", L.dir);
	char *argv[24];
	int n = fleet_head(argv, out);
	char *rest[] = { "--serial", /* the other runs here are parallel */
			 h0,	     h1, hr, hc, "--", "--only", "native.fault", NULL };
	memcpy(argv + n, rest, sizeof(rest));
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 600000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	double t0 = clock__now_s();
	assert_int_equal(proc__run(&o, &r, &err), 0);
	print_message("fleet run --serial of 4 hosts took %.1f s\n%s", clock__now_s() - t0, r.out);
	/* two hosts skipped: exit 1, the others' results kept and compared */
	assert_int_equal(r.exit_code, 1);
	/* under check-asan: nothing reported by the sanitizers */
	if (strstr(r.errout, "Sanitizer") || strstr(r.errout, "runtime error"))
		fail_msg("%s", r.errout);
	char path[600];
	snprintf(path, sizeof(path), "%s/fleet.json", out);
	json_t *doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(host_entry(doc, h0), "status")),
			    "done");
	assert_string_equal(json_string_value(json_object_get(host_entry(doc, h1), "status")),
			    "done");
	json_t *ref = host_entry(doc, hr), *closed = host_entry(doc, hc);
	assert_string_equal(json_string_value(json_object_get(ref, "status")), "skipped");
	assert_non_null(
		strstr(json_string_value(json_object_get(ref, "reason")), "Permission denied"));
	assert_string_equal(json_string_value(json_object_get(closed, "status")), "skipped");
	assert_non_null(
		strstr(json_string_value(json_object_get(closed, "reason")), "Connection refused"));
	json_decref(doc);
	const char *want[] = { "results.json", "report.html", "run.log" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", out, h0, want[i]);
		assert_int_equal(access(path, R_OK), 0);
		snprintf(path, sizeof(path), "%s/%s/%s", out, h1, want[i]);
		assert_int_equal(access(path, R_OK), 0);
	}
	snprintf(path, sizeof(path), "%s/%s/results.json", out, hr);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/compare/compare.csv", out);
	assert_int_equal(access(path, R_OK), 0);
	/* the N-way table names the hosts, the first as baseline A */
	char line[128];
	snprintf(line, sizeof(line), "A = %s", h0);
	assert_non_null(strstr(r.out, line));
	snprintf(line, sizeof(line), "B = %s", h1);
	assert_non_null(strstr(r.out, line));
	assert_non_null(strstr(r.out, "gib_per_sec"));
	proc__result_free(&r);
	/* nothing left on the hosts, nor the local control sockets' dir */
	assert_int_equal(remote_dirs(), dirs_before);
	assert_int_equal(remote_procs(), 0);
	snprintf(path, sizeof(path), "%s", L.dir);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "virtbench-ssh.", 14))
			fail_msg("%s/%s was left", path, e->d_name);
	if (d)
		closedir(d);
}

/* The pid in a remote temp dir's pid file (the remote virtbench), or 0. */
static pid_t remote_run_pid(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	pid_t pid = 0;
	while (d && (e = readdir(d)) && !pid) {
		char path[400], text[32] = "";
		snprintf(path, sizeof(path), "/tmp/%s/pid", e->d_name);
		if (strncmp(e->d_name, "virtbench-fleet.", 16) ||
		    file__read_line(path, text, sizeof(text)) <= 0)
			continue;
		pid = (pid_t)atoi(text);
	}
	if (d)
		closedir(d);
	return pid;
}

static int count_pid_files(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		char pid[400];
		snprintf(pid, sizeof(pid), "/tmp/%s/pid", e->d_name);
		n += !strncmp(e->d_name, "virtbench-fleet.", 16) && access(pid, F_OK) == 0;
	}
	if (d)
		closedir(d);
	return n;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (file__read_line(path, text, sizeof(text)) <= 0)
		return 0;
	const char *p = strrchr(text, ')');
	int ppid = 0;
	char st;
	return p && sscanf(p + 1, " %c %d", &st, &ppid) == 2 ? (pid_t)ppid : 0;
}

/* The sshd process of the session a remote run belongs to: its nearest
 * ancestor named sshd. */
static pid_t session_of(pid_t pid)
{
	for (int depth = 0; pid > 1 && depth < 8; depth++) {
		pid = parent_of(pid);
		char path[64], comm[64] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		if (file__read_line(path, comm, sizeof(comm)) > 0 && !strcmp(comm, "sshd"))
			return pid;
	}
	return 0;
}

/* Starts a fleet run of both good hosts, waits until both remote runs are
 * there; out is its results directory. */
static void start_two(struct vb_proc *p, char *out, size_t size, const char *name)
{
	static char h0[64], h1[64];
	host_arg(h0, sizeof(h0), &L.good[0]);
	host_arg(h1, sizeof(h1), &L.good[1]);
	snprintf(out, size, "%s/%s", L.dir, name);
	char *argv[24];
	int n = fleet_head(argv, out);
	char *rest[] = { h0, h1, "--", "--only", "native", NULL };
	memcpy(argv + n, rest, sizeof(rest));
	struct vb_proc_opts o = { .argv = argv };
	struct vb_err err = { 0 };
	assert_int_equal(proc__spawn(&o, p, &err), 0);
	double t0 = clock__now_s();
	while (count_pid_files() < 2 && clock__now_s() - t0 < 240) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(count_pid_files(), 2);
}

static int wait_end(struct vb_proc *p)
{
	int status = 0;
	for (int i = 0; i < 3000 && !proc__exited(p, &status); i++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	return proc__stop(p, 0);
}

/* A host whose connection dies mid-run (its sshd session killed): that
 * host is a skip saying so, the other one's results are kept, and the run
 * left there is stopped and its dir removed over a new connection. */
static void test_loopback_host_vanishes(void **state)
{
	(void)state;
	VB_REQUIRE(L.up, L.why);
	int dirs_before = remote_dirs();
	struct vb_proc p;
	char out[300], path[400];
	start_two(&p, out, sizeof(out), "out-vanish");
	pid_t run = remote_run_pid(), session = run ? session_of(run) : 0;
	assert_true(session > 1);
	kill(session, SIGKILL);
	int status = wait_end(&p);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	snprintf(path, sizeof(path), "%s/fleet.json", out);
	json_t *doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	int done = 0, lost = 0;
	size_t i;
	json_t *h;
	json_array_foreach (json_object_get(doc, "hosts"), i, h) {
		const char *st = json_string_value(json_object_get(h, "status"));
		const char *why = json_string_value(json_object_get(h, "reason"));
		done += !strcmp(st, "done");
		lost += !strcmp(st, "skipped") && why && strstr(why, "connection lost");
	}
	json_decref(doc);
	assert_int_equal(done, 1);
	assert_int_equal(lost, 1);
	assert_int_equal(remote_dirs(), dirs_before);
	assert_int_equal(remote_procs(), 0);
}

/* A fleet run of both good hosts, up to where both remote runs are there;
 * the count of remote temp dirs from before it. */
static int start_both_running(struct vb_proc *p, const char *name)
{
	VB_REQUIRE(L.up, L.why);
	int dirs_before = remote_dirs();
	char out[300];
	start_two(p, out, sizeof(out), name);
	assert_true(remote_procs() >= 1);
	return dirs_before;
}

/* Ctrl-C while both hosts run: every remote run stops, every remote temp
 * dir is removed. */
static void test_loopback_interrupt(void **state)
{
	(void)state;
	struct vb_proc p;
	double t0 = clock__now_s();
	int dirs_before = start_both_running(&p, "out-int");
	double t_int = clock__now_s();
	kill(p.pid, SIGINT);
	int status = wait_end(&p);
	print_message("Ctrl-C %.1f s after the start; fleet run ended %.1f s later\n", t_int - t0,
		      clock__now_s() - t_int);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_int_equal(remote_dirs(), dirs_before);
	assert_int_equal(remote_procs(), 0);
}

/* Polls until no remote temp dir of a fleet run and no process in one is
 * left, for at most limit_s; the seconds it took, or -1. */
static double wait_remote_clean(int dirs_before, double limit_s)
{
	double t0 = clock__now_s();
	while (remote_dirs() != dirs_before || remote_procs() != 0) {
		if (clock__now_s() - t0 > limit_s)
			return -1;
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	return clock__now_s() - t0;
}

/* Entries of dir whose names start with prefix. */
static int count_entries(const char *dir, const char *prefix)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return n;
}

/* SIGKILL of the local fleet run while both hosts run: nothing here can
 * clean up, so each remote side sees its session end and stops its run
 * and removes its temp dir by itself. */
static void test_loopback_sigkill(void **state)
{
	(void)state;
	struct vb_proc p;
	int dirs_before = start_both_running(&p, "out-kill");
	pid_t fleet_pid = p.pid;
	/* the fleet process alone: its ssh children die with it (PDEATHSIG) */
	kill(p.pid, SIGKILL);
	int status = 0;
	assert_int_equal(waitpid(p.pid, &status, 0), p.pid);
	assert_true(WIFSIGNALED(status));
	p.pid = 0;
	proc__stop(&p, 0);
	double took = wait_remote_clean(dirs_before, 60);
	print_message("remote runs and temp dirs gone %.1f s after the SIGKILL\n", took);
	assert_true(took >= 0);
	/* Locally, the control sockets' dir names its dead owner: the next
	 * command's sweep removes it. */
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "virtbench-ssh.%d.", (int)fleet_pid);
	assert_int_equal(count_entries(sweep__tmp(), prefix), 1);
	struct sweep_tally t = { { 0 } };
	fleet__sweep(&t);
	assert_int_equal(count_entries(sweep__tmp(), prefix), 0);
	assert_true(t.n[SWEEP_TMPDIR] >= 1);
}

/* ---- make dist ---- */

/* The architecture an ELF file is for (its e_machine), and whether it is
 * static (no program interpreter). */
static int elf_machine(const char *path, bool *is_static)
{
	Elf64_Ehdr eh;
	FILE *f = fopen(path, "rb");
	int machine = -1;
	*is_static = true;
	if (f && fread(&eh, sizeof(eh), 1, f) == 1 && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		machine = eh.e_machine;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			if (fseek(f, (long)(eh.e_phoff + i * eh.e_phentsize), SEEK_SET) ||
			    fread(&ph, sizeof(ph), 1, f) != 1)
				break;
			if (ph.p_type == PT_INTERP)
				*is_static = false;
		}
	}
	if (f)
		fclose(f);
	return machine;
}

static void test_dist(void **state)
{
	(void)state;
	const char *dist = getenv("VB_DIST") ? getenv("VB_DIST") : "build/dist";
	char path[600];
	snprintf(path, sizeof(path), "%s/SHA256SUMS", dist);
	VB_REQUIRE(access(path, R_OK) == 0, "make dist has not run");
	char *argv[] = { "sh", "-c",	     "cd \"$1\" && sha256sum --quiet -c SHA256SUMS",
			 "sh", (char *)dist, NULL };
	struct vb_proc_result r;
	if (!vb_run_ok(argv, &r))
		fail_msg("sha256sum -c: %s%s", r.out, r.errout);
	proc__result_free(&r);
	const struct {
		const char *arch;
		int machine;
	} arches[] = { { "x86_64", EM_X86_64 }, { "aarch64", EM_AARCH64 } };
	const char *files[] = { "virtbench", "virtbench-worker" };
	for (size_t a = 0; a < 2; a++)
		for (size_t f = 0; f < 2; f++) {
			bool is_static;
			snprintf(path, sizeof(path), "%s/%s/%s", dist, arches[a].arch, files[f]);
			if (elf_machine(path, &is_static) != arches[a].machine || !is_static)
				fail_msg("%s: not a static ELF for %s", path, arches[a].arch);
		}
}

/* contrib/ansible/virtbench.yml against the same hosts: both hosts'
 * results and the comparison on the controller, nothing left on them
 * (Ansible's own remote temp dir goes into the test's dir). */
static void test_loopback_ansible(void **state)
{
	(void)state;
	VB_REQUIRE(L.up, L.why);
	VB_REQUIRE(vb_have("ansible-playbook"), "ansible-playbook (ansible-core) is not installed");
	/* The playbook copies make dist's static binaries whatever the build;
	 * once is enough: the plain build's suite (the one with a static
	 * virtbench) runs it, the sanitizer build's skips. */
	char plain[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(plain, sizeof(plain), "%s/virtbench-static", b ? b : "build");
	if (access(plain, X_OK) != 0) {
		print_message("[  SKIP    ] the plain build's suite runs the playbook\n");
		skip();
	}
	int dirs_before = remote_dirs();
	char inv[400], text[1200], out[400], vars[8000], path[600];
	snprintf(inv, sizeof(inv), "%s/hosts.ini", L.dir);
	snprintf(text, sizeof(text),
		 "[x86]\nfirst ansible_host=127.0.0.2 ansible_port=%u\n"
		 "second ansible_host=127.0.0.3 ansible_port=%u\n"
		 "[all:vars]\nansible_user=root\nansible_python_interpreter=/usr/bin/python3\n"
		 "ansible_ssh_common_args='-F %s/ssh_config'\n",
		 L.good[0].port, L.good[1].port, L.dir);
	write_file(inv, text);
	snprintf(out, sizeof(out), "%s/out-ansible", L.dir);
	/* the controller's commands do not run in this directory */
	char vb[4096];
	assert_non_null(realpath(vb_binary(), vb));
	snprintf(vars, sizeof(vars),
		 "{\"virtbench_out\": \"%s\", \"virtbench_dist\": \"%s/dist\", "
		 "\"virtbench_bin\": \"%s\", \"virtbench_run_args\": [\"--only\", "
		 "\"native.fault\", \"--no-gnuplot\"]}",
		 out, L.dir, vb);
	snprintf(path, sizeof(path), "%s/ansible-remote", L.dir);
	setenv("ANSIBLE_REMOTE_TEMP", path, 1);
	snprintf(path, sizeof(path), "%s/ansible-local", L.dir);
	setenv("ANSIBLE_LOCAL_TEMP", path, 1);
	/* no ssh master left behind by Ansible's ControlPersist */
	setenv("ANSIBLE_SSH_ARGS", "-o ControlMaster=no", 1);
	/* each task's module goes over the ssh session that runs it, not
	 * copied over by one session and run by the next (README) */
	setenv("ANSIBLE_PIPELINING", "True", 1);
	char *argv[] = {
		"ansible-playbook", "-i", inv, "contrib/ansible/virtbench.yml", "-e", vars, NULL
	};
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 1800000 };
	struct vb_proc_result r;
	struct vb_err err = { 0 };
	double t0 = clock__now_s();
	assert_int_equal(proc__run(&o, &r, &err), 0);
	print_message("ansible-playbook with two hosts took %.1f s\n", clock__now_s() - t0);
	if (r.exit_code != 0)
		fail_msg("ansible-playbook: exit %d\n%s%s", r.exit_code, r.out, r.errout);
	assert_non_null(strstr(r.out, "A = "));
	proc__result_free(&r);
	const char *want[] = { "first/results.json", "second/report.html", "compare/compare.csv" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", out, want[i]);
		if (access(path, R_OK) < 0)
			fail_msg("%s is missing", path);
	}
	assert_int_equal(remote_dirs(), dirs_before);
	assert_int_equal(remote_procs(), 0);
}

/* ---- an emulated aarch64 host ---- */

/* Whether an ssh server answers on 127.0.0.1:port: QEMU's forward accepts
 * before the guest listens, so the banner is what says it is up. */
static bool ssh_banner(unsigned port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	char buf[8] = "";
	bool ok = false;
	if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ok = poll(&pfd, 1, 3000) == 1 && read(s, buf, 4) == 4 && !memcmp(buf, "SSH-", 4);
	}
	if (s >= 0)
		close(s);
	return ok;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether the remote temp dirs of fleet runs are all gone from the
 * emulated host (asked over ssh with the test's configuration). */
static bool emulated_clean(const char *cfg, const char *port, char *said, size_t size)
{
	char *argv[] = {
		"ssh",
		"-F",
		(char *)cfg,
		"-o",
		"BatchMode=yes",
		"-p",
		(char *)port,
		"127.0.0.1",
		"ls -d /tmp/virtbench-fleet.* 2>/dev/null; ps -o args | grep -c '[v]irtbench run'; true",
		NULL
	};
	struct vb_proc_result r;
	bool ran = vb_run_ok(argv, &r) || r.exit_code == 0;
	snprintf(said, size, "%s%s", r.out ? r.out : "", r.errout ? r.errout : "");
	bool clean = ran && r.out && !strcmp(r.out, "0\n");
	proc__result_free(&r);
	return clean;
}

/* `fleet run` of the two loopback hosts and an emulated aarch64 host
 * (tests/emulated/ssh-host.sh: Debian's arm64 kernel under QEMU TCG,
 * Dropbear from Debian's arm64 packages, reached only through QEMU's
 * forward of 127.0.0.1): every host's results, the aarch64 ones marked as
 * emulated by the kernel command line, the three-way comparison with that
 * column flagged, and nothing left on any host. */
static void test_emulated_arm64(void **state)
{
	(void)state;
	VB_REQUIRE(L.up, L.why);
	char plain[4096], emul[4096], path[4600], dist[4096];
	const char *b = getenv("VB_BUILD");
	snprintf(plain, sizeof(plain), "%s/virtbench-static", b ? b : "build");
	if (access(plain, X_OK) != 0) {
		print_message("[  SKIP    ] the plain build's suite boots the emulated host\n");
		skip();
	}
	struct utsname u;
	if (uname(&u) == 0 && !strcmp(u.machine, "aarch64")) {
		/* The loopback hosts are aarch64 already; make test prepares the
		 * emulated host only on x86_64 (src/cross.mk). */
		print_message("[  SKIP    ] this host is aarch64: the loopback hosts cover it\n");
		skip();
	}
	const char *e = getenv("VB_EMUL_DIR");
	snprintf(emul, sizeof(emul), "%s/arm64-ssh", e ? e : "build-emul");
	snprintf(path, sizeof(path), "%s/.ready", emul);
	VB_REQUIRE(access(path, F_OK) == 0,
		   "the emulated ssh host is not prepared ('make emulated-ssh-arm64')");
	VB_REQUIRE(vb_have("qemu-system-aarch64"), "qemu-system-aarch64 is not installed");
	const char *d = getenv("VB_DIST") ? getenv("VB_DIST") : "build/dist";
	snprintf(dist, sizeof(dist), "%s/aarch64/virtbench", d);
	VB_REQUIRE(is_file(dist), "no aarch64 build in the dist directory ('make dist')");
	char *cp[] = { "sh",
		       "-c",
		       "mkdir -p \"$1/dist/aarch64\" && cp \"$2/aarch64/virtbench\" "
		       "\"$2/aarch64/virtbench-worker\" \"$1/dist/aarch64/\"",
		       "sh",
		       L.dir,
		       (char *)d,
		       NULL };
	assert_true(run_quiet(cp));
	unsigned port = free_port("127.0.0.1");
	assert_true(port > 0);
	char sport[16], hk[300], auth[300], cfg[300], out[300];
	snprintf(sport, sizeof(sport), "%u", port);
	snprintf(hk, sizeof(hk), "%s/host_key", L.dir);
	snprintf(auth, sizeof(auth), "%s/authorized_keys", L.dir);
	snprintf(cfg, sizeof(cfg), "%s/ssh_config", L.dir);
	snprintf(out, sizeof(out), "%s/out-emulated", L.dir);
	/* its host key is the loopback servers' one: known for its port too */
	snprintf(path, sizeof(path), "%s/known_hosts", L.dir);
	FILE *kh = fopen(path, "a");
	assert_non_null(kh);
	fprintf(kh, "[127.0.0.1]:%u %s\n", port, L.host_pub);
	fclose(kh);
	char *boot[] = { "tests/emulated/ssh-host.sh", "boot", emul, sport, hk, auth, L.dir, NULL };
	struct vb_proc_opts bo = { .argv = boot };
	struct vb_proc qemu;
	struct vb_err err = { 0 };
	double t0 = clock__now_s();
	assert_int_equal(proc__spawn(&bo, &qemu, &err), 0);
	bool up = false;
	int status;
	while (!up && clock__now_s() - t0 < 180 && !proc__exited(&qemu, &status)) {
		up = ssh_banner(port);
		if (!up) {
			struct timespec ts = { 0, 500000000 };
			nanosleep(&ts, NULL);
		}
	}
	double t_up = clock__now_s();
	snprintf(path, sizeof(path), "%s/ssh-host.log", L.dir);
	if (!up) {
		proc__stop(&qemu, 2000);
		char *console = NULL;
		size_t len = 0;
		file__read_all(path, 1 << 16, &console, &len, &err);
		fail_msg("the emulated host's ssh server did not answer:\n%s",
			 console ? console : "(no console log)");
	}
	int dirs_before = remote_dirs();
	char h0[64], h1[64], h2[64];
	host_arg(h0, sizeof(h0), &L.good[0]);
	host_arg(h1, sizeof(h1), &L.good[1]);
	snprintf(h2, sizeof(h2), "127.0.0.1:%u", port);
	char *argv[24];
	int n = fleet_head(argv, out);
	char *rest[] = { h0, h1, h2, "--", "--only", "native.fault", NULL };
	memcpy(argv + n, rest, sizeof(rest));
	struct vb_proc_opts o = { .argv = argv, .timeout_ms = 600000 };
	struct vb_proc_result r;
	assert_int_equal(proc__run(&o, &r, &err), 0);
	double t_end = clock__now_s();
	char said[2048];
	bool clean = emulated_clean(cfg, sport, said, sizeof(said));
	proc__stop(&qemu, 2000);
	print_message("emulated aarch64 host up in %.1f s; fleet run of 3 hosts took %.1f s\n",
		      t_up - t0, t_end - t_up);
	/* a line at a time: print_message keeps a short buffer */
	for (const char *line = r.out; line && *line;) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);
		print_message("%.*s\n", len, line);
		line += len + (nl != NULL);
	}
	if (r.exit_code != 0)
		fail_msg("fleet run: exit %d\n%s", r.exit_code, r.errout);
	snprintf(path, sizeof(path), "%s/fleet.json", out);
	json_t *doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	json_t *arm = host_entry(doc, h2);
	assert_string_equal(json_string_value(json_object_get(arm, "status")), "done");
	assert_string_equal(json_string_value(json_object_get(arm, "arch")), "aarch64");
	assert_string_equal(json_string_value(json_object_get(host_entry(doc, h0), "arch")),
			    "x86_64");
	json_decref(doc);
	/* the emulated host's results say so in their host block */
	snprintf(path, sizeof(path), "%s/%s/results.json", out, h2);
	json_t *res = json_load_file(path, 0, NULL);
	assert_non_null(res);
	const char *cmdline = json_string_value(json_object_get(
		json_object_get(json_object_get(res, "host"), "kernel"), "cmdline"));
	assert_non_null(cmdline);
	assert_non_null(strstr(cmdline, "virtbench.emulated=qemu-tcg"));
	json_decref(res);
	snprintf(path, sizeof(path), "%s/%s/report.html", out, h2);
	assert_true(is_file(path));
	snprintf(path, sizeof(path), "%s/compare/compare.csv", out);
	assert_true(is_file(path));
	/* the three-way table: C is the emulated host, its cells flagged */
	char line[128];
	snprintf(line, sizeof(line), "C = %s", h2);
	assert_non_null(strstr(r.out, line));
	const char *nway = strstr(r.out, "All sets against A");
	assert_non_null(nway);
	assert_non_null(strstr(nway, "C verdict"));
	assert_non_null(strstr(nway, "not compared: emulated host"));
	proc__result_free(&r);
	if (!clean)
		fail_msg("left on the emulated host: %s", said);
	assert_int_equal(remote_dirs(), dirs_before);
	assert_int_equal(remote_procs(), 0);
}

int main(void)
{
	const struct CMUnitTest offline[] = {
		cmocka_unit_test(test_targets),	  cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_inventory), cmocka_unit_test(test_usage),
		cmocka_unit_test(test_dist),	  cmocka_unit_test(test_report_fleet_dir),
	};
	const struct CMUnitTest loopback[] = {
		cmocka_unit_test(test_loopback_fleet),
		cmocka_unit_test(test_loopback_interrupt),
		cmocka_unit_test(test_loopback_host_vanishes),
		cmocka_unit_test(test_loopback_sigkill),
		cmocka_unit_test(test_emulated_arm64),
		cmocka_unit_test(test_loopback_ansible),
	};
	int failed = cmocka_run_group_tests_name("fleet", offline, NULL, NULL);
	failed += cmocka_run_group_tests_name("fleet over ssh on loopback", loopback,
					      setup_loopback, teardown_loopback);
	return failed;
}
