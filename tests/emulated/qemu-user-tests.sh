#!/usr/bin/env bash
# Runs the aarch64 unit-test binaries of a cross build under qemu-aarch64
# (user mode) and sums up like tests/run-tests.sh.
#   qemu-user-tests.sh BUILD_DIR     (default build-arm64)
# The binaries link cmocka and jansson dynamically from BUILD_DIR/sysroot and
# glibc from the cross toolchain's /usr/aarch64-linux-gnu. Tests that run
# virtbench itself get VB_BUILD pointing at a directory whose `virtbench` is
# a wrapper running the static aarch64 binary under qemu too, since this
# host may have no binfmt_misc entry for aarch64.
#
# User-mode emulation runs aarch64 code on this host's kernel, whose
# /dev/kvm speaks x86_64: tests that need KVM (or root, QEMU, containers)
# cannot mean anything here, and the emulated hosts (run-host.sh) cover them.
# So the suites run with CI unset (such tests skip instead of failing) and,
# as root, in a private mount namespace whose /dev has no kvm node.
set -u
if ((EUID == 0)) && [[ -z ${VB_QEMU_USER_NS:-} ]] && command -v unshare >/dev/null; then
	exec unshare -m --propagation private env VB_QEMU_USER_NS=1 "$0" "$@"
fi
if [[ -n ${VB_QEMU_USER_NS:-} ]]; then
	dev=$(mktemp -d /tmp/vb-qemu-dev.XXXXXX)
	mount -t tmpfs -o mode=755 vbdev "$dev"
	for n in null zero full random urandom tty; do
		[[ -e /dev/$n ]] || continue
		touch "$dev/$n"
		mount --bind "/dev/$n" "$dev/$n"
	done
	for d in shm pts; do
		mkdir -p "$dev/$d"
		[[ -d /dev/$d ]] && mount --rbind "/dev/$d" "$dev/$d"
	done
	ln -s /proc/self/fd "$dev/fd"
	ln -s /proc/self/fd/0 "$dev/stdin"
	ln -s /proc/self/fd/1 "$dev/stdout"
	ln -s /proc/self/fd/2 "$dev/stderr"
	mount --move "$dev" /dev
	rmdir "$dev" 2>/dev/null || true
fi
unset CI
build=${1:-build-arm64}
build=$(cd "$build" && pwd)
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [[ -z $qemu ]]; then
	echo "qemu-user-tests: qemu-aarch64-static not found (Debian package qemu-user-static)" >&2
	exit 1
fi
prefix=/usr/aarch64-linux-gnu
libdir=$build/sysroot/usr/lib/aarch64-linux-gnu

wrapdir=$build/qemu-user
mkdir -p "$wrapdir"
cat >"$wrapdir/virtbench.tmp" <<EOF
#!/bin/sh
exec "$qemu" -L "$prefix" "$build/virtbench" "\$@"
EOF
chmod +x "$wrapdir/virtbench.tmp"
mv -f "$wrapdir/virtbench.tmp" "$wrapdir/virtbench"

# Suites that qemu-user cannot run faithfully. test_core_proc and
# test_core_interrupt: it emulates vfork as a plain fork (posix_spawn returns
# before the child has its process group) and process-group signals race
# with that; they run on a real aarch64 kernel in the emulated arm64 host
# instead (run-host.sh, VB_EMUL_UNITS). test_container_*: the containers
# exec the aarch64 worker through this host's kernel (exec format error)
# and qemu-user refuses clone() with namespace flags. test_emulated_results:
# it reads what the emulated hosts write, which `make test` runs beside this;
# the host build's suite checks those files once they are complete.
# test_cleanup_signals: it signals virtbench at chosen moments of container,
# QEMU and memlat runs; under qemu-user those moments fall elsewhere (the
# emulated binary is many times slower) and the containers cannot exec the
# aarch64 worker, so it would test the emulator, not virtbench.
# test_io_workloads: qemu-user has no io_uring and refuses the namespaces
# of the container modes; the disk and network code is the same C on both
# architectures and runs natively here.
# test_sweep: its live owner's runc states, cgroups and images are named
# after the process's start time, which qemu-user's emulated /proc/self/stat
# gives otherwise than the real one, so a native run's sweep beside it
# (make test runs the host build's suites at the same time) takes them for a
# dead run's; the sweep is the same C on both architectures and runs natively.
# Single tests that start containers skip when VB_QEMU_USER is set.
# test_install: it installs the host build with make and runs what it
# installed; a cross build is neither installed nor packaged here.
skip=" ${VB_QEMU_USER_SKIP-test_core_proc test_core_interrupt test_cleanup_signals test_container_cli test_container_reuse test_container_runtime test_emulated_results test_install test_io_workloads test_sweep} "
passed=0 failed=0 failed_names=()
for t in "$build"/tests/test_*; do
	[[ -x $t && $t != *.d ]] || continue
	if [[ $skip == *" ${t##*/} "* ]]; then
		echo "=== $t: not run under qemu-user (see the comment in $0)"
		continue
	fi
	echo "=== $t (qemu-aarch64)"
	t0=$SECONDS
	out=$(VB_QEMU_USER=1 VB_BUILD=$wrapdir LD_LIBRARY_PATH=$libdir "$qemu" -L "$prefix" "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	echo "=== ${t##*/}: $((SECONDS - t0)) s"
	n_pass=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	n_fail=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${n_pass:-0}))
	if ((rc != 0)); then
		failed=$((failed + ${n_fail:-1}))
		failed_names+=("$t")
	fi
done
echo
((${#failed_names[@]})) && echo "failing aarch64 suites: ${failed_names[*]}"
echo "aarch64: $passed passed, $failed failed"
((failed == 0))
