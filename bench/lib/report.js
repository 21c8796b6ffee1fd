// The results table: each target of issue 8 with the figure measured, computed from the results document, and
// written into the README between `<!-- bench:start -->` and `<!-- bench:end -->`. Nobody types a figure by hand.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const prettier = require('prettier');

const fmt = (x, digits = 0) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));

/** One row per target: what, the target, the figure, and whether it is met (true/false, or null when informative). */
function targets(results) {
  const c = results.code42;
  const p = results.provisioning;
  const rows = [];
  if (c) {
    const k = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));
    rows.push({
      what: `\`GET /Users?filter=userName eq\`, ${k(c.users)} users`,
      target: '≥ 0.5 of baseline',
      measured: throughput(c.filterEq),
      met: c.filterEq.ratio >= 0.5,
      short: ratioShort(c.filterEq, 0.5),
    });
    for (const [label, figure] of [
      ['`POST /Users`', c.post],
      ['`PUT /Users/{id}`', c.put],
    ]) {
      rows.push({
        what: `${label}, ${k(c.users)} users`,
        target: '≥ 0.3 of baseline',
        measured: throughput(figure),
        met: figure.ratio >= 0.3,
        short: ratioShort(figure, 0.3),
      });
    }
    const scan = c.scan;
    // Growth between sizes, on the server's CPU time per request: autocannon measures latency in whole milliseconds,
    // so at 1k users (well under 1 ms) its mean is mostly rounding. ≤ 1 is linear or better.
    const growth = scan.slice(1).map((s, i) => s.cpuMsPerRequest / scan[i].cpuMsPerRequest / (s.users / scan[i].users));
    rows.push({
      what: `\`co\` filter (full scan) at ${scan.map((s) => k(s.users)).join(' / ')} users`,
      target: 'latency reported; growth ≤ linear',
      measured:
        `mean ${scan.map((s) => fmt(s.meanMs, 1)).join(' / ')} ms, p99 ${scan.map((s) => fmt(s.p99Ms)).join(' / ')} ms; ` +
        `server CPU ${scan.map((s) => fmt(s.cpuMsPerRequest, 1)).join(' / ')} ms a request ` +
        `(growth ${growth.map((g) => fmt(g, 2)).join(', ')} of linear)`,
      met: growth.every((g) => g <= 1.1),
    });
    rows.push({
      what: `RSS with ${k(c.users)} users created through \`POST /Users\``,
      target: '≤ 300 MB',
      measured:
        `${fmt(c.filledThroughPost.rssSettledMB)} MB (${fmt(c.rssEmptyMB)} MB empty; the users' live heap: ` +
        `${fmt(c.liveHeap.usersHeapMB)} MB, ${fmt(c.liveHeap.bytesPerUser)} bytes each)`,
      met: c.filledThroughPost.rssSettledMB <= 300,
      short:
        `${fmt(c.filledThroughPost.rssSettledMB - 300)} MB over 300 MB; the users themselves take ` +
        `${fmt(c.liveHeap.usersHeapMB)} MB of live heap, the process ${fmt(c.rssEmptyMB)} MB empty`,
    });
    rows.push({
      what: `RSS with ${k(c.users)} users imported through \`PUT /__admin/state\``,
      target: '≤ 300 MB',
      measured: `${fmt(c.rssSettledMB)} MB after the import; ${fmt(c.rssAfterLoadMB)} MB after the load runs`,
      met: c.rssSettledMB <= 300,
      short: `${fmt(c.rssSettledMB - 300)} MB over 300 MB right after importing a ${fmt(c.stateMB)} MB document`,
    });
    if (c.lowMemory) {
      const lean = c.lowMemory.filledThroughPost;
      rows.push({
        what: `the same through \`POST /Users\`, \`scim-lab code42 --low-memory\``,
        target: '≤ 300 MB',
        measured:
          `${fmt(lean.rssSettledMB)} MB; its POST rate: ${fmt(lean.requestsPerS / c.filledThroughPost.requestsPerS, 2)} ` +
          `of the default's (${fmt(lean.requestsPerS)} vs ${fmt(c.filledThroughPost.requestsPerS)} users/s)`,
        met: lean.rssSettledMB <= 300,
        short: `${fmt(lean.rssSettledMB - 300)} MB over 300 MB`,
      });
      rows.push({
        what: `the same through \`PUT /__admin/state\`, \`scim-lab code42 --low-memory\``,
        target: '≤ 300 MB',
        measured: `${fmt(c.lowMemory.imported.rssSettledMB)} MB after the import`,
        met: c.lowMemory.imported.rssSettledMB <= 300,
        short: `${fmt(c.lowMemory.imported.rssSettledMB - 300)} MB over 300 MB right after the import`,
      });
    }
    rows.push({
      what: `import of ${k(c.users)} users, \`PUT /__admin/state\` (${fmt(c.stateMB)} MB)`,
      target: '≤ 5 s',
      measured: `${fmt(c.importMs / 1000, 2)} s`,
      met: c.importMs <= 5000,
      short: `${fmt((c.importMs - 5000) / 1000, 2)} s over 5 s`,
    });
  }
  if (p) {
    const best = (runs) => runs.map((r) => r.usersPerS).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    rows.push({
      what: `provisioning ${p.users} PingOne users into Code42 (initial sync, concurrency ${p.concurrency})`,
      target: '≥ 0.8 of a plain loop',
      measured: `${fmt(p.ratio, 2)} (${fmt(best(p.provisioner))} vs ${fmt(best(p.plain))} users/s)`,
      met: p.ratio >= 0.8,
      short: `${fmt(0.8 - p.ratio, 2)} below 0.8`,
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

/** How far a ratio is from its target, and what the empty express app reached in the same run. */
function ratioShort(f, goal) {
  const floor =
    f.floorRatio === undefined ? '' : `; an express app with one empty route reached ${fmt(f.floorRatio, 2)}`;
  return `${fmt(f.ratio, 2)} of the baseline, ${fmt(goal - f.ratio, 2)} below ${goal} (${fmt(goal / f.ratio, 1)}× the throughput needed)${floor}`;
}

/** A throughput figure: the median ratio, both rates, the target's p99 and the express floor's ratio. */
function throughput(f) {
  const floor = f.floorRatio === undefined ? '' : `; an empty express app: ${fmt(f.floorRatio, 2)}`;
  return `${fmt(f.ratio, 2)} (${f.targetRps} vs ${f.baselineRps} req/s, p99 ${f.targetP99Ms} ms${floor})`;
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
    `\`npm run ${results.mode === 'full' ? 'bench' : 'bench:quick'}\`, ${results.measuredAt.slice(0, 10)}, ${m.cpus} cores (${m.cpu}), Node ` +
    `${m.node}: the servers under test and the load generator run in separate processes on the same ${m.cpus} cores, ` +
    `so figures are ratios to a bare \`node:http\` baseline measured in the same run (median of ` +
    `${results.settings.rounds} alternating rounds). Raw figures: \`bench/results/${results.mode}.json\`; ` +
    'gaps and their causes: [docs/performance.md](docs/performance.md).'
  );
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/**
 * Replaces what is between the markers, then formats the file with the project's Prettier settings (npm run lint
 * checks the README); throws when the README has no markers.
 */
async function writeReadme(readmePath, results) {
  const readme = readFileSync(readmePath, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${readmePath} has no ${START} … ${END} markers`);
  const generated = `${START}\n<!-- generated by npm run bench: do not edit by hand -->\n\n${table(results)}\n\n`;
  const text = readme.slice(0, from) + generated + readme.slice(to);
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  writeFileSync(readmePath, await prettier.format(text, { ...options, filepath: readmePath }));
}

const GAPS_START = '<!-- bench-gaps:start -->';
const GAPS_END = '<!-- bench-gaps:end -->';

/** The missed targets of a run, each with how far it is from its target (docs/performance.md). */
function gaps(results) {
  const missed = targets(results).filter((r) => r.met === false);
  if (missed.length === 0) return 'Every target was met in this run.';
  return missed.map((r) => `- ${r.what}: ${r.short ?? r.measured}.`).join('\n');
}

/** Replaces the list between the gaps markers of `docPath` (formatted like the README). */
async function writeGaps(docPath, results) {
  const doc = readFileSync(docPath, 'utf8');
  const from = doc.indexOf(GAPS_START);
  const to = doc.indexOf(GAPS_END);
  if (from < 0 || to < from) throw new Error(`${docPath} has no ${GAPS_START} … ${GAPS_END} markers`);
  const stamp = `From \`bench/results/${results.mode}.json\`, measured ${results.measuredAt.slice(0, 10)}:`;
  const text = `${doc.slice(0, from)}${GAPS_START}\n\n${stamp}\n\n${gaps(results)}\n\n${doc.slice(to)}`;
  const options = (await prettier.resolveConfig(docPath)) ?? {};
  writeFileSync(docPath, await prettier.format(text, { ...options, filepath: docPath }));
}

module.exports = { targets, table, gaps, writeReadme, writeGaps };
