#!/usr/bin/env bash
# An emulated aarch64 host that `virtbench fleet run` reaches over ssh:
# Debian's arm64 kernel under qemu-system-aarch64 TCG with a busybox
# initramfs running Dropbear (Debian's arm64 dropbear-bin and the shared
# libraries it needs, unpacked from the .debs, nothing installed here) and
# OpenSSH's sftp-server for scp. Its only network is QEMU's user-mode stack
# with restrict=on: the guest reaches nothing outside QEMU, and the one way
# in is a forward from 127.0.0.1:PORT to its port 22.
#
#   ssh-host.sh prepare DIR
#       fetches and unpacks the packages into DIR (default
#       build-emul/arm64-ssh) and writes DIR/base.cpio.gz and DIR/vmlinuz;
#       a second run is a no-op (DIR/.ready)
#   ssh-host.sh boot DIR PORT HOST_KEY AUTHORIZED_KEYS WORK
#       boots it: HOST_KEY is an OpenSSH private key (converted for Dropbear
#       inside), AUTHORIZED_KEYS goes to /root/.ssh; the initramfs is
#       assembled in WORK (the caller's temp dir). QEMU replaces this shell,
#       so stopping this process stops the host. The console goes to
#       WORK/ssh-host.log; the server is up once port PORT answers with an
#       SSH banner (QEMU accepts on PORT before the guest listens).
#
# The kernel command line carries virtbench.emulated=qemu-tcg, as in
# run-host.sh: every result set made there says it comes from emulation.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() {
	echo "usage: $0 prepare [DIR] | boot DIR PORT HOST_KEY AUTHORIZED_KEYS WORK" >&2
	exit 2
}
(($# >= 1)) || usage
cmd=$1
shift

prepare() {
	local dir=${1:-build-emul/arm64-ssh}
	[[ -e $dir/.ready ]] && return 0
	local emul
	emul=$(dirname "$dir")
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
	[[ -n $kpkg ]] || { echo "ssh-host: no arm64 kernel package known; run 'scripts/deps.sh test' as root" >&2; exit 1; }
	local kver=${kpkg#linux-image-}
	local mods=(kernel/net/core/failover.ko kernel/drivers/net/net_failover.ko
		kernel/drivers/virtio/virtio_pci_legacy_dev.ko
		kernel/drivers/virtio/virtio_pci_modern_dev.ko
		kernel/drivers/virtio/virtio_pci.ko kernel/drivers/net/virtio_net.ko)
	local only="./boot/vmlinuz-$kver"
	for m in "${mods[@]}"; do only+=" ./lib/modules/$kver/$m"; done
	FETCH_ONLY=$only "$here/fetch-debs.sh" "$emul/debs" "$dir/kernel" "$kpkg:arm64"
	"$here/fetch-debs.sh" "$emul/debs" "$dir/pkgs" busybox-static:arm64 dropbear-bin:arm64 \
		libc6:arm64 libcrypt1:arm64 libtomcrypt1:arm64 libtommath1:arm64 libgmp10:arm64 \
		zlib1g:arm64 openssh-sftp-server:arm64
	local root=$dir/root p=$dir/pkgs
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,proc,sys,dev,tmp,root/.ssh,etc/dropbear,mod,keys}
	mkdir -p "$root/lib/aarch64-linux-gnu" "$root/usr/lib/aarch64-linux-gnu"
	cp "$p/bin/busybox" "$root/bin/busybox"
	cp "$p/usr/sbin/dropbear" "$root/usr/sbin/"
	cp "$p/usr/bin/dropbearconvert" "$root/usr/bin/"
	# Dropbear's built-in path for the sftp subsystem.
	cp "$p/usr/lib/openssh/sftp-server" "$root/usr/lib/sftp-server"
	cp -a "$p/lib/ld-linux-aarch64.so.1" "$root/lib/"
	cp -a "$p"/lib/aarch64-linux-gnu/{ld-linux-aarch64.so.1,libc.so.6,libcrypt.so.1*,libz.so.1*} \
		"$root/lib/aarch64-linux-gnu/"
	cp -a "$p"/usr/lib/aarch64-linux-gnu/{libtomcrypt.so.1*,libtommath.so.1*,libgmp.so.10*} \
		"$root/usr/lib/aarch64-linux-gnu/"
	# The virtio network device, dependencies first.
	for m in "${mods[@]}"; do
		cp "$dir/kernel/lib/modules/$kver/$m" "$root/mod/"
		basename "$m" >>"$root/mod/order"
	done
	cp "$here/ssh-init.sh" "$root/init"
	chmod 0755 "$root/init"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	printf '/bin/sh\n' >"$root/etc/shells"
	chmod 0700 "$root/root" "$root/root/.ssh"
	cp "$dir/kernel/boot/vmlinuz-$kver" "$dir/vmlinuz"
	(cd "$root" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$dir/base.cpio.gz"
	touch "$dir/.ready"
}

boot() {
	(($# == 5)) || usage
	local dir=$1 port=$2 hostkey=$3 auth=$4 work=$5
	[[ -e $dir/.ready ]] || { echo "ssh-host: $dir is not prepared; run '$0 prepare $dir'" >&2; exit 1; }
	[[ $port =~ ^[0-9]+$ ]] || usage
	local extra=$work/ssh-host-keys
	rm -rf "$extra"
	mkdir -p "$extra/keys" "$extra/root/.ssh"
	cp "$hostkey" "$extra/keys/host_key"
	cp "$auth" "$extra/root/.ssh/authorized_keys"
	chmod 0700 "$extra/root" "$extra/root/.ssh"
	chmod 0600 "$extra/keys/host_key" "$extra/root/.ssh/authorized_keys"
	# The kernel unpacks concatenated archives in turn: the keys of this run
	# over the prepared base.
	(cd "$extra" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$work/ssh-host-keys.cpio.gz"
	cat "$dir/base.cpio.gz" "$work/ssh-host-keys.cpio.gz" >"$work/ssh-host.cpio.gz"
	rm -rf "$extra" "$work/ssh-host-keys.cpio.gz"
	exec qemu-system-aarch64 -accel tcg -machine virt,gic-version=3 -cpu max,pauth-impdef=on \
		-smp "${VB_EMUL_SMP:-2}" -m 1024 -nographic -no-reboot \
		-nic "user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:$port-:22" \
		-kernel "$dir/vmlinuz" -initrd "$work/ssh-host.cpio.gz" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 quiet virtbench.emulated=qemu-tcg" \
		</dev/null >"$work/ssh-host.log" 2>&1
}

case $cmd in
prepare) prepare "$@" ;;
boot) boot "$@" ;;
*) usage ;;
esac
