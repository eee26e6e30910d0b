#!/usr/bin/env bash
# Runs every unit-test binary of a build directory and sums up. Each binary
# is a cmocka suite; its exit status is its number of failed tests.
set -u
build=${1:-build}
passed=0 failed=0 failed_names=()
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
for t in "$build"/tests/test_*; do
	[[ -x $t && $t != *.d ]] || continue
	echo "=== $t"
	# Where a long CI run spends its time, suite by suite: wall seconds, and
	# the CPU seconds of the suite and everything it ran.
	TIMEFORMAT='%R s wall, %U s user, %S s system'
	{ time out=$("$t" 2>&1); } 2>"$timing"
	rc=$?
	printf '%s\n' "$out"
	echo "=== $t: $(cat "$timing")"
	n_pass=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	n_fail=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${n_pass:-0}))
	if ((rc != 0)); then
		failed=$((failed + ${n_fail:-1}))
		failed_names+=("$t")
	fi
done
echo
((${#failed_names[@]})) && echo "failing suites: ${failed_names[*]}"
echo "$passed passed, $failed failed"
((failed == 0))
