// Made-up results for reporter tests: a requirement result with sensible defaults, and a run report around a list.
import type { RequirementResult, RunResult } from '../types';

export function fakeResult(over: Partial<RequirementResult>): RequirementResult {
  return {
    id: 'SCIM-X',
    level: 'MUST',
    source: 'RFC 7644 §3.3',
    title: 'Create answers 201',
    suite: 'target',
    section: 'RFC 7644 §3.3',
    status: 'passed',
    reason: '',
    durationMs: 3,
    evidence: [],
    ...over,
  };
}

/** A run report of these results, with the summary counted from them. */
export function fakeRun(requirements: RequirementResult[]): RunResult {
  const zero = () => ({ passed: 0, failed: 0, warned: 0, skipped: 0, error: 0 });
  const summary = { MUST: zero(), SHOULD: zero(), INFO: zero() };
  for (const r of requirements) summary[r.level][r.status] += 1;
  return {
    reportVersion: 1,
    tool: { name: 'scim-lab', version: '0.0.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1234,
    target: { baseUrl: 'http://127.0.0.1:1/scim/v2' },
    provisioner: { driver: null },
    seed: 7,
    runPrefix: 'p-',
    summary,
    requirements,
  };
}
