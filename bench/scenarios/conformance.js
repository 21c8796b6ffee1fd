// Wall time of `scim-lab conformance` on the embedded default (issue 8), the whole command including Node's start-up,
// and where it goes, per suite (issue 14), from the JSON report each run writes. The README gives this one figure for
// a conformance run, in its Performance table (issue 12: one figure per run).
'use strict';
const { mkdirSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');
const { root } = require('../lib/processes');
const { median } = require('../lib/load');
const { conformanceBreakdown } = require('../lib/breakdown');

function benchConformance({ runs, log }) {
  const folder = path.join(os.tmpdir(), 'scim-lab-bench');
  mkdirSync(folder, { recursive: true });
  const reportFile = path.join(folder, `conformance-${process.pid}.json`);
  const measured = [];
  let last;
  try {
    for (let i = 0; i < runs; i++) {
      rmSync(reportFile, { force: true });
      const started = performance.now();
      last = spawnSync(
        process.execPath,
        ['bin/scim-lab.js', 'conformance', '--seed', '1', '--report', `json=${reportFile}`],
        { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      const wallMs = Math.round(performance.now() - started);
      measured.push({ wallMs, report: JSON.parse(readFileSync(reportFile, 'utf8')) });
      log(`conformance: run ${i + 1} exited ${last.status} after ${wallMs} ms`);
    }
  } finally {
    rmSync(reportFile, { force: true });
  }
  const summary = /(PASSED|FAILED|INCOMPLETE)[^\n]*?\(exit (\d+), (\d+) requirements/.exec(last.stdout ?? '');
  const breakdown = conformanceBreakdown(measured);
  log(`conformance: ${breakdown.suites.map((s) => `${s.suite} ${s.medianMs} ms (${s.share})`).join(', ')}`);
  return {
    runs: measured.map((r) => r.wallMs),
    medianMs: median(measured.map((r) => r.wallMs)),
    exitCode: last.status,
    requirements: summary ? Number(summary[3]) : null,
    ...breakdown,
  };
}

module.exports = { benchConformance };
