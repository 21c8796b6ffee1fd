#!/usr/bin/env bash
# Measures the container figures that docs/containers.md states, and writes them there between the
# `measured:begin` and `measured:end` markers (never typed by hand):
#   - image sizes (the project image and the base made from the host's node);
#   - cold: no image at all → base image, `npm run build`, staging, `docker build`, then both mocks
#     started with docker-compose until each answers /__admin/health;
#   - warm: images present → docker-compose up until both answer /__admin/health.
# Runs RUNS warm starts (default 3) and reports each. Removes what it created.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=scim-lab:measure
BASE=scim-lab-node-base:20
PROJECT=scimlabmeasure
RUNS=${RUNS:-3}
DOC=docs/containers.md
if [ -z "${DOCKER:-}" ]; then
  if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker); fi
fi
COMPOSE=$(command -v docker-compose)
export DOCKER SCIM_LAB_IMAGE=$IMAGE

log() { printf '[measure] %s\n' "$*" >&2; }
"$DOCKER" info >/dev/null 2>&1 || {
  log "no Docker engine is reachable (as root: bash scripts/docker-setup.sh)"
  exit 1
}
grep -q 'measured:begin' "$DOC" || {
  log "$DOC has no measured:begin marker"
  exit 1
}

compose() { "$COMPOSE" -p "$PROJECT" -f docker-compose.yml "$@"; }
cleanup() {
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  "$DOCKER" rmi "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export CODE42_PORT PINGONE_PORT
CODE42_PORT=$(free_port)
PINGONE_PORT=$(free_port)
now_ms() { date +%s%3N; }

# Polls both health routes on the published ports every 100 ms; prints the ms since $1.
wait_healthy() {
  node - "$1" <<'EOF'
const since = Number(process.argv[2]);
const urls = [process.env.CODE42_PORT, process.env.PINGONE_PORT].map((p) => `http://127.0.0.1:${p}/__admin/health`);
const deadline = Date.now() + 120_000;
(async () => {
  for (const url of urls) {
    for (;;) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${url} did not answer within 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.log(Date.now() - since);
})().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
EOF
}

seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }

log "cold: removing $IMAGE and $BASE"
cleanup
"$DOCKER" rmi "$BASE" >/dev/null 2>&1 || true
t0=$(now_ms)
bash scripts/build-image.sh
build_ms=$(($(now_ms) - t0))
t1=$(now_ms)
compose up -d >/dev/null 2>&1
cold_start_ms=$(wait_healthy "$t1")
cold_total_ms=$((build_ms + cold_start_ms))
compose down -v >/dev/null 2>&1

warm=()
for i in $(seq 1 "$RUNS"); do
  t=$(now_ms)
  compose up -d >/dev/null 2>&1
  warm+=("$(wait_healthy "$t")")
  compose down -v >/dev/null 2>&1
  log "warm start $i: ${warm[-1]} ms"
done
warm_sorted=$(printf '%s\n' "${warm[@]}" | sort -n | tr '\n' ' ')
warm_median=$(printf '%s\n' "${warm[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
base_size=$("$DOCKER" image inspect -f '{{.Size}}' "$BASE")
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1000000 }'; }

block=$(
  cat <<EOF
<!-- measured:begin (written by scripts/measure-containers.sh; do not edit by hand) -->
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, Docker $("$DOCKER" version --format '{{.Server.Version}}') (vfs storage), Node $(node --version), base \`$BASE\`:

| Figure | Value |
| --- | --- |
| Image size (\`docker image inspect\`, base included) | $(mb "$size") |
| of which the base image (node and its libraries) | $(mb "$base_size") |
| Cold: build (base import, \`npm run build\`, staging, \`docker build\`) | $(seconds "$build_ms") |
| Cold: start of both mocks until both answer \`/__admin/health\` | $(seconds "$cold_start_ms") |
| Cold total | $(seconds "$cold_total_ms") |
| Warm start of both mocks (median of $RUNS; all: ${warm_sorted% } ms) | $(seconds "$warm_median") |
<!-- measured:end -->
EOF
)
BLOCK=$block node -e '
const fs = require("fs");
const doc = process.argv[1];
const text = fs.readFileSync(doc, "utf8");
const out = text.replace(/<!-- measured:begin[\s\S]*?measured:end -->/, process.env.BLOCK);
fs.writeFileSync(doc, out);
' "$DOC"
# `npm run lint` checks the docs with prettier: keep the table in its format.
npx prettier --log-level warn --write "$DOC"
log "wrote the figures into $DOC"
printf '%s\n' "$block"
