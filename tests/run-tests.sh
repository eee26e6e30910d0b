#!/usr/bin/env bash
# Runs every unit-test binary of a build directory and sums up. Each binary
# is a cmocka suite; its exit status is its number of failed tests.
#
#   tests/run-tests.sh BUILD [SUITE...]
#
# With SUITE names, only those run; VB_SKIP_SUITES="a b" leaves suites out
# (each runs in one build only: see the Makefile). A suite's output is
# printed whole when it ends, so that two builds' runs side by side (make
# -j) do not mix their lines.
set -u
build=${1:-build}
shift
only=" $* "
# Any whitespace separates the names (tabs and newlines too).
read -rd '' -a skip_list <<<"${VB_SKIP_SUITES:-}" || true
skip=" ${skip_list[*]} "
for name in "$@"; do
	[[ -x $build/tests/$name ]] || { echo "run-tests.sh: no suite $build/tests/$name" >&2; exit 2; }
done
passed=0 failed=0 failed_names=()
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
for t in "$build"/tests/test_*; do
	[[ -x $t && $t != *.d ]] || continue
	name=${t##*/}
	[[ $only == "  " || $only == *" $name "* ]] || continue
	[[ $skip != *" $name "* ]] || continue
	# Where a long CI run spends its time, suite by suite: wall seconds, and
	# the CPU seconds of the suite and everything it ran.
	TIMEFORMAT='%R s wall, %U s user, %S s system'
	{ time out=$(VB_BUILD=$build "$t" 2>&1); } 2>"$timing"
	rc=$?
	printf '=== %s\n%s\n=== %s: %s\n' "$t" "$out" "$t" "$(cat "$timing")"
	n_pass=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	n_fail=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${n_pass:-0}))
	if ((rc != 0)); then
		failed=$((failed + ${n_fail:-1}))
		failed_names+=("$t")
	fi
done
echo
((${#failed_names[@]})) && echo "$build: failing suites: ${failed_names[*]}"
echo "$build: $passed passed, $failed failed"
((failed == 0))
