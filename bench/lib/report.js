// The results table: each target of issues 8 and 14 with the figure measured, then the servers side by side, computed
// from the results document and written into the README between `<!-- bench:start -->` and `<!-- bench:end -->`.
// Nobody types a figure by hand.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const fmt = (x, digits = 0) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const thousands = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));
const pct = (share) => `${fmt(share * 100)}%`;

// Issue 14's targets: ratios to the bare node:http server, measured in the same run.
const FILTER_EQ_GOAL = 0.6;
const WRITE_GOAL = 0.4;
const IMPORT_GOAL_MS = 2000;
/** A suite taking more than this share of a conformance run is flagged, to be explained in docs/performance.md. */
const SUITE_SHARE_FLAG = 0.3;

/** The three requests measured side by side: where they are in the results, and how the report names them. */
const REQUESTS = [
  { name: 'filterEq', label: '`GET /Users?filter=userName eq`', short: 'filter eq', goal: FILTER_EQ_GOAL },
  { name: 'post', label: '`POST /Users`', short: 'POST', goal: WRITE_GOAL },
  { name: 'put', label: '`PUT /Users/{id}`', short: 'PUT', goal: WRITE_GOAL },
];
const MOCK_SHELLS = ['code42-node', 'code42-express'];

/** One row per target: what, the target, the figure, and whether it is met (true/false, or null when informative). */
function targets(results) {
  const c = results.code42;
  const p = results.provisioning;
  const rows = [];
  if (c) {
    rows.push(...throughputRows(c));
    const k = thousands;
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
      target: `≤ ${IMPORT_GOAL_MS / 1000} s`,
      measured: `${fmt(c.importMs / 1000, 2)} s`,
      met: c.importMs <= IMPORT_GOAL_MS,
      short: `${fmt((c.importMs - IMPORT_GOAL_MS) / 1000, 2)} s over ${IMPORT_GOAL_MS / 1000} s`,
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
  if (results.groups) rows.push(groupsRow(results.groups));
  if (results.conformance) rows.push(conformanceRow(results.conformance));
  return rows;
}

/** What a checked phase of the group flow found wrong (bench/scenarios/groups.js `compare`). */
const GROUP_PROBLEMS = [
  'missingGroups',
  'duplicatedGroups',
  'lostMemberships',
  'extraMemberships',
  'duplicatedUsers',
  'failedSyncs',
  'unfinishedSyncs',
];

/**
 * Issue 15: the group flow converges under 10% faults with nothing lost or duplicated. Met when every phase of both
 * runs (without and with faults) found nothing wrong; the counts shown are the run with faults, both phases summed.
 */
function groupsRow(g) {
  const f = g.faults;
  const phases = [g.clean.first, g.clean.afterMoves, f.first, f.afterMoves];
  const sum = (key, list = [f.first, f.afterMoves]) => list.reduce((n, phase) => n + phase[key], 0);
  const wrong = GROUP_PROBLEMS.filter((key) => sum(key, phases) > 0);
  const s = (ms) => fmt(ms / 1000, 1);
  return {
    what:
      `${g.groups} groups (one of ${g.biggestGroup} members; ${g.memberships} memberships) with their ${g.users} ` +
      `users, PingOne into Code42, then ${g.moves} users moving; 10% 429/503 (${f.injected} injected)`,
    target: 'converges, none lost or duplicated',
    measured:
      `${s(f.ms)} s, the moves ${s(f.movesMs)} s (without faults ${s(g.clean.ms)} s and ${s(g.clean.movesMs)} s); ` +
      `${sum('missingGroups')} missing, ${sum('duplicatedGroups')} duplicated, ${sum('lostMemberships')} lost and ` +
      `${sum('extraMemberships')} extra memberships, ${sum('failedSyncs')} failed syncs`,
    met: wrong.length === 0,
    short: `found ${wrong.map((key) => `${sum(key, phases)} ${key}`).join(', ')} (both runs, both phases)`,
  };
}

/** The mock's default shell against the three targets, and the mock against SCIMMY on the same requests. */
function throughputRows(c) {
  const info = (key) => c.servers.find((server) => server.key === key);
  const main = info('code42-node');
  const rows = REQUESTS.map(({ name, label, goal }) => {
    const figure = c[name];
    const f = figure.servers['code42-node'];
    return {
      what: `${label}, ${thousands(c.users)} users, ${main.label}`,
      target: `≥ ${goal} of baseline`,
      measured: `${fmt(f.ratio, 2)} (${f.rps} vs ${figure.baselineRps} req/s, p99 ${f.p99Ms} ms)`,
      met: f.ratio >= goal,
      short: ratioShort(f, goal, figure.servers['express-floor']),
    };
  });
  const scimmy = info('scimmy');
  if (scimmy && !scimmy.unavailable) rows.push(aheadOfScimmy(c, scimmy));
  return rows;
}

/** "The mock ahead of SCIMMY on every row": each shell measured, on each of the three requests. */
function aheadOfScimmy(c, scimmy) {
  const shells = MOCK_SHELLS.map((key) => c.servers.find((server) => server.key === key)).filter((s) => !s.unavailable);
  const behind = [];
  const parts = REQUESTS.map(({ name, short }) => {
    const { servers } = c[name];
    const peer = servers.scimmy.ratio;
    for (const shell of shells) if (!(servers[shell.key].ratio > peer)) behind.push(`${short}, ${shell.label}`);
    const mine = shells.map((shell) => `${shell.label} ${fmt(servers[shell.key].ratio, 2)}`).join(', ');
    return `${short}: ${mine} vs ${fmt(peer, 2)}`;
  });
  return {
    what: `the same requests against ${scimmy.label}, seeded with the same users`,
    target: 'the mock ahead on every row',
    measured: parts.join('; '),
    met: behind.length === 0,
    short: `not ahead of SCIMMY on ${behind.join('; ')}`,
  };
}

/** How far a ratio is from its target, and what the empty express app reached in the same run. */
function ratioShort(f, goal, floor) {
  const reached = floor ? `; an express app with one empty route reached ${fmt(floor.ratio, 2)}` : '';
  return `${fmt(f.ratio, 2)} of the baseline, ${fmt(goal - f.ratio, 2)} below ${goal} (${fmt(goal / f.ratio, 1)}× the throughput needed)${reached}`;
}

/**
 * The servers side by side: one row per request, one column per server of the run (bench/lib/servers.js), each
 * cell the median ratio to the bare server with its rate and p99; a server this build could not run says so.
 */
function sideBySide(c) {
  const head = [`Request, ${thousands(c.users)} users`, 'bare `node:http`', ...c.servers.map((s) => s.label)];
  const rows = REQUESTS.map(({ name, label }) => {
    const figure = c[name];
    const cells = c.servers.map((server) => {
      if (server.unavailable) return server.unavailable;
      const f = figure.servers[server.key];
      const failed = f.failedRequests ? `, ${f.failedRequests} failed` : '';
      return `${fmt(f.ratio, 2)} (${f.rps} req/s, p99 ${f.p99Ms} ms${failed})`;
    });
    return [label, `1 (${figure.baselineRps} req/s, p99 ${figure.baselineP99Ms} ms)`, ...cells];
  });
  const notes = c.servers.filter((s) => s.note).map((s) => `${s.label}: ${s.note}.`);
  const lines = [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return [lines.join('\n'), ...notes].join('\n\n');
}

/** The conformance run: its wall time and where it goes, per suite; a suite over the flag's share is flagged. */
function conformanceRow(r) {
  const breakdown = r.suites
    ? ': ' +
      [
        ...r.suites.map((s) => `${s.suite} ${fmt(s.medianMs / 1000, 1)} s (${pct(s.share)})`),
        `outside the suites ${fmt(r.outsideMs / 1000, 1)} s (${pct(r.outsideShare)})`,
      ].join(', ')
    : '';
  const flagged = (r.suites ?? []).filter((s) => s.share > SUITE_SHARE_FLAG);
  return {
    what: `\`scim-lab conformance\`, embedded default (${r.requirements} requirements)`,
    target: `reported, per suite; a suite over ${pct(SUITE_SHARE_FLAG)} explained`,
    measured: `${fmt(r.medianMs / 1000, 1)} s median of ${r.runs.length} (exit ${r.exitCode})${breakdown}`,
    met: r.exitCode === 0 ? null : false,
    explain: flagged.map(
      (s) =>
        `the ${s.suite} suite takes ${pct(s.share)} of the conformance run (over ${pct(SUITE_SHARE_FLAG)}); its ` +
        `slowest requirements: ${s.slowest.map((q) => `${q.id} ${fmt(q.ms / 1000, 1)} s`).join(', ')}`,
    ),
  };
}

function table(results) {
  const mark = (met) => (met === null ? 'reported' : met ? 'met' : '**missed**');
  const lines = [
    '| What | Target | Measured | |',
    '| --- | --- | --- | --- |',
    ...targets(results).map((r) => `| ${r.what} | ${r.target} | ${r.measured} | ${mark(r.met)} |`),
  ];
  const m = results.machine;
  const peers = results.code42?.servers ? `${sideBySide(results.code42)}\n\n` : '';
  return (
    `${lines.join('\n')}\n\n` +
    peers +
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
  await writeFormatted(readmePath, text);
}

/**
 * The missed targets of a run, each with how far it is from its target, and what a target asks to be explained
 * (a conformance suite over its share of the run), each explained in docs/performance.md.
 */
function gaps(results) {
  const rows = targets(results);
  const missed = rows.filter((r) => r.met === false).map((r) => `- ${r.what}: ${r.short ?? r.measured}.`);
  const explain = rows
    .flatMap((r) => r.explain ?? [])
    .map((line) => `- ${line}: see [the conformance run](#the-conformance-run).`);
  if (missed.length + explain.length === 0) return 'Every target was met in this run.';
  return [...missed, ...explain].join('\n');
}

/** Replaces the list between the gaps markers of `docPath` (formatted like the README). */
async function writeGaps(docPath, results) {
  await writeBlock(docPath, ['<!-- bench-gaps:start -->', '<!-- bench-gaps:end -->'], results, gaps(results));
}

/** Replaces the figures between the million markers of `docPath` with `lines` (bench/scenarios/million.js). */
async function writeMillion(docPath, results, lines) {
  const m = results.machine;
  const where = `${m.cpus} cores (${m.cpu}), ${m.memoryGB} GB, Node ${m.node}`;
  await writeBlock(
    docPath,
    ['<!-- bench-million:start -->', '<!-- bench-million:end -->'],
    results,
    [`On ${where}, the server and the load generator sharing the cores:`, '', ...lines].join('\n'),
  );
}

/** Replaces what is between `markers` in `docPath` with a line saying where it comes from, then `body`. */
async function writeBlock(docPath, [start, end], results, body) {
  const doc = readFileSync(docPath, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${docPath} has no ${start} … ${end} markers`);
  const stamp = `From \`bench/results/${results.mode}.json\`, measured ${results.measuredAt.slice(0, 10)}:`;
  await writeFormatted(docPath, `${doc.slice(0, from)}${start}\n\n${stamp}\n\n${body}\n\n${doc.slice(to)}`);
}

/** Writes `text` to `file` formatted with the project's Prettier settings (npm run lint checks the docs). */
async function writeFormatted(file, text) {
  // Loaded here, not at the top: the rendering above is unit-tested under jest, which cannot load Prettier 3 (it
  // imports its plugins dynamically).
  const prettier = require('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

module.exports = { targets, table, sideBySide, gaps, writeReadme, writeGaps, writeMillion, SUITE_SHARE_FLAG };
