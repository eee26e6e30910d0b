# Shared by the bench/vs-*.sh scripts (sourced, not run): setup(), the
# checks before measuring; start_server(), a reference server on 127.0.0.1
# for the script's runs; the median of numbers on stdin; and compare(),
# which alternates a reference tool and virtbench A B A B for $pairs pairs and
# prints each pair's ratio and the median ratio. The callers set $pairs (and
# $vb, empty for the default) and define the two functions.

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# compare NAME UNIT REF-FN VB-FN ARG REF-NAME: REF-FN ARG and VB-FN ARG each
# print one number; ratio = virtbench / reference.
compare() {
	local name=$1 unit=$2 a=$3 b=$4 t=$5 ref=${6:-sysbench} ratios=() sa sv r
	printf '\n%s (%s)\n' "$name" "$unit"
	printf '%5s %14s %14s %8s\n' pair "$ref" virtbench ratio
	for ((i = 1; i <= pairs; i++)); do
		sa=$("$a" "$t")
		sv=$("$b" "$t")
		r=$(awk -v x="$sv" -v y="$sa" 'BEGIN {printf "%.4f", x / y}')
		ratios+=("$r")
		printf '%5d %14.2f %14.2f %8s\n' "$i" "$sa" "$sv" "$r"
	done
	printf '%5s %38s %s\n' "" "median ratio" "$(printf '%s\n' "${ratios[@]}" | median)"
}

# The virtbench binary: $1 if given, else ./virtbench or build/virtbench.
find_vb() {
	local vb=$1 c
	if [[ -z $vb ]]; then
		for c in ./virtbench build/virtbench; do [[ -x $c ]] && vb=$c && break; done
	fi
	[[ -n $vb && -x $vb ]] || return 1
	printf '%s\n' "$vb"
}

# The median of metric $2 (and test $3, message size or depth $4 when
# given) in the JSON results on stdin.
vb_metric() {
	jq -r --arg m "$1" --arg t "${2:-}" --arg k "${3:-}" --arg v "${4:-}" \
		'.results[] | select(.metric == $m) |
		 select($t == "" or .config.test == $t) |
		 select($k == "" or .config[$k] == $v) | .stats.median'
}

# setup NAME TOOL...: the checks every script makes before it measures:
# $pairs is 5 or more, the virtbench binary ($vb, or found), and each TOOL
# and jq installed. Sets vb; exits 2 (usage) or 1 (missing tool) with one line.
setup() {
	local name=$1 t
	shift
	if [[ ! $pairs =~ ^[0-9]+$ ]] || ((pairs < 5)); then
		echo "$name: -n: expected 5 or more pairs" >&2
		exit 2
	fi
	vb=$(find_vb "$vb") || { echo "$name: virtbench binary not found; build it or pass -b" >&2; exit 2; }
	for t in "$@" jq; do
		command -v "$t" >/dev/null || { echo "$name: $t is not installed (apt-get install $t)" >&2; exit 1; }
	done
}

# start_server CMD...: a reference tool's server for this script's runs only
# (it listens on 127.0.0.1), stopped when the script ends.
start_server() {
	"$@" >/dev/null 2>&1 &
	server=$!
	trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT INT TERM
	sleep 0.5
}
