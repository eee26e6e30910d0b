#!/usr/bin/env bash
# Downloads Debian packages as .deb files into a cache and unpacks them into a
# directory, without installing anything on this machine.
#   fetch-debs.sh CACHE DEST PKG:ARCH...
# A package already in CACHE is not fetched again; DEST/.stamp-<pkg>-<arch>
# records that it was unpacked, so a second run is a no-op. Packages of a
# foreign architecture need it among dpkg's architectures and its package
# lists fetched (scripts/deps.sh test does both). With FETCH_ONLY set to
# paths inside the package (e.g. "./boot"), only those are unpacked.
set -euo pipefail
(($# >= 3)) || { echo "usage: $0 CACHE DEST PKG:ARCH..." >&2; exit 2; }
cache=$1 dest=$2
shift 2
mkdir -p "$cache" "$dest"
cache=$(cd "$cache" && pwd)
# make test boots the emulated hosts side by side, and each fetches what it
# needs into the same cache and folders: unlocked, one host copied a busybox
# the other was still unpacking, and its init died of SIGBUS. One at a time.
exec 9>"$cache/.lock"
flock 9

cached_deb() { # name arch -> path of the newest cached .deb, or nothing
	compgen -G "$cache/${1}_*_${2}.deb" | sort -V | tail -1 || true
}

want=()
for spec in "$@"; do
	name=${spec%%:*} arch=${spec#*:}
	[[ -e $dest/.stamp-$name-$arch || -n $(cached_deb "$name" "$arch") ]] || want+=("$spec")
done
if ((${#want[@]})); then
	# apt drops privileges to _apt for downloads; a cache that user cannot
	# write to costs only a warning, filtered out with the progress lines.
	if ! (cd "$cache" && apt-get download -q "${want[@]}") 2>&1 |
		grep -v -e 'unsandboxed as root' -e '^Get:' -e '^Fetched' >&2; then :; fi
fi

for spec in "$@"; do
	name=${spec%%:*} arch=${spec#*:}
	stamp=$dest/.stamp-$name-$arch
	[[ -e $stamp ]] && continue
	deb=$(cached_deb "$name" "$arch")
	if [[ -z $deb ]]; then
		echo "fetch-debs: could not download $spec; run 'scripts/deps.sh test' as root" \
			"(it enables the $arch package lists)" >&2
		exit 1
	fi
	if [[ -n ${FETCH_ONLY:-} ]]; then
		read -ra only <<<"$FETCH_ONLY"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" "${only[@]}"
	else
		dpkg-deb -x "$deb" "$dest"
	fi
	touch "$stamp"
done
