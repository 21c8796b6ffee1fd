import { createCode42, type Code42 } from '../../mock-code42';
import { createPingOne, type PingOne } from '../../mock-pingone';
import { runCatalogue, type RequirementResult } from '../engine';
import { PINGONE_ENV } from '../driver/protocol';
import { defaultDriverCommand } from '../driver/test-support/compile-driver';
import { provisionerContext, provisionerRequirements } from './index';

// issue 13 §2: the default driver against one long-running mock PingOne, as the README's SCIM_LAB_PINGONE_* set-up
// runs it (`scim-lab pingone --target …` started once, then `conformance --idp-driver`). That PingOne keeps every
// user of earlier requirements and re-syncs them into each new target; each requirement must still judge only the
// traffic of its own users.

let code42: Code42;
let pingone: PingOne;

beforeAll(async () => {
  // The target it was started with; each requirement then points the store at a fresh mock Code42 of its own.
  code42 = createCode42();
  await code42.listen({ port: 0, host: '127.0.0.1' });
  const c = code42.describe();
  pingone = createPingOne({ target: { url: c.baseUrl, token: c.token }, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  await pingone.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await pingone?.close();
  await code42?.close();
});

const brief = (results: RequirementResult[]) =>
  results.map((r) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason.slice(0, 300)})` : ''}`);

describe('issue 13 §2 the default driver against a long-running mock PingOne', () => {
  it('passes every provisioner requirement, each judged on its own users only', async () => {
    const p = pingone.describe();
    const context = provisionerContext({
      driver: defaultDriverCommand(),
      env: {
        ...process.env,
        [PINGONE_ENV.apiUrl]: p.apiUrl,
        [PINGONE_ENV.apiToken]: p.apiToken,
        [PINGONE_ENV.environmentId]: p.environmentId,
        [PINGONE_ENV.adminUrl]: p.adminUrl,
        [PINGONE_ENV.adminToken]: p.adminToken,
      },
    });
    try {
      const { requirements } = await runCatalogue(provisionerRequirements, { context, seed: 13 });
      expect(requirements).toHaveLength(provisionerRequirements.length);
      expect(brief(requirements.filter((r) => r.status !== 'passed' && r.status !== 'skipped'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
