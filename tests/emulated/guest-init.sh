#!/bin/busybox sh
# /init of the emulated host's initramfs (busybox, static virtbench, and on
# x86_64 the KVM modules). Runs virtbench against the nested /dev/kvm, then
# prints every result file base64-encoded between markers on the console,
# where tests/emulated/run-host.sh picks them up, and powers off.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /out /tmp
# Only warnings and worse reach the console (a lockup or an oops must show;
# routine messages would interleave with the result blocks).
dmesg -n 5
export PATH=/bin HOME=/ TMPDIR=/tmp

echo "VB-UPTIME init $(cut -d' ' -f1 /proc/uptime)"
if [ -f /mod/order ]; then
	while read -r m; do
		insmod "/mod/$m" || echo "VB-NOTE insmod $m failed"
	done </mod/order
fi
dmesg | grep -iE 'kvm|svm|hyp mode|vhe' | sed 's/^/VB-DMESG /'
[ -c /dev/kvm ] || echo "VB-NOTE no /dev/kvm"

# limit SECONDS PROG ARGS...: PROG with a deadline: SIGTERM when it passes
# (virtbench then tears its VMs down), SIGKILL 20 s later if it is still
# there. busybox's timeout sends only the first.
limit() {
	secs=$1
	shift
	"$@" &
	pid=$!
	(
		sleep "$secs"
		kill -TERM "$pid" 2>/dev/null || exit 0
		echo "VB-NOTE deadline of $secs s passed: $*" >/dev/console
		sleep 20
		kill -KILL "$pid" 2>/dev/null
	) &
	dog=$!
	wait "$pid"
	rc=$?
	kill "$dog" 2>/dev/null
	return $rc
}

# run NAME ARGS...: /virtbench ARGS with stdout kept as /out/NAME and shown;
# stderr goes to the console as it comes.
run() {
	name=$1
	shift
	echo "VB-RUN $name: virtbench $*"
	t0=$(cut -d' ' -f1 /proc/uptime)
	limit "${VB_CMD_TIMEOUT:-180}" /virtbench "$@" >"/out/$name"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	case $name in *.json) ;; *) cat "/out/$name" ;; esac
	[ "$rc" = 0 ] || dmesg | tail -20 | sed 's/^/VB-DMESG-TAIL /'
	echo "VB-RC $name $rc $t0 $t1"
}

# The command list comes with the initramfs (tests/emulated/commands.sh),
# so the host side decides what runs.
. /commands.sh

# Unit-test suites, when the initramfs has them: on this host's real kernel
# and KVM. CI stays unset: tools this host lacks (QEMU, containers) skip.
if [ -d /tests ]; then
	[ -f /unit.env ] && . /unit.env
	passed=0
	failed=0
	for t in /tests/test_*; do
		name=${t#/tests/}
		t0=$(cut -d' ' -f1 /proc/uptime)
		limit "${VB_UNIT_LIMIT:-300}" env VB_BUILD=/ VB_FIXTURES=/fixtures "$t" >"/out/unit-$name.txt" 2>&1
		rc=$?
		t1=$(cut -d' ' -f1 /proc/uptime)
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "/out/unit-$name.txt" | tail -1)
		passed=$((passed + ${p:-0}))
		[ "$rc" = 0 ] || failed=$((failed + 1))
		[ "$rc" = 0 ] || tail -30 "/out/unit-$name.txt"
		echo "VB-UNIT-RC $name $rc $t0 $t1"
	done
	echo "VB-UNIT-SUM $passed passed, $failed suites failed"
fi

for f in /out/*; do
	[ -s "$f" ] || continue
	echo "VB-FILE-BEGIN ${f#/out/}"
	base64 "$f"
	echo "VB-FILE-END"
done
echo "VB-UPTIME end $(cut -d' ' -f1 /proc/uptime)"
echo "VB-DONE"
sync
poweroff -f
