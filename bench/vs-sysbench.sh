#!/usr/bin/env bash
# virtbench's sysbench-compatible workloads against sysbench 1.0.20 itself,
# on this machine: `sysbench cpu` vs `virtbench native cpu` (threads 1 and
# nproc) and the seed's `sysbench memory --memory-block-size=1K
# --memory-total-size=10G` vs `virtbench native memory --mode sysbench` with
# the same options. Runs alternate A B A B (so drifts in machine load hit
# both sides alike), and every pair's ratio virtbench / sysbench is printed
# with the median ratio per configuration.
#
# Usage: bench/vs-sysbench.sh [-n PAIRS] [-t SECONDS] [-b VIRTBENCH] [-j THREADS...]
#   -n PAIRS    A/B pairs per configuration (default 5, at least 5)
#   -t SECONDS  --time of every run (default 10, as the seed)
#   -b PATH     the virtbench binary (default ./virtbench, else build/virtbench)
#   -j "1 2"    thread counts (default "1 $(nproc)")
# Targets (issue 3): cpu median ratio within 0.97-1.03, memory within 0.90-1.10.
set -euo pipefail

pairs=5 secs=10 vb= threads="1 $(nproc)"
while getopts "n:t:b:j:h" o; do
	case $o in
	n) pairs=$OPTARG ;;
	t) secs=$OPTARG ;;
	b) vb=$OPTARG ;;
	j) threads=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
. "$(dirname "$0")/vs-lib.sh"
setup vs-sysbench sysbench

echo "# $(sysbench --version), $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ)"
echo "# --time $secs, $pairs pairs per configuration, ratio = virtbench / sysbench"

sb_cpu() { sysbench cpu --threads="$1" --time="$secs" run | awk '/events per second:/ {print $4}'; }
vb_cpu() {
	"$vb" native cpu --threads "$1" --time "$secs" --iterations 1 --warmup 0 --json -q |
		jq -r '.results[] | select(.metric == "events_per_sec") | .stats.median'
}
sb_mem() {
	sysbench memory --threads="$1" --time="$secs" --memory-block-size=1K \
		--memory-total-size=10G run | sed -n 's/.*MiB transferred (\([0-9.]*\) MiB\/sec).*/\1/p'
}
vb_mem() {
	"$vb" native memory --mode sysbench --threads "$1" --time "$secs" --memory-block-size 1K \
		--memory-total-size 10G --iterations 1 --warmup 0 --json -q |
		jq -r '.results[] | select(.benchmark == "memory" and .metric == "mib_per_sec") | .stats.median'
}

for t in $threads; do compare "cpu, threads=$t" "events/s" sb_cpu vb_cpu "$t"; done
for t in $threads; do compare "memory 1K blocks, threads=$t" "MiB/s" sb_mem vb_mem "$t"; done
