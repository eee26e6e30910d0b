#!/usr/bin/env bash
# virtbench's TCP request/response latency against sockperf's ping-pong
# over loopback on this machine: the median round trip of `sockperf pp
# --tcp --full-rtt -m SIZE` against the median (p50_us) of `virtbench native
# net --tests tcp_rr --message-size SIZE`. The sockperf server listens on
# 127.0.0.1 only, for this script's runs. Runs alternate A B A B, and every
# pair's ratio virtbench / sockperf is printed with the median ratio.
#
# Usage: bench/vs-sockperf.sh [-n PAIRS] [-t SECONDS] [-m "SIZES"] [-p PORT] [-b VIRTBENCH]
#   -n PAIRS    A/B pairs per size (default 5, at least 5)
#   -t SECONDS  time of every run (default 5)
#   -m "14 64"  message sizes in bytes (default "14 64"; sockperf's least is 14)
#   -p PORT     the sockperf server's port on 127.0.0.1 (default 11111)
#   -b PATH     the virtbench binary (default ./virtbench, else build/virtbench)
# Target (issue 15): median latency within 0.90-1.10.
set -euo pipefail

pairs=5 secs=5 sizes="14 64" port=11111 vb=
while getopts "n:t:m:p:b:h" o; do
	case $o in
	n) pairs=$OPTARG ;;
	t) secs=$OPTARG ;;
	m) sizes=$OPTARG ;;
	p) port=$OPTARG ;;
	b) vb=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
. "$(dirname "$0")/vs-lib.sh"
setup vs-sockperf sockperf

start_server sockperf server --tcp -i 127.0.0.1 -p "$port"

echo "# $(sockperf --version 2>&1 | head -1), $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ)"
echo "# $secs s per run over 127.0.0.1, ratio = virtbench / sockperf (median round trip)"

sp_rr() { # size
	sockperf ping-pong --tcp -i 127.0.0.1 -p "$port" -t "$secs" -m "$1" --full-rtt 2>&1 |
		sed -n 's/.*percentile 50.000 = *\([0-9.]*\).*/\1/p'
}
vb_rr() { # size
	"$vb" native net --tests tcp_rr --message-size "$1" --time "$secs" --iterations 1 \
		--warmup 0 --json -q | vb_metric p50_us tcp_rr message_size "$1"
}

for m in $sizes; do compare "TCP request/response, $m bytes" "us" sp_rr vb_rr "$m" sockperf; done
