#!/usr/bin/env bash
# npm run test:containers: the image, the testcontainers helpers and one compose cycle, on a real engine.
#   1. fails with a clear message when no Docker engine (or no docker-compose) is reachable: never skips;
#   2. builds the image under a tag of its own (scripts/build-image.sh);
#   3. jest -c jest.containers.config.js (the *.containers.test.ts files);
#   4. docker-compose up → both healthy → a user created through the pingone container's API
#      reaches the code42 container → the compose file's conformance service against the code42
#      container, reports in reports/compose-ci → docker-compose down -v;
#   5. on exit, whatever happened: removes the containers, networks and images it created.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${SCIM_LAB_TEST_IMAGE:-scim-lab:test-containers}
PROJECT=scimlabci
BASE=scim-lab-node-base:20
if [ -z "${DOCKER:-}" ]; then
  if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker || echo docker); fi
fi
COMPOSE=${COMPOSE:-$(command -v docker-compose || true)}
export DOCKER SCIM_LAB_IMAGE=$IMAGE

log() { printf '[test:containers] %s\n' "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

# 1. An engine, or a clear failure.
if ! "$DOCKER" info >/dev/null 2>&1; then
  fail "no Docker engine is reachable through $DOCKER (DOCKER_HOST=${DOCKER_HOST:-unset}).
  These tests need a real engine. As root, 'bash scripts/docker-setup.sh' installs docker.io and
  docker-compose and starts dockerd; scripts/ci-setup.sh does it in CI. 'npm test' does not need Docker."
fi
[ -n "$COMPOSE" ] || fail "docker-compose is not installed (as root: bash scripts/docker-setup.sh)"

base_existed=$("$DOCKER" image inspect "$BASE" >/dev/null 2>&1 && echo yes || echo no)
compose() { "$COMPOSE" -p "$PROJECT" -f docker-compose.yml "$@"; }

cleanup() {
  local status=$?
  set +e
  compose --profile conformance down -v --remove-orphans >/dev/null 2>&1
  # Backstop for tests that died before their teardown (Ryuk is disabled: its image cannot be pulled here).
  local ids
  ids=$("$DOCKER" ps -aq --filter "ancestor=$IMAGE")
  [ -n "$ids" ] && "$DOCKER" rm -f $ids >/dev/null
  ids=$("$DOCKER" network ls -q --filter label=org.testcontainers=true)
  [ -n "$ids" ] && "$DOCKER" network rm $ids >/dev/null
  "$DOCKER" rmi "$IMAGE" >/dev/null 2>&1
  [ "$base_existed" = no ] && "$DOCKER" rmi "$BASE" >/dev/null 2>&1
  "$DOCKER" image prune -f --filter "label=org.opencontainers.image.title=scim-lab" >/dev/null 2>&1
  log "cleaned up (containers, networks and images of this run)"
  exit $status
}
trap cleanup EXIT

# 2. The image.
bash scripts/build-image.sh

# 3. The testcontainers tests.
log "jest -c jest.containers.config.js"
TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost \
  npx jest -c jest.containers.config.js

# 4. One compose cycle, on free loopback ports.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export CODE42_PORT PINGONE_PORT
CODE42_PORT=$(free_port)
PINGONE_PORT=$(free_port)
export CODE42_TOKEN=ci-code42-token-$RANDOM CODE42_ADMIN_TOKEN=ci-code42-admin-$RANDOM
export PINGONE_API_TOKEN=ci-pingone-api-$RANDOM PINGONE_ADMIN_TOKEN=ci-pingone-admin-$RANDOM
export SCIM_LAB_TARGET_TOKEN=$CODE42_TOKEN SCIM_LAB_TARGET_ADMIN_TOKEN=$CODE42_ADMIN_TOKEN

log "compose up (code42 on 127.0.0.1:$CODE42_PORT, pingone on 127.0.0.1:$PINGONE_PORT)"
compose up -d
for service in code42 pingone; do
  container=${PROJECT}_${service}_1
  for _ in $(seq 1 60); do
    health=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$container" 2>/dev/null || echo missing)
    [ "$health" = healthy ] && break
    sleep 1
  done
  if [ "$health" != healthy ]; then
    "$DOCKER" logs "$container" >&2 || true
    fail "$container is '$health' after 60s"
  fi
done
log "both healthy"

# Through the pingone container's management API (published port), a user is created in the seeded
# population; the propagation rule sends it over the compose network to the code42 container.
PINGONE_READY=$("$DOCKER" logs "${PROJECT}_pingone_1" 2>/dev/null | grep -m1 '^{"pingone"' || true)
[ -n "$PINGONE_READY" ] || fail "the pingone container printed no --json ready line"
export PINGONE_READY
node - <<'EOF' || fail "the compose flow did not provision the user into code42"
const ready = JSON.parse(process.env.PINGONE_READY).pingone;
const pingone = `http://127.0.0.1:${process.env.PINGONE_PORT}`;
const code42 = `http://127.0.0.1:${process.env.CODE42_PORT}`;
const bearer = (token) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const username = `compose-ci-${Date.now()}@example.com`;
async function call(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
(async () => {
  const user = await call(`${pingone}/v1/environments/${ready.environmentId}/users`, {
    method: 'POST',
    headers: bearer(process.env.PINGONE_API_TOKEN),
    body: JSON.stringify({ username, email: username, name: { given: 'Compose', family: 'Cycle' }, population: { id: ready.populationId } }),
  });
  console.error(`[test:containers] created ${username} in pingone (${user.id})`);
  await call(`${pingone}/__admin/wait-idle`, { method: 'POST', headers: bearer(process.env.PINGONE_ADMIN_TOKEN), body: JSON.stringify({ timeoutMs: 30000 }) });
  const found = await call(`${code42}/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${username}"`)}`, { headers: bearer(process.env.CODE42_TOKEN) });
  if (found.totalResults !== 1) throw new Error(`code42 has ${found.totalResults} users named ${username}`);
  const admin = await call(`${code42}/__admin/users`, { headers: bearer(process.env.CODE42_ADMIN_TOKEN) });
  const listed = JSON.stringify(admin).includes(username);
  if (!listed) throw new Error(`${username} is not in code42's /__admin/users`);
  console.error(`[test:containers] ${username} arrived in code42 over the compose network`);
})().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
EOF

# The conformance service of the compose file (target and flow suites) against the code42 container,
# through its admin surface too, writing its reports into a mounted folder.
rm -rf reports/compose-ci && mkdir -p reports/compose-ci
log "conformance through the compose conformance service (reports in reports/compose-ci)"
SCIM_LAB_USER="$(id -u):$(id -g)" SCIM_LAB_REPORTS=./reports/compose-ci SCIM_LAB_ONLY=${SCIM_LAB_COMPOSE_ONLY:-} \
  compose --profile conformance run --rm conformance >reports/compose-ci/terminal.txt ||
  fail "the conformance service failed against the code42 container (reports/compose-ci/terminal.txt)"
for report in junit.xml report.json report.html; do
  [ -s "reports/compose-ci/$report" ] || fail "the conformance service wrote no reports/compose-ci/$report"
done
tail -n 7 reports/compose-ci/terminal.txt >&2

# README.md (Run in containers): its second compose example, with the code42 container standing in for "another SCIM
# server reachable from the compose network" (only the discovery requirements, to keep this short). That server has
# no scim-lab admin surface, so both admin variables are set to empty; one of them alone is a usage error (exit 2).
log "README: the conformance service against another server, both admin variables empty"
SCIM_LAB_USER="$(id -u):$(id -g)" SCIM_LAB_REPORTS=./reports/compose-ci SCIM_LAB_ONLY=SCIM-DISCOVERY \
  SCIM_LAB_TARGET_URL=http://code42:8080/scim/v2 SCIM_LAB_TARGET_TOKEN="$CODE42_TOKEN" \
  SCIM_LAB_TARGET_ADMIN_URL= SCIM_LAB_TARGET_ADMIN_TOKEN= \
  compose --profile conformance run --rm conformance >reports/compose-ci/other-server.txt ||
  fail "the README's compose example against another server failed (reports/compose-ci/other-server.txt)"

# README.md (Run in containers): host networking, the conformance command of "Testing a server that runs on the
# host", against the code42 container's port published on the host's 127.0.0.1 (only discovery, to keep this short).
log "README: docker run --network host conformance against 127.0.0.1:$CODE42_PORT"
"$DOCKER" run --rm --network host -v "$PWD/reports/compose-ci:/reports" -u "$(id -u):$(id -g)" "$IMAGE" \
  conformance --target "http://127.0.0.1:$CODE42_PORT/scim/v2" --token "$CODE42_TOKEN" --only SCIM-DISCOVERY \
  --report junit=/reports/host-junit.xml,html=/reports/host-report.html >reports/compose-ci/host-network.txt ||
  fail "the README's host-networking example failed (reports/compose-ci/host-network.txt)"
[ -s reports/compose-ci/host-junit.xml ] || fail "the host-networking run wrote no junit report"

compose --profile conformance down -v --remove-orphans
log "compose cycle passed"
