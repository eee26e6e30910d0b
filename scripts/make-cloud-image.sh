#!/usr/bin/env bash
# Builds a Debian 12 generic cloud image here, from the Debian archive that
# apt on this machine already uses: the offline stand-in for the Ubuntu cloud
# image the seed boots. A real distribution as a cloud provider ships it: a
# partitioned disk with a boot loader, the cloud kernel, systemd and
# cloud-init reading a NoCloud seed; qcow2. Nothing is mounted and no loop
# device is used (mkfs.ext4 -d fills the file system, the boot loader is
# written into the disk file), so it also builds in a container.
#
#   scripts/make-cloud-image.sh [OUT.qcow2]
#       default OUT: build/cloud/debian-12-genericcloud-<arch>.qcow2; an
#       existing OUT is kept (the cache) unless --rebuild is given first.
#
# x86_64: BIOS boot with GRUB (grub-pc-bin). aarch64: UEFI boot with a
# standalone GRUB on an EFI system partition (grub-efi-arm64-bin, mtools);
# QEMU then needs the firmware of qemu-efi-aarch64.
set -euo pipefail

rebuild=0
if [[ ${1:-} == --rebuild ]]; then
	rebuild=1
	shift
fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

case $(uname -m) in
x86_64) debarch=amd64 console=ttyS0 ;;
aarch64) debarch=arm64 console=ttyAMA0 ;;
*)
	echo "make-cloud-image: $(uname -m) is not supported (x86_64 and aarch64 are)" >&2
	exit 2
	;;
esac
out=${1:-build/cloud/debian-12-genericcloud-$debarch.qcow2}
if [[ -s $out && $rebuild == 0 ]]; then
	echo "$out"
	exit 0
fi

need=(mmdebstrap mkfs.ext4 sfdisk qemu-img)
pkgs=(mmdebstrap e2fsprogs fdisk qemu-utils)
if [[ $debarch == amd64 ]]; then
	need+=(grub-mkimage)
	pkgs+=(grub-pc-bin)
else
	need+=(grub-mkstandalone mkfs.vfat mcopy)
	pkgs+=(grub-efi-arm64-bin dosfstools mtools)
fi
missing=()
for t in "${need[@]}"; do
	command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "$t" >/dev/null 2>&1 ||
		missing+=("$t")
done
if ((${#missing[@]})); then
	echo "make-cloud-image: missing ${missing[*]}; install with: apt-get install ${pkgs[*]}" >&2
	exit 1
fi
export PATH=$PATH:/usr/sbin:/sbin

mkdir -p "$(dirname "$out")"
work=$(mktemp -d "$(dirname "$out")/.cloud-image.$$.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The archive apt already uses: its bookworm sources, else Debian's default.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[[ -f $f ]] && grep -q bookworm "$f" && sources+=("$f")
done

root=$work/root
echo "make-cloud-image: debootstrapping Debian 12 ($debarch) into $root" >&2
packages=linux-image-cloud-$debarch,systemd-sysv,udev,cloud-init,initramfs-tools,ifupdown,netbase
mmdebstrap --quiet --variant=minbase --architectures="$debarch" --include="$packages" \
	bookworm "$root" "${sources[@]}"

# What a cloud provider's image has: root by label, NoCloud first, the
# console on the serial port so the boot is seen (and timed) there, GRUB
# saying what it loads (as Debian's own grub.cfg does), and no_timer_check
# (as Fedora's and other cloud images have): under emulation on a loaded
# host the kernel's check of the timer interrupt can fail and panic.
echo 'LABEL=vbroot / ext4 defaults,errors=remount-ro 0 1' >"$root/etc/fstab"
echo debian >"$root/etc/hostname"
mkdir -p "$root/etc/cloud/cloud.cfg.d" "$root/boot/grub"
cat >"$root/etc/cloud/cloud.cfg.d/90-virtbench-nocloud.cfg" <<'EOF'
# Built by virtbench's scripts/make-cloud-image.sh: a seed disk (NoCloud),
# as the seed's cloud-localds image, or nothing.
datasource_list: [ NoCloud, None ]
# No locales package in a minimal image: leave the locale as it is.
locale: false
EOF
cat >"$root/boot/grub/grub.cfg" <<EOF
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry 'Debian GNU/Linux 12' {
	echo 'Loading Linux ...'
	linux /vmlinuz root=LABEL=vbroot ro console=tty0 console=$console,115200 no_timer_check
	echo 'Loading initial ramdisk ...'
	initrd /initrd.img
}
EOF

part=$work/root.ext4
size_mib=$(($(du -sm "$root" | cut -f1) + 768))
mkfs.ext4 -q -F -L vbroot -d "$root" "$part" "${size_mib}M"
raw=$work/disk.raw
if [[ $debarch == amd64 ]]; then
	# MBR, one bootable partition at 1 MiB; GRUB's boot sector in the MBR
	# and its core image in the gap before the partition, as grub-install
	# would write them on a disk.
	truncate -s $((size_mib + 1))M "$raw"
	printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$raw"
	dd if="$part" of="$raw" bs=1M seek=1 conv=notrunc,sparse status=none
	grub-mkimage -O i386-pc -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' \
		biosdisk part_msdos ext2 normal linux configfile echo serial terminal test search
	dd if=/usr/lib/grub/i386-pc/boot.img of="$raw" bs=440 count=1 conv=notrunc status=none
	dd if="$work/core.img" of="$raw" bs=512 seek=1 conv=notrunc status=none
else
	# GPT: an EFI system partition with a standalone GRUB that loads the
	# configuration from the root partition, then root.
	esp=$work/esp.vfat
	truncate -s 64M "$esp"
	mkfs.vfat -n EFI "$esp" >/dev/null
	printf 'search --label vbroot --set root\nset prefix=($root)/boot/grub\nconfigfile $prefix/grub.cfg\n' \
		>"$work/early.cfg"
	grub-mkstandalone -O arm64-efi -o "$work/BOOTAA64.EFI" \
		--modules="part_gpt ext2 search search_label normal linux configfile echo" \
		"boot/grub/grub.cfg=$work/early.cfg"
	mmd -i "$esp" ::/EFI ::/EFI/BOOT
	mcopy -i "$esp" "$work/BOOTAA64.EFI" ::/EFI/BOOT/BOOTAA64.EFI
	truncate -s $((size_mib + 66))M "$raw"
	printf 'label: gpt\nstart=2048, size=64MiB, type=U\nstart=133120, type=L\n' | sfdisk -q "$raw"
	dd if="$esp" of="$raw" bs=1M seek=1 conv=notrunc status=none
	dd if="$part" of="$raw" bs=1M seek=65 conv=notrunc,sparse status=none
fi
qemu-img convert -O qcow2 "$raw" "$work/image.qcow2"
mv -f "$work/image.qcow2" "$out"
echo "make-cloud-image: wrote $out ($(du -h "$out" | cut -f1))" >&2
echo "$out"
