/* /init of the L1 guest: busybox sh. It loads the KVM modules, runs the
 * commands (the benchmark list, or the script of `vm nested-exec`, which
 * may use run and limit) with a deadline each, prints every result file base64-encoded
 * between markers on the console (nested_console.c reads them) and powers
 * off. Only warnings reach the console, so kernel messages do not break
 * into a result block. */
#include "nested/nested_init.h"

const char nested__init_script[] =
	"#!/bin/busybox sh\n"
	"/bin/busybox mount -t proc proc /proc\n"
	"/bin/busybox --install -s /bin\n"
	"mount -t sysfs sys /sys\n"
	"mount -t devtmpfs dev /dev\n"
	"mkdir -p /out /tmp\n"
	"dmesg -n 5\n"
	"export PATH=/bin HOME=/ TMPDIR=/tmp\n"
	"uptime_s() { cut -d' ' -f1 /proc/uptime; }\n"
	"echo \"VB-UPTIME init $(uptime_s)\"\n"
	"if [ -f /mod/order ]; then\n"
	"\twhile read -r m; do insmod \"/mod/$m\" || echo \"VB-NOTE insmod $m failed\"; done "
	"</mod/order\n"
	"fi\n"
	"dmesg | grep -iE 'kvm|svm|vmx|hyp mode|vhe' | sed 's/^/VB-DMESG /'\n"
	"[ -c /dev/kvm ] || echo \"VB-NOTE no /dev/kvm\"\n"
	/* limit SECONDS PROG ARGS...: SIGTERM at the deadline (virtbench then
	 * tears its VMs down), SIGKILL 20 s later; busybox's timeout sends only
	 * the first. */
	"limit() {\n"
	"\tsecs=$1; shift\n"
	"\t\"$@\" & pid=$!\n"
	"\t( sleep \"$secs\"; kill -TERM \"$pid\" 2>/dev/null || exit 0\n"
	"\t  echo \"VB-NOTE deadline of $secs s passed: $*\" >/dev/console\n"
	"\t  sleep 20; kill -KILL \"$pid\" 2>/dev/null ) & dog=$!\n"
	"\twait \"$pid\"; rc=$?\n"
	"\tkill \"$dog\" 2>/dev/null\n"
	"\treturn $rc\n"
	"}\n"
	/* run NAME ARGS...: /virtbench ARGS, its stdout kept as /out/NAME (and
	 * shown unless JSON), its stderr on the console as it comes. */
	"run() {\n"
	"\tname=$1; shift\n"
	"\techo \"VB-RUN $name: virtbench $*\"\n"
	"\tt0=$(uptime_s)\n"
	"\tlimit \"${VB_CMD_TIMEOUT:-300}\" /virtbench \"$@\" >\"/out/$name\"\n"
	"\trc=$?\n"
	"\tt1=$(uptime_s)\n"
	"\tcase $name in *.json) ;; *) cat \"/out/$name\" ;; esac\n"
	"\t[ \"$rc\" = 0 ] || dmesg | tail -20 | sed 's/^/VB-DMESG-TAIL /'\n"
	"\techo \"VB-RC $name $rc $t0 $t1\"\n"
	"}\n"
	". /commands.sh\n"
	"for f in /out/*; do\n"
	"\t[ -s \"$f\" ] || continue\n"
	"\techo \"VB-FILE-BEGIN ${f#/out/}\"\n"
	"\tbase64 \"$f\"\n"
	"\techo \"VB-FILE-END\"\n"
	"done\n"
	"echo \"VB-UPTIME end $(uptime_s)\"\n"
	"echo VB-DONE\n"
	"sync\n"
	"poweroff -f\n";
