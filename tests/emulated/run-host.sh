#!/usr/bin/env bash
# Boots an emulated host under QEMU TCG with hardware virtualization exposed
# to its kernel, runs virtbench inside against the nested /dev/kvm, and copies
# the result files out.
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
# VB_EMUL_SMP (CPUs: 2 for arm64, 1 for x86_64), VB_EMUL_COMMANDS (tests/emulated/commands.sh), and
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
# One CPU for the x86_64 host: with two, QEMU 7.2's multi-threaded TCG on a
# busy machine leaves the emulated kernel's cross-CPU calls unanswered while
# it patches its code (KVM switches static keys when a VM is made or ended):
# a soft lockup in kvm_destroy_vm. The microVM's vCPU threads share the CPU.
smp=${VB_EMUL_SMP:-$([[ $1 == x86_64 ]] && echo 1 || echo 2)}
tag=$arch-$mode
mkdir -p "$emul"
emul=$(cd "$emul" && pwd)
root=$emul/$tag-root
results=$emul/results/$tag
log=$emul/$tag.log
# On the emulated host's kernel command line, so that every result set made
# there carries it in its host block (host.kernel.cmdline): these figures
# come from emulation and say nothing about the speed of real hardware.
VB_EMUL_MARK="virtbench.emulated=qemu-tcg"
[[ -x $bin ]] || { echo "run-host: $bin not found; build it first" >&2; exit 1; }

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
	append="console=ttyAMA0"
	[[ $mode == nvhe ]] && append+=" kvm-arm.mode=nvhe"
	[[ $mode == pkvm ]] && append+=" kvm-arm.mode=protected"
	qemu=(qemu-system-aarch64 -accel tcg -machine virt,virtualization=on,gic-version=3
		-cpu max,pauth-impdef=on)
	# What the kernel says once KVM is up in the requested mode.
	case $mode in
	vhe) expect_mode='VHE mode initialized' ;;
	nvhe) expect_mode='Hyp mode initialized' ;;
	pkvm) expect_mode='Protected nVHE mode initialized' ;;
	esac
	;;
x86_64-svm)
	# This machine's Debian kernel (package linux-image-amd64) with the
	# KVM modules it was built with.
	kver=
	for k in $(compgen -G '/boot/vmlinuz-*-amd64' | sort -V -r); do
		v=${k#/boot/vmlinuz-}
		if modinfo -k "$v" -n kvm-amd >/dev/null 2>&1; then kver=$v; break; fi
	done
	[[ -n $kver ]] || { echo "run-host: no /boot/vmlinuz-*-amd64 with kvm-amd; install linux-image-amd64" >&2; exit 1; }
	kernel=/boot/vmlinuz-$kver
	# Debian's busybox-static; the dynamic busybox would need its libraries.
	busybox=/bin/busybox
	if readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
		echo "run-host: $busybox is not static; install busybox-static" >&2
		exit 1
	fi
	append="console=ttyS0"
	qemu=(qemu-system-x86_64 -accel tcg -cpu max,+svm)
	expect_mode='SVM: kvm: Nested Paging enabled'
	;;
*) echo "run-host: unknown host '$arch $mode'" >&2; exit 2 ;;
esac
[[ -f $kernel ]] || { echo "run-host: kernel missing ($kernel)" >&2; exit 1; }
[[ -x $busybox ]] || { echo "run-host: static busybox missing (busybox-static)" >&2; exit 1; }

# The initramfs: busybox, virtbench, /init, the command list, modules.
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,out}
cp "$busybox" "$root/bin/busybox"
cp "$bin" "$root/virtbench"
cp "$here/guest-init.sh" "$root/init"
cp "$commands" "$root/commands.sh"
chmod +x "$root/init" "$root/virtbench"
if [[ -n ${VB_EMUL_UNITS:-} ]]; then
	units=$VB_EMUL_UNITS
	mkdir -p "$root/tests" "$root/lib"
	for g in ${VB_EMUL_UNIT_SUITES:-test_vm_* test_host_live test_core_proc test_core_interrupt}; do
		for t in "$units"/tests/$g; do
			[[ -x $t && $t != *.d ]] && cp "$t" "$root/tests/"
		done
	done
	if [[ $arch == arm64 ]]; then
		for l in ld-linux-aarch64.so.1 libc.so.6 libm.so.6; do
			cp -L "/usr/aarch64-linux-gnu/lib/$l" "$root/lib/"
		done
		cp -L "$units"/sysroot/usr/lib/aarch64-linux-gnu/{libjansson.so.4,libcmocka.so.0} \
			"$root/lib/"
	else
		# Each library at the path the binaries were linked to find it.
		for l in $(ldd "$root"/tests/test_* | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				$1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
			cp -L --parents "$l" "$root/"
		done
	fi
	cp -r "$here/../fixtures" "$root/fixtures"
	for kv in ${VB_EMUL_UNIT_ENV:-}; do
		[[ $kv =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.]*$ ]] ||
			{ echo "run-host: VB_EMUL_UNIT_ENV: '$kv' is not NAME=VALUE" >&2; exit 2; }
		echo "export $kv" >>"$root/unit.env"
	done
