// The servers measured side by side (bench/lib/servers.js), and the order of the rounds (bench/lib/load.js).

interface Planned {
  key: string;
  label: string;
  kind: string;
  args?: string[];
  note?: string;
  unavailable?: string;
}
interface Servers {
  offersShell(help: string): boolean;
  sideBySidePlan(options: { shell: boolean; versions?: Record<string, string> }): Planned[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is CommonJS JavaScript; loaded as is
const { offersShell, sideBySidePlan } = require('./servers') as Servers;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same
const { rotate } = require('./load') as { rotate<T>(xs: T[], n: number): T[] };

describe('issue 14: the servers side by side', () => {
  it('runs the mock once per shell when it offers --shell', () => {
    const plan = sideBySidePlan({ shell: true, versions: { scimmy: '1.3.5' } });
    expect(plan.map((s) => [s.key, s.args ?? null])).toEqual([
      ['code42-node', ['--shell', 'node']],
      ['code42-express', ['--shell', 'express']],
      ['scimmy', null],
      ['express-floor', null],
    ]);
    expect(plan.find((s) => s.key === 'scimmy')?.label).toBe('SCIMMY 1.3.5');
    expect(plan.some((s) => s.unavailable || s.note)).toBe(false);
  });

  it('runs the mock once, as it is, and marks the other shell unavailable, when it does not', () => {
    const plan = sideBySidePlan({ shell: false });
    expect(plan[0]).toMatchObject({ key: 'code42-node', label: 'the mock, its only shell', args: [] });
    expect(plan[0].note).toContain('no `--shell` option');
    expect(plan[1]).toMatchObject({ key: 'code42-express', unavailable: 'not available in this build' });
    expect(plan[1].args).toBeUndefined();
  });

  it('finds --shell among the options of `scim-lab code42 --help`, and only there', () => {
    expect(offersShell('Options:\n  --port N   port\n  --shell node|express   the HTTP shell\n')).toBe(true);
    expect(offersShell('Options:\n  --port N   port\n  --json   print one line\n')).toBe(false);
    expect(offersShell('  --low-memory   see --shell in a later version\n')).toBe(false);
  });
});

describe('issue 14: the order of the rounds', () => {
  it('starts each round with the next server, so that none always follows the baseline', () => {
    expect([0, 1, 2, 3].map((n) => rotate(['a', 'b', 'c'], n).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
    expect(rotate([], 1)).toEqual([]);
  });
});
