// Where a `scim-lab conformance` run spends its time, per suite (issue 14): from the JSON report's per-requirement
// `durationMs` and `suite` (docs/reports.md), over several runs, each figure the median of the runs.
'use strict';
const { median } = require('./load');

/** How many of a suite's slowest requirements the results keep, to explain the suite's share. */
const SLOWEST = 5;

/**
 * `runs` are `{wallMs, report}`: the wall time of the whole command (Node's start-up included) and its JSON report.
 * Returns the suites in the order they ran, each with its median time, its share of the median wall time and its
 * slowest requirements (median over the runs), and the time spent outside every suite (start-up, preflight, the
 * embedded mocks' start and stop).
 */
function conformanceBreakdown(runs) {
  const wallMs = median(runs.map((r) => r.wallMs));
  const suites = [];
  const perSuite = new Map();
  for (const [i, { report }] of runs.entries()) {
    for (const requirement of report.requirements) {
      if (!perSuite.has(requirement.suite)) {
        perSuite.set(requirement.suite, { totals: runs.map(() => 0), requirements: new Map() });
        suites.push(requirement.suite);
      }
      const suite = perSuite.get(requirement.suite);
      suite.totals[i] += requirement.durationMs;
      if (!suite.requirements.has(requirement.id)) suite.requirements.set(requirement.id, []);
      suite.requirements.get(requirement.id).push(requirement.durationMs);
    }
  }
  const breakdown = suites.map((name) => {
    const { totals, requirements } = perSuite.get(name);
    const medianMs = median(totals);
    const slowest = [...requirements]
      .map(([id, times]) => ({ id, ms: median(times) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST);
    return { suite: name, medianMs, share: share(medianMs, wallMs), requirements: requirements.size, slowest };
  });
  const outsideMs = Math.max(0, wallMs - breakdown.reduce((sum, s) => sum + s.medianMs, 0));
  return { suites: breakdown, outsideMs, outsideShare: share(outsideMs, wallMs) };
}

const share = (part, whole) => Math.round((part / whole) * 1000) / 1000;

module.exports = { conformanceBreakdown };