fi
if [[ $arch == x86_64 ]]; then
	# kvm-amd and what it needs, dependencies first.
	mkdir -p "$root/mod"
	declare -A seen=()
	add_module() {
		local m=$1 d f
		[[ -n ${seen[$m]:-} ]] && return 0
		seen[$m]=1
		for d in $(modinfo -k "$kver" -F depends "$m" | tr ',' ' '); do add_module "$d"; done
		f=$(modinfo -k "$kver" -n "$m")
		case $f in
		*.ko) cp "$f" "$root/mod/$m.ko" ;;
		*.ko.xz) xz -dc "$f" >"$root/mod/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$root/mod/$m.ko" ;;
		*) echo "run-host: cannot load module file $f" >&2; exit 1 ;;
		esac
		echo "$m.ko" >>"$root/mod/order"
	}
	add_module kvm-amd
fi
initrd=$emul/$tag.cpio.gz
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"

echo "run-host: booting $tag ($(basename "$kernel"), smp $smp)" >&2
start=$(date +%s.%N)
rc=0
timeout "${VB_EMUL_TIMEOUT:-600}" "${qemu[@]}" -smp "$smp" -m 2048 -nographic -no-reboot \
	-nic none -kernel "$kernel" -initrd "$initrd" \
	-append "$append rdinit=/init panic=-1 quiet $VB_EMUL_MARK" </dev/null >"$log" 2>&1 || rc=$?
end=$(date +%s.%N)
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

# Results out of the console log.
rm -rf "$results"
mkdir -p "$results"
awk -v dir="$results" '
	/^VB-FILE-BEGIN / { name = $2; buf = ""; infile = 1; next }
	/^VB-FILE-END/ { if (infile) { print buf > (dir "/" name ".b64"); close(dir "/" name ".b64") } infile = 0; next }
	infile { buf = buf $0 "\n" }
' "$log"
for f in "$results"/*.b64; do
	[[ -e $f ]] || continue
	base64 -d "$f" >"${f%.b64}" && rm -f "$f"
done
cp "$log" "$results/console.log"
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

# Verdict.
fail=()
((rc == 0)) || fail+=("qemu exited $rc")
grep -q '^VB-DONE' "$log" || fail+=("the host did not finish (no VB-DONE)")
grep -q "$expect_mode" "$log" || fail+=("kernel never said '$expect_mode'")
while read -r _ name crc _; do
	[[ $crc == 0 ]] || fail+=("'$name' exited $crc")
done < <(grep '^VB-RC ' "$log" || true)
while read -r _ name _; do
	[[ -s $results/$name || $name != *.json ]] || fail+=("$name not copied out")
done < <(grep '^VB-RC ' "$log" || true)
if [[ -d $root/tests ]]; then
	nunit=$(compgen -G "$root/tests/test_*" | wc -l)
	nrun=$(grep -c '^VB-UNIT-RC ' "$log" || true)
	((nrun == nunit)) || fail+=("$nrun of $nunit unit-test suites ran")
	while read -r _ name urc _; do
		[[ $urc == 0 ]] || fail+=("unit suite $name failed (rc $urc; see $results/unit-$name.txt)")
	done < <(grep '^VB-UNIT-RC ' "$log" || true)
fi
ncmd=$(grep -c '^VB-RUN ' "$log" || true)
nrc=$(grep -c '^VB-RC ' "$log" || true)
((ncmd > 0 && ncmd == nrc)) || fail+=("$nrc of $ncmd commands finished")

sed -n 's/^VB-RC \([^ ]*\) \([0-9]*\) \([0-9.]*\) \([0-9.]*\)/  \1: rc \2, \3 s .. \4 s (guest uptime)/p' "$log" >&2
grep '^VB-UNIT-SUM ' "$log" | sed 's/^VB-UNIT-SUM /  unit tests on the emulated host: /' >&2 || true
if ((${#fail[@]})); then
	echo "run-host: $tag FAILED after $wall s: ${fail[*]}; console log: $log" >&2
	tail -40 "$log" >&2
	exit 1
fi
echo "run-host: $tag passed in $wall s; results in $results" >&2
