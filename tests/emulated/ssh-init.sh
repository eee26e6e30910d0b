#!/bin/busybox sh
# /init of the emulated ssh host (tests/emulated/ssh-host.sh): the virtio
# network device up on QEMU's user-mode network, Dropbear in the foreground
# with the host key of this run; the host powers off when Dropbear ends.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /tmp /var/log /var/run
mount -t devpts devpts /dev/pts
dmesg -n 5
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
while read -r m; do
	insmod "/mod/$m" || echo "VB-NOTE insmod $m failed"
done </mod/order
ip link set lo up
# 10.0.2.15 is the guest's side of QEMU's user-mode network; it exists only
# inside QEMU (restrict=on), where the hostfwd rule delivers to it.
ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up || echo "VB-NOTE no eth0"
dropbearconvert openssh dropbear /keys/host_key /etc/dropbear/host_key >/dev/null 2>&1 ||
	echo "VB-NOTE the host key could not be converted"
rm -f /keys/host_key
echo "VB-SSH-READY"
# -s: keys only; -E: its log on the console; -F: in the foreground.
dropbear -F -E -s -p 22 -r /etc/dropbear/host_key
echo "VB-NOTE dropbear ended: $?"
poweroff -f
