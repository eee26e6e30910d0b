#!/usr/bin/env bash
# virtbench's disk tests against fio on this machine, the same jobs on each
# side: 4 KiB random reads at queue depth 32 through io_uring with O_DIRECT
# (fio --rw=randread --bs=4k --ioengine=io_uring --iodepth=32 --direct=1,
# reaping what has completed and submitting the refills at once, as
# virtbench does: --iodepth_batch_submit=32 --iodepth_batch_complete_max=32)
# against `virtbench native disk --tests rand_read --depth 32`, and 1 MiB
# sequential reads with O_DIRECT (fio --rw=read --bs=1M --ioengine=psync
# --direct=1) against `--tests seq_read`, on files of the same size in the
# same directory. Each run first spends SECONDS unmeasured (fio's
# --ramp_time, virtbench's --warmup 1), so neither measures right after its
# file was written. Runs alternate A B A B, and every pair's ratio
# virtbench / fio is printed with the median ratio per job.
#
# Usage: bench/vs-fio.sh [-n PAIRS] [-t SECONDS] [-s SIZE] [-d DIR] [-b VIRTBENCH]
#   -n PAIRS    A/B pairs per job (default 5, at least 5)
#   -t SECONDS  time of every run (default 5)
#   -s SIZE     test file size (default 1G)
#   -d DIR      where the files go (default the current directory)
#   -b PATH     the virtbench binary (default ./virtbench, else build/virtbench)
# Targets (issue 15): 4K random read IOPS at QD32 and sequential read MiB/s
# within 0.95-1.05.
set -euo pipefail

pairs=5 secs=5 size=1G dir=. vb=
while getopts "n:t:s:d:b:h" o; do
	case $o in
	n) pairs=$OPTARG ;;
	t) secs=$OPTARG ;;
	s) size=$OPTARG ;;
	d) dir=$OPTARG ;;
	b) vb=$OPTARG ;;
	h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
. "$(dirname "$0")/vs-lib.sh"
setup vs-fio fio
[[ -d $dir && -w $dir ]] || { echo "vs-fio: -d $dir: not a writable directory" >&2; exit 2; }

work=$(mktemp -d "$dir/vs-fio.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
file=$work/fio.dat

echo "# $(fio --version), $("$vb" --version), $(nproc) CPUs, $(date -u +%FT%TZ)"
echo "# $secs s per run, $size files in $(df --output=fstype "$dir" | tail -1) $dir, ratio = virtbench / fio"

fio_job() { # rw bs engine depth -> JSON
	fio --name=vs --filename="$file" --size="$size" --rw="$1" --bs="$2" --ioengine="$3" \
		--iodepth="$4" --iodepth_batch_submit="$4" --iodepth_batch_complete_max="$4" \
		--direct=1 --time_based --runtime="$secs" --ramp_time="$secs" --output-format=json
}
fio_randread() { fio_job randread 4k io_uring 32 | jq -r '.jobs[0].read.iops'; }
fio_seqread() { fio_job read 1M psync 1 | jq -r '.jobs[0].read.bw / 1024'; }
vb_disk() { # test depth metric
	"$vb" native disk --dir "$work" --size "$size" --tests "$1" --depth "$2" --time "$secs" \
		--iterations 1 --warmup 1 --json -q | vb_metric "$3" "$1"
}
vb_randread() { vb_disk rand_read 32 iops; }
vb_seqread() { vb_disk seq_read 1 mib_per_sec; }

fio --name=vs --filename="$file" --size="$size" --rw=write --bs=1M --direct=1 \
	--output-format=json >/dev/null # lays the file out once, outside the pairs
compare "4 KiB random read, QD32, io_uring, O_DIRECT" "IOPS" fio_randread vb_randread - fio
compare "1 MiB sequential read, QD1, O_DIRECT" "MiB/s" fio_seqread vb_seqread - fio
