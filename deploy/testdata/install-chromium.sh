#!/usr/bin/env bash
# Installs Debian's headless Chromium (chromium-headless-shell, no X server needed), which the report test uses to
# open the evaluation report and check that every chart loads. Idempotent; needs apt (root, or sudo when present).
set -euo pipefail
for b in chromium-headless-shell chromium; do
  if command -v "$b" >/dev/null 2>&1; then
    echo "chromium: ok ($(command -v "$b"))"
    exit 0
  fi
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "chromium: installing the Debian package chromium-headless-shell ..."
if ! $SUDO apt-get install -y -q --no-install-recommends chromium-headless-shell >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  $SUDO apt-get install -y -q --no-install-recommends chromium-headless-shell >/dev/null \
    || { echo "chromium: 'apt-get install chromium-headless-shell' failed" >&2; exit 1; }
fi
echo "chromium: installed ($(command -v chromium-headless-shell))"
