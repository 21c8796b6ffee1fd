#!/usr/bin/env bash
# Installs scim-lab the way a user does and checks it from the outside (issue 12 §2):
#   1. npm pack, then install the tarball into a scratch project;
#   2. compile a strict TypeScript consumer (strict, skipLibCheck false) that imports every export of every entry
#      point (scim-lab, scim-lab/jest, scim-lab/containers, scim-lab/scim), and run it;
#   3. check that deep imports of dist/ are refused and that the command runs through npx;
#   4. run the jest adapter example (examples/jest) as README.md (Conformance) shows it, against a mock Code42
#      started from the installed package in place of "your server";
#   5. with --git: the same install from a git URL (git+file:// of this checkout's HEAD).
# README.md (Install it in your own project): its install commands are the ones below, with this checkout's tarball
# and git URL in place of the published ones (scripts/readme.test.ts checks that this comment is here).
# Usage: scripts/check-package.sh [--git] [--keep]   (--keep leaves the scratch folder and prints its path)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
GIT=0
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --git) GIT=1 ;;
    --keep) KEEP=1 ;;
    *) echo "check-package: unknown option $arg (use --git, --keep)" >&2; exit 2 ;;
  esac
done

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/scim-lab-package-XXXXXX")"
cleanup() { if [ "$KEEP" = 1 ]; then echo "check-package: scratch project kept in $SCRATCH"; else rm -rf "$SCRATCH"; fi; }
trap cleanup EXIT
step() { echo "check-package: $*"; }

# The scratch project's own tools, pinned to the versions this repository uses.
version_of() { node -p "require('./package.json').devDependencies['$1'] || require('./package.json').dependencies['$1']"; }
TOOLS=("typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" "jest@$(version_of jest)" "testcontainers@$(version_of testcontainers)")
NPM_INSTALL=(npm install --no-audit --no-fund --prefer-offline --loglevel=error)

step "building and packing"
npm run -s build
TARBALL="$(npm pack --silent --pack-destination "$SCRATCH")"
step "packed $TARBALL ($(du -k "$SCRATCH/$TARBALL" | cut -f1) KiB)"

consumer_project() {
  local dir="$1" spec="$2"
  mkdir -p "$dir"
  cp scripts/package-check/consumer.ts scripts/package-check/tsconfig.json scripts/package-check/every-export.js "$dir/"
  cp examples/jest/jest.config.js examples/jest/scim-conformance.test.js "$dir/"
  (cd "$dir" && echo '{"name":"scim-lab-consumer","private":true,"version":"1.0.0"}' > package.json &&
    "${NPM_INSTALL[@]}" "$spec" "${TOOLS[@]}")
}

check_consumer() {
  local dir="$1"
  (
    cd "$dir"
    node every-export.js
    step "strict tsc (skipLibCheck false) of consumer.ts and every-export.ts"
    npx --no-install tsc -p tsconfig.json
    step "running the compiled consumer"
    node out/consumer.js
    step "deep imports of dist/ are refused"
    if node -e "require('scim-lab/dist/index.js')" 2>/dev/null; then
      echo "check-package: require('scim-lab/dist/index.js') resolved; package.json exports should refuse it" >&2
      exit 1
    fi
    step "npx scim-lab --version"
    npx --no-install scim-lab --version
    step "the lab view's bundle ships (dist/ui)"
    for f in app.js app.css; do
      [ -s "node_modules/scim-lab/dist/ui/$f" ] || { echo "check-package: dist/ui/$f is not in the package" >&2; exit 1; }
    done
    step "the jest example (examples/jest) against a mock Code42 (with --ui), SCIM_LAB_ONLY=MUST"
    npx --no-install scim-lab code42 --ui --port 0 --json > code42.json 2> code42.log &
    local server=$!
    for _ in $(seq 1 100); do [ -s code42.json ] && break; sleep 0.2; done
    local url token
    url=$(node -p 'require("./code42.json").code42.baseUrl')
    token=$(node -p 'require("./code42.json").code42.token')
    step "the lab view's bundle is served from the package: GET /__ui/app.js"
    curl -sf -o /dev/null "${url%/scim/v2}/__ui/app.js" || { echo "check-package: /__ui/app.js not served" >&2; kill "$server"; exit 1; }
    SCIM_LAB_TARGET_URL="$url" SCIM_LAB_TARGET_TOKEN="$token" SCIM_LAB_ONLY=MUST npx --no-install jest --ci ||
      { kill "$server"; exit 1; }
    kill "$server"
    wait "$server" || true
  )
}

step "installing the tarball into a scratch project"
consumer_project "$SCRATCH/from-tarball" "$SCRATCH/$TARBALL"
check_consumer "$SCRATCH/from-tarball"

if [ "$GIT" = 1 ]; then
  step "installing from a git URL (git+file://$ROOT#$(git rev-parse --short HEAD))"
  consumer_project "$SCRATCH/from-git" "git+file://$ROOT#$(git rev-parse HEAD)"
  check_consumer "$SCRATCH/from-git"
fi
step "ok"
