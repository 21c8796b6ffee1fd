#!/usr/bin/env bash
# Installs what the tests need beyond npm. Safe to run any number of times.
# Later steps (Chromium for test:browser, a Docker engine for test:containers) are added here.
set -euo pipefail

log() { printf '[ci-setup] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root to install Debian packages ($*)"
    exit 1
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root "${missing[*]}"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  log "Node >= 20 is required, found $(node --version)"
  exit 1
fi

# Headless Chromium for `npm run test:browser` (Debian's package; nothing downloads a browser of its own).
apt_install chromium fonts-dejavu-core

# A Docker engine for `npm run test:containers`: docker.io and docker-compose when missing, dockerd when down.
bash "$(dirname "$0")/docker-setup.sh"

log "ok"
