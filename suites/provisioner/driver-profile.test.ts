import { PROFILE_NAMES, type ProfileName } from '../../fixtures/profiles';
import { runCatalogue, type RequirementResult } from '../engine';
import { defaultDriverCommand } from '../driver/test-support/compile-driver';
import { provisionerContext, provisionerRequirements } from './index';

// Issue 16 §3, `conformance --driver-profile`: the provisioner suite holds a provisioner to the rules of the identity
// provider it claims to be (fixtures/profiles.ts). Seen from outside: the embedded mock PingOne's provisioner plays one
// profile (its store's PROVISIONER_PROFILE), the suite judges it under another, over the mock Code42's journal.

async function judge(
  plays: ProfileName,
  judgedAs: ProfileName,
  only?: string[],
): Promise<{ results: RequirementResult[]; leftOut: string[] }> {
  const context = provisionerContext({
    driver: defaultDriverCommand(),
    embeddedPingOne: { deviations: [], profile: plays },
    parallelSteps: 4,
    profile: judgedAs,
  });
  // What conformance leaves out as not applicable: the requirements that need what this profile does not provide.
  const applies = provisionerRequirements.filter((r) => (r.needs ?? []).every((n) => context.capabilities.includes(n)));
  try {
    const results = (await runCatalogue(applies, { context, only, seed: 16 })).requirements;
    return { results, leftOut: provisionerRequirements.filter((r) => !applies.includes(r)).map((r) => r.id) };
  } finally {
    await context.close();
  }
}

const brief = (results: RequirementResult[]) =>
  results.map((r) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason.slice(0, 300)})` : ''}`);
const byId = (results: RequirementResult[], id: string) => results.find((r) => r.id === id)!;

describe('issue 16 §3 a provisioner that plays a profile passes when judged against that profile', () => {
  it.each(PROFILE_NAMES.filter((p) => p !== 'pingone'))(
    'the mock PingOne playing %s passes every applicable requirement under --driver-profile of the same name',
    async (profile) => {
      const { results, leftOut } = await judge(profile, profile);
      expect(brief(results.filter((r) => r.status !== 'passed'))).toEqual([]);
      // Entra ID and Okta deprovision by disabling, and PingOne's "cannot clear" limitation is PingOne's alone.
      expect(leftOut.sort()).toEqual([
        'MAP-CANNOT-CLEAR',
        'P1-DELETE-REFUSED-FAILED',
        'P1-DELETE-REFUSED-REPORTED',
        'P1-REMOVE-DELETE',
      ]);
      expect(results).toHaveLength(provisionerRequirements.length - leftOut.length);
    },
    180_000,
  );
});

describe('issue 16 §3 a provisioner that claims one profile is held to its rules', () => {
  it('fails the Entra ID-playing provisioner judged as PingOne on every profile-dependent check, naming the rule', async () => {
    const { results } = await judge('entra', 'pingone');
    const wrong = results.filter((r) => r.status !== 'passed').map((r) => [r.id, r.status]);
    expect(wrong).toEqual([
      ['P1-LOOKUP-FILTER', 'failed'],
      ['P1-LOOKUP-ESCAPE', 'warned'],
      ['P1-LOOKUP-BEFORE-POST', 'warned'],
      ['P1-UPDATE-PUT', 'failed'],
      ['P1-DISABLE-ACTIVE-FALSE', 'failed'],
      ['P1-ENABLE-ACTIVE-TRUE', 'failed'],
      ['P1-REMOVE-DISABLE', 'failed'],
      ['P1-REMOVE-DELETE', 'failed'],
      ['P1-DELETE-REFUSED-FAILED', 'failed'],
      ['P1-DELETE-REFUSED-REPORTED', 'warned'],
    ]);
    expect(byId(results, 'P1-LOOKUP-FILTER').reason).toMatch(
      /the lookup's filter is "userName eq \\".*\\""; expected the configured expression verbatim \(the pingone profile's lookup filter rule \[PING-SCIM-FILTER\]\): "username Eq \\"/,
    );
    expect(byId(results, 'P1-UPDATE-PUT').reason).toMatch(
      /^the update sent PATCH \/Users\/\S+ \(answered 200\); expected PUT: the store's update method is PUT \(the pingone profile's update method rule \[PING-SCIM-LIMITS\]/,
    );
    expect(byId(results, 'P1-DISABLE-ACTIVE-FALSE').reason).toContain("the pingone profile's update method rule");
  }, 180_000);

  it("fails Entra's string booleans under a profile that sends JSON booleans, citing that profile's rule", async () => {
    // Okta disables with a PATCH too, so the method passes and the value is what is judged.
    const { results } = await judge('entra', 'okta', ['P1-DISABLE-ACTIVE-FALSE', 'P1-ENABLE-ACTIVE-TRUE']);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['P1-DISABLE-ACTIVE-FALSE', 'failed'],
      ['P1-ENABLE-ACTIVE-TRUE', 'failed'],
    ]);
    expect(byId(results, 'P1-DISABLE-ACTIVE-FALSE').reason).toMatch(
      /^disabling the user: the PATCH set active "False"; expected false \(the okta profile's booleans in a PATCH rule \[OKTA-SCIM-20\]\)$/,
    );
  }, 120_000);

  it('accepts JSON booleans from a provisioner judged as Entra ID, which Microsoft documents as the fixed behaviour', async () => {
    // The PingOne profile with the store's UPDATE_METHOD PATCH (Entra fixes it) sends `"value": false`.
    const { results } = await judge('pingone', 'entra', ['P1-DISABLE-ACTIVE-FALSE', 'P1-ENABLE-ACTIVE-TRUE']);
    expect(brief(results.filter((r) => r.status !== 'passed'))).toEqual([]);
    expect(JSON.stringify(results.map((r) => r.evidence))).toContain('"path":"active","value":false');
  }, 120_000);
});
