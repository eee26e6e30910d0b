#!/usr/bin/env bash
# Runs a command with the Docker daemon answering, as `make run` does: when
# `docker info` fails, starts dockerd the way this project runs it
# (scripts/start-dockerd.sh: no iptables, no default bridge) and stops it
# again afterwards, also after Ctrl-C; a daemon that was already running is
# left alone. Exits with the command's status.
#
#   scripts/with-dockerd.sh COMMAND [ARG...]
set -u
here=$(dirname "$0")
pidfile=$(mktemp "${TMPDIR:-/tmp}/virtbench-dockerd.XXXXXX")

# Gone, or a zombie: under a subreaper (a test, tini, systemd --user) the
# daemon's parent is not init, and nobody reaps it while this script waits.
gone() {
	local state
	state=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[[ -z $state || $state == Z ]]
}

stop_started() {
	local pid
	pid=$(cat "$pidfile" 2>/dev/null)
	rm -f "$pidfile"
	[[ -n $pid ]] || return 0
	# Only the daemon started here: the pid must still be a dockerd.
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 0
	echo "virtbench: stopping the dockerd started for this run (pid $pid)" >&2
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		gone "$pid" && return 0
		sleep 0.5
	done
	echo "virtbench: dockerd (pid $pid) did not stop within 30 s; killing it" >&2
	kill -KILL "$pid" 2>/dev/null
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! timeout 10 docker info >/dev/null 2>&1; then
	VB_DOCKERD_PIDFILE=$pidfile "$here/start-dockerd.sh"
fi
"$@"
