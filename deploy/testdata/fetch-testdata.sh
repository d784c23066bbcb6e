#!/usr/bin/env bash
# Fetches real test inputs that a Debian package ships (opencv-doc: a photo with faces and a cartoon-face video), verifies their sha256 and caches them outside the repository. Idempotent.
# Usage: deploy/testdata/fetch-testdata.sh      (EMOTION_TESTDATA_DIR overrides the cache directory)
set -euo pipefail
DATA_DIR=${EMOTION_TESTDATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/emotion/testdata}
SRC=usr/share/doc/opencv-doc/examples/data
FILES=(
  "messi5.jpg|1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9"
  "Megamind.avi|0057387cb7e75c8fd1663b62cfdc51fa53f527795d0fe3c1fea2fd159d3130b5"
)
sha() { sha256sum "$1" | cut -d' ' -f1; }

missing=0
for entry in "${FILES[@]}"; do
  IFS='|' read -r name expected <<<"$entry"
  [ -f "$DATA_DIR/$name" ] && [ "$(sha "$DATA_DIR/$name")" = "$expected" ] || missing=1
done
if [ $missing = 0 ]; then
  echo "testdata: ok ($DATA_DIR)"
  exit 0
fi

mkdir -p "$DATA_DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "testdata: fetching the Debian package opencv-doc (~95 MB) ..."
if ! (cd "$tmp" && apt-get download opencv-doc >/dev/null 2>&1); then
  apt-get update -qq >/dev/null 2>&1 || true
  (cd "$tmp" && apt-get download opencv-doc >/dev/null 2>&1) \
    || { echo "testdata: 'apt-get download opencv-doc' failed" >&2; exit 1; }
fi
dpkg-deb -x "$tmp"/opencv-doc_*.deb "$tmp/x"
for entry in "${FILES[@]}"; do
  IFS='|' read -r name expected <<<"$entry"
  actual=$(sha "$tmp/x/$SRC/$name")
  [ "$actual" = "$expected" ] || { echo "testdata: $name has sha256 $actual, expected $expected" >&2; exit 1; }
  cp "$tmp/x/$SRC/$name" "$DATA_DIR/$name"
done
echo "testdata: installed ${#FILES[@]} files in $DATA_DIR"
