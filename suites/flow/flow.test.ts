import { CODE42_DEVIATIONS, createCode42 } from '../../mock-code42';
import { PINGONE_DEVIATIONS } from '../../mock-pingone';
import { runCatalogue, type RequirementResult } from '../engine';
import { flowContext, flowRequirements } from './index';

// Testing the tests (issue 6 §3, §4): the flow suite passes through the unmodified mocks, and each deviation paired
// with a flow requirement — of the mock PingOne or of the mock Code42 — makes that requirement fail.

async function run(
  deviations: { code42?: string[]; pingone?: string[] },
  only?: string[],
): Promise<RequirementResult[]> {
  const code42 = createCode42({ deviations: deviations.code42 });
  await code42.listen({ port: 0, host: '127.0.0.1' });
  const d = code42.describe();
  const context = flowContext({
    target: { baseUrl: d.baseUrl, token: d.token },
    admin: { baseUrl: d.adminUrl, token: d.adminToken },
    pingone: { deviations: deviations.pingone },
  });
  try {
    return (await runCatalogue(flowRequirements, { context, only, seed: 9 })).requirements;
  } finally {
    await context.close();
    await code42.close();
  }
}

const brief = (results: RequirementResult[]) =>
  results.map((r) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason.slice(0, 300)})` : ''}`);

/** `mock:NAME[=VALUE]` → the requirement ids it must fail. */
const pairs = new Map<string, string[]>();
for (const r of flowRequirements) {
  for (const entry of r.pairedDeviations ?? []) pairs.set(entry, [...(pairs.get(entry) ?? []), r.id]);
}

describe('issue 6 §3 the flow suite through the unmodified mocks', () => {
  it('passes every requirement', async () => {
    const results = await run({});
    expect(results).toHaveLength(flowRequirements.length);
    expect(brief(results.filter((r) => r.status !== 'passed'))).toEqual([]);
    // FLOW-GROUP-SCALE alone sets a scene of 1000 users and 1000 groups (docs/performance.md).
  }, 180_000);
});

describe('issue 6 §4 each deviation paired with a flow requirement is caught', () => {
  it('names deviations as pingone:NAME or code42:NAME, which the mocks know', () => {
    const known = (entry: string) => {
      const [mock, deviation] = entry.split(':');
      const name = deviation?.split('=')[0] ?? '';
      return mock === 'pingone' ? name in PINGONE_DEVIATIONS : mock === 'code42' && name in CODE42_DEVIATIONS;
    };
    expect([...pairs.keys()].filter((entry) => !known(entry))).toEqual([]);
  });

  it('catches the mock Code42 deviations allow-delete and ignore-active (issue 6 §4)', () => {
    expect(pairs.get('code42:allow-delete')).toEqual(expect.arrayContaining(['FLOW-DELETE-REFUSED']));
    expect(pairs.get('code42:ignore-active')).toEqual(expect.arrayContaining(['FLOW-DISABLE', 'FLOW-C42-LIFECYCLE']));
  });

  it.each([...pairs.entries()])(
    '%s makes %j fail or warn',
    async (entry, ids) => {
      const [mock, deviation] = entry.split(':');
      const results = await run(mock === 'code42' ? { code42: [deviation] } : { pingone: [deviation] }, ids);
      expect(results.map((r) => r.id).sort()).toEqual([...ids].sort());
      // A MUST that catches it fails; an INFO (an inference) warns.
      expect(brief(results.filter((r) => r.status !== (r.level === 'MUST' ? 'failed' : 'warned')))).toEqual([]);
    },
    60_000,
  );
});

describe('issue 13 §3 flow messages state only what the target answered', () => {
  it('says the target accepted the DELETE, with its status, when it did, and never that it refused', async () => {
    const ids = ['FLOW-DELETE-REFUSED', 'FLOW-SYNC-COUNTERS'];
    const results = await run({ code42: ['allow-delete'] }, ids);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    for (const r of results) {
      expect(r.reason).toContain("the target accepted PingOne's DELETE (it answered 204)");
      expect(r.reason).not.toMatch(/the target refused/);
    }
  }, 60_000);

  it('says the target refused the DELETE, with its status, when a PingOne deviation miscounts it', async () => {
    const results = await run({ pingone: ['delete-refusal-success'] }, ['FLOW-SYNC-COUNTERS']);
    expect(results.map((r) => r.status)).toEqual(['failed']);
    expect(results[0].reason).toContain('after a delete the target refused with 405');
  }, 60_000);

  it('declares the refused-delete checks as dependants of C42-DELETE-REFUSED', () => {
    const dependants = flowRequirements.filter((r) => r.dependsOn?.includes('C42-DELETE-REFUSED')).map((r) => r.id);
    expect(dependants).toEqual(expect.arrayContaining(['FLOW-DELETE-REFUSED', 'FLOW-SYNC-COUNTERS']));
  });
});

describe('issue 15 §3 FLOW-GROUP-SCALE says what was sent and what the target holds', () => {
  it('counts and names the memberships a target kept after 200 users left a group', async () => {
    const [result] = await run({ code42: ['group-remove-filter-ignored'] }, ['FLOW-GROUP-SCALE']);
    expect(result.status).toBe('failed');
    expect(result.reason).toContain(
      "after 200 of those users then left a group (100 of them for another), once PingOne was idle the target's " +
        '/Groups has memberships extra: 200 (',
    );
    expect(result.reason).toMatch(
      /\(scimlab-[a-z0-9]+-flow-group-scale\.\S+ in scimlab-[a-z0-9]+-flow-group-scale\.g0;/,
    );
    expect(result.reason).toContain('Expected each group exactly once with exactly its members');
    expect(result.reason).not.toMatch(/groups missing|memberships lost/);
  }, 120_000);
});
