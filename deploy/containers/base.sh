#!/usr/bin/env bash
# Builds the project's base image from Debian packages (no container registry needed): mmdebstrap writes a bookworm
# root file system with a headless JRE 17, curl (health checks), tcmalloc (DJL training), the non-root user 10001
# and its writable folders (/data, /cache, /var/lib/kafka/data), and the container engine imports it as a local image.
#   base.sh ENGINE IMAGE OUT_DIR       e.g. base.sh podman localhost/emotion-base:bookworm-1a2b3c4d .emotion/images
# The apt sources are this machine's own (EMOTION_DEBIAN_SOURCES: a sources.list or deb822 .sources file), so the
# image is built from the same mirror the machine installs from. Needs root (or sudo) and Debian's mmdebstrap.
set -euo pipefail
engine=${1:?engine (podman or docker)}
image=${2:?image name}
out=${3:?output directory}

sources=${EMOTION_DEBIAN_SOURCES:-}
if [ -z "$sources" ]; then
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    if [ -f "$f" ] && grep -qv '^\s*\(#\|$\)' "$f"; then sources=$f; break; fi
  done
fi
mirror=()
[ -n "$sources" ] && mirror=("$sources")

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
mkdir -p "$out"
tar_file=$out/emotion-base.tar
echo "base image: mmdebstrap bookworm (openjdk-17-jre-headless, curl, libtcmalloc-minimal4; apt sources ${sources:-the default mirror}) ..."
# --variant=apt: only Essential packages + apt, then the packages named; the hooks add the service user and the
# writable directories and drop apt's caches and the documentation (the image needs neither; man1 stays, empty,
# for update-alternatives).
log=$out/emotion-base.log
$SUDO mmdebstrap --variant=apt --format=tar \
  --include=openjdk-17-jre-headless,ca-certificates,curl,libtcmalloc-minimal4 \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='chroot "$1" useradd --uid 10001 --create-home --shell /usr/sbin/nologin emotion' \
  --customize-hook='mkdir -p "$1/data" "$1/cache" "$1/models" "$1/var/lib/kafka/data"' \
  --customize-hook='chown 10001:10001 "$1/data" "$1/cache" "$1/var/lib/kafka" "$1/var/lib/kafka/data"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$tar_file" "${mirror[@]}" >"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; echo "base image: mmdebstrap failed; its whole output: $log" >&2; exit 1; }
$SUDO "$engine" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  "$tar_file" "$image" >/dev/null
rm -f "$tar_file"
echo "base image: $image ($("$engine" image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
