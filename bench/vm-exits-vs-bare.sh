#!/usr/bin/env bash
# `virtbench vm exits` (port I/O and MMIO exits to user space, host clock)
# against bench/bare-kvm-exit.c, a bare KVM_RUN loop doing the same exit,
# side by side: rounds alternate bare and virtbench so that load drifts hit
# both. Prints each round's medians and the ratio virtbench / bare.
#
# Usage: bench/vm-exits-vs-bare.sh [-r ROUNDS] [-k pio|mmio] [-b VIRTBENCH]
#   -r ROUNDS  alternating rounds (default 5)
#   -k KIND    pio (default) or mmio
#   -b PATH    the virtbench binary (default ./virtbench, else build/virtbench)
# Target (issue 4): ratio of medians within 1.05.
set -euo pipefail

rounds=5 kind=pio vb=
while getopts "r:k:b:h" o; do
	case $o in
	r) rounds=$OPTARG ;;
	k) kind=$OPTARG ;;
	b) vb=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "vm-exits-vs-bare: -r takes a positive integer" >&2; exit 2; }
[[ $kind == pio || $kind == mmio ]] || { echo "vm-exits-vs-bare: -k takes pio or mmio" >&2; exit 2; }
if [[ -z $vb ]]; then
	for c in ./virtbench build/virtbench; do [[ -x $c ]] && vb=$c && break; done
fi
[[ -n $vb && -x $vb ]] || { echo "vm-exits-vs-bare: virtbench binary not found; build it or pass -b" >&2; exit 2; }
command -v jq >/dev/null || { echo "vm-exits-vs-bare: jq is not installed" >&2; exit 1; }
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "vm-exits-vs-bare: /dev/kvm is not usable here" >&2; exit 1; }
[[ $(uname -m) == x86_64 ]] || { echo "vm-exits-vs-bare: the bare loop is x86_64 code" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
"${CC:-cc}" -O2 -o "$dir/bare" "$here/bare-kvm-exit.c"

echo "# $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ); ns per $kind exit, median of 5 runs"
printf '%-6s %12s %14s %8s\n' round bare_ns virtbench_ns ratio
ratios=()
for ((i = 1; i <= rounds; i++)); do
	bare=$("$dir/bare" "$kind" 8192 5)
	vbns=$("$vb" vm exits --kind "$kind" --iterations 5 --json -q |
		jq -r --arg m "${kind}_ns" '.results[] | select(.metric == $m) | .stats.median')
	ratio=$(awk -v a="$vbns" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')
	ratios+=("$ratio")
	printf '%-6s %12.1f %14.1f %8s\n' "$i" "$bare" "$vbns" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n |
	awk '{ r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
	      printf "median ratio virtbench/bare: %.3f (target <= 1.05)\n", m }'
