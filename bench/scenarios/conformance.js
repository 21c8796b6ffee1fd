// Wall time of `scim-lab conformance` on the embedded default (issue 8), the whole command including Node's start-up.
// The README gives this one figure for a conformance run, in its Performance table (issue 12: one figure per run).
'use strict';
const { performance } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');
const { root } = require('../lib/processes');
const { median } = require('../lib/load');

function benchConformance({ runs, log }) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = spawnSync(process.execPath, ['bin/scim-lab.js', 'conformance', '--seed', '1'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    times.push(Math.round(performance.now() - started));
    log(`conformance: run ${i + 1} exited ${last.status} after ${times.at(-1)} ms`);
  }
  const summary = /(PASSED|FAILED|INCOMPLETE)[^\n]*?\(exit (\d+), (\d+) requirements/.exec(last.stdout ?? '');
  return {
    runs: times,
    medianMs: median(times),
    exitCode: last.status,
    requirements: summary ? Number(summary[3]) : null,
  };
}

module.exports = { benchConformance };
