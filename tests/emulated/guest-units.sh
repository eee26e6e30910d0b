# Unit-test suites on the emulated host's real kernel and KVM, after the
# command list when run-host.sh is given VB_EMUL_UNITS (sourced by the /init
# of `virtbench vm nested-exec`, which provides limit and uptime_s). Each
# suite is a VB-RUN/VB-RC pair, so virtbench checks its exit code like a
# command's. CI stays unset: tools this host lacks (QEMU, containers) skip.
[ -f /unit.env ] && . /unit.env
passed=0
failed=0
for t in /tests/test_*; do
	name=unit-${t#/tests/}.txt
	echo "VB-RUN $name"
	t0=$(uptime_s)
	limit "${VB_UNIT_LIMIT:-300}" env VB_BUILD=/ VB_FIXTURES=/fixtures "$t" >"/out/$name" 2>&1
	rc=$?
	t1=$(uptime_s)
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "/out/$name" | tail -1)
	passed=$((passed + ${p:-0}))
	[ "$rc" = 0 ] || failed=$((failed + 1))
	[ "$rc" = 0 ] || tail -30 "/out/$name"
	echo "VB-RC $name $rc $t0 $t1"
done
echo "VB-UNIT-SUM $passed passed, $failed suites failed"
