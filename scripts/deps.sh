#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that `make run` or `make test` needs.
# As root it installs what is missing; otherwise it prints the exact
# apt-get line and stops, so nothing fails later for a missing tool.
#   scripts/deps.sh run    what building and running the suite needs
#   scripts/deps.sh test   that, plus what the tests exercise
set -eu
purpose=${1:-run}

# Needed to build and to run `virtbench run`.
run_pkgs=(gcc make pkg-config libjansson-dev liburing-dev libc6-dev gnuplot-nox)
# Platforms measured by `virtbench run` when present: QEMU with a Debian
# guest kernel and an ISO tool for the cloud-init seed, runc, crun, Docker
# and Podman.
case $(uname -m) in
aarch64) qemu_pkg=qemu-system-arm kernel_pkg=linux-image-arm64 disk_fw=qemu-efi-aarch64 ;;
*) qemu_pkg=qemu-system-x86 kernel_pkg=linux-image-amd64 disk_fw= ;;
esac
run_pkgs+=("$qemu_pkg" qemu-utils "$kernel_pkg" genisoimage runc crun docker.io podman
	busybox-static cpio $disk_fw)
# The tests, the cross-architecture build and the emulated hosts; groff
# checks the manual pages, and `make deb` builds and checks the package;
# `fleet run` and the Ansible playbook are tested against sshd instances on
# loopback addresses.
test_pkgs=("${run_pkgs[@]}" libcmocka-dev clang clang-format libclang-rt-14-dev sysbench stress-ng
	hyperfine qemu-system-arm qemu-user-static gcc-aarch64-linux-gnu
	libc6-dev-arm64-cross linux-image-amd64
	mmdebstrap fdisk grub-pc-bin e2fsprogs
	groff-base build-essential dpkg-dev debhelper lintian
	openssh-server openssh-client ansible-core)

case $purpose in
run) pkgs=("${run_pkgs[@]}") ;;
test) pkgs=("${test_pkgs[@]}") ;;
*) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "virtbench: this helper knows Debian/Ubuntu only; install the equivalents of: ${pkgs[*]}" >&2
	exit 1
fi

# The emulated arm64 host and the aarch64 cross build take a few arm64
# packages (kernel, busybox, jansson, cmocka) from Debian as .deb files that
# are unpacked into build directories, never installed; apt-get download
# needs arm64 among dpkg's architectures and its package lists fetched.
arm64_lists() {
	compgen -G '/var/lib/apt/lists/*_binary-arm64_Packages*' >/dev/null
}
if [[ $purpose == test ]] && command -v dpkg >/dev/null 2>&1; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64 || ! arm64_lists; then
		if ((EUID != 0)); then
			echo "virtbench: the arm64 package lists are missing; enable them with:" >&2
			echo "  sudo dpkg --add-architecture arm64 && sudo apt-get update" >&2
			exit 1
		fi
		echo "virtbench: adding arm64 to dpkg's architectures (lists only, nothing installed)" >&2
		dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
		apt-get update -qq >&2
	fi
fi

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
	echo "virtbench: missing Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "virtbench: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1) ]]; then
	apt-get update -qq >&2
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
