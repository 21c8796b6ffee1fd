// The bench's report (bench/lib/report.js) from small, literal results documents: the rows of issue 14's targets,
// the servers side by side, and the gaps block. No server runs here; the figures are made up for the rendering.

interface Row {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
  short?: string;
  explain?: string[];
}
interface Report {
  targets(results: unknown): Row[];
  sideBySide(code42: unknown): string;
  gaps(results: unknown): string;
  table(results: unknown): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is CommonJS JavaScript; loaded as is
const report = require('./report') as Report;

const figure = (ratio: number, rps: number) => ({ ratio, rps, p99Ms: 9, failedRequests: 0 });

/** A results document of the code42 scenario: the mock with both shells, SCIMMY and the express floor. */
function code42Results(ratios: Record<string, [number, number, number]>, servers = bothShells()) {
  const request = (i: number) => ({
    baselineRps: 10000,
    baselineP99Ms: 3,
    servers: Object.fromEntries(Object.entries(ratios).map(([key, r]) => [key, figure(r[i], r[i] * 10000)])),
  });
  return {
    mode: 'quick',
    measuredAt: '2026-12-05T12:00:00.000Z',
    machine: { cpus: 2, cpu: 'test', node: 'v20' },
    settings: { rounds: 2 },
    code42: {
      users: 100000,
      servers,
      filterEq: request(0),
      post: request(1),
      put: request(2),
      scan: [
        { users: 1000, cpuMsPerRequest: 1, meanMs: 1, p99Ms: 2 },
        { users: 10000, cpuMsPerRequest: 5, meanMs: 4, p99Ms: 8 },
      ],
      filledThroughPost: { rssSettledMB: 250, requestsPerS: 2000 },
      liveHeap: { usersHeapMB: 140, bytesPerUser: 1500 },
      rssEmptyMB: 50,
      rssSettledMB: 280,
      rssAfterLoadMB: 290,
      stateMB: 59,
      importMs: 1500,
    },
  };
}

function bothShells() {
  return [
    { key: 'code42-node', label: 'the mock, `node:http` shell' },
    { key: 'code42-express', label: 'the mock, express shell' },
    { key: 'scimmy', label: 'SCIMMY 1.3.5' },
    { key: 'express-floor', label: 'an empty express app' },
  ];
}

function oneShell() {
  const [node, express, ...rest] = bothShells();
  return [
    { ...node, label: 'the mock, its only shell', note: 'this build has no `--shell`: the mock as it is' },
    { ...express, unavailable: 'not available in this build' },
    ...rest,
  ];
}

type Triple = [number, number, number];
/** The ratios of filter eq, POST and PUT for each server; SCIMMY and the express floor have defaults. */
const ratiosOf = (node: Triple, express: Triple, scimmy: Triple = [0.05, 0.05, 0.05]) => ({
  'code42-node': node,
  'code42-express': express,
  scimmy,
  'express-floor': [0.4, 0.4, 0.5] as Triple,
});

const rowOf = (rows: Row[], start: string) => {
  const row = rows.find((r) => r.what.startsWith(start));
  if (!row) throw new Error(`no row starting with ${start}: ${rows.map((r) => r.what).join(' / ')}`);
  return row;
};

describe('issue 14: the throughput targets, as ratios to the bare node:http server', () => {
  it('holds filter eq to 0.6 and POST and PUT to 0.4, for the node:http shell', () => {
    const rows = report.targets(code42Results(ratiosOf([0.61, 0.39, 0.41], [0.3, 0.2, 0.2], [0.05, 0.05, 0.05])));
    const filter = rowOf(rows, '`GET /Users?filter=userName eq`');
    expect(filter).toMatchObject({ target: '≥ 0.6 of baseline', met: true });
    expect(filter.what).toContain('`node:http` shell');
    expect(filter.measured).toBe('0.61 (6100 vs 10000 req/s, p99 9 ms)');
    expect(rowOf(rows, '`POST /Users`')).toMatchObject({ target: '≥ 0.4 of baseline', met: false });
    expect(rowOf(rows, '`POST /Users`').short).toBe(
      '0.39 of the baseline, 0.01 below 0.4 (1.0× the throughput needed); an express app with one empty route reached 0.40',
    );
    expect(rowOf(rows, '`PUT /Users/{id}`')).toMatchObject({ met: true });
  });

  it('is met against SCIMMY only when every shell measured is ahead of it on every request', () => {
    const ahead = report.targets(code42Results(ratiosOf([0.5, 0.3, 0.3], [0.2, 0.2, 0.2], [0.1, 0.1, 0.1])));
    const row = rowOf(ahead, 'the same requests against SCIMMY');
    expect(row).toMatchObject({ target: 'the mock ahead on every row', met: true });
    expect(row.measured).toContain('PUT: the mock, `node:http` shell 0.30, the mock, express shell 0.20 vs 0.10');

    const behind = report.targets(code42Results(ratiosOf([0.5, 0.3, 0.3], [0.2, 0.1, 0.2], [0.1, 0.1, 0.1])));
    expect(rowOf(behind, 'the same requests against SCIMMY')).toMatchObject({
      met: false,
      short: 'not ahead of SCIMMY on POST, the mock, express shell',
    });
  });

  it('judges the import against 2 s', () => {
    const rows = report.targets(code42Results(ratiosOf([1, 1, 1], [1, 1, 1], [0, 0, 0])));
    expect(rowOf(rows, 'import of 100k users')).toMatchObject({ target: '≤ 2 s', measured: '1.50 s', met: true });
  });
});

describe('issue 14: the servers side by side', () => {
  const ratios: Record<string, [number, number, number]> = {
    'code42-node': [0.25, 0.2, 0.2],
    scimmy: [0.05, 0.04, 0.03],
    'express-floor': [0.4, 0.4, 0.5],
  };

  it('has one column per server of the run and one row per request, each cell a ratio with its rate', () => {
    const results = code42Results({ ...ratios, 'code42-express': [0.2, 0.15, 0.1] });
    const lines = report.sideBySide(results.code42).split('\n');
    expect(lines[0]).toBe(
      '| Request, 100k users | bare `node:http` | the mock, `node:http` shell | the mock, express shell | SCIMMY 1.3.5 | an empty express app |',
    );
    expect(lines[2]).toBe(
      '| `GET /Users?filter=userName eq` | 1 (10000 req/s, p99 3 ms) | 0.25 (2500 req/s, p99 9 ms) | 0.20 (2000 req/s, p99 9 ms) | 0.05 (500 req/s, p99 9 ms) | 0.40 (4000 req/s, p99 9 ms) |',
    );
    expect(lines).toHaveLength(5);
  });

  it('says "not available in this build" for a shell the mock does not offer, and notes what ran instead', () => {
    const results = code42Results(ratios, oneShell());
    const text = report.sideBySide(results.code42);
    expect(text.split('\n')[3]).toContain('| 0.20 (2000 req/s, p99 9 ms) | not available in this build | 0.04');
    expect(text).toContain('the mock, its only shell: this build has no `--shell`: the mock as it is.');
    const scimmyRow = rowOf(report.targets(results), 'the same requests against SCIMMY');
    expect(scimmyRow.measured).not.toContain('express shell');
    expect(report.table(results)).toContain(text);
  });
});

describe('issue 14: the conformance run, per suite', () => {
  const conformance = {
    runs: [10000, 11000, 12000],
    medianMs: 11000,
    exitCode: 0,
    requirements: 3,
    suites: [
      { suite: 'target', medianMs: 2000, share: 0.182, requirements: 1, slowest: [{ id: 'SCIM-A', ms: 2000 }] },
      {
        suite: 'provisioner',
        medianMs: 8000,
        share: 0.727,
        requirements: 2,
        slowest: [
          { id: 'P1-B', ms: 5000 },
          { id: 'P1-C', ms: 3000 },
        ],
      },
    ],
    outsideMs: 1000,
    outsideShare: 0.091,
  };

  it('reports each suite with its time and share, and what ran outside the suites', () => {
    const [row] = report.targets({ conformance });
    expect(row.measured).toBe(
      '11.0 s median of 3 (exit 0): target 2.0 s (18%), provisioner 8.0 s (73%), outside the suites 1.0 s (9%)',
    );
    expect(row.met).toBeNull();
  });

  it('flags a suite over 30% of the run in the gaps, with its slowest requirements', () => {
    expect(report.gaps({ conformance })).toBe(
      '- the provisioner suite takes 73% of the conformance run (over 30%); its slowest requirements: P1-B 5.0 s, ' +
        'P1-C 3.0 s: see [the conformance run](#the-conformance-run).',
    );
  });

  it('has nothing to explain when no suite is over 30%', () => {
    const even = {
      ...conformance,
      suites: conformance.suites.map((s) => ({ ...s, share: 0.3 })),
    };
    expect(report.gaps({ conformance: even })).toBe('Every target was met in this run.');
  });
});

describe('issue 15: the group flow under 10% 429/503', () => {
  const clean = {
    missingGroups: 0,
    duplicatedGroups: 0,
    lostMemberships: 0,
    extraMemberships: 0,
    duplicatedUsers: 0,
    failedSyncs: 0,
    unfinishedSyncs: 0,
  };
  const groups = (faultyFirst = clean, cleanMoves = clean) => ({
    users: 1000,
    groups: 1000,
    memberships: 3000,
    biggestGroup: 1000,
    moves: 200,
    clean: { ms: 3800, movesMs: 400, injected: 0, first: clean, afterMoves: cleanMoves },
    faults: { ms: 28000, movesMs: 1700, injected: 464, first: faultyFirst, afterMoves: clean },
  });

  it('reports the time with and without faults and the counts of what was lost, and is met when nothing was', () => {
    const [row] = report.targets({ groups: groups() });
    expect(row).toMatchObject({
      what:
        '1000 groups (one of 1000 members; 3000 memberships) with their 1000 users, PingOne into Code42, then 200 ' +
        'users moving; 10% 429/503 (464 injected)',
      target: 'converges, none lost or duplicated',
      measured:
        '28.0 s, the moves 1.7 s (without faults 3.8 s and 0.4 s); 0 missing, 0 duplicated, 0 lost and 0 extra ' +
        'memberships, 0 failed syncs',
      met: true,
    });
  });

  it('is missed when a membership was lost with faults, and says how many in the gaps', () => {
    const [row] = report.targets({ groups: groups({ ...clean, lostMemberships: 3, failedSyncs: 1 }) });
    expect(row.met).toBe(false);
    expect(row.measured).toContain('0 missing, 0 duplicated, 3 lost and 0 extra memberships, 1 failed syncs');
    expect(report.gaps({ groups: groups({ ...clean, lostMemberships: 3, failedSyncs: 1 }) })).toBe(
      `- ${row.what}: found 3 lostMemberships, 1 failedSyncs (both runs, both phases).`,
    );
  });

  it('is missed when the run without faults left a group twice, though the counts shown are the faulty run', () => {
    const [row] = report.targets({ groups: groups(clean, { ...clean, duplicatedGroups: 1 }) });
    expect(row).toMatchObject({ met: false, short: 'found 1 duplicatedGroups (both runs, both phases)' });
  });

  it('puts the row in the README table', () => {
    const results = {
      mode: 'full',
      measuredAt: '2026-12-06T07:00:00.000Z',
      machine: { cpus: 2, cpu: 'test', node: 'v20' },
      settings: { rounds: 3 },
      groups: groups(),
    };
    expect(report.table(results)).toContain(
      '| converges, none lost or duplicated | 28.0 s, the moves 1.7 s (without faults 3.8 s and 0.4 s); 0 missing',
    );
  });
});
