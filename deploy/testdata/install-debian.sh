#!/usr/bin/env bash
# Installs Debian packages that the tests and ./emotion compose use unless the command is already there
# (--no-install-recommends). Idempotent; needs apt (root, or sudo when present).
#   install-debian.sh COMMAND PACKAGE [MORE PACKAGES...]
#   install-debian.sh chromium-headless-shell chromium-headless-shell   (opens the evaluation report headless)
#   install-debian.sh docker-compose docker-compose                     (validates and drives docker-compose.yml)
#   install-debian.sh podman podman runc netavark ...                   (the container engine, ./emotion compose)
set -euo pipefail
command_name=$1
package=$2
shift 2
packages=("$package" "$@")
if command -v "$command_name" >/dev/null 2>&1; then
  echo "$package: ok ($(command -v "$command_name"))"
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "$package: installing the Debian packages ${packages[*]} ..."
if ! $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null \
    || { echo "$package: 'apt-get install ${packages[*]}' failed" >&2; exit 1; }
fi
echo "$package: installed ($(command -v "$command_name"))"
