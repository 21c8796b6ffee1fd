// JUnit XML (docs/reports.md): one testsuite per suite, one testcase per requirement. `warned` is a passed test case
// with a <system-out> warning; `error` is an <error>; `skipped` carries its reason.
import { describeOutcome, rootCausesFirst } from '../outcomes-causes';
import { SUITES, type Evidence, type RequirementResult, type RunResult } from '../types';
import { escapeMarkup as x } from './escape';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function evidenceLines(evidence: readonly Evidence[]): string {
  return evidence
    .map(
      (e) => `> ${e.request.method} ${e.request.url}\n< ${e.response ? e.response.status : `no response: ${e.error}`}`,
    )
    .join('\n');
}

function testcase(r: RequirementResult): string {
  const open = `    <testcase classname="${x(r.suite, true)}" name="${x(`${r.id} ${r.title}`, true)}" time="${seconds(r.durationMs)}"`;
  const message = describeOutcome(r);
  const detail = x(`${message}\n\nlevel ${r.level}\n${evidenceLines(r.evidence)}`);
  switch (r.status) {
    case 'passed':
      return `${open}/>`;
    case 'failed':
      return `${open}>\n      <failure message="${x(message, true)}" type="${r.level}">${detail}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${x(message, true)}" type="error">${detail}</error>\n    </testcase>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${x(message, true)}"/>\n    </testcase>`;
    case 'warned':
      return `${open}>\n      <system-out>${x(`WARNING (${r.level}): ${message}`)}</system-out>\n    </testcase>`;
  }
}

function counts(results: readonly RequirementResult[]) {
  const n = (s: RequirementResult['status']) => results.filter((r) => r.status === s).length;
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  return `tests="${results.length}" failures="${n('failed')}" errors="${n('error')}" skipped="${n('skipped')}" time="${time}"`;
}

/**
 * Issue 13 §3: root causes first. Within a testsuite, failed root causes come first, each followed by its dependants;
 * the testsuite holding the first root cause comes first (a flow dependant's cause is often in the target suite).
 */
export function toJUnit(result: RunResult): string {
  const ordered = rootCausesFirst(result.requirements);
  const firstAt = (suite: string) => ordered.findIndex((r) => r.suite === suite);
  const suites = SUITES.map((suite) => ({ suite, results: ordered.filter((r) => r.suite === suite) }))
    .filter((s) => s.results.length > 0)
    .sort((a, b) => firstAt(a.suite) - firstAt(b.suite))
    .map(
      ({ suite, results }) =>
        `  <testsuite name="${x(suite, true)}" ${counts(results)} timestamp="${x(result.startedAt, true)}">\n` +
        results.map(testcase).join('\n') +
        '\n  </testsuite>',
    );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="scim-lab conformance" ${counts(result.requirements)}>\n` +
    (suites.length > 0 ? `${suites.join('\n')}\n` : '') +
    '</testsuites>\n'
  );
}
