#!/usr/bin/env bash
# Starts the Docker daemon in the background when it does not answer, the way
# this project's machines run it (no iptables, no default bridge: containers
# use --network none), and waits until `docker version` answers, at most 60 s.
# Nothing to do when the daemon already answers or docker is not installed.
# With VB_DOCKERD_PIDFILE set, the daemon's pid is written there when this
# script started it (and the file is left empty otherwise), so that
# scripts/with-dockerd.sh stops only a daemon it started.
set -u
timeout_s=${VB_DOCKERD_TIMEOUT:-60}
log=${VB_DOCKERD_LOG:-/var/log/virtbench-dockerd.log}

answers() { timeout 10 docker version >/dev/null 2>&1; }

command -v docker >/dev/null 2>&1 || { echo "virtbench: docker is not installed; the docker platform will be skipped" >&2; exit 0; }
answers && exit 0
if ! command -v dockerd >/dev/null 2>&1; then
	echo "virtbench: the docker daemon does not answer and dockerd is not installed" >&2
	exit 0
fi
if ((EUID != 0)); then
	echo "virtbench: the docker daemon does not answer; start it as root: dockerd --iptables=false --bridge=none" >&2
	exit 0
fi
echo "virtbench: starting dockerd --iptables=false --bridge=none (log: $log)" >&2
# Its own session, so it outlives this script and the make that ran it.
# Without job control the background job shares this script's process
# group, so setsid execs dockerd in place and $! is the daemon's pid.
setsid dockerd --iptables=false --bridge=none </dev/null >>"$log" 2>&1 &
[[ -n ${VB_DOCKERD_PIDFILE:-} ]] && echo $! >"$VB_DOCKERD_PIDFILE"
for ((i = 0; i < timeout_s * 2; i++)); do
	answers && exit 0
	sleep 0.5
done
echo "virtbench: dockerd did not answer within ${timeout_s} s; see $log" >&2
exit 1
