import { MockPingOneContainer, type StartedMockPingOneContainer } from './index';
import { TEST_IMAGE, bearer } from './test-support/image';

describe('MockPingOneContainer: the mock PingOne as a testcontainers module', () => {
  let pingone: StartedMockPingOneContainer;

  beforeAll(async () => {
    pingone = await new MockPingOneContainer(TEST_IMAGE)
      .withApiToken('container-test-api-token')
      .withAdminToken('container-test-admin-token')
      .start();
  });

  afterAll(async () => {
    await pingone?.stop();
  });

  it('serves the management API at getApiUrl() to the token given with withApiToken()', async () => {
    expect(pingone.getApiToken()).toBe('container-test-api-token');
    expect(pingone.getApiUrl()).toMatch(/^http:\/\/localhost:\d+\/v1$/);
    const res = await fetch(`${pingone.getApiUrl()}/environments`, { headers: bearer(pingone.getApiToken()) });
    expect(res.status).toBe(200);
  });

  it('gives the environment id of its --json line, which the API knows', async () => {
    const { environmentId } = pingone.getIds();
    const res = await fetch(`${pingone.getApiUrl()}/environments/${environmentId}`, {
      headers: bearer(pingone.getApiToken()),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: environmentId });
  });

  it('has no store, plan or rule without a target', () => {
    expect(pingone.getIds()).toMatchObject({ storeId: null, planId: null, ruleId: null });
  });

  it('refuses the API token on /__admin and accepts the admin token there (docs/admin-api.md)', async () => {
    const refused = await fetch(`${pingone.getAdminUrl()}/journal`, { headers: bearer(pingone.getApiToken()) });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${pingone.getAdminUrl()}/journal`, { headers: bearer(pingone.getAdminToken()) });
    expect(accepted.status).toBe(200);
  });

  it('gives the client credentials it was started with', async () => {
    const withCredentials = await new MockPingOneContainer(TEST_IMAGE)
      .withClientCredentials('container-client', 'container-client-secret')
      .start();
    try {
      expect(withCredentials.getClientId()).toBe('container-client');
      expect(withCredentials.getClientSecret()).toBe('container-client-secret');
    } finally {
      await withCredentials.stop();
    }
  });
});
