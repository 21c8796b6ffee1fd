// The results table: each target of issue 8 with the figure measured, computed from the results document, and
// written into the README between `<!-- bench:start -->` and `<!-- bench:end -->`. Nobody types a figure by hand.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const fmt = (x, digits = 0) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));

/** One row per target: what, the target, the figure, and whether it is met (true/false, or null when informative). */
function targets(results) {
  const c = results.code42;
  const p = results.provisioning;
  const rows = [];
  if (c) {
    const k = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));
    rows.push({
      what: `GET /Users?filter=userName eq, ${k(c.users)} users`,
      target: '≥ 0.5 of baseline',
      measured: `${fmt(c.filterEq.ratio, 2)} (${c.filterEq.targetRps} vs ${c.filterEq.baselineRps} req/s; p99 ${c.filterEq.targetP99Ms} ms)`,
      met: c.filterEq.ratio >= 0.5,
    });
    for (const [label, figure] of [
      ['POST /Users', c.post],
      ['PUT /Users/{id}', c.put],
    ]) {
      rows.push({
        what: `${label}, ${k(c.users)} users`,
        target: '≥ 0.3 of baseline',
        measured: `${fmt(figure.ratio, 2)} (${figure.targetRps} vs ${figure.baselineRps} req/s; p99 ${figure.targetP99Ms} ms)`,
        met: figure.ratio >= 0.3,
      });
    }
    const scan = c.scan;
    // Growth between sizes, on the mean latency (autocannon's percentiles are whole milliseconds): ≤ 1 is linear or better.
    const growth = scan.slice(1).map((s, i) => s.meanMs / scan[i].meanMs / (s.users / scan[i].users));
    rows.push({
      what: `\`co\` filter (full scan) at ${scan.map((s) => k(s.users)).join(' / ')} users`,
      target: 'latency reported; growth ≤ linear',
      measured: `mean ${scan.map((s) => fmt(s.meanMs, 1)).join(' / ')} ms, p99 ${scan.map((s) => fmt(s.p99Ms)).join(' / ')} ms`,
      met: growth.every((g) => g <= 1.1),
    });
    rows.push({
      what: `RSS with ${k(c.users)} users`,
      target: '≤ 300 MB',
      measured: `${fmt(c.rssSettledMB)} MB after import (${fmt(c.rssEmptyMB)} MB empty; ${fmt(c.rssAfterLoadMB)} MB after the load runs)`,
      met: c.rssSettledMB <= 300,
    });
    rows.push({
      what: `import of ${k(c.users)} users, PUT /__admin/state (${fmt(c.stateMB)} MB)`,
      target: '≤ 5 s',
      measured: `${fmt(c.importMs / 1000, 2)} s`,
      met: c.importMs <= 5000,
    });
  }
  if (p) {
    const best = (runs) => runs.map((r) => r.usersPerS).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    rows.push({
      what: `provisioning ${p.users} PingOne users into Code42 (initial sync, concurrency ${p.concurrency})`,
      target: '≥ 0.8 of a plain loop',
      measured: `${fmt(p.ratio, 2)} (${fmt(best(p.provisioner))} vs ${fmt(best(p.plain))} users/s)`,
      met: p.ratio >= 0.8,
    });
    rows.push({
      what: `the same, users created one by one through the API`,
      target: 'reported',
      measured: `${fmt(p.live.usersPerS)} users/s, all in Code42 after ${fmt(p.live.ms / 1000, 1)} s`,
      met: p.live.missing === 0 && p.live.duplicated === 0 ? null : false,
    });
    for (const f of p.faults) {
      const ok = f.missing === 0 && f.duplicated === 0 && f.stale === 0 && f.sync.failed === 0;
      rows.push({
        what: `the same with 10% 429/503 (${f.injected} injected)`,
        target: 'converges, none lost or duplicated',
        measured: `${fmt(f.ms / 1000, 1)} s; ${f.missing} missing, ${f.duplicated} duplicated, ${f.sync.failed} failed`,
        met: ok,
      });
    }
  }
  if (results.conformance) {
    const r = results.conformance;
    rows.push({
      what: `\`scim-lab conformance\`, embedded default (${r.requirements} requirements)`,
      target: 'wall time reported',
      measured: `${fmt(r.medianMs / 1000, 1)} s median of ${r.runs.length} (exit ${r.exitCode})`,
      met: r.exitCode === 0 ? null : false,
    });
  }
  return rows;
}

function table(results) {
  const mark = (met) => (met === null ? 'reported' : met ? 'met' : '**missed**');
  const lines = [
    '| What | Target | Measured | |',
    '| --- | --- | --- | --- |',
    ...targets(results).map((r) => `| ${r.what} | ${r.target} | ${r.measured} | ${mark(r.met)} |`),
  ];
  const m = results.machine;
  return (
    `${lines.join('\n')}\n\n` +
    `\`npm run bench\` (${results.mode} mode), ${results.measuredAt.slice(0, 10)}, ${m.cpus} cores (${m.cpu}), Node ` +
    `${m.node}: the servers under test and the load generator run in separate processes on the same ${m.cpus} cores, ` +
    `so figures are ratios to a bare \`node:http\` baseline measured in the same run (median of ` +
    `${results.settings.rounds} alternating rounds). Raw figures: \`bench/results/${results.mode}.json\`; ` +
    'gaps and their causes: [docs/performance.md](docs/performance.md).'
  );
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces what is between the markers; throws when the README has none. */
function writeReadme(readmePath, results) {
  const readme = readFileSync(readmePath, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${readmePath} has no ${START} … ${END} markers`);
  const generated = `${START}\n<!-- generated by npm run bench: do not edit by hand -->\n\n${table(results)}\n\n`;
  writeFileSync(readmePath, readme.slice(0, from) + generated + readme.slice(to));
}

module.exports = { targets, table, writeReadme };
