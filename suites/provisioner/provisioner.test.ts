import { PINGONE_DEVIATIONS } from '../../mock-pingone';
import { runCatalogue, type RequirementResult } from '../engine';
import { defaultDriverCommand } from '../driver/test-support/compile-driver';
import { provisionerContext, provisionerRequirements } from './index';

// Testing the tests (issue 6 §4): the provisioner suite, run through the default driver against the embedded mock
// PingOne, passes when the mock is unmodified, and each mock-PingOne deviation makes every requirement paired with it
// fail (MUST) or warn (INFO).

async function run(
  deviations: string[],
  only?: string[],
  updateMethod?: 'PUT' | 'PATCH',
): Promise<RequirementResult[]> {
  const context = provisionerContext({
    driver: defaultDriverCommand(),
    embeddedPingOne: { deviations },
    parallelSteps: 4,
    ...(updateMethod && { updateMethod }),
  });
  try {
    return (await runCatalogue(provisionerRequirements, { context, only, seed: 6 })).requirements;
  } finally {
    await context.close();
  }
}

const brief = (results: RequirementResult[]) =>
  results.map((r) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason.slice(0, 300)})` : ''}`);

/** `pingone:NAME[=VALUE]` → the requirement ids it must fail or warn. */
const pairs = new Map<string, string[]>();
for (const r of provisionerRequirements) {
  for (const entry of r.pairedDeviations ?? []) {
    const [mock, deviation] = entry.split(':');
    if (mock !== 'pingone') continue;
    pairs.set(deviation, [...(pairs.get(deviation) ?? []), r.id]);
  }
}

describe('issue 6 §2 the provisioner suite against the unmodified mock PingOne', () => {
  it('passes every requirement', async () => {
    const results = await run([]);
    expect(results).toHaveLength(provisionerRequirements.length);
    expect(brief(results.filter((r) => r.status !== 'passed'))).toEqual([]);
  }, 120_000);
});

describe('issue 16 §1 a store whose update method is PATCH is judged under PATCH', () => {
  const updates = ['P1-UPDATE-PUT', 'P1-DISABLE-ACTIVE-FALSE', 'P1-ENABLE-ACTIVE-TRUE', 'P1-REMOVE-DISABLE'];

  it('passes the update, disable, re-enable and remove checks when the provisioner PATCHes as told', async () => {
    const results = await run([], updates, 'PATCH');
    expect(results).toHaveLength(updates.length);
    expect(brief(results.filter((r) => r.status !== 'passed'))).toEqual([]);
    const evidence = JSON.stringify(results.map((r) => r.evidence));
    expect(evidence).toContain('"method":"PATCH"');
  }, 120_000);

  it('fails them when the provisioner sends PUT while the store says PATCH', async () => {
    // The step says PATCH; a shell in front of the default driver rewrites it to PUT: a provisioner that only PUTs.
    const argv = defaultDriverCommand()
      .map((a) => `'${a}'`)
      .join(' ');
    const context = provisionerContext({
      driver: `sed 's/"UPDATE_METHOD":"PATCH"/"UPDATE_METHOD":"PUT"/' | ${argv}`,
      embeddedPingOne: { deviations: [] },
      updateMethod: 'PATCH',
    });
    try {
      const results = (await runCatalogue(provisionerRequirements, { context, only: ['P1-UPDATE-PUT'], seed: 6 }))
        .requirements;
      expect(results[0].status).toBe('failed');
      expect(results[0].reason).toContain("the store's update method is PATCH");
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('issue 15 §3 the group checks', () => {
  const groupIds = provisionerRequirements.filter((r) => r.id.startsWith('P1-GROUP-')).map((r) => r.id);

  it('say what was sent and which rule it breaks when a member is removed without a path', async () => {
    const [result] = await run(['group-remove-without-path'], ['P1-GROUP-MEMBERS-PATCH']);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      /PATCH \/Groups\/[^ ]+ \(answered 400\).*a "remove" without "path"; RFC 7644 §3\.5\.2\.2/,
    );
  }, 120_000);

  it('say which member was named before its user was at the target', async () => {
    const [result] = await run(['members-before-users'], ['P1-GROUP-USERS-FIRST']);
    expect(result.status).toBe('warned');
    expect(result.reason).toMatch(
      /POST \/Groups \(answered 400\) names the member\(s\) \["[0-9a-f-]+"\], which no earlier answer/,
    );
  }, 120_000);

  it('fail each MUST and skip each INFO when the driver cannot perform group actions (exit 4)', async () => {
    // A shell in front of the default driver answers every group step with exit 4: a driver that knows users only.
    const argv = defaultDriverCommand()
      .map((a) => `'${a}'`)
      .join(' ');
    const usersOnly = `input=$(cat); case "$input" in *'"action":"group-'*) echo '{"detail":"no groups here"}'; exit 4;; esac; printf '%s' "$input" | ${argv}`;
    const context = provisionerContext({ driver: usersOnly, embeddedPingOne: { deviations: [] } });
    try {
      const results = (await runCatalogue(provisionerRequirements, { context, only: groupIds, seed: 6 })).requirements;
      expect(results.map((r) => [r.id, r.level, r.status])).toEqual(
        results.map((r) => [r.id, r.level, r.level === 'MUST' ? 'failed' : 'skipped']),
      );
      for (const r of results)
        expect(r.reason).toContain('cannot perform "group-create" (driver exit 4: no groups here)');
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('issue 6 §4 each mock-PingOne deviation is caught by the requirements paired with it', () => {
  it('pairs only deviations of the mock PingOne, and at least one with every MUST', () => {
    const unknown = [...pairs.keys()].filter((d) => !(d.split('=')[0] in PINGONE_DEVIATIONS));
    expect(unknown).toEqual([]);
    const unpaired = provisionerRequirements.filter((r) => r.level === 'MUST' && !r.pairedDeviations?.length);
    expect(unpaired.map((r) => r.id)).toEqual([]);
  });

  it.each([...pairs.entries()])(
    '%s makes %j fail or warn',
    async (deviation, ids) => {
      const results = await run([deviation], ids);
      expect(results.map((r) => r.id).sort()).toEqual([...ids].sort());
      const missed = results.filter((r) => r.status !== (r.level === 'MUST' ? 'failed' : 'warned'));
      expect(brief(missed)).toEqual([]);
    },
    120_000,
  );
});
