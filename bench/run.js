#!/usr/bin/env node
// npm run bench (full) and npm run bench:quick (CI-sized): the figures of issues 8 and 14 (the mock side by side with
// its peers, the conformance run per suite), measured against compiled code (dist/, built by the npm script first). Results go to bench/results/<mode>.json; the full mode also regenerates the
// README's results table. Progress goes to stderr.
//   node bench/run.js quick|full [--only code42,provisioning,groups,conformance] [--cpu-prof]
//   node bench/run.js million: one million users, written to docs/performance.md (npm run bench:million)
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { benchCode42 } = require('./scenarios/code42');
const { benchProvisioning } = require('./scenarios/provisioning');
const { benchGroups } = require('./scenarios/groups');
const { benchConformance } = require('./scenarios/conformance');
const { benchMillion, millionLines } = require('./scenarios/million');
const { pingOneUsers, scimUsers } = require('./lib/users');
const { writeGaps, writeMillion, writeReadme, targets } = require('./lib/report');
const { root } = require('./lib/processes');

const MODES = {
  quick: {
    users: 10_000,
    scanSizes: [1_000, 10_000],
    rounds: 2,
    durationS: 2,
    scanDurationS: 2,
    connections: 10,
    provisionUsers: 1_000,
    provisionRounds: 1,
    faultRounds: 1,
    groupUsers: 1_000,
    groups: 1_000,
    conformanceRuns: 1,
  },
  // node bench/run.js million: one million users (bench/scenarios/million.js), written to docs/performance.md.
  million: {
    users: 1_000_000,
    templates: 1_000,
    rounds: 3,
    durationS: 5,
    scanDurationS: 10,
    connections: 10,
  },
  full: {
    users: 100_000,
    scanSizes: [1_000, 10_000, 100_000],
    rounds: 3,
    durationS: 5,
    scanDurationS: 4,
    connections: 10,
    provisionUsers: 10_000,
    provisionRounds: 2,
    faultRounds: 1,
    groupUsers: 1_000,
    groups: 1_000,
    conformanceRuns: 3,
  },
};

async function main(argv) {
  const mode = argv[0];
  const settings = MODES[mode];
  if (!settings) throw new Error(`usage: node bench/run.js ${Object.keys(MODES).join('|')} [--only …] [--cpu-prof]`);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1].split(',') : ['code42', 'provisioning', 'groups', 'conformance'];
  // A partial or profiled run is exploration: its results and profiles go to a temporary folder, not bench/results.
  const partial = onlyAt >= 0 || argv.includes('--cpu-prof');
  const scratch = path.join(os.tmpdir(), 'scim-lab-bench');
  const nodeFlags = argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${scratch}`] : [];
  const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

  const results = {
    mode,
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
      note: 'each server under test runs in its own process, the load generator (autocannon) in this one; all share the cores above',
    },
    settings,
  };
  if (mode === 'million') {
    results.million = await benchMillion({
      ...settings,
      templates: scimUsers(settings.templates, { seed: 8, prefix: 'bench-' }),
      nodeFlags,
      log,
    });
    const file = writeResults(results, partial ? scratch : path.join(root, 'bench', 'results'));
    log(`wrote ${file}`);
    if (!partial) await writeMillion(path.join(root, 'docs', 'performance.md'), results, millionLines(results));
    return;
  }
  if (only.includes('code42')) {
    log(`generating ${settings.users} users`);
    const users = scimUsers(settings.users, { seed: 8, prefix: 'bench-' });
    results.code42 = await benchCode42({ ...settings, users, nodeFlags, log });
  }
  if (only.includes('provisioning')) {
    const makeUsers = (tag) => pingOneUsers(settings.provisionUsers, { seed: 9, prefix: `bench-${tag}-` });
    results.provisioning = await benchProvisioning({
      makeUsers,
      rounds: settings.provisionRounds,
      faultRounds: settings.faultRounds,
      nodeFlags,
      log,
    });
  }
  if (only.includes('groups')) {
    const makeUsers = (n) => pingOneUsers(n, { seed: 15, prefix: 'bench-g-' });
    results.groups = await benchGroups({
      users: settings.groupUsers,
      groups: settings.groups,
      makeUsers,
      nodeFlags,
      log,
    });
  }
  if (only.includes('conformance')) results.conformance = benchConformance({ runs: settings.conformanceRuns, log });
  results.targets = targets(results);

  const file = writeResults(results, partial ? scratch : path.join(root, 'bench', 'results'));
  log(`wrote ${file}${nodeFlags.length ? `; CPU profiles in ${scratch} (node bench/profile-summary.js FILE)` : ''}`);
  for (const t of results.targets)
    log(`${t.met === false ? 'MISSED' : t.met ? 'met   ' : 'info  '} ${t.what}: ${t.measured}`);
  if (mode === 'full' && !partial) {
    await writeReadme(path.join(root, 'README.md'), results);
    await writeGaps(path.join(root, 'docs', 'performance.md'), results);
    log('README.md table and the gaps in docs/performance.md regenerated');
  }
}

/** Writes `results` to `<folder>/<mode>.json`; returns the file. */
function writeResults(results, folder) {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${results.mode}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
