#!/usr/bin/env bash
# Makes a Docker engine reachable for `npm run test:containers`. Safe to run any number of times.
# - installs docker.io and docker-compose (Debian's v1.29.2) only when they are missing;
# - starts dockerd only when `docker info` fails, after clearing the pid and socket files that a
#   killed daemon leaves behind (a second dockerd dies with "pid file found");
# - waits on `docker info`, not on the socket file, which may be stale.
# On a machine without a running engine: no iptables, vfs storage, /usr/bin/docker (API 1.41).
# Can be sourced (by scripts/ci-setup.sh) or run: `bash scripts/docker-setup.sh`.
set -euo pipefail

DOCKER=/usr/bin/docker
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/scim-lab-dockerd.log}
DOCKER_WAIT_SECONDS=${DOCKER_WAIT_SECONDS:-60}

docker_log() { printf '[docker-setup] %s\n' "$*" >&2; }

docker_engine_up() { [ -x "$DOCKER" ] && "$DOCKER" info >/dev/null 2>&1; }

# True when the pid is a live dockerd: not a reused pid, not a zombie waiting to be reaped.
dockerd_alive() {
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

docker_install() {
  local missing=()
  for pkg in docker.io docker-compose; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    docker_log "must run as root to install ${missing[*]}"
    return 1
  fi
  docker_log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

docker_start() {
  if docker_engine_up; then
    docker_log "engine already running"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    docker_log "no Docker engine is reachable and starting one needs root"
    return 1
  fi
  # A daemon killed at the end of a previous session leaves these behind.
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if dockerd_alive "$pid"; then
    docker_log "dockerd (pid $pid) is running but not answering yet"
  else
    rm -f /var/run/docker.pid /var/run/docker.sock
    # containerd started by a killed dockerd leaves its pid file too.
    rm -f /var/run/docker/containerd/containerd.pid
    docker_log "starting dockerd (log: $DOCKERD_LOG)"
    nohup dockerd --iptables=false --ip6tables=false --storage-driver=vfs >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  local waited=0
  until docker_engine_up; do
    if [ "$waited" -ge "$DOCKER_WAIT_SECONDS" ]; then
      docker_log "dockerd did not answer 'docker info' within ${DOCKER_WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  docker_log "engine up after ${waited}s ($("$DOCKER" version --format '{{.Server.Version}} API {{.Server.APIVersion}}'))"
}

docker_setup() {
  docker_install
  docker_start
}

# Run when executed, not when sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  docker_setup
fi
