#!/usr/bin/env bash
# Installs a Debian package that the tests use unless its command is already there (--no-install-recommends).
# Idempotent; needs apt (root, or sudo when present).
#   install-debian.sh chromium-headless-shell chromium-headless-shell   (opens the evaluation report headless)
#   install-debian.sh docker-compose docker-compose                     (validates docker-compose.yml, no engine)
set -euo pipefail
command_name=$1
package=$2
if command -v "$command_name" >/dev/null 2>&1; then
  echo "$package: ok ($(command -v "$command_name"))"
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "$package: installing the Debian package ..."
if ! $SUDO apt-get install -y -q --no-install-recommends "$package" >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  $SUDO apt-get install -y -q --no-install-recommends "$package" >/dev/null \
    || { echo "$package: 'apt-get install $package' failed" >&2; exit 1; }
fi
echo "$package: installed ($(command -v "$command_name"))"
