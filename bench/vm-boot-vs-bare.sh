#!/usr/bin/env bash
# `virtbench vm boot` (1 vCPU / 512 MiB, create to all vCPUs ready) against
# bench/bare-kvm-boot.c, the same ioctls in a bare 50-line program, side by
# side: rounds alternate bare and virtbench so that load drifts hit both.
# Prints each round's medians and the ratio virtbench / bare.
#
# Usage: bench/vm-boot-vs-bare.sh [-r ROUNDS] [-n BOOTS] [-b VIRTBENCH]
#   -r ROUNDS  alternating rounds (default 5)
#   -n BOOTS   boots per round and side (default 20)
#   -b PATH    the virtbench binary (default ./virtbench, else build/virtbench)
# Target (issue 4): ratio of medians within 1.2.
set -euo pipefail

rounds=5 boots=20 vb=
while getopts "r:n:b:h" o; do
	case $o in
	r) rounds=$OPTARG ;;
	n) boots=$OPTARG ;;
	b) vb=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[[ $rounds =~ ^[1-9][0-9]*$ && $boots =~ ^[1-9][0-9]*$ ]] ||
	{ echo "vm-boot-vs-bare: -r and -n take positive integers" >&2; exit 2; }
if [[ -z $vb ]]; then
	for c in ./virtbench build/virtbench; do [[ -x $c ]] && vb=$c && break; done
fi
[[ -n $vb && -x $vb ]] || { echo "vm-boot-vs-bare: virtbench binary not found; build it or pass -b" >&2; exit 2; }
command -v jq >/dev/null || { echo "vm-boot-vs-bare: jq is not installed" >&2; exit 1; }
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "vm-boot-vs-bare: /dev/kvm is not usable here" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
"${CC:-cc}" -O2 -o "$dir/bare" "$here/bare-kvm-boot.c"

echo "# $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ); ms, median of $boots boots"
printf '%-6s %12s %12s %8s\n' round bare_ms virtbench_ms ratio
ratios=()
for ((i = 1; i <= rounds; i++)); do
	bare=$("$dir/bare" "$boots" 512)
	vbms=$("$vb" vm boot --vcpus 1 --memory 512 --iterations "$boots" --warmup 1 --json -q |
		jq -r '.results[] | select(.metric == "ready_ms") | .stats.median')
	ratio=$(awk -v a="$vbms" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')
	ratios+=("$ratio")
	printf '%-6s %12.4f %12.4f %8s\n' "$i" "$bare" "$vbms" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n |
	awk '{ r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
	      printf "median ratio virtbench/bare: %.3f (target <= 1.2)\n", m }'
