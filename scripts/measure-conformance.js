#!/usr/bin/env node
// Measures the wall time of `scim-lab conformance` on the embedded default (issues 5, 6 and 8) and writes the figures
// into the README between the conformance-timing markers. Nobody types these numbers by hand.
//   node scripts/measure-conformance.js [runs=3]
'use strict';
const { spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const times = [];
let last;
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  last = spawnSync(process.execPath, ['bin/scim-lab.js', 'conformance', '--seed', '1'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (last.status !== 0) {
    process.stderr.write(last.stdout + last.stderr);
    throw new Error(`conformance exited ${last.status}; not measuring a failing run`);
  }
  times.push(ms);
  process.stderr.write(`run ${i + 1}: ${(ms / 1000).toFixed(2)} s\n`);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const counted = /(\d+) passed/.exec(last.stdout);
const requirements = last.stdout.split('\n').filter((l) => /^(✔|✖|!|-|E) /.test(l)).length;
const result = {
  measuredAt: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  runs: times.map((t) => Math.round(t)),
  medianMs: Math.round(median),
  requirements,
  passedLine: counted ? counted[0] : null,
};
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'conformance-timing.json'), JSON.stringify(result, null, 2) + '\n');

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const block =
  `<!-- conformance-timing:start (written by scripts/measure-conformance.js) -->\n\n` +
  `\`scim-lab conformance\` on the embedded default, ${requirements} requirements: median **${(median / 1000).toFixed(1)} s** ` +
  `over ${runs} runs (${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s), wall time of the whole command ` +
  `including Node's start-up, on ${result.machine}, measured ${result.measuredAt.slice(0, 10)}.\n` +
  `<!-- conformance-timing:end -->`;
const pattern = /<!-- conformance-timing:start[^]*?<!-- conformance-timing:end -->/;
if (!pattern.test(readme)) throw new Error('README.md has no conformance-timing markers');
writeFileSync(readmePath, readme.replace(pattern, block));
process.stderr.write(`median ${(median / 1000).toFixed(2)} s written to README.md\n`);
