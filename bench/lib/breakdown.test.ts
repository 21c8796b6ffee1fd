// Where a conformance run spends its time, per suite (bench/lib/breakdown.js), from JSON reports (docs/reports.md).

interface Breakdown {
  suites: {
    suite: string;
    medianMs: number;
    share: number;
    requirements: number;
    slowest: { id: string; ms: number }[];
  }[];
  outsideMs: number;
  outsideShare: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is CommonJS JavaScript; loaded as is
const { conformanceBreakdown } = require('./breakdown') as {
  conformanceBreakdown(runs: { wallMs: number; report: unknown }[]): Breakdown;
};

const requirement = (id: string, suite: string, durationMs: number) => ({ id, suite, durationMs });

describe('issue 14: the conformance run, per suite', () => {
  it('sums each suite per run, takes the median of the runs, and its share of the median wall time', () => {
    const run = (wallMs: number, t: number, p: number) => ({
      wallMs,
      report: {
        requirements: [
          requirement('SCIM-A', 'target', t),
          requirement('P1-B', 'provisioner', p),
          requirement('P1-C', 'provisioner', 100),
        ],
      },
    });
    const result = conformanceBreakdown([run(1000, 100, 500), run(2000, 300, 900), run(1500, 200, 700)]);
    expect(result.suites).toEqual([
      { suite: 'target', medianMs: 200, share: 0.133, requirements: 1, slowest: [{ id: 'SCIM-A', ms: 200 }] },
      {
        suite: 'provisioner',
        medianMs: 800,
        share: 0.533,
        requirements: 2,
        slowest: [
          { id: 'P1-B', ms: 700 },
          { id: 'P1-C', ms: 100 },
        ],
      },
    ]);
    expect(result).toMatchObject({ outsideMs: 500, outsideShare: 0.333 });
  });

  it('keeps the five slowest requirements of a suite, slowest first', () => {
    const requirements = [10, 70, 30, 60, 20, 50, 40].map((ms, i) => requirement(`FLOW-${i}`, 'flow', ms));
    const [flow] = conformanceBreakdown([{ wallMs: 300, report: { requirements } }]).suites;
    expect(flow.slowest.map((q) => q.ms)).toEqual([70, 60, 50, 40, 30]);
  });
});
