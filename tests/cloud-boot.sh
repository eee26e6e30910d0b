#!/usr/bin/env bash
# `make test`'s boot of a real cloud image: builds the Debian 12 generic
# cloud image (scripts/make-cloud-image.sh, cached in build/cloud/) and boots
# it once under TCG with virtbench, to cloud-init's end, into
# build/cloud/results/boot.json, which tests/test_qemu_cloud.c checks. Only
# when the Debian archive cannot be reached to build the image does it write
# build/cloud/results/skip instead (the suite then skips, and fails under
# CI=true). Bounded: the build by the archive's speed, the boot by --timeout.
#
#   tests/cloud-boot.sh [BUILD_DIR]
set -u
b=${1:-build}
out=build/cloud/results
rm -rf "$out"
mkdir -p "$out"
log=$out/image.log
offline='Could not resolve|Temporary failure resolving|Failed to fetch|Unable to connect|Connection (failed|refused|timed out)|Network is unreachable|No route to host'
start=$(date +%s)
if ! img=$(scripts/make-cloud-image.sh 2>"$log" | tail -n 1) || [[ ! -s $img ]]; then
	if grep -qE "$offline" "$log"; then
		echo "the Debian archive cannot be reached to build the cloud image: $(grep -m 1 -E "$offline" "$log")" >"$out/skip"
		echo "cloud-boot: skipped: $(cat "$out/skip")" >&2
		exit 0
	fi
	echo "cloud-boot: building the cloud image failed (log: $log):" >&2
	tail -n 5 "$log" >&2
	exit 1
fi
built=$(date +%s)
if ! timeout 1500 "$b/virtbench" vm boot --platform qemu --image "$img" --accel tcg --vcpus 1 \
	--memory 512 --iterations 1 --warmup 0 --timeout 1200 -q -o "$out/boot.json" >"$out/boot.txt" \
	2>"$out/boot.err"; then
	echo "cloud-boot: booting $img failed:" >&2
	cat "$out/boot.err" >&2
	exit 1
fi
echo "cloud-boot: $img built or found in $((built - start)) s, booted to cloud-init's end in $(($(date +%s) - built)) s" >&2
