#!/usr/bin/env bash
# virtbench's TCP stream against iperf3 over loopback on this machine:
# `iperf3 -c 127.0.0.1` (128 KiB writes, one stream) against `virtbench
# native net --tests tcp_stream` (128 KiB writes to its own peer), and
# `iperf3 -R` against `--tests tcp_stream_rx`. The iperf3 server listens on
# 127.0.0.1 only, for this script's runs. Runs alternate A B A B, and every
# pair's ratio virtbench / iperf3 is printed with the median ratio.
#
# Usage: bench/vs-iperf3.sh [-n PAIRS] [-t SECONDS] [-p PORT] [-b VIRTBENCH]
#   -n PAIRS    A/B pairs per direction (default 5, at least 5)
#   -t SECONDS  time of every run (default 5)
#   -p PORT     the iperf3 server's port on 127.0.0.1 (default 15201)
#   -b PATH     the virtbench binary (default ./virtbench, else build/virtbench)
# Target (issue 15): throughput within 0.90-1.10.
set -euo pipefail

pairs=5 secs=5 port=15201 vb=
while getopts "n:t:p:b:h" o; do
	case $o in
	n) pairs=$OPTARG ;;
	t) secs=$OPTARG ;;
	p) port=$OPTARG ;;
	b) vb=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
. "$(dirname "$0")/vs-lib.sh"
setup vs-iperf3 iperf3

start_server iperf3 -s -B 127.0.0.1 -p "$port"

echo "# $(iperf3 --version | head -1), $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ)"
echo "# $secs s per run over 127.0.0.1, ratio = virtbench / iperf3"

ip_stream() { # "" or -R
	iperf3 -c 127.0.0.1 -p "$port" -t "$secs" -l 128K $1 -J |
		jq -r '.end.sum_received.bits_per_second / 1e9'
}
vb_stream() { # test
	"$vb" native net --tests "$1" --time "$secs" --iterations 1 --warmup 0 --json -q |
		vb_metric gbit_per_sec "$1"
}
ip_tx() { ip_stream ""; }
ip_rx() { ip_stream -R; }
vb_tx() { vb_stream tcp_stream; }
vb_rx() { vb_stream tcp_stream_rx; }

compare "TCP stream to the peer (iperf3)" "Gbit/s" ip_tx vb_tx - iperf3
compare "TCP stream from the peer (iperf3 -R)" "Gbit/s" ip_rx vb_rx - iperf3
