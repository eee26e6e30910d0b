#!/usr/bin/env bash
# Boots an emulated host under QEMU TCG with hardware virtualization exposed
# to its kernel, runs virtbench inside against the nested /dev/kvm, and copies
# the result files out: `virtbench vm nested-exec`, the L1 guest of `vm
# nested`, with this script's choice of kernel, busybox, mode and files.
#   run-host.sh arm64 vhe|nvhe|pkvm VIRTBENCH
#                                          Debian arm64 kernel, virt machine with
#                                          EL2 and GICv3, -cpu max; nvhe and pkvm
#                                          boot with kvm-arm.mode=nvhe|protected
#   run-host.sh x86_64 svm VIRTBENCH       this machine's Debian amd64 kernel,
#                                          -cpu max,+svm, kvm-amd from an initramfs
# VIRTBENCH is a static binary of that architecture. Results land in
# build-emul/results/<arch>-<mode>/ and the console log in
# build-emul/<arch>-<mode>.log. Exit 0 when the host booted in the expected
# mode, every command exited 0 and every result file came out.
# Environment: VB_EMUL_DIR (build-emul), VB_EMUL_TIMEOUT (seconds, 600),
# VB_EMUL_SMP (CPUs: 2 for arm64, 1 for x86_64), VB_EMUL_COMMANDS
# (tests/emulated/commands.sh), VB_EMUL_HOST_VIRTBENCH (the virtbench of this
# machine that boots the host: VIRTBENCH for x86_64, else build/virtbench), and
# VB_EMUL_UNITS=BUILD_DIR: also run unit-test suites of that build (of the
# host's architecture) on the emulated host's real kernel and KVM, with the
# shared libraries they link (arm64: glibc of the cross toolchain, jansson
# and cmocka of BUILD_DIR/sysroot; x86_64: what ldd finds) and
# tests/fixtures. VB_EMUL_UNIT_SUITES picks them (globs; default: those
# that need what user-mode emulation lacks: KVM (vm), the live host probes,
# process groups and signals; the container and QEMU suites need tools this
# minimal host does not have). VB_EMUL_UNIT_ENV: NAME=VALUE words exported
# to those suites (VB_FUZZ_SECONDS, VB_FUZZ_SEED; VB_UNIT_LIMIT, the
# seconds each suite may take, 300 by default).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 arm64 vhe|nvhe|pkvm VIRTBENCH | x86_64 svm VIRTBENCH" >&2; exit 2; }
arch=$1 mode=$2 bin=$3
here=$(cd "$(dirname "$0")" && pwd)
emul=${VB_EMUL_DIR:-build-emul}
commands=${VB_EMUL_COMMANDS:-$here/commands.sh}
tag=$arch-$mode
mkdir -p "$emul/results"
emul=$(cd "$emul" && pwd)
results=$emul/results/$tag
log=$emul/$tag.log
[[ -x $bin ]] || { echo "run-host: $bin not found; build it first" >&2; exit 1; }
# What the host's kernel says once KVM is up in the requested mode, and
# how QEMU is told that mode: the rest is virtbench's (src/nested/).
args=()
case $arch-$mode in
arm64-vhe | arm64-nvhe | arm64-pkvm)
	# The current Debian arm64 kernel, only its vmlinuz unpacked; KVM is
	# built in. busybox-static for arm64 provides the userland.
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
	[[ -n $kpkg ]] || { echo "run-host: no arm64 kernel package known; run 'scripts/deps.sh test' as root" >&2; exit 1; }
	FETCH_ONLY=./boot "$here/fetch-debs.sh" "$emul/debs" "$emul/arm64/kernel" "$kpkg:arm64"
	"$here/fetch-debs.sh" "$emul/debs" "$emul/arm64/busybox" busybox-static:arm64
	kernel=$(compgen -G "$emul/arm64/kernel/boot/vmlinuz-${kpkg#linux-image-}" | head -1)
	busybox=$emul/arm64/busybox/bin/busybox
	host=${VB_EMUL_HOST_VIRTBENCH:-$here/../../build/virtbench}
	args+=(--arch aarch64)
	case $mode in
	vhe) expect_mode='VHE mode initialized' ;;
	nvhe)
		expect_mode='Hyp mode initialized'
		args+=(--append kvm-arm.mode=nvhe)
		;;
	pkvm)
		expect_mode='Protected nVHE mode initialized'
		args+=(--append kvm-arm.mode=protected)
		;;
	esac
	;;
