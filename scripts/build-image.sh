#!/usr/bin/env bash
# Builds the scim-lab image with no network during the build (issue 7: no registry, no network in a build):
#   1. the base image, when BASE_IMAGE is the local one and it is missing (or made from another node):
#      the host's node binary plus the shared libraries `ldd` lists, imported as a shell-less image;
#   2. the build context, .docker-stage/: `npm run build` output, bin/, package.json and the
#      production dependencies, installed on the host;
#   3. `docker build --build-arg BASE_IMAGE=… -t "$SCIM_LAB_IMAGE" .`
# Variables: SCIM_LAB_IMAGE (default scim-lab:local), BASE_IMAGE (default scim-lab-node-base:20; set
# node:20-slim on a machine that reaches Docker Hub), SCIM_LAB_SKIP_NPM_BUILD=1 to reuse dist/ as is,
# DOCKER (default /usr/bin/docker when present, whose API matches the engine here).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${SCIM_LAB_IMAGE:-scim-lab:local}
LOCAL_BASE=scim-lab-node-base:20
BASE_IMAGE=${BASE_IMAGE:-$LOCAL_BASE}
if [ -z "${DOCKER:-}" ]; then
  if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker); fi
fi
STAGE=.docker-stage

log() { printf '[build-image] %s\n' "$*" >&2; }

if ! "$DOCKER" info >/dev/null 2>&1; then
  log "no Docker engine is reachable through $DOCKER; start one (as root: bash scripts/docker-setup.sh)"
  exit 1
fi

# 1. A base image with nothing but node, its libraries, /tmp and a passwd entry for uid 10001.
build_base() {
  local node_bin version current root lib
  node_bin=$(readlink -f "$(command -v node)")
  version=$("$node_bin" --version)
  current=$("$DOCKER" image inspect -f '{{ index .Config.Labels "org.scim-lab.node-version" }}' "$LOCAL_BASE" 2>/dev/null || true)
  if [ "$current" = "$version" ]; then
    log "base image $LOCAL_BASE ($version) is present"
    return 0
  fi
  log "building base image $LOCAL_BASE from $node_bin ($version)"
  root=$(mktemp -d)
  chmod 755 "$root" # mktemp makes it 0700, which would become the image's /
  trap 'rm -rf "$root"' RETURN
  mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  cp "$node_bin" "$root/usr/local/bin/node"
  # `ldd` lines are "name => /path (addr)" or "/path (addr)" for the loader itself.
  for lib in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nscimlab:x:10001:10001:scim-lab:/data:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nscimlab:x:10001:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    "$DOCKER" import \
      --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
      --change "LABEL org.scim-lab.node-version=$version" \
      - "$LOCAL_BASE" >/dev/null
}

# 2. The build context. Production dependencies are reinstalled only when the lock file changes.
stage() {
  if [ "${SCIM_LAB_SKIP_NPM_BUILD:-}" != 1 ]; then
    log "npm run build"
    npm run -s build
  fi
  [ -f dist/cli/main.js ] || {
    log "dist/cli/main.js is missing: run 'npm run build' first"
    exit 1
  }
  mkdir -p "$STAGE/app" "$STAGE/data"
  local stamp
  stamp=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$STAGE/deps.sha256" 2>/dev/null || true)" != "$stamp" ] || [ ! -d "$STAGE/app/node_modules" ]; then
    log "installing production dependencies into $STAGE/app"
    cp package.json package-lock.json "$STAGE/app/"
    (cd "$STAGE/app" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)
    echo "$stamp" >"$STAGE/deps.sha256"
  fi
  cp package.json "$STAGE/app/"
  rm -rf "$STAGE/app/dist" "$STAGE/app/bin"
  cp -R bin "$STAGE/app/bin"
  cp -R dist "$STAGE/app/dist"
  # Runtime needs neither declarations nor source maps (their sources are not in the image).
  find "$STAGE/app/dist" \( -name '*.d.ts' -o -name '*.map' \) -delete
}

if [ "$BASE_IMAGE" = "$LOCAL_BASE" ]; then build_base; fi
stage
log "docker build -t $IMAGE (base $BASE_IMAGE)"
# The classic builder uses a local base image without asking a registry; BuildKit may try to resolve it.
DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} "$DOCKER" build --quiet --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" . >/dev/null
size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
log "built $IMAGE: $((size / 1000000)) MB"
