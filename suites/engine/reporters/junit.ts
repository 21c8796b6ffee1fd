// JUnit XML (docs/reports.md): one testsuite per suite, one testcase per requirement (per requirement and profile in a
// run over several profiles, `--profile all`). `warned` is a passed test case with a <system-out> warning; `error` is
// an <error>; `skipped` carries its reason.
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

/** A requirement's test case, or under one profile (`[entra]` after the id) in a run over several. */
interface Case {
  r: RequirementResult;
  profile?: string;
}

function testcase({ r, profile }: Case): string {
  const name = `${r.id}${profile === undefined ? '' : ` [${profile}]`} ${r.title}`;
  const open = `    <testcase classname="${x(r.suite, true)}" name="${x(name, true)}" time="${seconds(r.durationMs)}"`;
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

function counts(cases: readonly Case[]) {
  const n = (s: RequirementResult['status']) => cases.filter(({ r }) => r.status === s).length;
  const time = seconds(cases.reduce((sum, { r }) => sum + r.durationMs, 0));
  return `tests="${cases.length}" failures="${n('failed')}" errors="${n('error')}" skipped="${n('skipped')}" time="${time}"`;
}

/** One case per requirement; in a run over several profiles, one per requirement and profile it ran under. */
function casesOf(results: readonly RequirementResult[], multiProfile: boolean): Case[] {
  if (!multiProfile) return results.map((r) => ({ r }));
  return results.flatMap((r) => Object.keys(r.byProfile ?? {}).map((profile) => ({ r, profile })));
}

/**
 * Issue 13 §3: root causes first. Within a testsuite, failed root causes come first, each followed by its dependants;
 * the testsuite holding the first root cause comes first (a flow dependant's cause is often in the target suite).
 */
export function toJUnit(result: RunResult): string {
  const ordered = rootCausesFirst(result.requirements);
  const multiProfile = (result.profiles?.length ?? 0) > 1;
  const cases = (results: readonly RequirementResult[]) => casesOf(results, multiProfile);
  const firstAt = (suite: string) => ordered.findIndex((r) => r.suite === suite);
  const suites = SUITES.map((suite) => ({ suite, results: ordered.filter((r) => r.suite === suite) }))
    .filter((s) => s.results.length > 0)
    .sort((a, b) => firstAt(a.suite) - firstAt(b.suite))
    .map(
      ({ suite, results }) =>
        `  <testsuite name="${x(suite, true)}" ${counts(cases(results))} timestamp="${x(result.startedAt, true)}">\n` +
        cases(results).map(testcase).join('\n') +
        '\n  </testsuite>',
    );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="scim-lab conformance" ${counts(cases(result.requirements))}>\n` +
    (suites.length > 0 ? `${suites.join('\n')}\n` : '') +
    '</testsuites>\n'
  );
}