x86_64-svm)
	# This machine's Debian kernel (package linux-image-amd64) with the
	# KVM modules it was built with; virtbench loads kvm-amd in
	# modules.dep order.
	kernel=
	for k in $(compgen -G '/boot/vmlinuz-*-amd64' | sort -V -r); do
		if modinfo -k "${k#/boot/vmlinuz-}" -n kvm-amd >/dev/null 2>&1; then kernel=$k; break; fi
	done
	[[ -n $kernel ]] || { echo "run-host: no /boot/vmlinuz-*-amd64 with kvm-amd; install linux-image-amd64" >&2; exit 1; }
	busybox=/bin/busybox
	host=${VB_EMUL_HOST_VIRTBENCH:-$bin}
	args+=(--arch x86_64)
	expect_mode='SVM: kvm: Nested Paging enabled'
	;;
*) echo "run-host: unknown host '$arch $mode'" >&2; exit 2 ;;
esac
[[ -f $kernel ]] || { echo "run-host: kernel missing ($kernel)" >&2; exit 1; }
[[ -x $host ]] || { echo "run-host: $host not found (VB_EMUL_HOST_VIRTBENCH); build it first" >&2; exit 1; }
[[ -n ${VB_EMUL_SMP:-} ]] && args+=(--smp "$VB_EMUL_SMP")

# What /init sources: the commands, then the unit suites.
script=$emul/$tag.exec.sh
{ echo "VB_CMD_TIMEOUT=180"; cat "$commands"; } >"$script"
nunit=0
if [[ -n ${VB_EMUL_UNITS:-} ]]; then
	units=$VB_EMUL_UNITS
	env=$emul/$tag.unit.env
	: >"$env"
	for kv in ${VB_EMUL_UNIT_ENV:-}; do
		[[ $kv =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.]*$ ]] ||
			{ echo "run-host: VB_EMUL_UNIT_ENV: '$kv' is not NAME=VALUE" >&2; exit 2; }
		echo "export $kv" >>"$env"
	done
	tests=()
	for g in ${VB_EMUL_UNIT_SUITES:-test_vm_* test_host_live test_core_proc test_core_interrupt}; do
		for t in "$units"/tests/$g; do
			[[ -x $t && $t != *.d ]] && tests+=("$t")
		done
	done
	for t in "${tests[@]}"; do args+=(--add "$t:/tests/${t##*/}"); done
	nunit=${#tests[@]}
	if [[ $arch == arm64 ]]; then
		for l in ld-linux-aarch64.so.1 libc.so.6 libm.so.6; do
			args+=(--add "/usr/aarch64-linux-gnu/lib/$l:/lib/$l")
		done
		for l in libjansson.so.4 libcmocka.so.0; do
			args+=(--add "$units/sysroot/usr/lib/aarch64-linux-gnu/$l:/lib/$l")
		done
	else
		# Each library at the path the binaries were linked to find it.
		for l in $(ldd "${tests[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				$1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
			args+=(--add "$l:$l")
		done
	fi
	args+=(--add "$here/../fixtures:/fixtures" --add "$env:/unit.env")
	cat "$here/guest-units.sh" >>"$script"
fi

echo "run-host: booting $tag ($(basename "$kernel"))" >&2
rm -rf "$results" "$log"
start=$(date +%s.%N)
# Its stderr shown as it comes and kept for the verdict line.
set +e
{ "$host" vm nested-exec "${args[@]}" --accel tcg --kernel "$kernel" --busybox "$busybox" \
	--virtbench "$bin" --timeout "${VB_EMUL_TIMEOUT:-600}" --exec "$script" --out "$results" \
	--expect-log "$expect_mode" 2>&1 1>&3 3>&- | tee "$emul/$tag.err" >&2; } 3>&1
rc=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
[[ -f $results/console.log ]] && cp "$results/console.log" "$log"

# Verdict: virtbench's, and that every unit suite ran.
fail=()
if ((rc != 0)); then
	why=$(sed -n 's/^virtbench: //p' "$emul/$tag.err" | tail -1)
	fail+=("${why:-virtbench vm nested-exec exited $rc}")
fi
nrun=$(grep -c '^VB-RC unit-' "$log" 2>/dev/null || true)
((${nrun:-0} == nunit)) || fail+=("${nrun:-0} of $nunit unit-test suites ran")
grep '^VB-UNIT-SUM ' "$log" 2>/dev/null | sed 's/^VB-UNIT-SUM /  unit tests on the emulated host: /' >&2 || true
if ((${#fail[@]})); then
	echo "run-host: $tag FAILED after $wall s: ${fail[*]}; console log: $log" >&2
	[[ -f $log ]] && tail -40 "$log" >&2
	exit 1
fi
echo "run-host: $tag passed in $wall s; results in $results" >&2
